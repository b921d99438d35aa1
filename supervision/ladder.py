"""What the ladder produces for supervision, and the chase of a matter's reply date.

- 督办单: the escalation ladder's level-2 notice (escalation.services) is recorded here as a document
  and opens a matter with trigger *overdue* (`on_case_logged`, in the sweep's transaction);
- 催办通知书: the day after a chased deadline passes (ClockRule `urge_after_deadline`), to the
  department, copied to its heads;
- 通报: a case still late `criticism_after_notice` working days after its 督办单;
- the reply due date of an open matter: a reminder within the ladder's reminder window
  (escalation.ladder.reminder_window, the one rule of "due soon"), and a notice the day after it.

The deadlines chased are the ladder's own (escalation.ladder.chased_deadlines): one place. The sweep
finds its work with one statement per kind of work, writes each document (unique per case, kind,
clock and deadline), its number (the ladder's yearly sequence), the case log and the notifications in
one transaction, under a lock so that runs never overlap: a repeated run finds nothing left.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from escalation.ladder import DueSoonWindow, chased_deadlines
from escalation.models import Escalation
from escalation.services import Directory, notice_numbers
from petitions.clocks.workdays import WorkingCalendar
from petitions.db.locks import single_run
from petitions.extensions import LoggedAction
from petitions.models import Case
from petitions.services.case_log import LogEntry, case_log_many
from petitions.services.notifications import Message, notify_bulk
from supervision.clocks import clock_due, clock_rules
from supervision.models import NUMBER_PREFIX, ClockRule, Document, DocumentKind, Matter, Mode, Trigger


@dataclass(frozen=True)
class SweepResult:
    skipped: bool = False
    documents: int = 0
    reminders: int = 0


def _department_people(directory: Directory, department_id: int, handler_id: int | None = None) -> list[int]:
    """The case's handler (if any), copied to the department's heads; nobody there: the supervisors."""
    found = ([handler_id] if handler_id else []) + directory.heads.get(department_id, [])
    return list(dict.fromkeys(found or directory.supervisors))


def _after(start: date, days: int, working: bool, calendar: WorkingCalendar) -> date:
    """The day `days` (working) days after `start`: the first day a document that follows may go."""
    if working:
        return calendar.add_working_days(start, days)[0]
    return start + timedelta(days=days)


# --- The 督办单 of the ladder: a document, and a matter -------------------------------------------------------


def on_case_logged(entries: list[LoggedAction]) -> None:
    """Each 督办单 the ladder issues becomes a document of the case and opens a matter (trigger overdue)."""
    notices = [entry for entry in entries if entry.action == "supervision_notice" and entry.data.get("notice")]
    if not notices:
        return
    case_ids = {entry.case_id for entry in notices}
    cases = {
        row["pk"]: row
        for row in Case.objects.filter(pk__in=case_ids).values("pk", "number", "department_id", "handler_id")
    }
    escalations = {
        row[0]: row[1]
        for row in Escalation.objects.filter(notice_number__in=[e.data["notice"] for e in notices]).values_list(
            "notice_number", "reply_due"
        )
    }
    trigger = Trigger.objects.filter(code=Trigger.OVERDUE).first()
    rules = clock_rules()
    documents, matters, messages = [], [], []
    people, calendar = None, None
    for entry in notices:
        case = cases[entry.case_id]
        number = entry.data["notice"]
        issued_on = timezone.localtime(entry.at).date()
        reply_due = escalations.get(number)
        documents.append(
            Document(
                kind=DocumentKind.NOTICE,
                number=number,
                case_id=entry.case_id,
                department_id=case["department_id"],
                clock=entry.data["clock"],
                deadline=date.fromisoformat(entry.data["deadline"]),
                issued_at=entry.at,
                issued_on=issued_on,
                reply_due=reply_due,
            )
        )
        if case["department_id"] is None or trigger is None:
            continue  # before routing the office answers for the case itself: no department to supervise
        # The reply date printed on the 督办单 (the ladder's rung) is the matter's; without one, the rule's.
        calendar = calendar or WorkingCalendar.load()
        due = clock_due(ClockRule.Key.MATTER_REPLY, issued_on, rules=rules, calendar=calendar)
        matters.append(
            Matter(
                case_id=entry.case_id,
                department_id=case["department_id"],
                trigger=trigger,
                mode=Mode.DOCUMENT,
                opened_at=entry.at,
                reply_due=reply_due or due.due,
                reply_due_basis="" if reply_due else due.explanation,
                notice_number=number,
            )
        )
        people = people or Directory()
        messages.append(
            Message(
                recipient_ids=_department_people(people, case["department_id"], case["handler_id"]),
                case_id=entry.case_id,
                kind="supervision_opened",
                params={"number": case["number"], "due": (reply_due or due.due).isoformat(), "notice": number},
            )
        )
    Document.objects.bulk_create(documents)
    Matter.objects.bulk_create(matters)
    notify_bulk(messages)


# --- 催办通知书 and 通报 -----------------------------------------------------------------------------------


def _document_candidates(today: date, urge: tuple[int, bool], criticism: tuple[int, bool]) -> list[dict]:
    """One statement: the chased deadlines owed an urging notice or a notice of criticism (a bound by
    calendar days; working days are checked after, on the few rows found)."""
    documents, escalations = Document._meta.db_table, Escalation._meta.db_table
    selects, params = [], []
    for chased in chased_deadlines():
        due, clock = chased.due, chased.clock
        # Only our own table names and constants are formatted in; values are parameters.
        selects.append(
            f"SELECT 'urge', c.id, c.number, c.state, {due}, {clock}, c.department_id, c.handler_id, NULL "  # noqa: S608
            f"FROM {Case._meta.db_table} c {chased.join} WHERE {chased.runs} AND c.department_id IS NOT NULL "
            f"AND {due} <= %s AND NOT EXISTS (SELECT 1 FROM {documents} d WHERE d.case_id = c.id "
            f"AND d.kind = '{DocumentKind.URGE}' AND d.clock = {clock} AND d.deadline = {due}) "
            # Past its 督办单 a deadline is no longer urged (a deadline long past when this began).
            f"AND NOT EXISTS (SELECT 1 FROM {escalations} e WHERE e.case_id = c.id AND e.clock = {clock} "
            f"AND e.deadline = {due} AND e.notice_number <> '')"
        )
        params.append(today - timedelta(days=urge[0]))
        selects.append(
            f"SELECT 'criticism', c.id, c.number, c.state, {due}, {clock}, c.department_id, c.handler_id, "  # noqa: S608
            f"n.issued_on FROM {Case._meta.db_table} c {chased.join} JOIN {documents} n ON n.case_id = c.id "
            f"AND n.kind = '{DocumentKind.NOTICE}' AND n.clock = {clock} AND n.deadline = {due} "
            f"WHERE {chased.runs} AND n.department_id = c.department_id AND n.issued_on <= %s "
            f"AND NOT EXISTS (SELECT 1 FROM {documents} d WHERE d.case_id = c.id "
            f"AND d.kind = '{DocumentKind.CRITICISM}' AND d.clock = {clock} AND d.deadline = {due})"
        )
        params.append(today - timedelta(days=criticism[0]))
    names = ["kind", "pk", "number", "state", "deadline", "clock", "department_id", "handler_id", "notice_on"]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:  # SQLite hands back dates as text
        for key in ("deadline", "notice_on"):
            if isinstance(row[key], str):
                row[key] = date.fromisoformat(row[key])
    return rows


def _issue_documents(today: date, rules: dict, found: list[dict]) -> int:
    urge, criticism = rules[ClockRule.Key.URGE_AFTER_DEADLINE], rules[ClockRule.Key.CRITICISM_AFTER_NOTICE]
    calendar = WorkingCalendar.load()
    due = [
        row
        for row in {(row["pk"], row["kind"], row["clock"], row["deadline"]): row for row in found}.values()
        if (row["kind"] == "urge" and _after(row["deadline"], *urge, calendar) <= today)
        or (row["kind"] == "criticism" and _after(row["notice_on"], *criticism, calendar) <= today)
    ]
    if not due:
        return 0
    due.sort(key=lambda row: (row["deadline"], row["pk"], row["kind"]))  # numbers in deadline order
    # A case a user is changing right now is left to the next run.
    lock = " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    with transaction.atomic():
        with connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(due))
            cursor.execute(
                f"SELECT id FROM {Case._meta.db_table} WHERE id IN ({marks}){lock}",  # noqa: S608
                [row["pk"] for row in due],
            )
            claimed = {row[0] for row in cursor.fetchall()}
        due = [row for row in due if row["pk"] in claimed]
        # Recheck under the locks: what another run recorded meanwhile is not issued again.
        done = set(
            Document.objects.filter(
                case_id__in=claimed, kind__in=[DocumentKind.URGE, DocumentKind.CRITICISM]
            ).values_list("case_id", "kind", "clock", "deadline")
        )
        due = [row for row in due if (row["pk"], row["kind"], row["clock"], row["deadline"]) not in done]
        if not due:
            return 0
        people = Directory()
        numbers = {
            kind: iter(
                notice_numbers(today.year, sum(1 for row in due if row["kind"] == kind), prefix=NUMBER_PREFIX[kind])
            )
            for kind in (DocumentKind.URGE, DocumentKind.CRITICISM)
        }
        now = timezone.now()
        documents, logs, messages = [], [], []
        for row in due:
            kind = DocumentKind(row["kind"])
            number = next(numbers[kind])
            documents.append(
                Document(
                    kind=kind,
                    number=number,
                    case_id=row["pk"],
                    department_id=row["department_id"],
                    clock=row["clock"],
                    deadline=row["deadline"],
                    issued_at=now,
                    issued_on=today,
                )
            )
            recipients = _department_people(people, row["department_id"], row["handler_id"])
            if kind == DocumentKind.CRITICISM:
                recipients = list(dict.fromkeys(people.heads.get(row["department_id"], []) + people.supervisors))
            days = (today - row["deadline"]).days
            params = {"number": row["number"], "notice": number, "due": row["deadline"].isoformat(), "days": days}
            messages.append(
                Message(recipient_ids=recipients, case_id=row["pk"], kind=f"supervision_{kind}", params=params)
            )
            data = {"document": number, "clock": row["clock"], "deadline": row["deadline"].isoformat()}
            logs.append(LogEntry(case_id=row["pk"], action=f"supervision_{kind}", state=row["state"], data=data))
        Document.objects.bulk_create(documents)
        case_log_many(logs, at=now)
        notify_bulk(messages)
    return len(documents)


# --- The reply due date of a matter -----------------------------------------------------------------------


def _chase_candidates(today: date) -> list[int]:
    """The open matters owed a reminder (within the ladder's reminder window) or an overdue notice."""
    window = DueSoonWindow.days()
    soon = Q(reply_due__lte=today + timedelta(days=window), reply_due__gt=today, reminded_at__isnull=True)
    late = Q(reply_due__lt=today, overdue_notified_at__isnull=True)
    return list(Matter.objects.filter(soon | late, status=Matter.Status.OPEN).values_list("pk", flat=True))


def _chase_replies(today: date, ids: list[int]) -> int:
    """A reminder `window` days before an open matter's reply date, and a notice the day after it: each
    once, marked in the transaction that sends it."""
    if not ids:
        return 0
    window = DueSoonWindow.days()
    sent = 0
    with transaction.atomic():
        matters = list(
            Matter.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=ids, status=Matter.Status.OPEN)
            .select_related("case")
            .order_by("pk")
        )
        people = Directory()
        now = timezone.now()
        messages, logs, reminded, overdue = [], [], [], []
        for matter in matters:
            case = matter.case
            params = {"number": case.number, "due": matter.reply_due.isoformat()}
            if matter.reply_due < today and matter.overdue_notified_at is None:
                office = [matter.supervisor_id] if matter.supervisor_id else people.supervisors
                recipients = list(dict.fromkeys(people.heads.get(matter.department_id, []) + office))
                messages.append(Message(recipients, case.pk, "supervision_reply_overdue", params))
                logs.append(LogEntry(case.pk, "supervision_reply_overdue", case.state, data={"matter": matter.pk}))
                overdue.append(matter.pk)
            elif today < matter.reply_due <= today + timedelta(days=window) and matter.reminded_at is None:
                handler = case.handler_id if case.department_id == matter.department_id else None
                recipients = _department_people(people, matter.department_id, handler)
                messages.append(Message(recipients, case.pk, "supervision_reply_due_soon", params))
                reminded.append(matter.pk)
        Matter.objects.filter(pk__in=reminded).update(reminded_at=now)
        Matter.objects.filter(pk__in=overdue).update(overdue_notified_at=now)
        case_log_many(logs, at=now)
        notify_bulk(messages)
        sent = len(messages)
    return sent


def supervision_sweep() -> SweepResult:
    """Issue what is due (催办通知书, 通报) and chase the matters' reply dates. Safe to repeat.

    An idle run costs three statements (the clocks, the documents owed, the matters owed) and takes no lock.
    """
    today = timezone.localdate()
    rules = clock_rules()
    found = _document_candidates(
        today, rules[ClockRule.Key.URGE_AFTER_DEADLINE], rules[ClockRule.Key.CRITICISM_AFTER_NOTICE]
    )
    chased = _chase_candidates(today)
    if not found and not chased:
        return SweepResult()
    with single_run("supervision-sweep") as acquired:
        if not acquired:
            return SweepResult(skipped=True)
        documents = _issue_documents(today, rules, found) if found else 0
        reminders = _chase_replies(today, chased)
    return SweepResult(documents=documents, reminders=reminders)

"""The overdue sweep and the scheduled auto-close.

The sweep (every ESCALATION_SWEEP_SECONDS, from Celery beat):
1. finds, with one indexed set-based query, the open cases for which some rung of the ladder is due and
   not yet recorded for the current deadline (escalation.ladder.Pending); with none, that is all;
2. takes a lock so that runs never overlap (petitions.db.locks.single_run), and claims the cases in batches
   with SELECT … FOR UPDATE SKIP LOCKED (a case a user is changing right now is left to the next run);
3. in each batch's transaction records each escalation, writes the case log rows and the notifications,
   and takes supervision notice numbers; e-mail copies are handed to the worker after the commit.
A repeated run finds nothing left; a run killed mid-batch leaves no trace of that batch, and the next
run does it. The number of statements grows with the number of batches, never with the number of cases.
"""

import logging
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from escalation.ladder import Pending, active_rules, rule_due
from escalation.models import Escalation, EscalationRule, NoticeSequence
from petitions.clocks.date_windows import EARLIEST_RECORD_DATE
from petitions.clocks.deadlines import add_working_days
from petitions.clocks.workdays import WorkingCalendar
from petitions.db.bulk_insert import insert_many
from petitions.db.locks import single_run
from petitions.extensions import LiaisonDirectory, liaison_directory
from petitions.models import Case, Role, State, User
from petitions.services import lifecycle
from petitions.services.case_log import LogEntry, case_log_many
from petitions.services.notifications import Message, notify_bulk

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepResult:
    skipped: bool = False  # another sweep held the lock
    escalations: int = 0
    notifications: int = 0
    batches: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


class Directory:
    """Who holds each role, loaded once per sweep (three queries, and the leaders' liaison units where an
    app provides them) and only if there is work."""

    def __init__(self) -> None:
        active = User.objects.filter(is_active=True)
        self.supervisors = list(
            active.filter(groups__name=Role.SUPERVISOR).order_by("pk").values_list("pk", flat=True).distinct()
        )
        self.leaders = list(
            active.filter(groups__name=Role.LEADER).order_by("pk").values_list("pk", flat=True).distinct()
        )
        self.heads: dict[int, list[int]] = defaultdict(list)
        for department_id, pk in (
            active.filter(groups__name=Role.DEPARTMENT_HEAD, department__isnull=False)
            .order_by("pk")
            .values_list("department_id", "pk")
            .distinct()
        ):
            self.heads[department_id].append(pk)
        self.liaison: LiaisonDirectory | None = liaison_directory()

    def _leaders_for(self, case: dict) -> list[int]:
        """The top rung: the case's owning leader; else the leaders linked to its department or region (定点联系);
        else every leader."""
        owner = case["owning_leader_id"]
        if owner in self.leaders:
            return [owner]
        if self.liaison is not None:
            linked = self.liaison.leaders_for(department_id=case["department_id"], region_id=case.get("region_id"))
            linked = [pk for pk in linked if pk in self.leaders]
            if linked:
                return linked
        return self.leaders

    def recipients(self, rule: EscalationRule, case: dict) -> list[int]:
        department = case["department_id"]
        office = self.supervisors  # before routing, the office itself answers for the case
        heads = self.heads.get(department, []) if department else office
        found: list[int] = []
        if rule.notify_handler:
            found += [case["handler_id"]] if case["handler_id"] and case["handler_is_active"] else heads
        if rule.notify_department_head:
            found += heads
        if rule.notify_supervisors:
            found += self.supervisors
        if rule.notify_leaders:
            found += self._leaders_for(case)
        # Nobody in the role (a department without a head): the supervisors, so that nothing is missed.
        return list(dict.fromkeys(found or self.supervisors))


def escalation_sweep(*, batch_size: int | None = None, exclusive: bool = True) -> SweepResult:
    """Fire every rung that is due, once per case, clock, level and deadline.

    An idle run costs two statements (the ladder, the pending cases) and takes no lock. With work it
    takes the lock, so that runs never overlap; `exclusive=False` skips the lock, and the claims alone
    still keep concurrent runs from doing anything twice (the tests show it), the lock only saves work.
    """
    batch_size = batch_size or settings.ESCALATION_BATCH_SIZE
    today = timezone.localdate()
    rules = active_rules()
    if not rules:
        return SweepResult()
    pending = Pending(rules, today)
    if not pending.ids():
        return SweepResult()
    if not exclusive:
        return _sweep(pending, rules, today, batch_size)
    with single_run("escalation-sweep") as acquired:
        if not acquired:
            return SweepResult(skipped=True)
        return _sweep(pending, rules, today, batch_size)


def _sweep(pending: Pending, rules: list[EscalationRule], today: date, batch_size: int) -> SweepResult:
    # One indexed set-based query finds the work; each batch then claims its share by primary key,
    # re-checking the conditions under FOR UPDATE SKIP LOCKED (a case a user is changing right now, or
    # one another run has taken, is skipped: the next run gets it).
    found = pending.ids()
    context = _SweepContext(today)
    totals = {"escalations": 0, "notifications": 0, "batches": 0}
    for start in range(0, len(found), batch_size):
        # Each batch's claim, escalations, log and notifications commit together. Not durable: the demo
        # data replays its months of history, sweeps included, inside the one transaction of its load.
        with transaction.atomic():
            claimed = pending.claim(found[start : start + batch_size])
            escalations, notifications = _escalate_batch(claimed, rules, context) if claimed else (0, 0)
        totals["batches"] += 1
        totals["escalations"] += escalations
        totals["notifications"] += notifications
    return SweepResult(**totals)


class _SweepContext:
    """What a sweep loads once, and only when it has work: the role holders and the calendar."""

    def __init__(self, today: date) -> None:
        self.today = today
        self._directory: Directory | None = None
        self._calendar: WorkingCalendar | None = None

    @property
    def directory(self) -> Directory:
        if self._directory is None:
            self._directory = Directory()
        return self._directory

    def reply_due(self, rule: EscalationRule) -> date | None:
        if not rule.reply_within_working_days:
            return None
        if self._calendar is None:
            self._calendar = WorkingCalendar.load()
        return add_working_days(self.today, rule.reply_within_working_days, calendar=self._calendar)


def _escalate_batch(claimed: list[dict], rules: list[EscalationRule], context: _SweepContext) -> tuple[int, int]:
    today = context.today
    # Recheck under the row locks: a concurrent run that held one of these rows has committed by now,
    # and this statement sees what it recorded.
    recorded = set(
        Escalation.objects.filter(case_id__in=[case["pk"] for case in claimed]).values_list(
            "case_id", "clock", "level", "deadline", "part_id"
        )
    )
    due: list[tuple[dict, EscalationRule]] = []
    for case in claimed:
        if case["due_date"] < EARLIEST_RECORD_DATE:
            # No deadline of ours lies there: the row was written behind the services' back. It is still
            # an open case past its deadline, so it is escalated like the others, and someone is told.
            logger.warning(
                "Case %s has an impossible deadline (%s); escalated all the same.", case["number"], case["due_date"]
            )
        for rule in rules:
            key = (case["pk"], case["chased_clock"], rule.level, case["due_date"], case["part_id"])
            if key not in recorded and rule_due(rule, case["due_date"], today):
                due.append((case, rule))
    if not due:
        return 0, 0
    numbers = iter(_notice_numbers(today.year, sum(1 for _, rule in due if rule.issues_supervision_notice)))
    now = timezone.now()
    escalations, logs, messages = [], [], []
    for case, rule in due:
        recipients = context.directory.recipients(rule, case)
        days = (today - case["due_date"]).days
        notice = next(numbers) if rule.issues_supervision_notice else ""
        reply_due = context.reply_due(rule) if notice else None
        clock = case["chased_clock"]
        escalations.append(
            (case["pk"], clock, rule.level, case["due_date"], days, now, recipients, notice, reply_due, case["part_id"])
        )
        kind, action = _kind_and_action(rule)
        if case["part_id"] is not None and kind != "supervision_notice":
            kind = f"part_{kind}"  # the co-department is told of its part, not of the case's own deadline
        params = {"number": case["number"], "due": case["due_date"].isoformat(), "days": abs(days), "level": rule.level}
        if notice:
            params["notice"] = notice
        messages.append(Message(recipient_ids=recipients, case_id=case["pk"], kind=kind, params=params))
        data = {
            "level": rule.level,
            "clock": clock,
            "deadline": case["due_date"].isoformat(),
            "notice": notice,
            "recipients": len(recipients),
        }
        if case["part_id"] is not None:
            data.update(part=case["part_id"], department=case["department_id"])
        logs.append(LogEntry(case_id=case["pk"], action=action, state=case["state"], data=data))
    insert_many(Escalation, ESCALATION_FIELDS, escalations)
    case_log_many(logs, at=now)
    notifications = notify_bulk(messages)
    return len(escalations), len(notifications)


ESCALATION_FIELDS = [
    "case_id",
    "clock",
    "level",
    "deadline",
    "days_from_deadline",
    "created_at",
    "recipients",
    "notice_number",
    "reply_due",
    "part_id",
]


def _kind_and_action(rule: EscalationRule) -> tuple[str, str]:
    if rule.days_from_deadline < 0:
        return "deadline_due_soon", "remind_due_soon"
    if rule.issues_supervision_notice:
        return "supervision_notice", "supervision_notice"
    if rule.days_from_deadline == 0:
        return "deadline_reached", "escalate"
    return "deadline_overdue", "escalate"


def _notice_numbers(year: int, count: int) -> list[str]:
    """`count` consecutive supervision notice numbers of `year`, taken in one statement."""
    return notice_numbers(year, count)


def notice_numbers(year: int, count: int, *, prefix: str = "DB") -> list[str]:
    """`count` consecutive numbers of `year` for the office's supervision documents (督办单 DB…, and the
    supervision app's 催办通知书 CB… and 通报 TB…): one yearly sequence, taken in one statement."""
    if count == 0:
        return []
    table = NoticeSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last) VALUES (%s, %s) "  # noqa: S608 - table name from our own model
            f"ON CONFLICT (year) DO UPDATE SET last = {table}.last + EXCLUDED.last RETURNING last",
            [year, count],
        )
        last = cursor.fetchone()[0]
    return [f"{prefix}{year}-{n:06d}" for n in range(last - count + 1, last + 1)]


# --- Auto-close ----------------------------------------------------------------------------------


def auto_close_due_cases() -> int:
    """Close every handled case whose review window has passed with no review requested (T22 35).

    Candidates come from one indexed query; each is closed by petitions' own service, which locks it,
    checks again and logs the closing as done by the system. Returns how many were closed.
    """
    with single_run("auto-close") as acquired:
        if not acquired:
            return 0
        today = timezone.localdate()
        candidates = list(
            Case.objects.filter(state=State.HANDLED, review_request_due__lt=today)
            .order_by("review_request_due", "pk")
            .values_list("pk", flat=True)
        )
        return sum(1 for pk in candidates if lifecycle.case_auto_close(case_id=pk) is not None)

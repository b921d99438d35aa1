"""Every write of the register, the topics and the meetings: atomic, checked by the policies, logged."""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from petitions.clocks.workdays import WorkingCalendar
from petitions.models import Case, Category, Closure, Department, Region, User
from petitions.selectors.scopes import visible_cases
from screening import policies
from screening.errors import ScreeningError, StaleRecord
from screening.models import (
    Campaign,
    Decision,
    DecisionNote,
    DecisionStatus,
    Entry,
    EntryCase,
    EntryLog,
    IssueKind,
    Meeting,
    MeetingItem,
    Topic,
    TopicCase,
)


def _check(allowed: bool, message) -> None:
    if not allowed:
        raise ScreeningError(message)


def working_deadline(day: date) -> date:
    """A deadline on a rest day moves to the next working day (as the statutory ones do)."""
    return WorkingCalendar.load().next_working_day(day)


# --- The register -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryData:
    found_on: date
    region: Region
    kind: IssueKind
    title: str
    risk: str
    department: Department
    deadline: date
    description: str = ""
    organisations: str = ""
    households: int | None = None
    amount: Decimal | None = None
    leader: User | None = None
    plan: str = ""
    campaign: Campaign | None = None


def entry_create(*, actor: User, data: EntryData) -> Entry:
    _check(policies.may_manage(actor), _("Only the office keeps the screening register."))
    if data.leader is not None:
        _check(policies.is_leader(data.leader), _("%(name)s is not a leader.") % {"name": data.leader})
    deadline = working_deadline(data.deadline)
    _check(deadline >= data.found_on, _("The deadline cannot be before the day the issue was found."))
    with transaction.atomic():
        entry = Entry.objects.create(
            **{field: getattr(data, field) for field in EntryData.__dataclass_fields__ if field != "deadline"},
            deadline=deadline,
            created_by=actor,
        )
        note = (
            ""
            if deadline == data.deadline
            else str(_("%(asked)s is a rest day: moved to %(due)s."))
            % {
                "asked": data.deadline.isoformat(),
                "due": deadline.isoformat(),
            }
        )
        EntryLog.objects.create(
            entry=entry, action=EntryLog.Action.CREATE, target_status=entry.status, actor=actor, note=note
        )
    return entry


@contextmanager
def _locked_entry(entry_id: int, version: int | None):
    with transaction.atomic():
        entry = Entry.objects.select_for_update().filter(pk=entry_id).first()
        if entry is None:
            raise ScreeningError(_("No such register entry."))
        if version is not None and entry.version != version:
            raise StaleRecord(_("Someone else changed this entry since you opened it: nothing was saved. Look again."))
        yield entry


TRANSITION_ACTIONS = {
    "start": EntryLog.Action.START,
    "resolve": EntryLog.Action.RESOLVE,
    "reopen": EntryLog.Action.REOPEN,
    "close": EntryLog.Action.CLOSE,
}


def entry_transition(*, entry_id: int, actor: User, action: str, version: int | None, note: str = "") -> Entry:
    """Move an entry along found → being resolved → resolved → closed; the move is logged with it."""
    _check(action in TRANSITION_ACTIONS, _("Unknown step."))
    with _locked_entry(entry_id, version) as entry:
        _check(policies.can_view_entry(actor, entry), _("No such register entry."))
        _check(policies.may_transition_entry(entry, actor, action), _("You may not take this step on this entry."))
        method = getattr(entry, action)
        _check(can_proceed(method), _("This step is not possible in the entry's present status."))
        source = entry.status
        if action == "resolve":
            method(on=timezone.localdate())
        elif action == "close":
            method(at=timezone.now())
        else:
            method()
        entry.version += 1
        entry.save(update_fields=["status", "version", "resolved_on", "closed_at"])
        EntryLog.objects.create(
            entry=entry,
            action=TRANSITION_ACTIONS[action],
            source_status=source,
            target_status=entry.status,
            actor=actor,
            note=note.strip(),
        )
    return entry


def entry_add_note(*, entry_id: int, actor: User, note: str) -> EntryLog:
    """A progress note: appended, never changed."""
    note = note.strip()
    _check(bool(note), _("The note is empty."))
    with _locked_entry(entry_id, None) as entry:
        _check(policies.can_view_entry(actor, entry), _("No such register entry."))
        _check(policies.may_note_entry(entry, actor), _("You may not add notes to this entry."))
        return EntryLog.objects.create(
            entry=entry,
            action=EntryLog.Action.NOTE,
            source_status=entry.status,
            target_status=entry.status,
            actor=actor,
            note=note,
        )


def _visible_case(actor: User, number: str) -> Case:
    case = visible_cases(actor).filter(number=number.strip().upper()).only("pk", "number").first()
    _check(case is not None, _("No case with that number that you may open."))
    return case


def entry_link_case(*, entry_id: int, actor: User, number: str) -> EntryCase:
    with _locked_entry(entry_id, None) as entry:
        _check(policies.may_manage(actor), _("Only the office links cases to the register."))
        case = _visible_case(actor, number)
        link, created = EntryCase.objects.get_or_create(entry=entry, case=case)
        _check(created, _("That case is already linked."))
        EntryLog.objects.create(
            entry=entry,
            action=EntryLog.Action.LINK,
            source_status=entry.status,
            target_status=entry.status,
            actor=actor,
            case=case,
        )
    return link


def campaign_create(*, actor: User, name: str, starts_on: date, ends_on: date, scope: str = "") -> Campaign:
    _check(policies.may_manage(actor), _("Only the office runs screening campaigns."))
    _check(ends_on >= starts_on, _("A campaign ends on or after the day it starts."))
    return Campaign.objects.create(name=name, starts_on=starts_on, ends_on=ends_on, scope=scope, created_by=actor)


# --- Hot topics ----------------------------------------------------------------------------------------


def _cluster_cases(category_id: int, region_id: int, start: date, end: date):
    from screening.selectors import period_bounds

    since, until = period_bounds(start, end)
    return Case.objects.filter(
        category_id=category_id, region_id=region_id, received_at__gte=since, received_at__lt=until
    ).exclude(closure=Closure.VOID)


def topic_promote(
    *,
    actor: User,
    category: Category,
    region: Region,
    start: date,
    end: date,
    department: Department,
    title: str,
    plan: str = "",
) -> Topic:
    """Take a suggested cluster up as a topic: the cluster's cases are linked in one statement."""
    _check(policies.may_manage(actor), _("Only the office promotes clusters to topics."))
    _check(end >= start, _("The period ends on or after the day it starts."))
    _check(bool(title.strip()), _("Give the topic a title."))
    cases = _cluster_cases(category.pk, region.pk, start, end)
    with transaction.atomic():
        _check(
            not Topic.objects.filter(category=category, region=region, period_start=start, period_end=end).exists(),
            _("This cluster is already a topic."),
        )
        counts = cases.aggregate(cases=Count("id"), repeats=Count("id", filter=Q(is_repeat=True)))
        _check(counts["cases"] > 0, _("The cluster has no cases in that period."))
        topic = Topic.objects.create(
            title=title.strip(),
            category=category,
            region=region,
            period_start=start,
            period_end=end,
            department=department,
            plan=plan,
            case_count=counts["cases"],
            repeat_count=counts["repeats"],
            created_by=actor,
        )
        select_sql, params = cases.values_list("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            # INSERT … SELECT: one statement however many cases; the SELECT is the ORM's own.
            cursor.execute(
                f"INSERT INTO {TopicCase._meta.db_table} (topic_id, case_id) SELECT %s, c.* FROM ({select_sql}) c",  # noqa: S608
                [topic.pk, *params],
            )
    return topic


def topic_update(
    *, topic_id: int, actor: User, version: int | None, plan: str, recommendation: str, adopted: bool | None
) -> Topic:
    with transaction.atomic():
        topic = Topic.objects.select_for_update().filter(pk=topic_id).first()
        _check(topic is not None, _("No such topic."))
        _check(policies.may_manage(actor), _("Only the office records a topic's recommendation."))
        if version is not None and topic.version != version:
            raise StaleRecord(_("Someone else changed this topic since you opened it: nothing was saved. Look again."))
        topic.plan, topic.recommendation, topic.adopted = plan, recommendation, adopted
        topic.version += 1
        topic.save(update_fields=["plan", "recommendation", "adopted", "version"])
    return topic


# --- Joint meetings --------------------------------------------------------------------------------------


def meeting_create(
    *, actor: User, title: str, held_on: date, convener: User, units: list[Department], minutes: str = ""
) -> Meeting:
    _check(policies.may_manage(actor), _("Only the office records joint meetings."))
    with transaction.atomic():
        meeting = Meeting.objects.create(
            title=title, held_on=held_on, convener=convener, minutes=minutes, created_by=actor
        )
        meeting.units.set(units)
    return meeting


def meeting_update_minutes(*, meeting_id: int, actor: User, version: int | None, minutes: str) -> Meeting:
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
        _check(meeting is not None, _("No such meeting."))
        _check(policies.may_manage(actor), _("Only the office records joint meetings."))
        if version is not None and meeting.version != version:
            raise StaleRecord(
                _("Someone else changed the minutes since you opened them: nothing was saved. Look again.")
            )
        meeting.minutes = minutes
        meeting.version += 1
        meeting.save(update_fields=["minutes", "version"])
    return meeting


def meeting_refer(
    *, meeting_id: int, actor: User, case_number: str = "", topic: Topic | None = None, entry: Entry | None = None
) -> MeetingItem:
    """Refer a case, a topic or a register entry to a meeting (exactly one)."""
    _check(policies.may_manage(actor), _("Only the office refers matters to joint meetings."))
    given = [bool(case_number.strip()), topic is not None, entry is not None]
    _check(sum(given) == 1, _("Refer one matter at a time: a case number, a topic or a register entry."))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
        _check(meeting is not None, _("No such meeting."))
        case = _visible_case(actor, case_number) if case_number.strip() else None
        _check(
            not MeetingItem.objects.filter(meeting=meeting)
            .filter(Q(case=case) if case else Q(topic=topic) if topic else Q(entry=entry))
            .exists(),
            _("That matter is already referred to this meeting."),
        )
        return MeetingItem.objects.create(meeting=meeting, case=case, topic=topic, entry=entry)


def decision_add(*, meeting_id: int, actor: User, text: str, department: Department, deadline: date) -> Decision:
    _check(policies.may_manage(actor), _("Only the office records a meeting's decisions."))
    _check(bool(text.strip()), _("The decision is empty."))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
        _check(meeting is not None, _("No such meeting."))
        due = working_deadline(deadline)
        _check(due >= meeting.held_on, _("The deadline cannot be before the meeting."))
        decision = Decision.objects.create(meeting=meeting, text=text.strip(), department=department, deadline=due)
        DecisionNote.objects.create(decision=decision, status=decision.status, actor=actor)
    return decision


def decision_follow_up(*, decision_id: int, actor: User, version: int | None, status: str, note: str = "") -> Decision:
    """Record how far a decision got: its status and a note, appended to its follow-through."""
    _check(status in DecisionStatus.values, _("Unknown status."))
    with transaction.atomic():
        decision = Decision.objects.select_for_update().filter(pk=decision_id).first()
        _check(decision is not None and policies.can_view_decision(actor, decision), _("No such decision."))
        _check(policies.may_follow_up_decision(decision, actor), _("You may not record progress on this decision."))
        if version is not None and decision.version != version:
            raise StaleRecord(
                _("Someone else changed this decision since you opened it: nothing was saved. Look again.")
            )
        _check(status != decision.status or bool(note.strip()), _("Change the status or write a note."))
        if status != DecisionStatus.DONE:
            decision.done_on = None
        elif decision.status != DecisionStatus.DONE:
            decision.done_on = timezone.localdate()
        decision.status = status
        decision.version += 1
        decision.save(update_fields=["status", "done_on", "version"])
        DecisionNote.objects.create(decision=decision, status=status, note=note.strip(), actor=actor)
    return decision

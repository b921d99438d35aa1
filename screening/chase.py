"""Chasing the deadlines that are not a case's: register entries' resolution dates and meeting decisions.

A small generic chase, kept apart from the case ladder (escalation/), whose records are per case. Two
rungs: *due soon* (the ladder's reminder window, `petitions.extensions.due_soon_window`, so one rule row
sets it for cases and for these alike) and *overdue* (from the day after the deadline). Each reminder is a
`ChaseRecord`, unique per (subject, id, rung, deadline), written in the transaction that sends it: a
repeated or concurrent run sends nothing twice; a moved deadline is chased again.

`Subject` describes one kind of chased deadline; branch `returns` may have its own for unit returns — the
two fold into one list of subjects at merge.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from petitions.extensions import due_soon_window
from petitions.models import Role, User
from petitions.services.notifications import notify
from screening.models import OPEN_STATUSES, Chased, ChaseRecord, Decision, DecisionStatus, Entry, Rung


@dataclass(frozen=True)
class Subject:
    """A kind of deadline: the open rows with their `deadline`, who answers for one, and its text's params."""

    kind: str
    open_rows: Callable[[], QuerySet]
    recipients: Callable[[object], Iterable[User]]
    params: Callable[[object], dict]


def _unit_heads(department_id: int) -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=Role.DEPARTMENT_HEAD, department_id=department_id)


def _entry_recipients(entry: Entry) -> list[User]:
    return [*_unit_heads(entry.department_id), *([entry.leader] if entry.leader_id else [])]


def _decision_recipients(decision: Decision) -> list[User]:
    return list(_unit_heads(decision.department_id))


SUBJECTS = [
    Subject(
        Chased.ENTRY,
        lambda: Entry.objects.filter(status__in=OPEN_STATUSES).select_related("leader"),
        _entry_recipients,
        lambda entry: {"title": entry.title, "due": entry.deadline.isoformat(), "id": entry.pk},
    ),
    Subject(
        Chased.DECISION,
        lambda: Decision.objects.exclude(status=DecisionStatus.DONE).select_related("meeting"),
        _decision_recipients,
        lambda decision: {
            "title": decision.text[:80],
            "meeting": decision.meeting.title,
            "due": decision.deadline.isoformat(),
            "id": decision.meeting_id,
        },
    ),
]

KINDS = {
    (Chased.ENTRY, Rung.DUE_SOON): "screening_entry_due_soon",
    (Chased.ENTRY, Rung.OVERDUE): "screening_entry_overdue",
    (Chased.DECISION, Rung.DUE_SOON): "screening_decision_due_soon",
    (Chased.DECISION, Rung.OVERDUE): "screening_decision_overdue",
}


def chase_deadlines(today: date | None = None, subjects: list[Subject] | None = None) -> int:
    """Send each due reminder once; returns how many were sent. Safe to repeat (the daily job, beat)."""
    today = today or timezone.localdate()
    window = due_soon_window() or 0
    sent = 0
    for subject in subjects or SUBJECTS:
        due_by = Q(deadline__lt=today)
        if window:
            due_by |= Q(deadline__gte=today, deadline__lte=today + timedelta(days=window))
        done = set(
            ChaseRecord.objects.filter(subject=subject.kind, deadline__lte=today + timedelta(days=window)).values_list(
                "subject_id", "rung", "deadline"
            )
        )
        for row in subject.open_rows().filter(due_by).order_by("deadline", "pk"):
            rung = Rung.OVERDUE if row.deadline < today else Rung.DUE_SOON
            if (row.pk, rung, row.deadline) in done:
                continue
            sent += _send(subject, row, rung)
    return sent


def _send(subject: Subject, row, rung: str) -> int:
    recipients = {user.pk: user for user in subject.recipients(row) if user is not None and user.is_active}
    try:
        with transaction.atomic():
            ChaseRecord.objects.create(
                subject=subject.kind, subject_id=row.pk, rung=rung, deadline=row.deadline, recipients=sorted(recipients)
            )
            notify(users=recipients.values(), case=None, kind=KINDS[(subject.kind, rung)], params=subject.params(row))
    except IntegrityError:  # a concurrent run sent it first
        return 0
    return 1

"""The statutory clocks: the one place where a case's deadlines are computed.

Transitions call `deadline_for` and `extend_deadline`; nothing else does date arithmetic on deadlines.
Counting (DESIGN.md "Deadlines"): day 1 is the day after the start.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Clock(models.TextChoices):
    ACCEPT = "accept", _("Register, route and decide acceptance")  # T22 22, 23
    OBJECTION = "objection", _("Department may object that the case is not theirs")  # T22 23
    HANDLING = "handling", _("Handle to completion")  # T22 34
    EXTENSION = "extension", _("Extension of handling")  # T22 34
    REVIEW_REQUEST = "review_request", _("Petitioner may request a review")  # T22 35
    REVIEW_ANSWER = "review_answer", _("Answer a review request")  # T22 35


# Defaults from the regulation: (length, counted in working days).
DEFAULT_RULES: dict[str, tuple[int, bool]] = {
    Clock.ACCEPT: (15, False),
    Clock.OBJECTION: (5, True),
    Clock.HANDLING: (60, False),
    Clock.EXTENSION: (30, False),
    Clock.REVIEW_REQUEST: (30, False),
    Clock.REVIEW_ANSWER: (30, False),
}


@dataclass(frozen=True)
class Deadline:
    due: date
    explanation: str


def deadline_for(clock: str, start: date) -> Deadline:
    """The deadline of `clock` started on `start`, with how it was computed."""
    days, working = DEFAULT_RULES[clock]
    if working:
        due = _add_working_days(start, days)
        explanation = gettext("%(start)s + %(days)d working days = %(due)s") % {
            "start": start.isoformat(),
            "days": days,
            "due": due.isoformat(),
        }
    else:
        due = start + timedelta(days=days)
        explanation = gettext("%(start)s + %(days)d days = %(due)s") % {
            "start": start.isoformat(),
            "days": days,
            "due": due.isoformat(),
        }
    return Deadline(due=due, explanation=explanation)


def extend_deadline(due: date, days: int) -> Deadline:
    """The handling deadline moved by an approved extension of `days` calendar days."""
    new_due = due + timedelta(days=days)
    explanation = gettext("%(start)s + %(days)d days of extension = %(due)s") % {
        "start": due.isoformat(),
        "days": days,
        "due": new_due.isoformat(),
    }
    return Deadline(due=new_due, explanation=explanation)


def _add_working_days(start: date, days: int) -> date:
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


@dataclass(frozen=True)
class CaseDeadline:
    clock: str
    label: str
    due: date
    explanation: str
    met_on: date | None  # when the clock was satisfied; None while it runs
    running: bool  # the office is still answering to this clock

    @property
    def days_left(self) -> int:
        from django.utils import timezone

        return (self.due - timezone.localdate()).days

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


def case_deadlines(case) -> list[CaseDeadline]:
    """Every deadline the case has had, how each was computed, and whether it is still running."""
    from django.utils import timezone

    def local(moment):
        return timezone.localtime(moment).date() if moment else None

    state = case.state
    rows = []
    received = local(case.received_at)
    accept = deadline_for(Clock.ACCEPT, received)
    rows.append(
        CaseDeadline(
            Clock.ACCEPT,
            str(Clock.ACCEPT.label),
            case.accept_due,
            accept.explanation,
            met_on=local(case.assigned_at) or local(case.closed_at),
            running=state == "received",
        )
    )
    assigned = local(case.assigned_at)
    if case.objection_due and assigned:
        objection = deadline_for(Clock.OBJECTION, assigned)
        rows.append(
            CaseDeadline(
                Clock.OBJECTION,
                str(Clock.OBJECTION.label),
                case.objection_due,
                objection.explanation,
                met_on=None,
                running=False,
            )
        )
    if case.handling_due:
        if case.in_review and case.review_requested_at:
            clock = Clock.REVIEW_ANSWER
            explanation = deadline_for(clock, local(case.review_requested_at)).explanation
        else:
            clock = Clock.HANDLING
            explanation = deadline_for(clock, assigned).explanation if assigned else ""
            if case.extension_days:
                base = deadline_for(clock, assigned).due if assigned else case.handling_due
                explanation += "; " + extend_deadline(base, case.extension_days).explanation
        rows.append(
            CaseDeadline(
                clock,
                str(clock.label),
                case.handling_due,
                explanation,
                met_on=local(case.handled_at) if state != "assigned" else None,
                running=state == "assigned",
            )
        )
    if case.review_request_due and case.outcome_delivered_on:
        review = deadline_for(Clock.REVIEW_REQUEST, case.outcome_delivered_on)
        rows.append(
            CaseDeadline(
                Clock.REVIEW_REQUEST,
                str(Clock.REVIEW_REQUEST.label),
                case.review_request_due,
                review.explanation,
                met_on=None,
                running=False,
            )
        )
    return rows

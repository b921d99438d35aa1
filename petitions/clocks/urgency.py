"""Overdue and due soon: the two words every list, tile, board and report uses, defined once.

A case is *overdue* when the deadline the office must meet in its state (`Case.due_date`: deciding
acceptance while received, handling while assigned) lies before the day in question; it is *due soon*
when that deadline is the day itself or within the reminder window of the escalation ladder (the rung
before the deadline; 3 days by default, DESIGN.md). The ladder is escalation's data: escalation tells
petitions the window through `petitions.extensions.register_due_soon_window`.
"""

from datetime import date, timedelta

from django.db.models import Q
from django.utils.translation import ngettext

from petitions.extensions import due_soon_window

DEFAULT_DUE_SOON_DAYS = 3  # without the escalation app, or a ladder without a reminder rung


def due_soon_days() -> int:
    """The reminder window of the ladder, in days."""
    days = due_soon_window()
    return DEFAULT_DUE_SOON_DAYS if days is None else days


def due_soon_label() -> str:
    """ "Due within N days" for the lists, tiles and board, N being the window."""
    days = due_soon_days()
    return ngettext("Due within %(days)d day", "Due within %(days)d days", days) % {"days": days}


def overdue(on: date) -> Q:
    """The cases overdue on `on` (combine with the states that have a due date; Case.due_date is null in the others)."""
    return Q(due_date__lt=on)


def due_soon(on: date, days: int | None = None) -> Q:
    """The cases due on `on` or within the reminder window after it."""
    return Q(due_date__gte=on, due_date__lte=on + timedelta(days=due_soon_days() if days is None else days))


def overdue_by(on: date, *, at_least: int | None = None, at_most: int | None = None) -> Q:
    """The cases overdue on `on` by at least / at most so many days."""
    condition = overdue(on)
    if at_least is not None:
        condition &= Q(due_date__lte=on - timedelta(days=at_least))
    if at_most is not None:
        condition &= Q(due_date__gte=on - timedelta(days=at_most))
    return condition


def days_overdue(due: date, on: date) -> int:
    return max(0, (on - due).days)

"""Writes of returns: a unit's return or zero report for a period, checked against the schedule.

A return is an affirmative act by the unit's responsible person, with who and when; a late one is
accepted and marked late. Nothing is changed when a check fails (ReturnError carries the message).
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from information.models import CONTENT_FIELDS, ReportingUnit, UnitReturn
from information.returns.schedule import Schedule
from petitions.models import User


class ReturnError(Exception):
    """A return was refused; nothing was changed. `message` is fit to show the user."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


def _has_content(content: dict) -> bool:
    return any(value not in (None, "") for value in content.values())


def return_submit(
    *,
    actor: User,
    unit_id: int,
    kind: str,
    period_start: date,
    zero: bool,
    content: dict | None = None,
    today: date | None = None,
) -> UnitReturn:
    """Record `unit_id`'s return (or zero report, `zero=True`) for the period of `kind` from `period_start`."""
    today = today or timezone.localdate()
    content = {key: value for key, value in (content or {}).items() if key in CONTENT_FIELDS}
    for key, value in content.items():
        if isinstance(value, str):
            content[key] = value.strip()
    if zero and _has_content(content):
        raise ReturnError(_("A zero report says there is nothing to report: leave the other fields empty."))
    if not zero and not _has_content(content):
        raise ReturnError(_("Say what was found and done, or send a zero report."))
    try:
        with transaction.atomic():
            # The unit's row is the lock: two submissions for one unit are taken one after the other.
            unit = ReportingUnit.objects.select_for_update().filter(pk=unit_id, is_active=True).order_by("pk").first()
            if unit is None or unit.responsible_id != actor.pk:
                raise ReturnError(_("You do not send the returns of this unit."))
            owed = Schedule([unit], period_start, period_start).period_for(unit, kind, period_start)
            if owed is None:
                raise ReturnError(_("The unit owes no return for this period."))
            if owed.start > today:
                raise ReturnError(_("This period has not begun yet."))
            if UnitReturn.objects.filter(unit=unit, kind=kind, period_start=period_start).exists():
                raise ReturnError(_("This unit has already sent its return for this period."))
            return UnitReturn.objects.create(
                unit=unit,
                kind=kind,
                period_start=owed.start,
                period_end=owed.end,
                due=owed.due,
                special_period_id=owed.special_period_id,
                is_zero=zero,
                submitted_by=actor,
                submitted_at=timezone.now(),
                is_late=today > owed.due,
                **({} if zero else content),
            )
    except IntegrityError as error:  # a concurrent submission won the unique constraint
        raise ReturnError(_("This unit has already sent its return for this period.")) from error

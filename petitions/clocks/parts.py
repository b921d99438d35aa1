"""A co-department's part (协办) of a joint case: due a number of working days after it is given,
never after the case's handling deadline (the lead answers once, on the case's clock)."""

from datetime import date

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from petitions.clocks.workdays import WorkingCalendar

MAX_PART_WORKING_DAYS = 60


def part_due(start: date, working_days: int, *, calendar: WorkingCalendar | None = None) -> date:
    """The `working_days`-th working day after `start` (day 1 is the next working day)."""
    calendar = calendar or WorkingCalendar.load()
    return calendar.add_working_days(start, working_days)[0]


def part_due_error(due: date, *, handling_due: date | None) -> Promise | str | None:
    """Why a part due on `due` does not fit the case's handling clock, or None."""
    if handling_due is None:
        return _("Only a case routed to a lead department can be given co-departments.")
    if due > handling_due:
        return _(
            "The part would be due on %(due)s, after the case's handling deadline (%(handling)s): give fewer days."
        ) % {"due": date_format(due, "SHORT_DATE_FORMAT"), "handling": date_format(handling_due, "SHORT_DATE_FORMAT")}
    return None

"""The dates the portal accepts, in one place. Each rule returns the message to show, or None.

The services enforce these rules (intake, delivery, review, report periods); forms call the same
functions to show the message early, beside the field; lists and admin forms without a service call
them from the form. Outside these windows lie typing slips (0001 for 2025, a year of 20255) that once
reached the database, overflowed the escalation sweep's arithmetic and broke the lists.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# No record of the portal is dated before this: report periods, list filters and calendar days start
# here, as the calendar years do (petitions.models.CalendarYear).
EARLIEST_RECORD_DATE = date(2000, 1, 1)
CLOCK_SKEW = timedelta(minutes=5)  # a workstation's clock a little ahead of the server's
LETTER_MAX_AGE = timedelta(days=366)  # a letter dated over a year before it arrived is a typing slip


def _day(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def latest_record_date(today: date | None = None) -> date:
    """The last day a date may be planned for: 31 December of next year (next year's holidays are
    published in November or December, and reception days are planned ahead)."""
    today = today or timezone.localdate()
    return date(today.year + 1, 12, 31)


def earliest_received(today: date | None = None) -> date:
    """The first day a case may have been received: INTAKE_EARLIEST_RECEIVED, or 1 January of last year."""
    configured = settings.INTAKE_EARLIEST_RECEIVED
    if configured is not None:
        return max(configured, EARLIEST_RECORD_DATE)
    today = today or timezone.localdate()
    return date(today.year - 1, 1, 1)


def received_at_error(received_at: datetime, *, now: datetime | None = None) -> Promise | str | None:
    now = now or timezone.now()
    if received_at > now + CLOCK_SKEW:
        return _("The received time cannot be in the future.")
    earliest = earliest_received(timezone.localdate(now))
    # Compared as moments: an aware datetime of year 1 cannot be moved into another zone.
    if received_at < timezone.make_aware(datetime.combine(earliest, time.min)):
        return _("The received time cannot be before %(date)s.") % {"date": _day(earliest)}
    return None


def letter_date_error(letter_date: date, *, received_on: date) -> Promise | str | None:
    if letter_date > received_on:
        return _("The letter cannot be dated after it was received.")
    if letter_date < received_on - LETTER_MAX_AGE:
        return _("The letter cannot be dated more than a year before it was received.")
    return None


def delivery_date_error(delivered_on: date, *, handled_on: date, today: date) -> Promise | str | None:
    if delivered_on > today:
        return _("The delivery date cannot be in the future.")
    if delivered_on < handled_on:
        return _("The opinion cannot have been delivered before it was written.")
    return None


def review_request_date_error(
    requested_on: date, *, delivered_on: date, request_due: date | None, today: date
) -> Promise | str | None:
    if requested_on > today:
        return _("The request date cannot be in the future.")
    if requested_on < delivered_on:
        return _("The request date cannot be before the opinion was delivered.")
    if request_due is not None and requested_on > request_due:
        return _("The 30 days to request a review ended on %(date)s.") % {"date": _day(request_due)}
    return None


def reception_day_error(day: date, *, today: date | None = None) -> Promise | str | None:
    """A reception day: not before the first day intake accepts, not after next year."""
    today = today or timezone.localdate()
    return _window_error(day, earliest_received(today), latest_record_date(today))


def record_date_error(day: date, *, today: date | None = None) -> Promise | str | None:
    """Any other date the portal is asked about (a report period, a list filter, a calendar day)."""
    return _window_error(day, EARLIEST_RECORD_DATE, latest_record_date(today))


def _window_error(day: date, earliest: date, latest: date) -> Promise | str | None:
    if day < earliest:
        return _("Enter a date on or after %(date)s.") % {"date": _day(earliest)}
    if day > latest:
        return _("Enter a date on or before %(date)s.") % {"date": _day(latest)}
    return None


def handed_down_date_errors(
    *, handed_down_on: date, due: date, interim_report_due: date | None, today: date | None = None
) -> dict[str, Promise | str]:
    """The dates of a higher authority's order (交办): handed down by today, the deadline and any interim
    report on or after that day and not after next year. Field name → message."""
    today = today or timezone.localdate()
    errors: dict[str, Promise | str] = {}
    if handed_down_on > today:
        errors["handed_down_on"] = _("The case cannot have been handed down in the future.")
    elif error := record_date_error(handed_down_on, today=today):
        errors["handed_down_on"] = error
    for field, day in (("due", due), ("interim_report_due", interim_report_due)):
        if day is None:
            continue
        if day < handed_down_on:
            errors[field] = _("This date cannot be before the day the case was handed down.")
        elif error := record_date_error(day, today=today):
            errors[field] = error
    return errors

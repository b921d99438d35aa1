"""System checks of petitions (`manage.py check`)."""

from django.core.checks import Tags, register
from django.core.checks import Warning as CheckWarning
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils import timezone

from petitions.clocks.workdays import OFFICIAL_YEARS, WorkingCalendar, missing_schedule_years
from petitions.models import CalendarYear


# A database check (it reads the calendar years): Django runs it where a database is asked for, in
# `migrate` (the first step of `make run` and of a deployment) and `check --database default`, not
# before every management command as a plain check did (six times in `make run`'s output).
@register(Tags.database)
def calendar_years_check(app_configs=None, databases=None, **kwargs) -> list[CheckWarning]:
    """Warn while this year's, or (from CALENDAR_WARN_FROM) next year's, official rest days are missing."""
    if not databases or DEFAULT_DB_ALIAS not in databases:
        return []
    try:
        tables = connections[DEFAULT_DB_ALIAS].introspection.table_names()
        # Before the first migrate there are no calendar years, so none is entered.
        entered = None if CalendarYear._meta.db_table in tables else set()
        missing = missing_schedule_years(timezone.localdate(), WorkingCalendar({}, entered_years=entered))
    except DatabaseError:
        return []  # the database cannot be read: its entries are unknown, not missing
    return [
        CheckWarning(
            f"The official rest days of {year} are not in the calendar: the calendar package knows "
            f"{OFFICIAL_YEARS.start}-{OFFICIAL_YEARS.stop - 1}, and no administrator has marked {year} as entered.",
            hint="Upgrade the chinesecalendar package once it knows the year, or import the State Council's "
            "notice in the admin (Calendar years > Import the State Council's holiday notice).",
            id="petitions.W001",
        )
        for year in missing
    ]

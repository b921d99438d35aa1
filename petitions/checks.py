"""System checks of petitions (`manage.py check`)."""

from django.core.checks import Warning as CheckWarning
from django.core.checks import register
from django.db import DatabaseError
from django.utils import timezone


@register()
def calendar_years_check(app_configs=None, **kwargs) -> list[CheckWarning]:
    """Warn while this year's, or (from CALENDAR_WARN_FROM) next year's, official rest days are missing."""
    from petitions.workdays import OFFICIAL_YEARS, missing_schedule_years

    try:
        missing = missing_schedule_years(timezone.localdate())
    except DatabaseError:
        return []  # no database yet (before migrate): nothing to say about its entries
    return [
        CheckWarning(
            f"The official rest days of {year} are not in the calendar: the calendar package knows "
            f"{OFFICIAL_YEARS.start}-{OFFICIAL_YEARS.stop - 1}, and no administrator has marked {year} as entered.",
            hint="Upgrade the chinesecalendar package once it knows the year, or enter the State Council's "
            "schedule as calendar days in the admin and tick 'official schedule entered' for the year.",
            id="petitions.W001",
        )
        for year in missing
    ]

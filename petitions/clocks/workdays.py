"""The working-day calendar: which days are rest days (休息日) and which are working days.

Three layers, the first that knows a day wins:
1. the administrators' overrides (`CalendarOverride` rows): a rest day or an adjusted working day;
2. the official schedule the State Council publishes each year (法定节假日 and 调休), as shipped by the
   `chinesecalendar` package, which knows 2004 to its last release's year only;
3. for a year the package does not know: Monday to Friday are working days, weekends rest days. An
   administrator enters the year's official schedule as overrides and marks the year as entered
   (`CalendarYear`); until then deadlines say that they were counted without it, and admins and
   supervisors are warned from 1 November of the year before (`missing_schedule_years`).
"""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import metadata

from chinese_calendar import constants as official
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from petitions.models import CalendarOverride, CalendarYear

OFFICIAL_HOLIDAYS: dict[date, str] = official.holidays
OFFICIAL_WORKDAYS: dict[date, str] = official.workdays
OFFICIAL_YEARS = range(min(OFFICIAL_HOLIDAYS).year, max(OFFICIAL_HOLIDAYS).year + 1)


class Source:
    OVERRIDE = "override"
    OFFICIAL = "official"
    WEEKDAYS = "weekdays"  # a year without an official schedule: weekends only


@dataclass(frozen=True)
class Day:
    date: date
    working: bool
    source: str
    name: str = ""  # the holiday or adjusted day's name, or what the administrators called it

    @property
    def reason(self) -> str:
        """Why the day is what it is, in the reader's language."""
        if self.name:
            return self.name
        if self.source == Source.OVERRIDE:
            return gettext("set by the administrators")
        return gettext("weekend") if not self.working else gettext("working day")


def official_holiday_name(english: str) -> str:
    """chinesecalendar names holidays in English; Chinese readers get the Chinese name."""
    if (translation.get_language() or settings.LANGUAGE_CODE).startswith("zh"):
        try:
            return official.Holiday(english).chinese
        except ValueError:
            return english
    return english


class WorkingCalendar:
    """Answers "is this a working day?" and counts days. Build one with `load()` and reuse it."""

    def __init__(self, overrides: dict[date, tuple[bool, str]] | None = None, entered_years: set[int] | None = None):
        self.overrides = overrides or {}
        self._entered_years = entered_years

    @classmethod
    def load(cls) -> "WorkingCalendar":
        rows = CalendarOverride.objects.values_list("date", "is_working_day", "name")
        return cls({day: (working, name) for day, working, name in rows})

    # --- single days ----------------------------------------------------------------------------

    def day(self, day: date) -> Day:
        if day in self.overrides:
            working, name = self.overrides[day]
            return Day(day, working, Source.OVERRIDE, name)
        if day.year in OFFICIAL_YEARS:
            if day in OFFICIAL_WORKDAYS:
                return Day(day, True, Source.OFFICIAL, official_holiday_name(OFFICIAL_WORKDAYS[day]))
            if day in OFFICIAL_HOLIDAYS:
                return Day(day, False, Source.OFFICIAL, official_holiday_name(OFFICIAL_HOLIDAYS[day]))
            return Day(day, day.weekday() < 5, Source.OFFICIAL)
        return Day(day, day.weekday() < 5, Source.WEEKDAYS)

    def is_working_day(self, day: date) -> bool:
        # The hot path of every count: plain dictionary look-ups, no objects.
        if day in self.overrides:
            return self.overrides[day][0]
        if day in OFFICIAL_WORKDAYS:
            return True
        return day.weekday() < 5 and day not in OFFICIAL_HOLIDAYS

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    # --- counting ---------------------------------------------------------------------------------

    def add_days(self, start: date, days: int) -> tuple[date, date]:
        """Day 1 is the day after `start`. Returns (the Nth day, the deadline): a deadline that falls on
        a rest day moves to the next working day."""
        end = start + timedelta(days=days)
        return end, self.next_working_day(end)

    def add_working_days(self, start: date, days: int) -> tuple[date, int]:
        """The `days`-th working day after `start`, and how many rest days were passed over."""
        current, counted, skipped = start, 0, 0
        while counted < days:
            current += timedelta(days=1)
            if self.is_working_day(current):
                counted += 1
            else:
                skipped += 1
        return current, skipped

    # --- what the calendar knows ----------------------------------------------------------------

    def schedule_known(self, year: int) -> bool:
        """Whether the official rest days of `year` are in the calendar (package or administrators)."""
        if year in OFFICIAL_YEARS:
            return True
        if self._entered_years is None:
            self._entered_years = set(CalendarYear.objects.filter(schedule_entered=True).values_list("year", flat=True))
        return year in self._entered_years

    def unknown_years(self, start: date, end: date) -> list[int]:
        """Years between the day after `start` and `end` whose official schedule is not known."""
        first = start + timedelta(days=1)
        return [year for year in range(first.year, end.year + 1) if not self.schedule_known(year)]

    def fingerprint(self) -> str:
        """Changes whenever any day's status changes: the official data (a new package) or an override."""
        digest = hashlib.sha256(_official_fingerprint().encode())
        for day in sorted(self.overrides):
            digest.update(f"{day.isoformat()}={int(self.overrides[day][0])};".encode())
        return digest.hexdigest()


@cache
def _official_fingerprint() -> str:
    parts = [metadata.version("chinesecalendar")]
    parts += [f"h{day.isoformat()}" for day in sorted(OFFICIAL_HOLIDAYS)]
    parts += [f"w{day.isoformat()}" for day in sorted(OFFICIAL_WORKDAYS)]
    return hashlib.sha256(";".join(parts).encode()).hexdigest()


def warn_from(year: int) -> date:
    """From this day admins are told that next year's official schedule is missing (CALENDAR_WARN_FROM)."""
    month, day = (int(part) for part in settings.CALENDAR_WARN_FROM.split("-"))
    return date(year, month, day)


def missing_schedule_years(today: date, calendar: WorkingCalendar | None = None) -> list[int]:
    """The years whose official schedule is missing and matters now: this year always, next year from
    CALENDAR_WARN_FROM (1 November by default; the State Council publishes in November or December)."""
    years = [today.year]
    if today >= warn_from(today.year):
        years.append(today.year + 1)
    if all(year in OFFICIAL_YEARS for year in years):
        return []  # no database needed
    calendar = calendar or WorkingCalendar({})
    return [year for year in years if not calendar.schedule_known(year)]

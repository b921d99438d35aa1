"""Which returns each unit owes, and when each is due: the one place of the returns' deadline rule.

- Every week (Monday to Sunday) a unit owes a weekly return, due on the rule's weekday of that week
  (`ReturnRule.weekly_due_weekday`; on a rest day, the next working day of the calendar).
- Each day of a special period in the unit's scope it owes a daily return, due that day plus the rule's
  delay: every day of the period when the period says "rest days too", else its working days only
  (a due date that falls on a rest day then moves to the next working day).
- A week that lies wholly within the unit's special periods is reported day by day: no weekly return.
- Nothing is owed for days before the unit's `reports_from`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from information.models import ReportingUnit, ReturnKind, ReturnRule, SpecialPeriod
from petitions.clocks.workdays import WorkingCalendar
from petitions.models import Region


@dataclass(frozen=True)
class Owed:
    """One return a unit owes."""

    unit_id: int
    kind: str
    start: date
    end: date
    due: date
    special_period_id: int | None = None

    @property
    def key(self) -> tuple[int, str, date]:
        return (self.unit_id, self.kind, self.start)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def current_rule() -> ReturnRule:
    """The rule row, or the defaults while an administrator has saved none."""
    return ReturnRule.objects.order_by("pk").first() or ReturnRule()


class Schedule:
    """The returns owed by some units over some days; built with one query per kind of rule data."""

    def __init__(
        self,
        units: Iterable[ReportingUnit],
        first: date,
        last: date,
        *,
        calendar: WorkingCalendar | None = None,
        rule: ReturnRule | None = None,
    ) -> None:
        self.units = list(units)
        self.first, self.last = first, last
        self.calendar = calendar or WorkingCalendar.load()
        self.rule = rule or current_rule()
        self.periods = list(
            SpecialPeriod.objects.filter(starts__lte=last + timedelta(days=6), ends__gte=first).prefetch_related(
                "regions", "departments"
            )
        )
        self._parents = self._region_parents() if any(not p.all_units for p in self.periods) else {}

    @staticmethod
    def _region_parents() -> dict[int, int | None]:
        return dict(Region.objects.values_list("pk", "parent_id"))

    def _region_line(self, region_id: int | None) -> set[int]:
        """The region and every region above it."""
        line: set[int] = set()
        while region_id is not None and region_id not in line:
            line.add(region_id)
            region_id = self._parents.get(region_id)
        return line

    def covers(self, period: SpecialPeriod, unit: ReportingUnit) -> bool:
        """Whether `unit` is in the scope of `period`: all units, its department, or its region or one above."""
        if period.all_units:
            return True
        if unit.department_id is not None and unit.department_id in {d.pk for d in period.departments.all()}:
            return True
        regions = {r.pk for r in period.regions.all()}
        return unit.region_id is not None and bool(self._region_line(unit.region_id) & regions)

    def periods_of(self, unit: ReportingUnit) -> list[SpecialPeriod]:
        """The special periods whose scope holds `unit`."""
        return [period for period in self.periods if self.covers(period, unit)]

    def weekly_due(self, monday: date) -> date:
        return self.calendar.next_working_day(monday + timedelta(days=self.rule.weekly_due_weekday))

    def daily_due(self, day: date, period: SpecialPeriod) -> date:
        due = day + timedelta(days=self.rule.daily_due_days_after)
        return due if period.every_day else self.calendar.next_working_day(due)

    def daily_days(self, unit: ReportingUnit, first: date, last: date) -> dict[date, SpecialPeriod]:
        """The days from `first` to `last` on which `unit` owes a daily return, and the period of each."""
        days: dict[date, SpecialPeriod] = {}
        for period in sorted(self.periods_of(unit), key=lambda p: (p.starts, p.pk)):
            day = max(period.starts, first)
            while day <= min(period.ends, last):
                if day not in days and (period.every_day or self.calendar.is_working_day(day)):
                    days[day] = period
                day += timedelta(days=1)
        return days

    def _covered(self, unit_periods: list[SpecialPeriod], day: date) -> bool:
        return any(period.starts <= day <= period.ends for period in unit_periods)

    def owed(self) -> list[Owed]:
        """Every return owed for a period that starts from `first` to `last`, by period start and unit."""
        found: list[Owed] = []
        for unit in self.units:
            unit_periods = self.periods_of(unit)
            first = max(self.first, unit.reports_from)
            monday = monday_of(first)
            if monday < first:
                monday += timedelta(days=7)
            while monday <= self.last:
                week = [monday + timedelta(days=n) for n in range(7)]
                if not all(self._covered(unit_periods, day) for day in week):
                    end = monday + timedelta(days=6)
                    found.append(Owed(unit.pk, ReturnKind.WEEKLY, monday, end, self.weekly_due(monday)))
                monday += timedelta(days=7)
            for day, period in self.daily_days(unit, first, self.last).items():
                found.append(Owed(unit.pk, ReturnKind.DAILY, day, day, self.daily_due(day, period), period.pk))
        return sorted(found, key=lambda owed: (owed.start, owed.kind, owed.unit_id))

    def period_for(self, unit: ReportingUnit, kind: str, start: date) -> Owed | None:
        """The owed return of `unit` of `kind` starting on `start`, if the schedule has one."""
        return next(
            (owed for owed in self.owed() if owed.unit_id == unit.pk and owed.kind == kind and owed.start == start),
            None,
        )


def due_now(unit: ReportingUnit, today: date, *, horizon_days: int = 7) -> list[Owed]:
    """The returns `unit` may send now: periods that have begun, from `horizon_days` before today's week."""
    first = monday_of(today) - timedelta(days=horizon_days)
    return [owed for owed in Schedule([unit], first, today).owed() if owed.start <= today]

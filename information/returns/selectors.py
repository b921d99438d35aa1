"""Reads of returns: who may see which, the state of each owed return, and the summaries' figures.

Each owed return (information.returns.schedule) is in one state as of a day:
- reported: a return with content was received; zero: a zero report (本期无情况) was received;
- missing: nothing was received and its due date has passed; open: not yet due.
A received return is also "late" when it came after its due date.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from information.models import ReportingUnit, ReturnKind, SpecialPeriod, UnitReturn
from information.returns.kept import answers_for_a_unit
from information.returns.schedule import Owed, Schedule
from petitions.models import Department, User

REPORTED, ZERO, MISSING, OPEN = "reported", "zero", "missing", "open"
STATUS_LABELS = {
    REPORTED: _("Reported"),
    ZERO: _("Zero report"),
    MISSING: _("Missing"),
    OPEN: _("Not yet due"),
}
FIGURES = ["owed", REPORTED, ZERO, "late", MISSING, OPEN]
FIGURE_LABELS = {
    "owed": _("Returns owed"),
    REPORTED: _("Reported something"),
    ZERO: _("Reported nothing (zero report)"),
    "late": _("Received late"),
    MISSING: _("Missing"),
    OPEN: _("Not yet due"),
}


# --- Who sees what -----------------------------------------------------------------------------------


def may_see_all_returns(user: User) -> bool:
    return user.is_authenticated and user.has_perm("information.view_all_returns")


def may_see_returns(user: User) -> bool:
    return may_see_all_returns(user) or (user.is_authenticated and answers_for_a_unit(user))


def units_of(user: User) -> QuerySet[ReportingUnit]:
    """The units whose returns `user` sends."""
    return ReportingUnit.objects.filter(responsible=user, is_active=True).select_related("department", "region")


def visible_returns(user: User) -> QuerySet[UnitReturn]:
    returns = UnitReturn.objects.select_related("unit__department", "unit__region", "submitted_by", "special_period")
    if may_see_all_returns(user):
        return returns
    return returns.filter(unit__responsible=user)


# --- The state of owed returns -------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    unit: ReportingUnit
    owed: Owed
    unit_return: UnitReturn | None
    status: str

    @property
    def late(self) -> bool:
        return self.unit_return is not None and self.unit_return.is_late

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def _status(owed: Owed, found: UnitReturn | None, today: date) -> str:
    if found is not None:
        return ZERO if found.is_zero else REPORTED
    return MISSING if owed.due < today else OPEN


def rows_for(units: list[ReportingUnit], first: date, last: date, *, today: date, kind: str | None = None) -> list[Row]:
    """Every return `units` owe for a period starting from `first` to `last`, in its state as of `today`."""
    if not units:
        return []  # no unit reports: nothing owed, nothing to read
    by_pk = {unit.pk: unit for unit in units}
    owed = [item for item in Schedule(units, first, last).owed() if kind is None or item.kind == kind]
    received = {
        (r.unit_id, r.kind, r.period_start): r
        for r in UnitReturn.objects.filter(unit__in=list(by_pk), period_start__gte=first, period_start__lte=last)
    }
    rows = []
    for item in owed:
        found = received.get(item.key)
        rows.append(Row(by_pk[item.unit_id], item, found, _status(item, found, today)))
    return rows


def totals(rows: list[Row]) -> dict[str, int]:
    counts = dict.fromkeys(FIGURES, 0)
    for row in rows:
        counts["owed"] += 1
        counts[row.status] += 1
        counts["late"] += row.late
    return counts


def per_unit(rows: list[Row]) -> list[dict]:
    """One line per unit: its name and figures, plain data (a report's snapshot keeps it)."""
    grouped: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row.unit.pk].append(row)
    return [
        {"unit": grouped[pk][0].unit.name, **totals(grouped[pk])}
        for pk in sorted(grouped, key=lambda pk: grouped[pk][0].unit.name)
    ]


def row_data(row: Row) -> dict:
    """A row as plain data: unit, kind, period, due, state, and when it came."""
    submitted = row.unit_return.submitted_at.date().isoformat() if row.unit_return else ""
    return {
        "unit": row.unit.name,
        "kind": row.owed.kind,
        "start": row.owed.start.isoformat(),
        "end": row.owed.end.isoformat(),
        "due": row.owed.due.isoformat(),
        "status": row.status,
        "late": row.late,
        "submitted": submitted,
    }


def active_units(department: Department | None = None) -> list[ReportingUnit]:
    units = ReportingUnit.objects.filter(is_active=True).select_related("department", "region")
    if department is not None:
        units = units.filter(department=department)
    return list(units)


def late_and_missing(*, today: date, days: int = 30) -> list[Row]:
    """Returns of the last `days` days that are missing or came late, the longest overdue first."""
    rows = rows_for(active_units(), today - timedelta(days=days), today, today=today)
    return sorted(
        (row for row in rows if row.status == MISSING or row.late), key=lambda row: (row.owed.due, row.unit.name)
    )


def returns_summary(first: date, last: date, *, today: date, department: Department | None = None) -> dict:
    """The figures of the returns owed for periods starting from `first` to `last` (plain data)."""
    rows = rows_for(active_units(department), first, last, today=today)
    return {
        "first": first.isoformat(),
        "last": last.isoformat(),
        "as_of": today.isoformat(),
        "totals": totals(rows),
        "units": per_unit(rows),
        "late_or_missing": [row_data(row) for row in rows if row.status == MISSING or row.late],
        "zero_units": sorted({row.unit.name for row in rows if row.status == ZERO}),
        "reported_units": sorted({row.unit.name for row in rows if row.status == REPORTED}),
    }


def weekly_report_part(period, department: Department | None, *, today: date) -> dict:
    """The returns section of the weekly report (reports.extensions): the returns owed for the week's days,
    judged as of the report's cutoff (the day after the week, or today)."""
    return returns_summary(period.start, period.end, today=period.cutoff(today), department=department)


def special_period_summary(period: SpecialPeriod, *, today: date) -> dict:
    """The daily returns of a special period: figures, per unit, per day."""
    units = active_units()
    rows = rows_for(units, period.starts, period.ends, today=today, kind=ReturnKind.DAILY)
    rows = [row for row in rows if row.owed.special_period_id == period.pk]
    days: dict[date, list[Row]] = defaultdict(list)
    for row in rows:
        days[row.owed.start].append(row)
    return {
        "totals": totals(rows),
        "units": per_unit(rows),
        "days": [{"day": day, **totals(days[day])} for day in sorted(days)],
        "late_or_missing": [row for row in rows if row.status == MISSING or row.late],
        "rows": rows,
    }


# --- The unit's side ----------------------------------------------------------------------------------

DUE_HORIZON_DAYS = 14  # how far back the unit's page offers returns still owed


def unit_due_rows(user: User, *, today: date) -> list[Row]:
    """The returns the user's units owe and may send now (begun, not received), the oldest first."""
    units = list(units_of(user))
    if not units:
        return []
    first = today - timedelta(days=today.weekday() + DUE_HORIZON_DAYS)
    rows = rows_for(units, first, today, today=today)
    return [row for row in rows if row.unit_return is None]


def home_panel(user: User) -> dict | None:
    """The start page's panel of returns due, for those who send a unit's returns (no query for others)."""
    from django.utils import timezone

    if not user.is_authenticated or not answers_for_a_unit(user):
        return None
    return {"due_rows": unit_due_rows(user, today=timezone.localdate())}


def unit_lines(units: list[dict]) -> list[list]:
    """`per_unit`'s lines as table rows: the unit's name, then each figure in FIGURES' order."""
    return [[line["unit"], *(line[key] for key in FIGURES)] for line in units]


def figure_labels() -> list[str]:
    return [str(FIGURE_LABELS[key]) for key in FIGURES]

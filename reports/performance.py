"""Department performance per month (部门绩效通报): a small registry of metrics, each defined once.

A *family* is one SQL statement grouped by department that returns named counts for every department at
once (never a query per department). A *metric* names its family, its numerator and — for a rate — its
denominator, with the label and the definition text the page, the CSV file and the monthly PDF all print.
Later figures (e.g. callback rates) plug in with `register_family` and `register_metric`.

A department's figures count the cases whose department it is now, except the routing-based ones
(routed, repeat, returned), which count the department named in the case-log entry of the routing or the
return. Voided registrations are left out everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case as Choose
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, TruncDate
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from petitions.models import CaseLog, Closure, Department, Evaluation, Satisfaction
from reports.selectors import Period, _within, consistent_reads, counted_cases, office_zone, snapshot_head

# Written to the case log by the escalation ladder when it issues a supervision notice (督办单, level 2).
SUPERVISION_NOTICE_ACTION = "supervision_notice"

Counts = dict[int, dict[str, int]]  # department pk → count name → value


@dataclass(frozen=True)
class Family:
    key: str
    counts: Callable[[Period, int | None], Counts]  # (month, one department or None for all) → counts


@dataclass(frozen=True)
class Metric:
    key: str
    label: str | Promise
    definition: str | Promise
    family: str
    numerator: str
    denominator: str | None = None  # None: the metric is a count, not a rate
    order: int = 100

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None


FAMILIES: dict[str, Family] = {}
METRICS: dict[str, Metric] = {}


def register_family(family: Family) -> None:
    FAMILIES[family.key] = family


def register_metric(metric: Metric) -> None:
    METRICS[metric.key] = metric


def metrics() -> list[Metric]:
    return sorted(METRICS.values(), key=lambda metric: (metric.order, metric.key))


def month_period(year: int, month: int) -> Period:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return Period(first, following - timedelta(days=1))


def _grouped(queryset, key: str, **aggregates) -> Counts:
    rows = queryset.order_by().values(key).annotate(**aggregates)
    return {row.pop(key): {name: int(row[name] or 0) for name in aggregates} for row in rows if row[key] is not None}


# --- The families: one statement each ------------------------------------------------------------------


def flow_counts(period: Period, department_id: int | None) -> Counts:
    """Accepted (and within the acceptance clock), handled (and by the handling deadline) in the month."""
    zone = office_zone()
    cases = counted_cases(None).filter(department__isnull=False)
    if department_id is not None:
        cases = cases.filter(department_id=department_id)
    cases = cases.filter(_within("accepted_at", period) | _within("handled_at", period)).alias(
        accepted_on=TruncDate("accepted_at", tzinfo=zone), handled_on=TruncDate("handled_at", tzinfo=zone)
    )
    accepted, handled = _within("accepted_at", period), _within("handled_at", period)
    return _grouped(
        cases,
        "department",
        accepted=Count("pk", filter=accepted),
        accepted_in_time=Count("pk", filter=accepted & Q(accepted_on__lte=F("accept_due"))),
        handled=Count("pk", filter=handled),
        handled_on_time=Count("pk", filter=handled & Q(handled_on__lte=F("handling_due"))),
    )


SATISFIED_LEVELS = [Satisfaction.SATISFIED, Satisfaction.FAIRLY]


def evaluation_counts(period: Period, department_id: int | None) -> Counts:
    """Cases closed after an outcome in the month; of them, evaluated; of those, satisfied by the latest evaluation."""
    latest = Evaluation.objects.filter(case=OuterRef("pk")).order_by("-at", "-id").values("level")[:1]
    cases = counted_cases(None).filter(
        _within("closed_at", period), closure=Closure.COMPLETED, department__isnull=False
    )
    if department_id is not None:
        cases = cases.filter(department_id=department_id)
    cases = cases.alias(latest_level=Subquery(latest), evaluated=Exists(Evaluation.objects.filter(case=OuterRef("pk"))))
    return _grouped(
        cases,
        "department",
        closed=Count("pk"),
        evaluated=Count("pk", filter=Q(evaluated=True)),
        satisfied=Count("pk", filter=Q(latest_level__in=SATISFIED_LEVELS)),
    )


def log_counts(period: Period, department_id: int | None) -> Counts:
    """From the case log of the month: routed (and of them repeat cases), returned, supervision notices."""
    routing = Q(action__in=[CaseLog.Action.ACCEPT, CaseLog.Action.RETURN])
    logs = CaseLog.objects.filter(
        _within("at", period),
        action__in=[CaseLog.Action.ACCEPT, CaseLog.Action.RETURN, SUPERVISION_NOTICE_ACTION],
    ).annotate(
        # A routing or a return names its department in the entry; a notice concerns the case's department now.
        dept=Choose(
            When(routing, then=Cast(KT("data__department"), IntegerField())),
            default=F("case__department_id"),
            output_field=IntegerField(),
        )
    )
    if department_id is not None:
        logs = logs.filter(dept=department_id)
    routed = Q(action=CaseLog.Action.ACCEPT) & ~Q(case__closure=Closure.VOID)
    return _grouped(
        logs,
        "dept",
        routed=Count("case_id", distinct=True, filter=routed),
        repeat=Count("case_id", distinct=True, filter=routed & Q(case__is_repeat=True)),
        returned=Count("case_id", distinct=True, filter=Q(action=CaseLog.Action.RETURN)),
        supervised=Count("pk", filter=Q(action=SUPERVISION_NOTICE_ACTION) & ~Q(case__closure=Closure.VOID)),
    )


register_family(Family("flow", flow_counts))
register_family(Family("evaluation", evaluation_counts))
register_family(Family("log", log_counts))

register_metric(
    Metric(
        "timely_acceptance",
        _("Timely acceptance rate"),
        _(
            "Cases of the department accepted (受理) in the month on or before the day their acceptance "
            "deadline fell, ÷ cases of the department accepted in the month."
        ),
        "flow",
        "accepted_in_time",
        "accepted",
        order=10,
    )
)
register_metric(
    Metric(
        "on_time_handling",
        _("On-time handling rate"),
        _(
            "Cases of the department whose outcome (办结) was recorded in the month on or before the handling "
            "deadline in force (with any approved extension), ÷ cases of the department handled in the month."
        ),
        "flow",
        "handled_on_time",
        "handled",
        order=20,
    )
)
register_metric(
    Metric(
        "satisfaction",
        _("Satisfaction rate"),
        _(
            "Cases of the department closed in the month whose latest evaluation is satisfied or fairly "
            "satisfied, ÷ those of them that were evaluated."
        ),
        "evaluation",
        "satisfied",
        "evaluated",
        order=30,
    )
)
register_metric(
    Metric(
        "participation",
        _("Evaluation rate"),
        _("Cases of the department closed in the month with at least one evaluation, ÷ cases closed in the month."),
        "evaluation",
        "evaluated",
        "closed",
        order=40,
    )
)
register_metric(
    Metric(
        "repeat",
        _("Repeat case rate"),
        _(
            "Cases routed to the department in the month that are repeat cases (重复件), ÷ cases routed to the "
            "department in the month; each case counted once."
        ),
        "log",
        "repeat",
        "routed",
        order=50,
    )
)
register_metric(
    Metric(
        "returned",
        _("Returned to the office"),
        _("Cases the department returned to the office in the month as not theirs (退回), each counted once."),
        "log",
        "returned",
        order=60,
    )
)
register_metric(
    Metric(
        "supervised",
        _("Supervision notices"),
        _("Supervision notices (督办单) issued in the month for cases of the department."),
        "log",
        "supervised",
        order=70,
    )
)


# --- The figures ----------------------------------------------------------------------------------------


def rate_value(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def performance_figures(period: Period, department: Department | None = None) -> list[dict]:
    """One row per department (or only `department`'s): every registered metric, as JSON-ready data.

    Each family runs once for all departments; a department appears when it is active or has a figure.
    """
    department_id = department.pk if department is not None else None
    counts = {key: family.counts(period, department_id) for key, family in FAMILIES.items()}
    departments = Department.objects.order_by("code")
    if department_id is not None:
        departments = departments.filter(pk=department_id)
    rows = []
    for dept in departments.values("pk", "code", "name", "is_active"):
        figures = {}
        for metric in metrics():
            found = counts[metric.family].get(dept["pk"], {})
            numerator = found.get(metric.numerator, 0)
            if metric.is_rate:
                denominator = found.get(metric.denominator, 0)
                figures[metric.key] = {"n": numerator, "of": denominator, "rate": rate_value(numerator, denominator)}
            else:
                figures[metric.key] = {"n": numerator}
        if dept["is_active"] or any(figure["n"] or figure.get("of") for figure in figures.values()):
            rows.append({"code": dept["code"], "name": dept["name"], "figures": figures})
    return rows


def performance_snapshot(period: Period, department: Department | None = None, *, today: date | None = None) -> dict:
    """The monthly bulletin's snapshot: the rows and the metrics they were computed with."""
    with consistent_reads():
        rows = performance_figures(period, department)
    return {
        **snapshot_head(period, department, today=today),
        "metrics": [metric.key for metric in metrics()],
        "rows": rows,
    }


# --- One table for the screen, the CSV file and the PDF -------------------------------------------------


def format_figure(metric: Metric, figure: dict | None) -> str:
    if figure is None:
        return "—"
    if not metric.is_rate:
        return str(figure["n"])
    if figure["rate"] is None:
        return "—"
    return f"{100 * figure['rate']:.1f}% ({figure['n']}/{figure['of']})"


def table_columns(metric_keys: list[str]) -> list[str]:
    return [str(_("Code")), str(_("Department")), *(str(METRICS[key].label) for key in metric_keys if key in METRICS)]


def table_rows(rows: list[dict], metric_keys: list[str]) -> list[list[str]]:
    shown = [METRICS[key] for key in metric_keys if key in METRICS]
    return [
        [row["code"], row["name"], *(format_figure(metric, row["figures"].get(metric.key)) for metric in shown)]
        for row in rows
    ]


# --- Who sees which rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PerformanceScope:
    department: Department | None  # None: every department (the office's staff)


def performance_scope(user) -> PerformanceScope | None:
    """The office's staff see every department's row; a department head only their own; others nothing."""
    if user.has_perm("reports.view_office_reports"):
        return PerformanceScope(None)
    if user.has_perm("reports.view_department_reports") and user.department_id is not None:
        return PerformanceScope(user.department)
    return None


def previous_month(today: date) -> Period:
    last_of_previous = today.replace(day=1) - timedelta(days=1)
    return month_period(last_of_previous.year, last_of_previous.month)

"""The annual report of the office's letters-and-visits work (T22 41): its figures, one aggregation each.

Most figures are the weekly report's own (the same selectors, the same definitions) over the calendar
year; the annual report adds the most-complained units, the transfers, hand-downs and supervision notices,
and the policy recommendations made and adopted.

The recommendations come from the supervision app (督办 and 建议, issue 14), which registers its
`recommendation_counts(start, end) -> {"made", "answered", "adopted"}` with reports.extensions (reports
imports none of the apps that add to it). With nothing registered the snapshot records None and the report
says the figures are not kept in the portal.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.db.models.functions import Trim
from django.utils.translation import gettext_lazy as _

from petitions.models import CaseLog, Closure, Department, HandedDown
from reports.extensions import RECOMMENDATIONS, period_counts
from reports.performance import SUPERVISION_NOTICE_ACTION
from reports.selectors import (
    Definition,
    Period,
    _within,
    consistent_reads,
    flow_totals,
    new_case_totals,
    new_cases,
    new_cases_by,
    on_time_rate,
    routings,
    snapshot_head,
)

TOP_UNITS = 20

ANNUAL_DEFINITIONS: dict[str, Definition] = {
    definition.key: definition
    for definition in [
        Definition(
            "complained_units",
            _("Most-complained units"),
            _(
                "The units complained about (被投诉单位) as registered on the new cases of the year, the "
                "%(top)d named most often; a case without one is not counted."
            )
            % {"top": TOP_UNITS},
        ),
        Definition(
            "transferred",
            _("Transferred"),
            _("Cases routed (转送) to a department during the year, each counted once however often it was routed."),
        ),
        Definition(
            "handed_down_year",
            _("Handed down"),
            _("New cases of the year that a higher authority handed down to the office (交办件)."),
        ),
        Definition(
            "supervision_notices",
            _("Supervision notices"),
            _("Supervision notices (督办单) issued during the year for cases past their deadline."),
        ),
        Definition(
            "recommendations",
            _("Recommendations"),
            _(
                "Policy recommendations (建议) the office made during the year, those answered and those adopted, "
                "as recorded in the portal's supervision register."
            ),
        ),
    ]
}


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def complained_units(period: Period) -> list[dict]:
    rows = (
        new_cases(period, None)
        .annotate(unit=Trim("complained_unit"))
        .exclude(unit="")
        .order_by()
        .values_list("unit")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit")[:TOP_UNITS]
    )
    return [{"name": unit, "count": n} for unit, n in rows]


def transfer_totals(period: Period) -> dict[str, int]:
    transferred = routings(period).exclude(case__closure=Closure.VOID).aggregate(n=Count("case_id", distinct=True))
    handed_down = HandedDown.objects.filter(_within("case__received_at", period)).exclude(case__closure=Closure.VOID)
    notices = CaseLog.objects.filter(_within("at", period), action=SUPERVISION_NOTICE_ACTION).exclude(
        case__closure=Closure.VOID
    )
    return {
        "transferred": transferred["n"],
        "handed_down_year": handed_down.aggregate(n=Count("pk"))["n"],
        "supervision_notices": notices.aggregate(n=Count("pk"))["n"],
    }


def recommendation_figures(period: Period) -> dict[str, int] | None:
    """Made, answered and adopted; None where no app registered the recommendations' counts."""
    counts = period_counts(RECOMMENDATIONS, period.start, period.end)
    if counts is None:
        return None
    return {key: int(counts.get(key) or 0) for key in ("made", "answered", "adopted")}


def annual_figures(period: Period, department: Department | None = None, *, today: date | None = None) -> dict:
    """The snapshot of the annual report (always office-wide: `department` is accepted and ignored)."""
    with consistent_reads():
        totals = new_case_totals(period, None)
        totals.update(flow_totals(period, None))
        totals.update(transfer_totals(period))
        tables = new_cases_by(period, None)
        tables["complained_units"] = complained_units(period)
        recommendations = recommendation_figures(period)
    totals["on_time_rate"] = on_time_rate(totals["handled"], totals["handled_on_time"])
    return {
        **snapshot_head(period, None, today=today),
        "totals": totals,
        "tables": tables,
        "recommendations": recommendations,
    }

"""The start page's sections that reports adds (petitions.extensions.register_home_section).

The supervisor's: new cases of the last 12 weeks by channel, collective visits, hot categories and regions,
overdue cases by department. The leader's: their liaison units. Each chart is SVG drawn here
(reports.charts) with its data table beside it; every figure is one grouped query over the cases the user
may see (visible_cases, as the lists); the office's figures are kept a few minutes (the same for everyone who
sees them), so a start page costs a few queries however many cases there are.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from petitions import caching, policies
from petitions.clocks import urgency
from petitions.models import Category, Channel, Closure, Region, State, User
from petitions.selectors.reference_rows import kept_rows
from petitions.selectors.scopes import visible_cases
from reports.charts import Series, bar_chart_svg
from reports.liaison import leader_units
from reports.selectors import Period, _rolled_up, _within, office_zone, week_of

TREND_WEEKS = 12
HOT_DAYS = 28
HOT_LIMIT = 8
KEPT_SECONDS = 5 * 60  # the office's trends may be five minutes old; each start page is then a few queries
CHANNEL_COLOURS = ["#9b1c1c", "#1d4ed8", "#047857", "#b45309", "#6d28d9", "#374151", "#0e7490"]


def _chart(*, key: str, title: str, categories: list[str], series: list[Series], columns: list[str], rows: list[list]):
    return {
        "key": key,
        "title": title,
        "svg": bar_chart_svg(categories=categories, series=series, title=title),
        "columns": columns,
        "rows": rows,
    }


def _trend_counts(cases, today: date) -> dict:
    """New cases per week and channel, and collective visits per week (batches, people): one query."""
    last = week_of(today)
    mondays = [last.start - timedelta(weeks=n) for n in range(TREND_WEEKS - 1, -1, -1)]
    span = Period(mondays[0], last.end)
    collective = Q(channel=Channel.VISIT, is_collective=True)
    rows = (
        cases.filter(_within("received_at", span))
        .exclude(closure=Closure.VOID)
        .annotate(day=TruncDate("received_at", tzinfo=office_zone()))
        .order_by()
        .values_list("day", "channel")
        .annotate(
            n=Count("pk"), batches=Count("pk", filter=collective), people=Sum("headcount", filter=collective, default=0)
        )
    )
    per_week: dict[date, dict[str, int]] = {monday: defaultdict(int) for monday in mondays}
    visits = {monday: [0, 0] for monday in mondays}
    for day, channel, n, batches, people in rows:
        monday = week_of(day).start
        per_week[monday][channel] += n
        visits[monday][0] += batches
        visits[monday][1] += people or 0
    return {"mondays": mondays, "per_week": {k: dict(v) for k, v in per_week.items()}, "visits": visits}


def _hot_counts(cases, today: date, field: str) -> list[tuple[int, int, int]]:
    """(category or region id, cases of the last 4 weeks, cases of the 4 weeks before): one query."""
    recent = Period(today - timedelta(days=HOT_DAYS - 1), today)
    before = Period(today - timedelta(days=2 * HOT_DAYS - 1), today - timedelta(days=HOT_DAYS))
    rows = (
        cases.filter(_within("received_at", Period(before.start, recent.end)))
        .exclude(closure=Closure.VOID)
        .order_by()
        .values_list(field)
        .annotate(recent=Count("pk", filter=_within("received_at", recent)))
        .annotate(before=Count("pk", filter=_within("received_at", before)))
    )
    return [row for row in rows if row[0] is not None]


def _overdue_counts(cases, today: date) -> list[tuple[str | None, int]]:
    rows = (
        cases.filter(urgency.overdue(today), state__in=[State.RECEIVED, State.ASSIGNED])
        .exclude(closure=Closure.VOID)
        .order_by()
        .values_list("department__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "department__name")
    )
    return list(rows)


def office_counts(user: User, today: date) -> dict:
    """The supervisor section's figures, kept for KEPT_SECONDS: they are the office's (every user who gets the
    section sees every case), the same for all of them, and four grouped queries over weeks of cases."""

    def load() -> dict:
        cases = visible_cases(user)
        return {
            "trend": _trend_counts(cases, today),
            "categories": _hot_counts(cases, today, "category_id"),
            "regions": _hot_counts(cases, today, "region_id"),
            "overdue": _overdue_counts(cases, today),
            "as_of": timezone.localtime().strftime("%H:%M"),
        }

    return caching.kept(f"home-office-figures:{today.isoformat()}", load, timeout=KEPT_SECONDS)


def _trend_charts(counts: dict) -> tuple[dict, dict]:
    mondays, per_week, visits = counts["mondays"], counts["per_week"], counts["visits"]
    channels = [value for value, _label in Channel.choices]
    labels = [f"{monday:%m-%d}" for monday in mondays]
    shown = [value for value in channels if any(per_week[monday].get(value) for monday in mondays)] or channels[:1]
    names = dict(Channel.choices)
    trend = _chart(
        key="trend",
        title=_("New cases, last 12 weeks, by channel"),
        categories=labels,
        series=[
            Series(str(names[value]), [per_week[monday].get(value, 0) for monday in mondays], CHANNEL_COLOURS[i % 7])
            for i, value in enumerate(shown)
        ],
        columns=[_("Week from"), *(str(names[value]) for value in channels), _("Total")],
        rows=[
            [label, *(per_week[monday].get(value, 0) for value in channels), sum(per_week[monday].values())]
            for label, monday in zip(labels, mondays, strict=True)
        ],
    )
    collective = _chart(
        key="collective",
        title=_("Collective visits, last 12 weeks"),
        categories=labels,
        series=[Series(_("Collective visits"), [visits[monday][0] for monday in mondays], "#9b1c1c")],
        columns=[_("Week from"), _("Collective visits"), _("People")],
        rows=[[label, *visits[monday]] for label, monday in zip(labels, mondays, strict=True)],
    )
    return trend, collective


def _hot_chart(counts: list, tree: list[tuple], top, *, key: str, title: str, heading: str) -> dict:
    """The most frequent top-level categories (or counties) of the last 4 weeks, beside the 4 weeks before."""
    now = _rolled_up({pk: n for pk, n, _b in counts if n}, tree, top=top)
    then = {row["code"]: row["count"] for row in _rolled_up({pk: b for pk, _n, b in counts if b}, tree, top=top)}
    hot = now[:HOT_LIMIT]
    return _chart(
        key=key,
        title=title,
        categories=[row["name"] for row in hot],
        series=[Series(_("Last 4 weeks"), [row["count"] for row in hot], "#b45309")],
        columns=[heading, _("Last 4 weeks"), _("The 4 weeks before")],
        rows=[[row["name"], row["count"], then.get(row["code"], 0)] for row in hot],
    )


def _overdue_chart(counts: list) -> dict:
    named = [(name or _("The office (not routed yet)"), n) for name, n in counts]
    return _chart(
        key="overdue",
        title=_("Overdue cases by department"),
        categories=[name for name, _n in named[:HOT_LIMIT]],
        series=[Series(_("Overdue"), [n for _name, n in named[:HOT_LIMIT]], "#9b1c1c")],
        columns=[_("Department"), _("Overdue")],
        rows=[[name, n] for name, n in named],
    )


def supervisor_section(user: User) -> dict | None:
    """For the office's staff who work the queue (not the leaders, whose start page shows their units)."""
    if not policies.may_see_queue(user) or policies.is_leader(user):
        return None
    counts = office_counts(user, timezone.localdate())
    trend, collective = _trend_charts(counts["trend"])
    categories = _hot_chart(
        counts["categories"],
        [(c.pk, c.parent_id, c.code, c.name) for c in kept_rows(Category).values()],
        lambda row, rows: row[1] is None,
        key="categories",
        title=_("Hot categories, last 4 weeks"),
        heading=_("Category"),
    )
    regions = _hot_chart(
        counts["regions"],
        [(r.pk, r.parent_id, r.code, r.name, r.level) for r in kept_rows(Region).values()],
        lambda row, rows: row[4] <= Region.Level.COUNTY,
        key="regions",
        title=_("Hot regions, last 4 weeks"),
        heading=_("Region"),
    )
    return {
        "title": _("Trends"),
        "as_of": counts["as_of"],
        "charts": [trend, collective, categories, regions, _overdue_chart(counts["overdue"])],
    }


def leader_section(user: User) -> dict | None:
    if not policies.is_leader(user):
        return None
    today = timezone.localdate()
    # Kept like the office's figures: a leader's units are a few grouped queries over large departments.
    units = caching.kept(
        f"home-leader-units:{user.pk}:{today.isoformat()}", lambda: leader_units(user), timeout=KEPT_SECONDS
    )
    return {"units": units}

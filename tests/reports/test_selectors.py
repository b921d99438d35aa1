"""Exact figures from the crafted week (see conftest.py for what each case went through)."""

from datetime import date

import pytest

from petitions.models import Case
from reports.selectors import DEFINITIONS, Period, previous_week, report_figures, week_of


def test_the_office_figures_of_the_crafted_week(crafted_week):
    figures = report_figures(crafted_week.period, None, today=crafted_week.today)
    assert figures["totals"] == {
        "new": 5,  # P (Mon 00:10), R, N, C, S (Sun 23:59); not V (void), not M (Mon 00:30 next week)
        "collective": 1,
        "collective_persons": 6,
        "repeat": 1,
        "skip_level": 1,
        "accepted": 2,  # R (first acceptance only, though routed twice) and C
        "not_accepted": 1,
        "voided": 1,
        "handled": 2,  # L and E
        "handled_on_time": 1,  # E, by its extended deadline; L was 12 days late
        "on_time_rate": 0.5,
        "closed": 1,
        "overdue": 2,  # U (acceptance) and O (handling)
        "extended": 1,
        "returned": 1,
        "handed_down": 0,  # none of them came from a higher authority (tests/reports/test_handed_down.py)
        "handed_down_closed": 0,
        "handed_down_overdue": 0,
        "merged": 0,  # no duplicate was merged (tests/petitions/test_links_and_merges.py)
        "co_parts": 0,  # no joint case (tests/petitions/test_joint_handling.py)
        "co_parts_answered": 0,
        "co_parts_late": 0,
        "co_parts_overdue": 0,
    }
    channels = {row["key"]: row["count"] for row in figures["tables"]["channel"]}
    assert channels == {"visit": 2, "letter": 1, "phone": 1, "online": 1, "mailbox": 0, "other": 0}
    assert sum(row["count"] for row in figures["tables"]["category"]) == 5
    assert sum(row["count"] for row in figures["tables"]["region"]) == 5
    assert all(row["code"] for row in figures["tables"]["category"])
    satisfaction = {row["key"]: row["count"] for row in figures["tables"]["satisfaction"]}
    assert satisfaction == {"satisfied": 1, "fairly": 0, "dissatisfied": 0, "": 0}
    assert figures["time_zone"] == "Asia/Shanghai" and figures["made_at"].endswith("+08:00")


def test_the_department_table_counts_routings_returns_and_extensions_where_they_happened(crafted_week):
    figures = report_figures(crafted_week.period, None, today=crafted_week.today)
    rows = {row["code"]: row for row in figures["tables"]["departments"]}
    assert rows["ZJJ"] == {
        "code": "ZJJ",
        "name": crafted_week.zjj.name,
        "routed": 2,  # R (returned the next day) and C
        "handled": 1,
        "handled_on_time": 0,
        "on_time_rate": 0.0,
        "overdue": 1,
        "extended": 0,
        "returned": 1,
    }
    assert rows["JYJ"] == {
        "code": "JYJ",
        "name": crafted_week.jyj.name,
        "routed": 1,  # R again
        "handled": 1,
        "handled_on_time": 1,
        "on_time_rate": 1.0,
        "overdue": 0,
        "extended": 1,
        "returned": 0,
    }
    assert all(
        row["routed"] == row["handled"] == row["overdue"] == 0
        for code, row in rows.items()
        if code not in {"ZJJ", "JYJ"}
    )


def test_the_overdue_annex_lists_open_cases_past_their_deadline_as_of_the_day_after_the_period(crafted_week):
    figures = report_figures(crafted_week.period, None, today=crafted_week.today)
    cases = crafted_week.cases
    assert [(row["number"], row["due"], row["days_overdue"], row["state"]) for row in figures["overdue"]] == [
        (cases["U"].number, "2026-11-04", 12, "received"),
        (cases["O"].number, "2026-11-09", 7, "assigned"),
    ]
    assert figures["cutoff"] == "2026-11-16"


def test_a_department_report_counts_what_was_routed_to_it(crafted_week):
    figures = report_figures(crafted_week.period, crafted_week.zjj, today=crafted_week.today)
    totals = figures["totals"]
    assert (totals["new"], totals["collective"], totals["collective_persons"]) == (2, 1, 6)
    assert (totals["accepted"], totals["not_accepted"], totals["voided"]) == (1, 0, 0)
    assert (totals["handled"], totals["handled_on_time"], totals["on_time_rate"]) == (1, 0, 0.0)
    assert (totals["closed"], totals["overdue"], totals["extended"], totals["returned"]) == (1, 1, 0, 1)
    assert [row["code"] for row in figures["tables"]["departments"]] == ["ZJJ"]
    assert [row["number"] for row in figures["overdue"]] == [crafted_week.cases["O"].number]
    assert figures["scope"] == {"department": crafted_week.zjj.pk, "code": "ZJJ", "name": crafted_week.zjj.name}


def test_the_trend_covers_eight_monday_weeks_up_to_the_period(crafted_week):
    figures = report_figures(crafted_week.period, None, today=crafted_week.today)
    assert [row["week_start"] for row in figures["trend"]] == [
        "2026-09-21",
        "2026-09-28",
        "2026-10-05",
        "2026-10-12",
        "2026-10-19",
        "2026-10-26",
        "2026-11-02",
        "2026-11-09",
    ]
    assert [row["new"] for row in figures["trend"]] == [0, 0, 0, 0, 1, 0, 0, 5]
    assert [row["handled"] for row in figures["trend"]] == [0, 0, 0, 0, 0, 0, 0, 2]
    department = report_figures(crafted_week.period, crafted_week.zjj, today=crafted_week.today)
    assert [row["new"] for row in department["trend"]][-1] == 2
    assert [row["handled"] for row in department["trend"]][-1] == 1


def test_a_period_that_has_not_ended_judges_overdue_as_of_today(crafted_week):
    period = Period(date(2026, 11, 9), date(2026, 11, 30))
    figures = report_figures(period, None, today=date(2026, 11, 10))
    assert figures["cutoff"] == "2026-11-10"
    cases = crafted_week.cases
    assert [(row["number"], row["days_overdue"]) for row in figures["overdue"]] == [
        (cases["U"].number, 6),
        (cases["O"].number, 1),
    ]


@pytest.mark.django_db
def test_an_empty_week_gives_a_zero_report():
    figures = report_figures(Period(date(2020, 3, 2), date(2020, 3, 8)), None, today=date(2020, 3, 9))
    assert Case.objects.count() == 0
    assert figures["totals"]["new"] == 0
    assert figures["totals"]["on_time_rate"] is None
    assert figures["overdue"] == []
    assert all(row["count"] == 0 for row in figures["tables"]["channel"])
    assert len(figures["trend"]) == 8


def test_weeks_run_monday_to_sunday():
    assert previous_week(date(2026, 11, 16)) == Period(date(2026, 11, 9), date(2026, 11, 15))
    assert previous_week(date(2026, 11, 22)) == Period(date(2026, 11, 9), date(2026, 11, 15))
    assert week_of(date(2026, 11, 15)).start == date(2026, 11, 9)


def test_every_figure_of_the_summary_has_one_written_definition():
    from reports.rendering import SUMMARY_KEYS

    assert set(SUMMARY_KEYS) <= set(DEFINITIONS)
    assert all(str(definition.text) for definition in DEFINITIONS.values())


def test_figures_cost_the_same_queries_for_an_empty_week_and_a_busy_one(crafted_week):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as busy:
        report_figures(crafted_week.period, None, today=crafted_week.today)
    with CaptureQueriesContext(connection) as empty:
        report_figures(Period(date(2020, 3, 2), date(2020, 3, 8)), None, today=date(2020, 3, 9))
    # 25; the returns part's look-up of the reporting units (none here: information.returns.selectors); the
    # callback rates; the co-department parts; supervision's documents and matters (its registered figures)
    assert len(busy) == len(empty) <= 30

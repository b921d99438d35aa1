"""The weekly report counts supervision's documents per scope (office, department), exactly."""

from datetime import date

import pytest
from django.utils import translation

from reports.rendering import report_context
from reports.selectors import Period, report_figures

pytestmark = pytest.mark.django_db


def test_the_weekly_report_counts_the_documents_and_matters_of_its_week_and_scope(chased, department, other_department):
    week = Period(date(2026, 8, 3), date(2026, 8, 9))  # the 督办单 of 7 August; the 催办 was on Saturday 1 August
    figures = report_figures(week, department, today=date(2026, 12, 1))["extra_totals"]
    assert figures == {
        "supervision_urge": 0,
        "supervision_notice": 1,
        "supervision_criticism": 0,
        "supervision_matters": 1,
        "supervision_replies_late": 0,  # due 14 August
        "supervision_recommendations": 0,
        "supervision_recommendations_adopted": 0,
    }
    next_week = report_figures(Period(date(2026, 8, 10), date(2026, 8, 16)), None, today=date(2026, 12, 1))
    assert next_week["extra_totals"]["supervision_criticism"] == 1
    assert next_week["extra_totals"]["supervision_replies_late"] == 1
    assert next_week["extra_totals"]["supervision_notice"] == 0
    elsewhere = report_figures(week, other_department, today=date(2026, 12, 1))["extra_totals"]
    assert set(elsewhere.values()) == {0}
    # Printed among the key figures, each with its definition.
    with translation.override("en"):
        context = report_context(next_week, weekly=True)
    assert ["Notices of criticism", 1] in [[str(label), value] for label, value in context["summary"]["rows"]]
    assert "supervision_criticism" in [definition.key for definition in context["definitions"]]

"""The annual report (T22 41) of 2026 on the crafted week: exact figures, one click, reproducible from its snapshot."""

import csv
import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from devdata.factories import UserFactory, advance
from petitions.models import Department, Role
from reports.annual import annual_figures, year_period
from reports.bulletins import annual_html
from reports.models import Report
from reports.rendering import html_to_pdf
from reports.selectors import DEFINITIONS
from reports.services import report_generate, report_regenerate
from supervision.services import recommendation_answer, recommendation_issue
from tests.reports.conftest import received
from tests.reports.pdf_tools import embedded_cjk_fonts, pdf_text

YEAR = year_period(2026)


@pytest.fixture
def crafted_year(crafted_week, clerk, supervisor):
    """Three more cases of 2026 naming the unit complained about: twice 某街道办事处, once 某区住建局."""
    for day, unit in [
        (date(2026, 3, 2), "某街道办事处"),
        (date(2026, 4, 6), " 某街道办事处 "),
        (date(2026, 5, 4), "某区住建局"),
    ]:
        case = received(clerk, day, complained_unit=unit)
        advance(case, "assigned", supervisor=supervisor, department=crafted_week.zjj)
    return crafted_week


def test_the_annual_figures_are_exact(crafted_year):
    figures = annual_figures(YEAR, today=date(2027, 1, 4))
    totals = figures["totals"]
    # The crafted cases of 2026 but V (void): L, E, O, U, P, R, N, C, S, M, and the three above.
    assert totals["new"] == 13
    assert totals["collective"] == 1 and totals["repeat"] == 1
    # Routed (转送) at least once: L, E, O, R (twice, counted once), C and the three above.
    assert totals["transferred"] == 8
    assert totals["handed_down_year"] == 0
    assert totals["supervision_notices"] == 0  # the ladder never ran on these cases
    assert figures["tables"]["complained_units"] == [
        {"name": "某街道办事处", "count": 2},  # spaces around the name do not make another unit
        {"name": "某区住建局", "count": 1},
    ]
    assert sum(row["count"] for row in figures["tables"]["category"]) == 13
    assert figures["recommendations"] == {"made": 0, "answered": 0, "adopted": 0}  # none made in 2026


def test_the_recommendations_of_the_year_are_counted_from_the_supervision_app(crafted_year, supervisor):
    """Made in the year; answered; adopted (T22 40 via supervision's registered counts)."""
    department = Department.objects.get(code="ZJJ")
    head = UserFactory(roles=[Role.DEPARTMENT_HEAD], department=department)
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        made = [recommendation_issue(department=department, actor=supervisor, text=f"建议{n}。") for n in range(3)]
        recommendation_answer(recommendation_id=made[0].pk, actor=head, text="已采纳。", adopted=True)
        recommendation_answer(recommendation_id=made[1].pk, actor=head, text="不予采纳。", adopted=False)
    with time_machine.travel(datetime(2027, 1, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        recommendation_issue(department=department, actor=supervisor, text="下一年的建议。")  # not 2026's
    figures = annual_figures(YEAR, today=date(2027, 1, 4))
    assert figures["recommendations"] == {"made": 3, "answered": 2, "adopted": 1}


def test_the_recommendations_section_prints_the_supervision_counts(crafted_year, tmp_path):
    snapshot = annual_figures(YEAR, today=date(2027, 1, 4))
    snapshot["recommendations"] = None  # a portal where no app keeps them
    without = pdf_text(html_to_pdf(annual_html(snapshot, language="en")), tmp_path)
    assert "Recommendations are not recorded in this portal" in without
    snapshot["recommendations"] = {"made": 7, "answered": 5, "adopted": 3}  # the contract's shape
    text = pdf_text(html_to_pdf(annual_html(snapshot, language="en")), tmp_path)
    assert re.search(r"Made\s+7\n", text) and re.search(r"Answered\s+5\n", text) and re.search(r"Adopted\s+3\n", text)


def test_one_click_makes_the_annual_report_and_it_reprints_from_its_snapshot(
    client, crafted_year, supervisor, clerk, tmp_path
):
    client.force_login(supervisor)
    with translation.override("zh-hans"):
        new_label = str(DEFINITIONS["new"].label)
    response = client.post(reverse("reports:annual_request"), {"year": "2026"})
    report = Report.objects.get(kind=Report.Kind.ANNUAL)
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", args=[report.pk])
    assert (report.period_start, report.period_end, report.department) == (date(2026, 1, 1), date(2026, 12, 31), None)
    report_generate(report_id=report.pk, today=date(2027, 1, 4))
    report.refresh_from_db()
    assert report.status == Report.Status.READY
    pdf = report.pdf.open("rb").read()
    text = pdf_text(pdf, tmp_path)
    assert "某街道办事处" in text and "第四十一条" in text  # made under T22 art. 41, in the office's language
    assert embedded_cjk_fonts(pdf, tmp_path)
    stored_csv = client.get(reverse("reports:csv", args=[report.pk, "summary"])).content

    received(clerk, date(2026, 6, 1), complained_unit="某区住建局")  # a case registered after the report was made

    assert client.get(reverse("reports:csv", args=[report.pk, "summary"])).content == stored_csv
    preview = client.get(reverse("reports:preview", args=[report.pk])).content.decode()
    assert f"<span>{new_label}</span><b>13</b>" in preview
    rows = dict(csv.reader(io.StringIO(stored_csv.decode("utf-8-sig"))))
    assert rows[new_label] == "13"

    report_regenerate(actor=supervisor, report_id=report.pk)
    report_generate(report_id=report.pk, today=date(2027, 1, 4))
    report.refresh_from_db()
    assert report.snapshot["totals"]["new"] == 14  # made again: from the cases as they are now


@pytest.mark.parametrize("year", ["", "abc", "1999", "2999"])
def test_a_bad_year_changes_nothing(client, supervisor, year):
    client.force_login(supervisor)
    response = client.post(reverse("reports:annual_request"), {"year": year}, follow=True)
    assert response.status_code == 200
    assert not Report.objects.filter(kind=Report.Kind.ANNUAL).exists()
    assert response.context["messages"] and list(response.context["messages"])


def test_only_those_who_request_reports_make_the_annual_report(client, leader, department_head):
    for user in (leader, department_head):
        client.force_login(user)
        assert client.post(reverse("reports:annual_request"), {"year": "2025"}).status_code == 403
    assert not Report.objects.exists()

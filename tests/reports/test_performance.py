"""Department performance of November 2026, exact, on the crafted week plus what the rest of the month did.

November for ZJJ: accepted C on time (1/1); handled L 12 days late (0/1); closed L, satisfied (1/1 evaluated,
1/1 satisfied); routed R and C, C a repeat case (1/2); returned R (1); one supervision notice (O).
November for JYJ: accepted R on time and U late (1/2); handled E and R on time (2/2); closed E (dissatisfied)
and R (not evaluated): satisfied 0/1, evaluated 1/2; routed R and U, no repeat (0/2); none returned; one
supervision notice (U, chased while it waited for acceptance, now JYJ's).
"""

import csv
import io
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from devdata.factories import UserFactory, advance
from escalation.services import escalation_sweep
from petitions.models import CaseLog, Role, Satisfaction
from petitions.services import lifecycle
from reports import performance
from reports.models import Report
from reports.performance import METRICS, month_period, performance_figures
from reports.services import ReportError, report_make_now, report_request
from tests.reports.conftest import at
from tests.reports.pdf_tools import embedded_cjk_fonts, pdf_text

NOVEMBER = month_period(2026, 11)


@pytest.fixture
def crafted_month(crafted_week, supervisor):
    cases, jyj = crafted_week.cases, crafted_week.jyj
    jyj_handler = UserFactory(roles=[Role.HANDLER], department=jyj)
    with at(date(2026, 11, 16), 10):
        lifecycle.case_record_delivery(case_id=cases["E"].pk, actor=supervisor, delivered_on=date(2026, 11, 16))
    with at(date(2026, 11, 18), 10):
        advance(cases["R"], "delivered", supervisor=supervisor, handler=jyj_handler)
    with at(date(2026, 11, 19), 8):
        escalation_sweep(exclusive=False)  # O (handling, due 11-09) and U (acceptance, due 11-04): level 2
    with at(date(2026, 11, 20), 10):
        lifecycle.case_accept(case_id=cases["U"].pk, actor=supervisor, department=jyj)  # 16 days late
        lifecycle.case_close(case_id=cases["E"].pk, actor=supervisor, satisfaction=Satisfaction.DISSATISFIED)
    with at(date(2026, 11, 25), 10):
        lifecycle.case_close(case_id=cases["R"].pk, actor=supervisor)
    return crafted_week


def figures_of(rows, code):
    return next(row["figures"] for row in rows if row["code"] == code)


def test_every_metric_is_exact_per_department(crafted_month, django_assert_max_num_queries):
    supervision = CaseLog.objects.filter(action="supervision_notice").values_list("case__number", flat=True)
    assert sorted(supervision) == sorted([crafted_month.cases["O"].number, crafted_month.cases["U"].number])
    with django_assert_max_num_queries(4):  # one statement per family, and the departments
        rows = performance_figures(NOVEMBER)
    assert figures_of(rows, "ZJJ") == {
        "timely_acceptance": {"n": 1, "of": 1, "rate": 1.0},
        "on_time_handling": {"n": 0, "of": 1, "rate": 0.0},
        "satisfaction": {"n": 1, "of": 1, "rate": 1.0},
        "participation": {"n": 1, "of": 1, "rate": 1.0},
        "repeat": {"n": 1, "of": 2, "rate": 0.5},
        "returned": {"n": 1},
        "supervised": {"n": 1},
    }
    assert figures_of(rows, "JYJ") == {
        "timely_acceptance": {"n": 1, "of": 2, "rate": 0.5},
        "on_time_handling": {"n": 2, "of": 2, "rate": 1.0},
        "satisfaction": {"n": 0, "of": 1, "rate": 0.0},
        "participation": {"n": 1, "of": 2, "rate": 0.5},
        "repeat": {"n": 0, "of": 2, "rate": 0.0},
        "returned": {"n": 0},
        "supervised": {"n": 1},
    }
    # October: U was received then, nothing else of these departments happened; rates without cases are None.
    october = figures_of(performance_figures(month_period(2026, 10)), "JYJ")
    assert october["satisfaction"] == {"n": 0, "of": 0, "rate": None}


def test_one_department_alone_gets_the_same_row(crafted_month):
    alone = performance_figures(NOVEMBER, crafted_month.jyj)
    assert [row["code"] for row in alone] == ["JYJ"]
    assert alone[0]["figures"] == figures_of(performance_figures(NOVEMBER), "JYJ")


def test_a_metric_plugs_in_through_the_registry(crafted_month):
    def handled_late(period, department_id):
        return {
            pk: {"late": counts["handled"] - counts["handled_on_time"]}
            for pk, counts in performance.flow_counts(period, department_id).items()
        }

    performance.register_family(performance.Family("late", handled_late))
    performance.register_metric(performance.Metric("late", "late", "handled after the deadline", "late", "late"))
    try:
        assert figures_of(performance_figures(NOVEMBER), "ZJJ")["late"] == {"n": 1}
    finally:
        del performance.METRICS["late"], performance.FAMILIES["late"]


class _Table(HTMLParser):
    def __init__(self, key: str) -> None:
        super().__init__()
        self.key, self.inside, self.rows, self.cell = key, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("data-table") == self.key:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def screen_table(html: str, key: str) -> list[list[str]]:
    parser = _Table(key)
    parser.feed(html)
    return parser.rows


def test_the_csv_file_equals_the_screen(client, crafted_month, supervisor):
    client.force_login(supervisor)
    page = client.get(reverse("reports:performance"), {"month": "2026-11"})
    assert page.status_code == 200
    shown = screen_table(page.content.decode(), "performance")
    response = client.get(reverse("reports:performance_csv"), {"month": "2026-11"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == shown
    zjj = next(row for row in rows if row[0] == "ZJJ")
    assert zjj[2:] == ["100.0% (1/1)", "0.0% (0/1)", "100.0% (1/1)", "100.0% (1/1)", "50.0% (1/2)", "1", "1"]
    for metric in METRICS.values():  # the definitions are printed under the table
        assert str(metric.definition)[:20] in page.content.decode()


def test_a_department_head_sees_only_their_own_row(client, crafted_month, department_head, handler):
    client.force_login(department_head)  # ZJJ
    page = client.get(reverse("reports:performance"), {"month": "2026-11"})
    codes = [row[0] for row in screen_table(page.content.decode(), "performance")[1:]]
    assert codes == ["ZJJ"]
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("reports:performance_csv"), {"month": "2026-11"}).content.decode("utf-8-sig")
            )
        )
    )
    assert [row[0] for row in rows[1:]] == ["ZJJ"]
    assert client.post(reverse("reports:performance_bulletin"), {"month": "2026-11"}).status_code == 403
    client.force_login(handler)
    assert client.get(reverse("reports:performance")).status_code == 403
    assert client.get(reverse("reports:performance_csv")).status_code == 403


@pytest.mark.parametrize("month", ["2026-13", "yesterday", "1999-12", "2026-1x"])
def test_a_bad_month_is_a_clear_error(client, supervisor, month):
    client.force_login(supervisor)
    page = client.get(reverse("reports:performance"), {"month": month})
    assert page.status_code == 400
    assert re.search(r'class="[^"]*error', page.content.decode())
    assert client.get(reverse("reports:performance_csv"), {"month": month}).status_code == 400


def test_the_monthly_bulletin_prints_the_figures_and_their_definitions(client, crafted_month, supervisor, tmp_path):
    client.force_login(supervisor)
    response = client.post(reverse("reports:performance_bulletin"), {"month": "2026-11"})
    report = Report.objects.get(kind=Report.Kind.PERFORMANCE)
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", args=[report.pk])
    report = report_make_now(period=NOVEMBER, kind=Report.Kind.PERFORMANCE)
    assert report.status == Report.Status.READY
    pdf = report.pdf.open("rb").read()
    text = pdf_text(pdf, tmp_path)
    assert "承办单位信访工作月度通报" in text  # its title, in the office's language
    for metric in METRICS.values():
        assert str(metric.label) in text
    assert "50.0% (1/2)" in text
    assert embedded_cjk_fonts(pdf, tmp_path)
    # The stored CSV table is the page's.
    stored = client.get(reverse("reports:csv", args=[report.pk, "performance"]))
    page_csv = client.get(reverse("reports:performance_csv"), {"month": "2026-11"})
    assert stored.content == page_csv.content


def test_a_bulletin_and_a_report_of_the_same_month_are_two_reports(db, supervisor):
    bulletin = report_request(actor=supervisor, start=NOVEMBER.start, end=NOVEMBER.end, kind=Report.Kind.PERFORMANCE)
    period = report_request(actor=supervisor, start=NOVEMBER.start, end=NOVEMBER.end)
    assert bulletin.pk != period.pk and period.kind == Report.Kind.PERIOD
    again = report_request(actor=supervisor, start=NOVEMBER.start, end=NOVEMBER.end, kind=Report.Kind.PERFORMANCE)
    assert again.pk == bulletin.pk
    with pytest.raises(ReportError):
        report_request(actor=supervisor, start=NOVEMBER.start, end=date(2026, 11, 29), kind=Report.Kind.PERFORMANCE)

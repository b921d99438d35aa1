"""The report back (办结报告) as a PDF, and the weekly report's figures of handed-down cases."""

from datetime import date

import pytest
from django.urls import reverse

from devdata.factories import advance, register_case
from petitions.errors import ActionNotAllowed
from petitions.models import CaseLog, Evaluation, HandedDown, Satisfaction
from petitions.services.higher_authority import HandedDownData, handed_down_record, interim_report_record
from petitions.services.lifecycle import case_add_note, case_take
from reports.report_back import report_back_issue
from reports.selectors import report_figures
from tests.escalation.conftest import on
from tests.reports.conftest import at
from tests.reports.pdf_tools import embedded_cjk_fonts, pdf_text


def order(reference: str, *, on_day: date, due: date) -> HandedDownData:
    return HandedDownData(authority="省信访局", reference=reference, handed_down_on=on_day, due=due)


def test_the_report_back_holds_outcome_steps_and_evaluation_but_no_identity_or_notes(
    tmp_path, clerk, supervisor, department, handler, client
):
    with on(date(2026, 6, 1)):
        case = register_case(clerk=clerk)
        handed_down_record(
            case_id=case.pk,
            actor=clerk,
            data=order("湘访交〔2026〕48号", on_day=date(2026, 6, 1), due=date(2026, 6, 30)),
        )
        primary = case.case_petitioners.get(role="primary")
        case = advance(case, "assigned", supervisor=supervisor, department=department)
        case_take(case_id=case.pk, actor=handler)
        case_add_note(case_id=case.pk, actor=handler, note="内部备注：不得外传")
        interim_report_record(case_id=case.pk, actor=handler, reported_on=date(2026, 6, 1), text="已开展调查核实。")
    with on(date(2026, 6, 15)):
        case = advance(case, "delivered", supervisor=supervisor, handler=handler)
        Evaluation.objects.create(case=case, case_petitioner=primary, level=Satisfaction.SATISFIED, source="online")
        with pytest.raises(ActionNotAllowed):
            report_back_issue(case=case, actor=handler)  # the office issues it
        issued = report_back_issue(case=case, actor=supervisor)
    pdf = issued.report_file.read()
    text = pdf_text(pdf, tmp_path)
    assert "办结报告" in text and "湘访交〔2026〕48号" in text and case.number in text
    assert "解释说明" in text  # the outcome
    assert "2026-06-01" in text and "2026-06-15" in text  # the steps and their dates
    assert "已开展调查核实" in text  # the interim report
    assert "满意" in text  # the petitioner's evaluation
    assert primary.name not in text and primary.phone not in text  # no identity
    assert "内部备注" not in text  # never the internal notes
    assert embedded_cjk_fonts(pdf, tmp_path), "no embedded CJK font"
    assert CaseLog.objects.filter(case=case, action=CaseLog.Action.REPORT_BACK).count() == 1
    with pytest.raises(ActionNotAllowed):
        report_back_issue(case=case, actor=supervisor)  # once
    client.force_login(supervisor)
    response = client.get(reverse("reports:report_back_pdf", args=[case.number]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf


def test_the_weekly_report_counts_handed_down_cases_received_closed_and_overdue(crafted_week, clerk, supervisor):
    cases = crafted_week.cases
    orders = {
        "L": (date(2026, 9, 1), date(2026, 11, 1)),  # closed in the week, report back owed: overdue
        "P": (date(2026, 11, 9), date(2026, 11, 12)),  # received in the week, overdue by the 16th
        "R": (date(2026, 11, 10), date(2026, 11, 30)),  # received in the week, not yet due
        "V": (date(2026, 11, 11), date(2026, 11, 12)),  # void: counted nowhere
    }
    for key, (on_day, due) in orders.items():
        HandedDown.objects.create(
            case=cases[key], authority="省信访局", reference=key, handed_down_on=on_day, due=due, recorded_by=clerk
        )
    with at(crafted_week.today, 6, 0):
        totals = report_figures(crafted_week.period, None, today=crafted_week.today)["totals"]
    assert (totals["handed_down"], totals["handed_down_closed"], totals["handed_down_overdue"]) == (2, 1, 2)
    with at(crafted_week.today, 6, 0):
        department = report_figures(crafted_week.period, crafted_week.zjj, today=crafted_week.today)["totals"]
    assert department["handed_down_closed"] == 1  # L was handled by ZJJ

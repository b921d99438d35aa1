"""Cases handed down from a higher authority (交办件): the order, its clock, interim reports, the list."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from devdata.factories import advance, register_case
from escalation.models import Escalation
from escalation.services import escalation_sweep
from petitions.clocks.deadlines import case_deadlines
from petitions.errors import ActionNotAllowed
from petitions.models import Case, CaseLog, Clock, HandedDown
from petitions.services import lifecycle
from petitions.services.higher_authority import HandedDownData, handed_down_record, interim_report_record
from tests.escalation.conftest import on
from tests.intake import intake_post

HANDED_DOWN_ON = date(2026, 6, 1)
AUTHORITY_DUE = date(2026, 6, 20)  # a Saturday: the authority's date stands


def order(**overrides) -> HandedDownData:
    values = {
        "authority": "省信访局",
        "reference": "湘访交〔2026〕48号",
        "handed_down_on": HANDED_DOWN_ON,
        "due": AUTHORITY_DUE,
        "interim_reports_required": True,
        "interim_report_due": date(2026, 6, 10),
    }
    return HandedDownData(**{**values, **overrides})


@pytest.fixture
def handed_down_case(clerk, supervisor, department, handler):
    with on(HANDED_DOWN_ON):
        case = register_case(clerk=clerk)
        handed_down_record(case_id=case.pk, actor=clerk, data=order())
        case = advance(case, "assigned", supervisor=supervisor, department=department)
        case = lifecycle.case_take(case_id=case.pk, actor=handler)
    return case


def test_the_order_is_logged_and_shown_with_its_explanation_among_the_deadlines(handed_down_case):
    with on(HANDED_DOWN_ON + timedelta(days=2)):
        case = Case.objects.select_related("handed_down").get(pk=handed_down_case.pk)  # as the case page reads it
        rows = {row.clock: row for row in case_deadlines(case)}
    row = rows[Clock.HANDED_DOWN]
    assert row.due == AUTHORITY_DUE and row.running
    assert "省信访局" in row.explanation and "湘访交〔2026〕48号" in row.explanation
    assert "2026-06-20" in row.explanation
    assert CaseLog.objects.filter(case=handed_down_case, action=CaseLog.Action.HANDED_DOWN).count() == 1


def test_the_ladder_chases_the_authoritys_date_and_stops_once_reported(handed_down_case, supervisor):
    # Statutory handling is due 2026-07-31; the authority's date, 2026-06-20, comes first.
    for day in (AUTHORITY_DUE - timedelta(days=2), AUTHORITY_DUE + timedelta(days=7)):
        with on(day):
            escalation_sweep()
    chased = set(Escalation.objects.filter(case=handed_down_case).values_list("clock", "level", "deadline"))
    assert chased == {
        (Clock.HANDED_DOWN, 0, AUTHORITY_DUE),
        (Clock.HANDED_DOWN, 1, AUTHORITY_DUE),
        (Clock.HANDED_DOWN, 2, AUTHORITY_DUE),
    }
    with on(AUTHORITY_DUE + timedelta(days=8)):
        assert escalation_sweep().escalations == 0  # once per rung and deadline
    HandedDown.objects.filter(case=handed_down_case).update(report_issued_at=timezone.now(), report_file="x.pdf")
    with on(AUTHORITY_DUE + timedelta(days=16)):
        escalation_sweep()
    assert not Escalation.objects.filter(case=handed_down_case, clock=Clock.HANDED_DOWN, level=3).exists()


def test_a_reference_is_recorded_once_and_bad_dates_change_nothing(clerk, supervisor):
    with on(HANDED_DOWN_ON):
        first, second = register_case(clerk=clerk), register_case(clerk=clerk)
        handed_down_record(case_id=first.pk, actor=clerk, data=order())
        with pytest.raises(ValidationError) as error:
            handed_down_record(case_id=second.pk, actor=supervisor, data=order())
        assert "reference" in error.value.error_dict
        with pytest.raises(ValidationError) as error:
            handed_down_record(case_id=second.pk, actor=supervisor, data=order(reference="2", due=date(2026, 5, 1)))
        assert "due" in error.value.error_dict
    assert not HandedDown.objects.filter(case=second).exists()


def test_only_the_registering_clerk_or_a_supervisor_records_the_order(clerk, handler, supervisor):
    with on(HANDED_DOWN_ON):
        case = register_case(clerk=clerk)
        with pytest.raises(ActionNotAllowed):
            handed_down_record(case_id=case.pk, actor=handler, data=order())
        handed_down_record(case_id=case.pk, actor=supervisor, data=order())


def test_interim_reports_are_recorded_logged_and_listed(handed_down_case, handler, client):
    with on(date(2026, 6, 10)):
        interim_report_record(
            case_id=handed_down_case.pk,
            actor=handler,
            reported_on=date(2026, 6, 10),
            text="已组织现场核查，正在协调补偿方案。",
            next_due=date(2026, 6, 17),
        )
        client.force_login(handler)
        page = client.get(reverse("case_detail", args=[handed_down_case.number])).content.decode()
    assert "已组织现场核查" in page and "2026-06-17" in page
    entry = CaseLog.objects.get(case=handed_down_case, action=CaseLog.Action.INTERIM_REPORT)
    assert entry.data["next_due"] == "2026-06-17"


def test_the_list_shows_each_user_the_orders_of_the_cases_they_may_see(
    handed_down_case, client, supervisor, leader, handler, other_handler, clerk
):
    url = reverse("handed_down_list")
    with on(AUTHORITY_DUE + timedelta(days=1)):
        for user in (supervisor, leader, handler):
            client.force_login(user)
            page = client.get(url)
            assert page.status_code == 200
            assert handed_down_case.number in page.content.decode()
            assert "row-overdue" in page.content.decode()
        client.force_login(other_handler)  # another department
        page = client.get(url)
        assert page.status_code == 200 and handed_down_case.number not in page.content.decode()
        client.force_login(clerk)
        assert client.get(url).status_code == 403
        client.force_login(supervisor)
        page = client.get(url, {"authority": "省信访局", "status": "overdue"}).content.decode()
        assert handed_down_case.number in page
        page = client.get(url, {"status": "reported"}).content.decode()
        assert handed_down_case.number not in page


def test_a_clerk_registers_a_handed_down_case_in_one_go(client, clerk):
    client.force_login(clerk)
    with on(HANDED_DOWN_ON):
        data = {
            **intake_post(),
            "handed-is_handed_down": "on",
            "handed-authority": "省信访局",
            "handed-reference": "湘访交〔2026〕49号",
            "handed-handed_down_on": "2026-06-01",
            "handed-due": "2026-06-30",
        }
        response = client.post(reverse("case_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    order_row = HandedDown.objects.get(reference="湘访交〔2026〕49号")
    assert order_row.recorded_by == clerk and order_row.due == date(2026, 6, 30)


def test_an_incomplete_order_at_intake_registers_nothing(client, clerk):
    client.force_login(clerk)
    before, cases = HandedDown.objects.count(), Case.objects.count()
    with on(HANDED_DOWN_ON):
        response = client.post(reverse("case_create"), {**intake_post(), "handed-is_handed_down": "on"})
    assert response.status_code == 422
    assert Case.objects.count() == cases and HandedDown.objects.count() == before

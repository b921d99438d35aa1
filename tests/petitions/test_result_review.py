"""审核报结: a department's outcome waits for the office, which accepts it or sends it back for further
work within the handling clock; the ladder chases the part-deadline."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from devdata.factories import UserFactory, advance, register_case
from escalation.models import Escalation
from escalation.services import escalation_sweep
from petitions.clocks.deadlines import case_deadlines
from petitions.models import Case, CaseLog, Clock, Notification, Outcome, Role, State
from petitions.services import lifecycle
from reports.documents import available_documents, document_pdf, document_template, office_name
from tests.escalation.conftest import DUE, ROUTED, on
from tests.refusals import refused_with
from tests.reports.pdf_tools import pdf_text

pytestmark = pytest.mark.django_db

OWN_RESULT = "a department cannot accept its own"


@pytest.fixture
def routed(clerk, supervisor, department, handler):
    """A case routed on Monday 1 June 2026 (handling due Friday 31 July) and taken by `handler`."""
    with on(ROUTED):
        case = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
        return lifecycle.case_take(case_id=case.pk, actor=handler)


def submit(case: Case, handler, day: date, text: str = "经核查，已责成相关单位整改。") -> Case:
    with on(day):
        return lifecycle.case_handle(case_id=case.pk, actor=handler, outcome=Outcome.SUPPORTED, outcome_text=text)


def test_the_office_sends_an_outcome_back_with_a_part_deadline_inside_the_handling_clock(
    routed, handler, supervisor, department
):
    case = submit(routed, handler, date(2026, 6, 10))
    assert case.state == State.REVIEWING
    with on(date(2026, 6, 11)):  # a Thursday
        case = lifecycle.case_send_back(case_id=case.pk, actor=supervisor, reason="请补充现场核查记录。")
    assert (case.state, case.handling_due) == (State.ASSIGNED, DUE)
    # 10 working days from Thursday 11 June: the Dragon Boat Festival (19 June) is not counted.
    assert case.rework_due == date(2026, 6, 26)
    entry = CaseLog.objects.filter(case=case).latest("at", "id")
    assert (entry.action, entry.note, entry.data["department_name"]) == (
        "send_back",
        "请补充现场核查记录。",
        department.name,
    )
    assert entry.data["due"] == "2026-06-26" and entry.source_state == State.REVIEWING
    assert Notification.objects.filter(recipient=handler, kind="result_sent_back").exists()
    rework = next(row for row in case_deadlines(case) if row.clock == Clock.REWORK)
    assert rework.running and rework.due == date(2026, 6, 26)
    # The department fixes it: a new submission clears the part-deadline; the office accepts it.
    case = submit(case, handler, date(2026, 6, 20), "经补充核查，已责成整改并回复。")
    assert (case.state, case.rework_due) == (State.REVIEWING, None)
    with on(date(2026, 6, 22)):
        case = lifecycle.case_accept_result(case_id=case.pk, actor=supervisor, note="同意报结")
    assert (case.state, case.result_reviewed_by, case.outcome_text) == (
        State.HANDLED,
        supervisor,
        "经补充核查，已责成整改并回复。",
    )
    actions = list(CaseLog.objects.filter(case=case).values_list("action", flat=True))
    assert actions[-4:] == ["handle", "send_back", "handle", "accept_result"]


def test_a_send_back_near_the_deadline_never_runs_past_it(routed, handler, supervisor):
    case = submit(routed, handler, date(2026, 7, 27))
    with on(date(2026, 7, 28)):
        case = lifecycle.case_send_back(case_id=case.pk, actor=supervisor, reason="请补充依据。")
    assert case.rework_due == DUE == case.handling_due  # 10 working days would end 11 August
    assert case.deadline_basis["rework"]["cap"] == DUE.isoformat()
    with translation.override("en"):
        rework = next(row for row in case_deadlines(case) if row.clock == Clock.REWORK)
    assert "may not run past the handling deadline, 2026-07-31" in rework.explanation
    assert "recomputed" not in rework.explanation  # the stored basis gives the same day again


def test_a_send_back_after_the_deadline_keeps_the_handling_deadline(routed, handler, supervisor):
    case = submit(routed, handler, date(2026, 8, 3))
    with on(date(2026, 8, 4)):
        case = lifecycle.case_send_back(case_id=case.pk, actor=supervisor, reason="请重办。")
    assert case.rework_due == DUE < date(2026, 8, 4)  # already late: the department is overdue at once


def test_the_ladder_chases_the_part_deadline_at_the_department(routed, handler, supervisor):
    case = submit(routed, handler, date(2026, 6, 10))
    with on(date(2026, 6, 11)):
        case = lifecycle.case_send_back(case_id=case.pk, actor=supervisor, reason="请补充现场核查记录。")
    with on(date(2026, 6, 23)):  # 3 days before 26 June: the reminder
        assert escalation_sweep().escalations == 1
    with on(date(2026, 6, 26)):
        assert escalation_sweep().escalations == 1
    assert list(Escalation.objects.filter(case=case).values_list("clock", "level", "deadline")) == [
        ("rework", 0, date(2026, 6, 26)),
        ("rework", 1, date(2026, 6, 26)),
    ]
    assert Notification.objects.filter(recipient=handler, kind="deadline_reached", case=case).exists()


def test_a_case_awaiting_review_is_not_chased_at_the_department_but_its_clock_runs(routed, handler):
    case = submit(routed, handler, date(2026, 7, 20))
    for day in (date(2026, 7, 28), DUE, date(2026, 8, 7)):
        with on(day):
            assert escalation_sweep().escalations == 0
    with on(date(2026, 8, 3)):
        handling = next(row for row in case_deadlines(Case.objects.get(pk=case.pk)) if row.clock == Clock.HANDLING)
        assert handling.running and handling.met_on is None and handling.days_overdue == 3


def test_the_handling_clock_is_met_when_the_office_accepts(routed, handler, supervisor):
    case = submit(routed, handler, date(2026, 7, 30))
    with on(date(2026, 8, 3)):
        case = lifecycle.case_accept_result(case_id=case.pk, actor=supervisor)
    handling = next(row for row in case_deadlines(case) if row.clock == Clock.HANDLING)
    assert (handling.running, handling.met_on) == (False, date(2026, 8, 3))  # late: the review is inside


def test_a_department_cannot_accept_its_own_result_the_office_can(
    routed, handler, department_head, department, supervisor
):
    case = submit(routed, handler, date(2026, 6, 10))
    departmental_supervisor = UserFactory(roles=[Role.SUPERVISOR], department=department)
    for actor in (handler, department_head, departmental_supervisor):
        refused_with(lambda actor=actor: lifecycle.case_accept_result(case_id=case.pk, actor=actor), OWN_RESULT)
        refused_with(
            lambda actor=actor: lifecycle.case_send_back(case_id=case.pk, actor=actor, reason="自审"), OWN_RESULT
        )
    refused_with(lambda: lifecycle.case_send_back(case_id=case.pk, actor=supervisor, reason=" "), "Say what")
    assert Case.objects.get(pk=case.pk).state == State.REVIEWING
    assert lifecycle.case_accept_result(case_id=case.pk, actor=supervisor).state == State.HANDLED


def test_review_refused_outside_its_state(routed, supervisor):
    refused_with(lambda: lifecycle.case_accept_result(case_id=routed.pk, actor=supervisor), "while the case is")
    refused_with(lambda: lifecycle.case_send_back(case_id=routed.pk, actor=supervisor, reason="x"), "while the case is")


def test_the_opinion_is_issued_only_once_the_office_accepted_it(routed, handler, supervisor):
    case = submit(routed, handler, date(2026, 6, 10))
    assert "opinion" not in available_documents(case)
    with on(date(2026, 6, 11)):
        case = lifecycle.case_send_back(case_id=case.pk, actor=supervisor, reason="请补充。")
    assert "opinion" not in available_documents(case)
    case = submit(case, handler, date(2026, 6, 12))
    with on(date(2026, 6, 12)):
        case = lifecycle.case_accept_result(case_id=case.pk, actor=supervisor)
    assert "opinion" in available_documents(case)


def test_the_case_page_offers_the_review_to_the_office_only(client, routed, handler, supervisor):
    case = submit(routed, handler, date(2026, 6, 10))
    url = reverse("case_detail", args=[case.number])
    client.force_login(handler)
    page = client.get(url).content.decode()
    assert 'id="action-accept_result"' not in page and 'id="action-send_back"' not in page
    client.force_login(supervisor)
    page = client.get(url).content.decode()
    assert 'id="action-accept_result"' in page and 'id="action-send_back"' in page
    response = client.post(
        reverse("case_action", args=[case.number, "send_back"]),
        {"send_back-version": case.version, "send_back-reason": "请补充现场照片。"},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == State.ASSIGNED


def test_the_queue_shows_the_handling_deadline_of_a_case_in_review(client, routed, handler, supervisor):
    submit(routed, handler, date(2026, 6, 10))
    client.force_login(supervisor)
    with on(date(2026, 6, 12)):
        page = client.get(reverse("case_queue"), {"state": State.REVIEWING}).content.decode()
    assert '<span class="due-office" title="' in page and ">2026-07-31</span>" in page


def test_a_review_answer_waits_for_the_office_too(routed, handler, supervisor, clerk):
    with on(date(2026, 6, 10)):
        case = advance(routed, "delivered", supervisor=supervisor, handler=handler)
    with on(date(2026, 6, 15)):
        case = lifecycle.case_reopen_for_review(case_id=case.pk, actor=clerk, requested_on=date(2026, 6, 15))
    case = submit(case, handler, date(2026, 6, 20), "复查意见：维持。")
    assert case.state == State.REVIEWING and case.in_review  # still the review answer's clock
    with on(date(2026, 6, 22)):
        case = lifecycle.case_send_back(case_id=case.pk, actor=supervisor, reason="请说明维持理由。")
    assert case.rework_due <= case.handling_due == date(2026, 7, 15)
    with on(date(2026, 7, 6)):
        escalation_sweep()
    assert Escalation.objects.filter(case=case, clock="rework").exists()


def test_the_opinion_pdf_is_the_departments_with_the_offices_review(routed, handler, supervisor, department, tmp_path):
    case = submit(routed, handler, date(2026, 6, 10))
    with on(date(2026, 6, 12)):
        case = lifecycle.case_accept_result(case_id=case.pk, actor=supervisor)
    with translation.override("en"):
        office = str(office_name(document_template("opinion")))
    staff = " ".join(
        pdf_text(document_pdf(case=case, kind="opinion", user=supervisor, language="en"), tmp_path).split()
    )
    assert department.name in staff
    assert f"reviewed and accepted by {office} on 2026-06-12." in staff
    assert str(supervisor) not in staff  # a copy the petitioner receives names no staff (the case page does)
    own = " ".join(pdf_text(document_pdf(case=case, kind="opinion", user=None, language="en"), tmp_path).split())
    assert department.name in own and f"reviewed and accepted by {office} on 2026-06-12." in own
    assert str(supervisor) not in own

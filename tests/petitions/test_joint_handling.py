"""Joint handling (主办/协办): a lead department answers once; co-departments see the case, record their
part, and are chased for it at their own department by the real sweep."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from devdata.factories import UserFactory, register_case
from escalation.models import Escalation
from escalation.services import escalation_sweep
from petitions.clocks.deadlines import add_working_days
from petitions.errors import ActionNotAllowed
from petitions.models import (
    Case,
    CaseLink,
    CaseLog,
    CasePart,
    Clock,
    Department,
    LegalType,
    Notification,
    Purpose,
    Role,
    State,
)
from petitions.selectors import queues
from petitions.selectors.scopes import can_view_case, visible_cases
from petitions.services import lifecycle
from petitions.services.joint_handling import PartData, case_link, part_assign, part_record
from reports.selectors import Period, report_figures
from tests.escalation.conftest import ROUTED, on
from tests.samples import PDF


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The services' refusals are matched by their English text (the portal's default language is Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def co_department(db) -> Department:
    return Department.objects.get(code="JYJ")


@pytest.fixture
def third_department(db) -> Department:
    return Department.objects.exclude(code__in=["ZJJ", "JYJ"]).filter(is_active=True).order_by("code").first()


@pytest.fixture
def co_head(co_department):
    return UserFactory(roles=[Role.DEPARTMENT_HEAD], department=co_department)


@pytest.fixture
def co_handler(co_department):
    return UserFactory(roles=[Role.HANDLER], department=co_department)


@pytest.fixture
def joint_case(clerk, supervisor, department, handler, co_department, co_head):
    """Routed on ROUTED (Monday 1 June 2026) to `department`, taken by `handler`; `co_department` has a
    part due in 10 working days (Monday 15 June)."""
    with on(ROUTED):
        case = register_case(clerk=clerk, purpose=Purpose.REQUEST, legal_type=LegalType.CLAIM)
        case = lifecycle.case_accept(case_id=case.pk, actor=supervisor, department=department)
        case = lifecycle.case_take(case_id=case.pk, actor=handler)
        part_assign(case_id=case.pk, actor=supervisor, part=PartData(co_department, "核实学籍材料", 10))
    return Case.objects.get(pk=case.pk)


PART_DUE = date(2026, 6, 15)


def test_a_part_is_due_in_working_days_inside_the_handling_clock_and_its_heads_are_told(joint_case, co_head):
    part = CasePart.objects.get(case=joint_case)
    assert part.due == PART_DUE == add_working_days(ROUTED, 10)
    assert part.due <= joint_case.handling_due
    assert Notification.objects.filter(recipient=co_head, kind="case_part_assigned", case=joint_case).exists()
    assert CaseLog.objects.filter(case=joint_case, action=CaseLog.Action.PART_ASSIGN).count() == 1


def test_a_part_beyond_the_handling_deadline_or_for_the_lead_is_refused(joint_case, supervisor, department):
    other = Department.objects.exclude(pk__in=[department.pk, joint_case.parts.get().department_id]).first()
    with on(ROUTED), pytest.raises(ActionNotAllowed, match="handling deadline"):
        part_assign(case_id=joint_case.pk, actor=supervisor, part=PartData(other, "x", 60))
    with on(ROUTED), pytest.raises(ActionNotAllowed, match="lead department"):
        part_assign(case_id=joint_case.pk, actor=supervisor, part=PartData(department, "x", 5))
    with on(ROUTED), pytest.raises(ActionNotAllowed, match="already has a part"):
        part_assign(case_id=joint_case.pk, actor=supervisor, part=PartData(joint_case.parts.get().department, "y", 5))
    assert CasePart.objects.filter(case=joint_case).count() == 1


def test_co_department_sees_the_case_and_its_part_a_third_department_sees_nothing(
    joint_case, co_handler, third_department, client
):
    outsider = UserFactory(roles=[Role.HANDLER], department=third_department)
    assert can_view_case(co_handler, joint_case)
    assert visible_cases(co_handler).filter(pk=joint_case.pk).exists()
    assert not can_view_case(outsider, joint_case)
    assert not visible_cases(outsider).filter(pk=joint_case.pk).exists()
    client.force_login(co_handler)
    page = client.get(reverse("case_detail", args=[joint_case.number]))
    assert page.status_code == 200
    assert "核实学籍材料" in page.content.decode()
    assert "Record our part" in page.content.decode() or "报送本单位协办意见" in page.content.decode()
    client.force_login(outsider)
    assert client.get(reverse("case_detail", args=[joint_case.number])).status_code == 404
    part = joint_case.parts.get()
    answer = client.post(reverse("case_part_record", args=[part.pk]), {"answer": "x"})
    assert answer.status_code == 404
    part.refresh_from_db()
    assert part.answered_at is None


def test_the_co_department_cannot_act_as_the_lead(joint_case, co_handler, co_head):
    assert not lifecycle.policies.may_handle(joint_case, co_head)
    assert not lifecycle.policies.may_return(joint_case, co_head)
    with pytest.raises(ActionNotAllowed):
        lifecycle.case_handle(case_id=joint_case.pk, actor=co_head, outcome="explained", outcome_text="x")


def test_the_department_list_marks_the_co_department_case(joint_case, co_handler, handler):
    rows = {case.number: case.co_unit for case in queues.department_cases(co_handler)}
    assert rows == {joint_case.number: True}
    lead_rows = {case.number: case.co_unit for case in queues.department_cases(handler)}
    assert lead_rows[joint_case.number] is False


def test_a_late_part_is_chased_at_its_own_department_by_the_sweep(joint_case, co_head, head_of_lead, handler):
    # The reminder 3 days before, level 1 on the day, level 2 a week after: each once, at the co-department.
    for day in (PART_DUE - timedelta(days=3), PART_DUE, PART_DUE + timedelta(days=7), PART_DUE + timedelta(days=8)):
        with on(day):
            escalation_sweep()
    part = joint_case.parts.get()
    chased = set(Escalation.objects.filter(part=part).values_list("clock", "level", "deadline"))
    assert chased == {(Clock.PART, 0, PART_DUE), (Clock.PART, 1, PART_DUE), (Clock.PART, 2, PART_DUE)}
    level_1 = Escalation.objects.get(part=part, level=1)
    assert co_head.pk in level_1.recipients
    assert handler.pk not in level_1.recipients and head_of_lead.pk not in level_1.recipients
    # The case's own handling deadline (31 July) is not reached: nothing chased at the lead.
    assert not Escalation.objects.filter(case=joint_case, part__isnull=True).exists()
    # Recorded late: the part is no longer chased.
    with on(PART_DUE + timedelta(days=9)):
        part_record(part_id=part.pk, actor=co_head, answer="已核实学籍，材料附后。")
    with on(PART_DUE + timedelta(days=15)):
        assert escalation_sweep().escalations == 0
    entry = CaseLog.objects.get(case=joint_case, action=CaseLog.Action.PART_ANSWER)
    assert entry.data["late"] is True


def test_two_parts_due_the_same_day_are_each_chased_once(joint_case, supervisor, third_department):
    with on(ROUTED):
        part_assign(case_id=joint_case.pk, actor=supervisor, part=PartData(third_department, "测绘", 10))
    with on(PART_DUE):
        escalation_sweep()
    with on(PART_DUE):
        assert escalation_sweep().escalations == 0
    assert Escalation.objects.filter(clock=Clock.PART, level=1, deadline=PART_DUE).count() == 2


@pytest.fixture
def head_of_lead(department):
    return UserFactory(roles=[Role.DEPARTMENT_HEAD], department=department)


def test_the_lead_answers_once_with_the_parts_listed_and_is_warned_while_one_is_owed(
    joint_case, handler, co_handler, head_of_lead
):
    with on(ROUTED + timedelta(days=3)), pytest.raises(ActionNotAllowed, match="still owed"):
        lifecycle.case_handle(case_id=joint_case.pk, actor=handler, outcome="explained", outcome_text="答复")
    part = joint_case.parts.get()
    upload = SimpleUploadedFile("核实.pdf", PDF, content_type="application/pdf")
    with on(ROUTED + timedelta(days=4)):
        part_record(part_id=part.pk, actor=co_handler, answer="已核实。", uploads=[upload])
    part.refresh_from_db()
    assert part.answered_by == co_handler and part.attachments.count() == 1
    assert Notification.objects.filter(recipient=handler, kind="case_part_answered").exists()
    with on(ROUTED + timedelta(days=4)), pytest.raises(ActionNotAllowed, match="already"):
        part_record(part_id=part.pk, actor=co_handler, answer="again")
    with on(ROUTED + timedelta(days=5)):
        case = lifecycle.case_handle(case_id=joint_case.pk, actor=handler, outcome="explained", outcome_text="答复")
    assert case.state == State.REVIEWING  # one answer, which the office reviews (审核报结)
    entry = CaseLog.objects.get(case=joint_case, action=CaseLog.Action.HANDLE)
    assert entry.data["parts"] == [
        {
            "part": part.pk,
            "department": part.department_id,
            "department_name": part.department.name,
            "due": PART_DUE.isoformat(),
            "answered": True,
        }
    ]


def test_the_lead_may_answer_without_an_owed_part_when_it_says_so(joint_case, handler):
    with on(ROUTED + timedelta(days=3)):
        lifecycle.case_handle(
            case_id=joint_case.pk, actor=handler, outcome="explained", outcome_text="答复", despite_open_parts=True
        )
    entry = CaseLog.objects.get(case=joint_case, action=CaseLog.Action.HANDLE)
    assert [part["answered"] for part in entry.data["parts"]] == [False]
    with on(PART_DUE + timedelta(days=1)):
        assert escalation_sweep().escalations == 0  # the case left its departments: the part is not chased


def test_a_returned_case_ends_its_parts_and_the_co_department_no_longer_sees_it(joint_case, handler, co_handler):
    with on(ROUTED + timedelta(days=1)):
        lifecycle.case_return(case_id=joint_case.pk, actor=handler, reason="不属本单位职责")
    part = joint_case.parts.get()
    assert part.withdrawn_at is not None
    assert not can_view_case(co_handler, Case.objects.get(pk=joint_case.pk))
    assert CaseLog.objects.filter(case=joint_case, action=CaseLog.Action.PART_WITHDRAW).count() == 1


def test_the_weekly_report_counts_the_case_once_at_the_lead_and_the_parts_apart(
    joint_case, co_department, department, co_handler
):
    part = joint_case.parts.get()
    with on(ROUTED + timedelta(days=2)):
        part_record(part_id=part.pk, actor=co_handler, answer="已核实。")
    week = Period(ROUTED, ROUTED + timedelta(days=6))
    office = report_figures(week, None, today=ROUTED + timedelta(days=7))
    assert office["totals"]["co_parts"] == 1 and office["totals"]["co_parts_answered"] == 1
    assert office["totals"]["co_parts_late"] == 0
    rows = {row["code"]: row for row in office["tables"]["departments"]}
    assert rows[department.code]["routed"] == 1
    assert rows.get(co_department.code, {"routed": 0})["routed"] == 0
    co_report = report_figures(week, co_department, today=ROUTED + timedelta(days=7))
    assert co_report["totals"]["new"] == 0  # the case is the lead's
    assert co_report["totals"]["co_parts"] == 1
    lead_report = report_figures(week, department, today=ROUTED + timedelta(days=7))
    assert lead_report["totals"]["new"] == 1 and lead_report["totals"]["co_parts"] == 0


def test_an_overdue_part_is_counted_as_overdue_for_its_department(joint_case, co_department):
    later = Period(PART_DUE, PART_DUE + timedelta(days=6))
    figures = report_figures(later, co_department, today=PART_DUE + timedelta(days=7))
    assert figures["totals"]["co_parts_overdue"] == 1
    assert figures["totals"]["overdue"] == 0  # the case's own deadline is the lead's, and not reached


def test_a_co_department_of_an_accusation_sees_the_matter_never_the_person(
    clerk, supervisor, department, co_department, co_handler, client
):
    from petitions.models import Attachment, IdentityAccess

    letter = SimpleUploadedFile("举报信.pdf", PDF, content_type="application/pdf")
    with on(ROUTED):
        case = register_case(
            clerk=clerk,
            purpose=Purpose.DISCLOSURE,
            legal_type=LegalType.ACCUSATION,
            summary="举报某单位违规收费甲乙丙",
            attachments=[(letter, Attachment.Kind.LETTER)],
        )
        lifecycle.case_accept(case_id=case.pk, actor=supervisor, department=department)
        part_assign(case_id=case.pk, actor=supervisor, part=PartData(co_department, "协助调查", 5))
    person = case.case_petitioners.get()
    client.force_login(co_handler)
    page = client.get(reverse("case_detail", args=[case.number]))
    html = page.content.decode()
    assert "举报某单位违规收费甲乙丙" in html
    assert person.name not in html and person.phone not in html and "举报信.pdf" not in html
    assert client.post(reverse("case_identity", args=[case.number])).status_code == 403
    assert client.get(reverse("attachment_download", args=[Attachment.objects.get(case=case).pk])).status_code == 404
    assert not IdentityAccess.objects.filter(case=case).exists()


def test_the_co_department_flag_is_drawn_alike_in_python_and_in_the_row_template(joint_case, co_handler):
    from django.template.loader import render_to_string

    from petitions.web.row_html import case_rows
    from tests.petitions.test_row_html import without_layout

    rows = list(queues.list_rows(queues.department_cases(co_handler)))
    fast = case_rows(rows, selectable=False, today=ROUTED)
    reference = [
        render_to_string("petitions/_case_row.html", {"case": case, "selectable": False, "today": ROUTED})
        for case in rows
    ]
    assert [without_layout(row) for row in fast] == [without_layout(row) for row in reference]
    assert 'class="flag flag-co-unit"' in fast[0]


def test_parts_and_links_are_shown_read_only_in_the_admin(client, admin_user, joint_case, clerk, supervisor):
    other = register_case(clerk=clerk)
    case_link(case_id=joint_case.pk, actor=supervisor, other_number=other.number, kind=CaseLink.Kind.RELATED)
    part, link = CasePart.objects.get(case=joint_case), CaseLink.objects.get(case_a=joint_case)
    client.force_login(admin_user)
    for model, row in (("casepart", part), ("caselink", link)):
        listing = client.get(reverse(f"admin:petitions_{model}_changelist"), {"q": joint_case.number})
        assert listing.status_code == 200 and list(listing.context["cl"].result_list) == [row]
        assert client.get(reverse(f"admin:petitions_{model}_change", args=[row.pk])).status_code == 200
        assert client.get(reverse(f"admin:petitions_{model}_add")).status_code == 403

"""Supervision matters and recommendations through their services: every path, and bad input refused."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from devdata.factories import UserFactory, advance, register_case
from petitions.errors import ActionNotAllowed, StaleCase
from petitions.models import CaseLog, Notification, Role
from supervision import services
from supervision.models import ClockRule, Matter, MatterAttachment, Mode, Recommendation, Trigger
from supervision.selectors import recommendation_counts
from tests.escalation.conftest import at
from tests.samples import PDF, PNG

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 6, 1)


@pytest.fixture
def routed(clerk, supervisor, department, handler):
    with time_machine.travel(at(MONDAY), tick=False):
        case = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
    return case


def trigger(code="evasion") -> Trigger:
    return Trigger.objects.get(code=code)


def open_matter(case, supervisor, **kwargs) -> Matter:
    values = {"trigger": trigger(), "mode": Mode.INTERVIEW, "instructions": "请于限期内书面说明。"}
    values.update(kwargs)
    with time_machine.travel(at(MONDAY), tick=False):
        return services.matter_open(case_id=case.pk, actor=supervisor, **values)


def test_open_sets_the_reply_due_on_the_working_calendar_and_logs_and_tells_the_department(
    routed, supervisor, department_head
):
    matter = open_matter(routed, supervisor)
    # 5 working days after Monday 1 June 2026: Monday 8 June.
    assert matter.reply_due == date(2026, 6, 8)
    assert matter.status == Matter.Status.OPEN and matter.department_id == routed.department_id
    assert matter.supervisor == supervisor and "2026-06-08" in matter.reply_due_basis
    assert CaseLog.objects.filter(case=routed, action="supervision_open").count() == 1
    assert Notification.objects.filter(recipient=department_head, kind="supervision_opened").count() == 1


def test_the_reply_clock_is_rule_data(routed, supervisor):
    ClockRule.objects.filter(key=ClockRule.Key.MATTER_REPLY).update(days=10, working_days=False)
    assert open_matter(routed, supervisor).reply_due == date(2026, 6, 11)


def test_reply_sign_off_accept(routed, supervisor, handler, department_head):
    matter = open_matter(routed, supervisor)
    files = [SimpleUploadedFile("说明.pdf", PDF), SimpleUploadedFile("photo.png", PNG)]
    matter = services.matter_reply(
        matter_id=matter.pk, actor=handler, text="已于6月5日约谈当事人。", uploads=files, expected_version=1
    )
    assert matter.status == Matter.Status.OPEN and matter.replied_by == handler
    assert sorted(MatterAttachment.objects.filter(matter=matter).values_list("extension", flat=True)) == ["pdf", "png"]
    with pytest.raises(ActionNotAllowed):  # a handler is not the head
        services.matter_sign_off(matter_id=matter.pk, actor=handler)
    matter = services.matter_sign_off(matter_id=matter.pk, actor=department_head, expected_version=matter.version)
    assert matter.status == Matter.Status.REPLIED and matter.signed_off_by == department_head
    assert Notification.objects.filter(recipient=supervisor, kind="supervision_replied").exists()
    matter = services.matter_assess(matter_id=matter.pk, actor=supervisor, accepted=True)
    assert matter.status == Matter.Status.ACCEPTED
    actions = list(
        CaseLog.objects.filter(case=routed, action__startswith="supervision").values_list("action", flat=True)
    )
    assert actions == ["supervision_open", "supervision_reply", "supervision_sign_off", "supervision_assess"]


def test_a_reply_not_accepted_opens_further_supervision(routed, supervisor, department_head):
    matter = open_matter(routed, supervisor)
    services.matter_reply(matter_id=matter.pk, actor=department_head, text="已处理。")
    services.matter_sign_off(matter_id=matter.pk, actor=department_head)
    with pytest.raises(ValidationError):  # not accepted needs a reason
        services.matter_assess(matter_id=matter.pk, actor=supervisor, accepted=False, reason="  ")
    assert Matter.objects.get(pk=matter.pk).status == Matter.Status.REPLIED
    services.matter_assess(matter_id=matter.pk, actor=supervisor, accepted=False, reason="未说明整改措施。")
    matter.refresh_from_db()
    assert matter.status == Matter.Status.NOT_ACCEPTED and matter.assessment_reason == "未说明整改措施。"
    further = matter.followed_by
    assert further.status == Matter.Status.OPEN and further.trigger == matter.trigger
    assert further.instructions == "未说明整改措施。" and further.department_id == matter.department_id
    with pytest.raises(ActionNotAllowed):  # assessed once
        services.matter_assess(matter_id=matter.pk, actor=supervisor, accepted=True)


def test_bad_input_is_refused_with_a_translated_message_and_changes_nothing(
    routed, supervisor, handler, department_head, other_handler
):
    matter = open_matter(routed, supervisor)
    before = (Matter.objects.count(), CaseLog.objects.count(), MatterAttachment.objects.count())
    with translation.override("en"):
        with pytest.raises(ValidationError) as empty:
            services.matter_reply(matter_id=matter.pk, actor=handler, text="   ")
        with pytest.raises(ValidationError) as disguised:
            services.matter_reply(
                matter_id=matter.pk, actor=handler, text="答复", uploads=[SimpleUploadedFile("a.pdf", PNG)]
            )
        with pytest.raises(ActionNotAllowed):  # another department
            services.matter_reply(matter_id=matter.pk, actor=other_handler, text="答复")
        with pytest.raises(StaleCase):
            services.matter_reply(matter_id=matter.pk, actor=handler, text="答复", expected_version=7)
        with pytest.raises(ActionNotAllowed):  # nothing written yet
            services.matter_sign_off(matter_id=matter.pk, actor=department_head)
        with pytest.raises(ActionNotAllowed):  # only a signed-off reply is assessed
            services.matter_assess(matter_id=matter.pk, actor=supervisor, accepted=True)
        with pytest.raises(ActionNotAllowed):  # a handler opens nothing
            services.matter_open(case_id=routed.pk, actor=handler, trigger=trigger(), mode=Mode.PHONE)
        with pytest.raises(ValidationError):
            services.matter_open(case_id=routed.pk, actor=supervisor, trigger=trigger(), mode="fax")
        assert empty.value.messages == ["Write the reply."]  # a translated message (gettext_lazy), not a 500
    assert "a.pdf" in " ".join(disguised.value.messages)
    assert (Matter.objects.count(), CaseLog.objects.count(), MatterAttachment.objects.count()) == before
    assert Matter.objects.get(pk=matter.pk).reply_text == ""


def test_a_case_without_a_department_is_not_supervised(clerk, supervisor):
    case = register_case(clerk=clerk)
    with pytest.raises(ActionNotAllowed):
        services.matter_open(case_id=case.pk, actor=supervisor, trigger=trigger(), mode=Mode.PHONE)
    assert not Matter.objects.exists()


def test_recommendation_answered_and_adopted_and_counted(supervisor, department, department_head, handler, routed):
    with time_machine.travel(at(MONDAY), tick=False):
        recommendation = services.recommendation_issue(
            department=department, actor=supervisor, text="建立拆迁类信访事项会商机制。", case_numbers=[routed.number]
        )
    assert recommendation.answer_due == date(2026, 7, 1)  # 30 days after 1 June
    assert list(recommendation.cases.all()) == [routed]
    assert Notification.objects.filter(recipient=department_head, kind="recommendation_issued").exists()
    with pytest.raises(ActionNotAllowed):  # the head answers, not a handler
        services.recommendation_answer(recommendation_id=recommendation.pk, actor=handler, text="采纳", adopted=True)
    with pytest.raises(ValidationError):
        services.recommendation_answer(
            recommendation_id=recommendation.pk, actor=department_head, text="", adopted=None
        )
    services.recommendation_answer(
        recommendation_id=recommendation.pk, actor=department_head, text="已建立会商机制。", adopted=True
    )
    with time_machine.travel(at(MONDAY), tick=False):
        services.recommendation_issue(department=department, actor=supervisor, text="规范答复文书。")
    with pytest.raises(ValidationError):
        services.recommendation_issue(department=department, actor=supervisor, text="x", case_numbers=["NOPE-1"])
    with pytest.raises(ActionNotAllowed):
        services.recommendation_issue(department=department, actor=handler, text="x")
    assert recommendation_counts(date(2026, 6, 1), date(2026, 6, 30)) == {"made": 2, "answered": 1, "adopted": 1}
    assert recommendation_counts(date(2026, 7, 1), date(2026, 7, 31)) == {"made": 0, "answered": 0, "adopted": 0}
    assert Recommendation.objects.get(pk=recommendation.pk).adopted is True


def test_an_admin_may_extend_the_triggers(admin_user):
    assert admin_user.has_perm("supervision.add_trigger")
    assert UserFactory(roles=[Role.SUPERVISOR]).has_perm("supervision.add_trigger") is False
    assert Trigger.objects.filter(code=Trigger.OVERDUE, is_active=True).exists()
    assert Trigger.objects.count() == 7

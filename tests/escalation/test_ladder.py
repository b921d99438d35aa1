"""The ladder on a controlled clock: each rung once, to the right people, for each deadline."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from devdata.factories import UserFactory, advance, register_case
from escalation.models import Escalation, EscalationRule
from escalation.services import escalation_sweep
from petitions.models import CaseLog, Department, Notification, Role
from petitions.services import lifecycle
from tests.escalation.conftest import DUE, DUE_SOON, LEVEL_2, LEVEL_3, ROUTED, on, sent, sent_count
from tests.petitions.test_outbox import hand_overs

pytestmark = pytest.mark.django_db


def sweep(day: date, **kwargs):
    with on(day):
        return escalation_sweep(**kwargs)


def test_each_rung_fires_once_to_its_recipients(
    routed, handler, department_head, supervisor, leader, second_leader, django_capture_on_commit_callbacks
):
    case = routed(owner=leader)
    number = case.number

    assert sweep(DUE_SOON - timedelta(days=1)).escalations == 0
    assert sweep(DUE_SOON).escalations == 1
    assert sent() == {(number, "deadline_due_soon", handler.username)}
    assert sweep(DUE_SOON).escalations == 0  # the same day again: nothing

    with django_capture_on_commit_callbacks() as callbacks:
        assert sweep(DUE).escalations == 1
    assert len(hand_overs(callbacks)) == 1  # the e-mail copies go to the worker after the commit
    assert sent("deadline_reached") == {
        (number, "deadline_reached", handler.username),
        (number, "deadline_reached", department_head.username),
    }

    assert sweep(LEVEL_2 - timedelta(days=1)).escalations == 0
    assert sweep(LEVEL_2).escalations == 1
    notice = Escalation.objects.get(case=case, level=2)
    assert notice.notice_number == "DB2026-000001"
    assert notice.reply_due == date(2026, 8, 14)  # 5 working days after Friday 7 August
    assert sent("supervision_notice") == {(number, "supervision_notice", supervisor.username)}
    message = Notification.objects.get(kind="supervision_notice")
    with translation.override("en"):
        assert (
            message.message
            == f"Supervision notice DB2026-000001: case {number} is 7 days past its deadline (2026-07-31)."
        )
    with translation.override("zh-hans"):
        assert "督办单" in message.message

    assert sweep(LEVEL_3).escalations == 1
    assert sent("deadline_overdue") == {(number, "deadline_overdue", leader.username)}  # the owner, not every leader
    for day in (LEVEL_3, LEVEL_3 + timedelta(days=30)):
        assert sweep(day).escalations == 0

    assert list(Escalation.objects.filter(case=case).values_list("level", "clock", "deadline")) == [
        (level, "handling", DUE) for level in (0, 1, 2, 3)
    ]
    assert sent_count() == 5
    actions = list(CaseLog.objects.filter(case=case, actor=None).values_list("action", "data__level"))
    assert actions == [("remind_due_soon", 0), ("escalate", 1), ("supervision_notice", 2), ("escalate", 3)]


def test_an_unrouted_case_is_chased_on_the_office(clerk, supervisor, leader, second_leader):
    with on(ROUTED):
        case = register_case(clerk=clerk)
    assert case.accept_due == date(2026, 6, 16)
    sweep(date(2026, 6, 13))
    assert sent() == {(case.number, "deadline_due_soon", supervisor.username)}
    sweep(date(2026, 7, 1))  # 15 days late: levels 1, 2 and 3 at once
    assert sent_count() == 5  # the reminder and levels 1 and 2 to the supervisor, level 3 to both leaders
    assert sent("deadline_overdue") == {
        (case.number, "deadline_overdue", leader.username),
        (case.number, "deadline_overdue", second_leader.username),
    }
    assert Escalation.objects.get(case=case, level=2).clock == "accept"


def test_an_extended_deadline_is_chased_again(routed, supervisor, handler):
    case = routed()
    sweep(DUE_SOON)
    sweep(DUE)
    with on(DUE + timedelta(days=3)):
        case = lifecycle.case_extend(case_id=case.pk, actor=supervisor, days=20, reason="需要现场核查")
    assert case.handling_due == date(2026, 8, 20)
    assert sweep(LEVEL_2).escalations == 0  # the old deadline no longer counts
    assert sweep(date(2026, 8, 17)).escalations == 1
    assert sweep(date(2026, 8, 20)).escalations == 1
    deadlines = list(Escalation.objects.filter(case=case).values_list("level", "deadline"))
    assert deadlines == [(0, DUE), (1, DUE), (0, date(2026, 8, 20)), (1, date(2026, 8, 20))]


def test_handled_and_closed_cases_are_not_chased(routed, handler, supervisor, clerk):
    handled = routed()
    with on(DUE - timedelta(days=10)):
        advance(handled, "handled", supervisor=supervisor, handler=handler)
        refused = register_case(clerk=clerk)
        lifecycle.case_refuse(case_id=refused.pk, actor=supervisor, reason="不属于信访事项")
    for day in (DUE_SOON, DUE, LEVEL_2, LEVEL_3):
        assert sweep(day).escalations == 0


def test_a_review_answer_has_its_own_ladder(routed, handler, supervisor, clerk):
    case = routed()
    with on(date(2026, 6, 20)):
        advance(case, "delivered", supervisor=supervisor, handler=handler)
    with on(date(2026, 6, 25)):
        case = lifecycle.case_reopen_for_review(case_id=case.pk, actor=clerk, requested_on=date(2026, 6, 25))
    assert case.handling_due == date(2026, 7, 27)  # 25 June + 30 days = 25 July, a Saturday
    sweep(date(2026, 7, 24))
    sweep(date(2026, 7, 27))
    assert list(Escalation.objects.values_list("clock", "level")) == [("review_answer", 0), ("review_answer", 1)]


def test_nobody_in_the_role_falls_back_to_the_supervisors(routed, supervisor):
    empty = Department.objects.get(code="GXJ")  # no staff at all
    case = routed(department=empty, handler=None)
    sweep(DUE)
    assert sent() == {(case.number, "deadline_reached", supervisor.username)}
    # Without a handler, the "handler" rung goes to the department heads.
    head = UserFactory(roles=[Role.DEPARTMENT_HEAD], department=empty)
    other = routed(department=empty, handler=None)
    sweep(DUE)
    assert sent(case__number=other.number) == {(other.number, "deadline_reached", head.username)}


def test_a_deactivated_owner_hands_level_3_to_every_leader(routed, leader, second_leader):
    case = routed(owner=leader)
    leader.is_active = False
    leader.save()
    sweep(LEVEL_3)
    assert sent("deadline_overdue") == {(case.number, "deadline_overdue", second_leader.username)}


def test_rules_are_data(routed, handler, admin_user, client):
    assert list(EscalationRule.objects.values_list("level", "days_from_deadline")) == [(0, -3), (1, 0), (2, 7), (3, 15)]
    EscalationRule.objects.filter(level=0).update(is_active=False)
    EscalationRule.objects.filter(level=1).update(days_from_deadline=2)
    case = routed()
    for day in (DUE_SOON, DUE, DUE + timedelta(days=1)):
        assert sweep(day).escalations == 0
    assert sweep(DUE + timedelta(days=2)).escalations == 1
    assert sent() == {(case.number, "deadline_reached", handler.username)} or sent("deadline_overdue")

    # The admin refuses a ladder whose later rung fires earlier.
    client.force_login(admin_user)
    rule = EscalationRule.objects.get(level=3)
    response = client.post(
        reverse("admin:escalation_escalationrule_change", args=[rule.pk]),
        {"level": 3, "days_from_deadline": 5, "notify_leaders": "on", "is_active": "on"},
    )
    assert response.status_code == 200 and "级别越高触发越晚" in response.content.decode()
    rule.refresh_from_db()
    assert rule.days_from_deadline == 15


def test_an_empty_ladder_table_means_the_default_ladder(routed, handler):
    EscalationRule.objects.all().delete()
    case = routed()
    sweep(DUE_SOON)
    assert sent() == {(case.number, "deadline_due_soon", handler.username)}


def test_missed_runs_fire_every_rung_that_is_due_but_not_the_reminder(routed):
    case = routed()
    assert sweep(LEVEL_3).escalations == 3
    assert list(Escalation.objects.filter(case=case).values_list("level", "days_from_deadline")) == [
        (1, 15),
        (2, 15),
        (3, 15),
    ]


def test_an_idle_sweep_costs_two_statements(routed, django_assert_num_queries):
    for _ in range(3):
        routed()
    sweep(LEVEL_3)
    with on(LEVEL_3), django_assert_num_queries(2):  # the ladder, the pending cases
        assert escalation_sweep().escalations == 0


def test_statements_grow_with_batches_not_with_cases(routed, supervisor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def statements(cases: int, batch_size: int) -> int:
        made = [routed() for _ in range(cases)]
        with on(DUE), CaptureQueriesContext(connection) as queries:
            assert escalation_sweep(batch_size=batch_size).escalations == cases
        with on(DUE):
            for case in made:  # out of the way of the next measurement
                lifecycle.case_void(case_id=case.pk, actor=supervisor, reason="测试")
        return len(queries.captured_queries)

    assert statements(2, 100) == statements(12, 100)  # one batch: the same statements for 2 or 12 cases
    per_batch = statements(4, 2) - statements(4, 100)  # two batches against one
    # begin, four claims (statutory, further-work, handed-down and co-department part deadlines), recheck,
    # escalations, case log, notification ids and rows (COPY on PostgreSQL), the e-mail task's outbox row, commit
    assert 0 < per_batch <= 12
    assert statements(6, 2) - statements(6, 100) == 2 * per_batch  # three batches against one


def test_a_case_page_lists_its_escalations_with_the_notice(routed, client, supervisor):
    case = routed()
    sweep(LEVEL_2)
    client.force_login(supervisor)
    with translation.override("en"):
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        html = client.get(reverse("case_detail", args=[case.number])).content.decode()
    assert "Reminders and escalations" in html
    assert reverse("escalation:notice", args=["DB2026-000001"]) in html
    assert "Supervision notice issued" in html  # the timeline

"""Every transition: allowed; refused by state; refused by role; refused by department."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone, translation

from devdata.factories import UserFactory, advance, register_case
from petitions.errors import ActionNotAllowed, StaleCase
from petitions.models import Case, CaseLog, Closure, Notification, Outcome, Role, State
from petitions.services import lifecycle

pytestmark = pytest.mark.django_db

# A Monday in June 2026: every deadline these tests count to (15, 30, 31, 60, 80 days) falls on a
# working day, so they read as plain day counts. tests/petitions/test_deadlines.py covers the rest days.
ORDINARY_MONDAY = datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _ordinary_monday():
    with time_machine.travel(ORDINARY_MONDAY, tick=True):
        yield


@pytest.fixture
def received(clerk):
    return register_case(clerk=clerk)


@pytest.fixture
def assigned(received, supervisor, department):
    return advance(received, "assigned", supervisor=supervisor, department=department)


@pytest.fixture
def taken(assigned, handler):
    return lifecycle.case_take(case_id=assigned.pk, actor=handler)


@pytest.fixture
def handled(taken, supervisor, handler):
    return advance(taken, "handled", supervisor=supervisor, handler=handler)


@pytest.fixture
def delivered(handled, supervisor):
    return advance(handled, "delivered", supervisor=supervisor)


# Parts of the policies' reasons for refusing a step to the actor's role or department.
OFFICE = "Only the letters and visits office"
DEPARTMENT = "Only the case's department"
HANDLER_OR_HEAD = "Only the case's handler or department head"


def refused(call, *, match: str):
    """The call is refused, by the check whose English message contains `match`."""
    with translation.override("en"):
        with pytest.raises(ActionNotAllowed) as error:
            call()
        message = str(error.value.message)
    assert match in message, message
    return error.value


def last_log(case):
    return CaseLog.objects.filter(case=case).latest("at", "id")


# --- accept and route -------------------------------------------------------------------------


def test_supervisor_accepts_and_routes(received, supervisor, department, department_head):
    case = lifecycle.case_accept(case_id=received.pk, actor=supervisor, department=department, note="请依法办理")
    assert case.state == State.ASSIGNED
    assert case.department == department
    today = timezone.localdate()
    assert case.handling_due == today + timedelta(days=60)
    assert today < case.objection_due <= today + timedelta(days=9)
    log = last_log(case)
    assert (log.action, log.source_state, log.target_state, log.actor, log.note) == (
        "accept",
        State.RECEIVED,
        State.ASSIGNED,
        supervisor,
        "请依法办理",
    )
    assert Notification.objects.filter(recipient=department_head, case=case, kind="case_routed").exists()


def test_accept_refused_by_state(assigned, supervisor, department):
    refused(
        lambda: lifecycle.case_accept(case_id=assigned.pk, actor=supervisor, department=department),
        match="while the case is Assigned",
    )


@pytest.mark.parametrize("role", [Role.CLERK, Role.HANDLER, Role.DEPARTMENT_HEAD, Role.LEADER])
def test_accept_refused_by_role(received, department, role):
    actor = UserFactory(roles=[role], department=department)
    refused(lambda: lifecycle.case_accept(case_id=received.pk, actor=actor, department=department), match=OFFICE)
    received.refresh_from_db()
    assert received.state == State.RECEIVED


# --- not accepted and void ------------------------------------------------------------------------


def test_supervisor_refuses_with_reason(received, supervisor):
    case = lifecycle.case_refuse(case_id=received.pk, actor=supervisor, reason="已进入诉讼程序")
    assert (case.state, case.closure, case.closing_reason) == (State.CLOSED, Closure.NOT_ACCEPTED, "已进入诉讼程序")


def test_refuse_needs_a_reason(received, supervisor):
    refused(lambda: lifecycle.case_refuse(case_id=received.pk, actor=supervisor, reason="  "), match="Give the reason")


def test_refuse_refused_by_state_and_role(assigned, supervisor, clerk):
    refused(
        lambda: lifecycle.case_refuse(case_id=assigned.pk, actor=supervisor, reason="x"),
        match="while the case is Assigned",
    )
    fresh = register_case(clerk=clerk)  # the `received` fixture is the case `assigned` moved on
    refused(lambda: lifecycle.case_refuse(case_id=fresh.pk, actor=clerk, reason="x"), match=OFFICE)


@pytest.mark.parametrize("state_fixture", ["received", "assigned", "handled"])
def test_supervisor_voids_an_open_case(request, state_fixture, supervisor):
    case = request.getfixturevalue(state_fixture)
    case = lifecycle.case_void(case_id=case.pk, actor=supervisor, reason="重复登记")
    assert (case.state, case.closure) == (State.CLOSED, Closure.VOID)


def test_void_refused_for_closed_case_and_for_handlers(received, supervisor, handler):
    refused(lambda: lifecycle.case_void(case_id=received.pk, actor=handler, reason="x"), match=OFFICE)
    lifecycle.case_void(case_id=received.pk, actor=supervisor, reason="x")
    refused(
        lambda: lifecycle.case_void(case_id=received.pk, actor=supervisor, reason="again"),
        match="while the case is Closed",
    )


# --- return by the department ------------------------------------------------------------------------


def test_department_returns_within_its_objection_window(assigned, handler, supervisor):
    case = lifecycle.case_return(case_id=assigned.pk, actor=handler, reason="不属于本单位职责")
    assert case.state == State.RECEIVED
    assert case.department is None and case.handling_due is None
    log = last_log(case)
    assert log.action == "return" and log.data["department_name"] == assigned.department.name
    with translation.override("en"):
        assert str(log.action_label) == "Returned by the department"
    assert Notification.objects.filter(recipient=supervisor, kind="case_returned").exists()


def test_return_refused_by_other_department(assigned, other_handler):
    refused(lambda: lifecycle.case_return(case_id=assigned.pk, actor=other_handler, reason="x"), match=DEPARTMENT)


def test_return_refused_by_state(received, handler):
    refused(
        lambda: lifecycle.case_return(case_id=received.pk, actor=handler, reason="x"),
        match="while the case is Received",
    )


def test_return_refused_by_role(assigned, clerk):
    refused(lambda: lifecycle.case_return(case_id=assigned.pk, actor=clerk, reason="x"), match=DEPARTMENT)


def test_return_after_the_window_is_refused_and_the_office_withdraws_instead(assigned, handler, supervisor):
    with time_machine.travel(timezone.now() + timedelta(days=20)):
        refused(lambda: lifecycle.case_return(case_id=assigned.pk, actor=handler, reason="x"), match="ended")
        case = lifecycle.case_withdraw_routing(case_id=assigned.pk, actor=supervisor, reason="重新交办")
    assert case.state == State.RECEIVED


def test_supervisors_do_not_return_a_case_they_withdraw_its_routing(assigned, supervisor):
    refused(lambda: lifecycle.case_return(case_id=assigned.pk, actor=supervisor, reason="x"), match=DEPARTMENT)


# --- withdrawal of the routing by the office --------------------------------------------------------------


def test_office_withdraws_the_routing_and_the_department_is_told_why(taken, handler, department_head, supervisor):
    case = lifecycle.case_withdraw_routing(case_id=taken.pk, actor=supervisor, reason="交办单位有误")
    assert case.state == State.RECEIVED
    assert case.department is None and case.handler is None and case.handling_due is None
    log = last_log(case)
    assert log.action == "withdraw_routing" and log.note == "交办单位有误"
    assert log.data["department_name"] == taken.department.name
    with translation.override("en"):
        assert str(log.action_label) == "Routing withdrawn by the office"
    told = Notification.objects.filter(kind="routing_withdrawn")
    assert {n.recipient for n in told} == {handler, department_head}
    with translation.override("zh-hans"):
        message = told.first().message
    assert "撤回" in message and "交办单位有误" in message and case.number in message
    assert not Notification.objects.filter(kind="case_returned").exists()


def test_withdrawal_needs_a_reason_and_the_office_role(assigned, supervisor, handler, department_head):
    refused(
        lambda: lifecycle.case_withdraw_routing(case_id=assigned.pk, actor=supervisor, reason=" "),
        match="Say why the routing is withdrawn",
    )
    for actor in (handler, department_head):
        refused(
            lambda actor=actor: lifecycle.case_withdraw_routing(case_id=assigned.pk, actor=actor, reason="x"),
            match=OFFICE,
        )


# --- assign and take -------------------------------------------------------------------------------------


def test_department_head_assigns_a_handler(assigned, department_head, handler):
    case = lifecycle.case_assign_handler(case_id=assigned.pk, actor=department_head, handler=handler)
    assert case.handler == handler
    assert Notification.objects.filter(recipient=handler, kind="case_assigned_to_you").exists()


def test_assign_refused_by_role_department_and_assignee(assigned, handler, other_handler, other_department):
    refused(
        lambda: lifecycle.case_assign_handler(case_id=assigned.pk, actor=handler, handler=handler),
        match="Only the head of the case's department",
    )
    other_head = UserFactory(roles=[Role.DEPARTMENT_HEAD], department=other_department)
    refused(
        lambda: lifecycle.case_assign_handler(case_id=assigned.pk, actor=other_head, handler=handler),
        match="Only the head of the case's department",
    )
    head = UserFactory(roles=[Role.DEPARTMENT_HEAD], department=assigned.department)
    refused(
        lambda: lifecycle.case_assign_handler(case_id=assigned.pk, actor=head, handler=other_handler),
        match="is not a handler of this department",
    )


def test_assign_refused_by_state(received, department_head, handler):
    refused(
        lambda: lifecycle.case_assign_handler(case_id=received.pk, actor=department_head, handler=handler),
        match="Only a case with a department",
    )


def test_handler_takes_an_unassigned_case_once(assigned, handler, department):
    lifecycle.case_take(case_id=assigned.pk, actor=handler)
    colleague = UserFactory(roles=[Role.HANDLER], department=department)
    refused(lambda: lifecycle.case_take(case_id=assigned.pk, actor=colleague), match="Someone already handles")


def test_take_refused_by_other_department(assigned, other_handler):
    refused(
        lambda: lifecycle.case_take(case_id=assigned.pk, actor=other_handler),
        match=DEPARTMENT,
    )


# --- extension ----------------------------------------------------------------------------------------------


def test_extension_requested_then_approved_moves_the_deadline_once(taken, handler, supervisor):
    due = taken.handling_due
    lifecycle.case_request_extension(case_id=taken.pk, actor=handler, days=20, reason="需要实地调查")
    case = lifecycle.case_extend(case_id=taken.pk, actor=supervisor, days=20, reason="需要实地调查")
    assert case.handling_due == due + timedelta(days=20)
    assert case.extension_days == 20 and case.extension_requested_days == 0
    assert last_log(case).data == {"days": 20, "old_due": due.isoformat(), "new_due": case.handling_due.isoformat()}
    refused(
        lambda: lifecycle.case_request_extension(case_id=taken.pk, actor=handler, days=5, reason="x"),
        match="already been extended once",
    )
    refused(
        lambda: lifecycle.case_extend(case_id=taken.pk, actor=supervisor, days=5, reason="x"),
        match="already been extended once",
    )


def test_extension_longer_than_30_days_is_refused(taken, supervisor):
    refused(
        lambda: lifecycle.case_extend(case_id=taken.pk, actor=supervisor, days=31, reason="x"), match="1 to 30 days"
    )


def test_extension_refused_by_role_and_department(taken, handler, other_handler, clerk):
    refused(
        lambda: lifecycle.case_extend(case_id=taken.pk, actor=handler, days=10, reason="x"),
        match="Only a supervisor decides on extensions",
    )
    refused(
        lambda: lifecycle.case_request_extension(case_id=taken.pk, actor=other_handler, days=10, reason="x"),
        match="Only the case's handler or department head",
    )
    refused(
        lambda: lifecycle.case_request_extension(case_id=taken.pk, actor=clerk, days=10, reason="x"),
        match="Only the case's handler or department head",
    )


def test_extension_refused_by_state(clerk, handled, supervisor):
    fresh = register_case(clerk=clerk)  # the `received` fixture is the case `handled` moved on
    refused(
        lambda: lifecycle.case_extend(case_id=fresh.pk, actor=supervisor, days=10, reason="x"),
        match="while the case is Received",
    )
    refused(
        lambda: lifecycle.case_extend(case_id=handled.pk, actor=supervisor, days=10, reason="x"),
        match="while the case is Handled",
    )


def test_supervisor_refuses_an_extension_request(taken, handler, supervisor):
    lifecycle.case_request_extension(case_id=taken.pk, actor=handler, days=10, reason="x")
    case = lifecycle.case_deny_extension(case_id=taken.pk, actor=supervisor, reason="期限内可以办结")
    assert case.extension_requested_days == 0 and case.extension_days == 0
    assert Notification.objects.filter(recipient=handler, kind="extension_denied").exists()


# --- outcome, delivery, review, close -----------------------------------------------------------------------


def test_handler_submits_the_outcome_for_the_offices_review(taken, handler, supervisor):
    case = lifecycle.case_handle(
        case_id=taken.pk,
        actor=handler,
        outcome=Outcome.SUPPORTED,
        outcome_text="支持其诉求",
        legal_basis="《信访工作条例》第三十一条",
    )
    # 审核报结: the outcome waits for the office; it is not handled (办结) until accepted.
    assert (case.state, case.outcome) == (State.REVIEWING, Outcome.SUPPORTED)
    assert case.result_submitted_at is not None and case.handled_at is None
    assert Notification.objects.filter(recipient=supervisor, kind="result_to_review").exists()
    case = lifecycle.case_accept_result(case_id=case.pk, actor=supervisor)
    assert (case.state, case.result_reviewed_by) == (State.HANDLED, supervisor)
    assert case.handled_at is not None
    assert Notification.objects.filter(recipient=handler, kind="case_handled").exists()


def test_handle_needs_the_written_opinion(taken, handler):
    refused(
        lambda: lifecycle.case_handle(case_id=taken.pk, actor=handler, outcome=Outcome.SUPPORTED, outcome_text=""),
        match="Write the opinion",
    )


def test_handle_refused_to_a_colleague_not_assigned(taken, department, other_handler):
    colleague = UserFactory(roles=[Role.HANDLER], department=department)
    for actor in (colleague, other_handler):
        refused(
            lambda actor=actor: lifecycle.case_handle(
                case_id=taken.pk, actor=actor, outcome=Outcome.EXPLAINED, outcome_text="x"
            ),
            match=HANDLER_OR_HEAD,
        )


def test_department_head_may_record_the_outcome(taken, department_head):
    case = lifecycle.case_handle(
        case_id=taken.pk, actor=department_head, outcome=Outcome.EXPLAINED, outcome_text="解释说明"
    )
    assert case.state == State.REVIEWING


def test_handle_refused_by_state_and_role(clerk, taken, handler, supervisor):
    fresh = register_case(clerk=clerk)
    refused(
        lambda: lifecycle.case_handle(case_id=fresh.pk, actor=handler, outcome="explained", outcome_text="x"),
        match="while the case is Received",
    )
    refused(
        lambda: lifecycle.case_handle(case_id=taken.pk, actor=supervisor, outcome="explained", outcome_text="x"),
        match=HANDLER_OR_HEAD,
    )


def test_delivery_opens_the_review_window(handled, supervisor):
    today = timezone.localdate()
    case = lifecycle.case_record_delivery(case_id=handled.pk, actor=supervisor, delivered_on=today)
    assert case.outcome_delivered_on == today
    assert case.review_request_due == today + timedelta(days=30)
    refused(
        lambda: lifecycle.case_record_delivery(case_id=handled.pk, actor=supervisor, delivered_on=today),
        match="already recorded",
    )


def test_delivery_refused_in_the_future_and_by_state_and_role(handled, supervisor, clerk, other_handler, department):
    tomorrow = timezone.localdate() + timedelta(days=1)
    today = timezone.localdate()
    refused(
        lambda: lifecycle.case_record_delivery(case_id=handled.pk, actor=supervisor, delivered_on=tomorrow),
        match="future",
    )
    still_assigned = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
    refused(
        lambda: lifecycle.case_record_delivery(case_id=still_assigned.pk, actor=supervisor, delivered_on=today),
        match="Only a handled case has an opinion",
    )
    refused(
        lambda: lifecycle.case_record_delivery(case_id=handled.pk, actor=clerk, delivered_on=today),
        match="Your role or department does not allow this step",
    )
    refused(
        lambda: lifecycle.case_record_delivery(case_id=handled.pk, actor=other_handler, delivered_on=today),
        match="Your role or department does not allow this step",
    )


def test_delivery_and_review_dates_years_away_are_refused_and_change_nothing(handled, supervisor, clerk):
    deliver = lifecycle.case_record_delivery
    refused(lambda: deliver(case_id=handled.pk, actor=supervisor, delivered_on=date(1, 1, 1)), match="before it was")
    refused(lambda: deliver(case_id=handled.pk, actor=supervisor, delivered_on=date(9999, 12, 31)), match="future")
    assert Case.objects.get(pk=handled.pk).outcome_delivered_on is None
    delivered = deliver(case_id=handled.pk, actor=supervisor, delivered_on=timezone.localdate())
    review = lifecycle.case_reopen_for_review
    refused(lambda: review(case_id=delivered.pk, actor=clerk, requested_on=date(1, 1, 1)), match="before the opinion")
    refused(lambda: review(case_id=delivered.pk, actor=clerk, requested_on=date(9999, 12, 31)), match="future")
    assert Case.objects.get(pk=delivered.pk).state == State.HANDLED


def test_review_request_reopens_the_case_with_a_30_day_answer(delivered, clerk, handler, supervisor):
    today = timezone.localdate()
    case = lifecycle.case_reopen_for_review(
        case_id=delivered.pk, actor=clerk, requested_on=today, note="对处理意见不服"
    )
    assert (case.state, case.in_review) == (State.ASSIGNED, True)
    assert case.handling_due == today + timedelta(days=30)
    assert Notification.objects.filter(recipient=handler, kind="review_requested").exists()
    # Only one review (复查); the next level (复核) is another body's.
    case = lifecycle.case_handle(case_id=case.pk, actor=handler, outcome=Outcome.EXPLAINED, outcome_text="维持原意见")
    case = lifecycle.case_accept_result(case_id=case.pk, actor=supervisor)
    case = lifecycle.case_record_delivery(case_id=case.pk, actor=handler, delivered_on=today)
    refused(
        lambda: lifecycle.case_reopen_for_review(case_id=case.pk, actor=clerk, requested_on=today),
        match="already requested",
    )


def test_review_refused_before_delivery(handled, clerk):
    refused(
        lambda: lifecycle.case_reopen_for_review(case_id=handled.pk, actor=clerk, requested_on=timezone.localdate()),
        match="only after the opinion was delivered",
    )


def test_review_refused_after_the_window(delivered, clerk):
    late = delivered.outcome_delivered_on + timedelta(days=31)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        refused(
            lambda: lifecycle.case_reopen_for_review(case_id=delivered.pk, actor=clerk, requested_on=late), match="30"
        )


def test_review_refused_by_role(delivered, handler):
    refused(
        lambda: lifecycle.case_reopen_for_review(
            case_id=delivered.pk, actor=handler, requested_on=timezone.localdate()
        ),
        match=OFFICE,
    )


def test_supervisor_closes_a_delivered_case(delivered, supervisor):
    case = lifecycle.case_close(case_id=delivered.pk, actor=supervisor, satisfaction="satisfied")
    assert (case.state, case.closure) == (State.CLOSED, Closure.COMPLETED)
    assert list(case.evaluations.values_list("level", "entered_by")) == [("satisfied", supervisor.pk)]


def test_close_refused_before_delivery(handled, supervisor):
    refused(lambda: lifecycle.case_close(case_id=handled.pk, actor=supervisor), match="delivery")


def test_close_refused_by_role(delivered, handler):
    refused(lambda: lifecycle.case_close(case_id=delivered.pk, actor=handler), match="Only a supervisor closes")


def test_close_refused_while_assigned(taken, supervisor):
    refused(lambda: lifecycle.case_close(case_id=taken.pk, actor=supervisor), match="while the case is Assigned")


def test_auto_close_only_after_the_review_window(delivered):
    assert lifecycle.case_auto_close(case_id=delivered.pk) is None
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        case = lifecycle.case_auto_close(case_id=delivered.pk)
    assert case.state == State.CLOSED
    assert last_log(case).actor is None


def test_follow_up_after_closing(delivered, supervisor, clerk, handler):
    lifecycle.case_close(case_id=delivered.pk, actor=supervisor)
    case = lifecycle.case_record_follow_up(case_id=delivered.pk, actor=clerk, satisfaction="fairly", note="电话回访")
    assert "电话回访" in case.follow_up_note
    assert list(case.evaluations.values_list("level", "source", "entered_by")) == [("fairly", "phone", clerk.pk)]
    refused(
        lambda: lifecycle.case_record_follow_up(case_id=delivered.pk, actor=handler, satisfaction="fairly"),
        match="Your role does not allow this step",
    )


# --- ownership, notes, stale forms ------------------------------------------------------------------------------


def test_supervisor_sets_an_owning_leader(assigned, supervisor, leader, clerk):
    case = lifecycle.case_set_owner(case_id=assigned.pk, actor=supervisor, leader=leader)
    assert case.owning_leader == leader
    assert Notification.objects.filter(recipient=leader, kind="case_owned").exists()
    refused(
        lambda: lifecycle.case_set_owner(case_id=assigned.pk, actor=supervisor, leader=clerk), match="is not a leader"
    )
    refused(
        lambda: lifecycle.case_set_owner(case_id=assigned.pk, actor=clerk, leader=leader),
        match="Only supervisors and leaders",
    )


def test_notes_only_by_those_who_see_the_case(assigned, handler, other_handler):
    lifecycle.case_add_note(case_id=assigned.pk, actor=handler, note="已电话联系信访人")
    refused(
        lambda: lifecycle.case_add_note(case_id=assigned.pk, actor=other_handler, note="x"),
        match="You cannot add notes",
    )


def test_stale_form_is_refused_and_changes_nothing(received, supervisor, department):
    stale_version = received.version
    lifecycle.case_add_note(case_id=received.pk, actor=supervisor, note="notes do not bump the version")
    lifecycle.case_set_owner(case_id=received.pk, actor=supervisor, leader=None)
    with pytest.raises(StaleCase):
        lifecycle.case_accept(
            case_id=received.pk, actor=supervisor, department=department, expected_version=stale_version
        )
    received.refresh_from_db()
    assert received.state == State.RECEIVED


def test_every_change_is_logged_with_actor_and_states(delivered):
    actions = list(CaseLog.objects.filter(case=delivered).values_list("action", "source_state", "target_state"))
    assert actions == [
        ("register", "received", "received"),
        ("accept", "received", "assigned"),
        ("take", "assigned", "assigned"),
        ("handle", "assigned", "reviewing"),
        ("accept_result", "reviewing", "handled"),
        ("deliver", "handled", "handled"),
    ]

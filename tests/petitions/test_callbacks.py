"""回访: a callback task after each delivery, what the caller records, re-handling after 不满意, and the
second callback that follows it."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from devdata.factories import UserFactory, advance, register_case
from petitions.models import Callback, Case, CaseLog, Clock, DeadlineRule, Evaluation, Notification, Role, State
from petitions.services import lifecycle
from petitions.services.callbacks import CallbackAnswer, callback_record
from tests.escalation.conftest import ROUTED, on
from tests.refusals import refused_with

pytestmark = pytest.mark.django_db

FRIDAY = date(2026, 6, 5)


@pytest.fixture
def delivered(clerk, supervisor, department, handler):
    """Routed on 1 June 2026, handled and accepted, the opinion delivered on Friday 5 June."""
    with on(ROUTED):
        case = advance(
            register_case(clerk=clerk), "handled", supervisor=supervisor, department=department, handler=handler
        )
    with on(FRIDAY):
        return lifecycle.case_record_delivery(case_id=case.pk, actor=supervisor, delivered_on=FRIDAY)


def record(case: Case, actor, day: date, **answer) -> Case:
    with on(day):
        return callback_record(case_id=case.pk, actor=actor, answer=CallbackAnswer(**answer))


def test_delivery_makes_a_callback_due_the_next_working_day(delivered, department):
    callback = Callback.objects.get(case=delivered)
    assert (callback.round, callback.department, callback.due) == (1, department, date(2026, 6, 8))  # Monday
    assert callback.is_open and callback.due_basis == {"start": "2026-06-05", "days": 1, "working": True}


def test_the_callback_delay_is_rule_data(clerk, supervisor, department, handler):
    DeadlineRule.objects.filter(clock=Clock.CALLBACK).update(days=3)
    with on(ROUTED):
        case = advance(
            register_case(clerk=clerk), "delivered", supervisor=supervisor, department=department, handler=handler
        )
    assert Callback.objects.get(case=case).due == date(2026, 6, 4)  # 3 working days after Monday 1 June


def test_a_callback_records_satisfaction_as_an_evaluation(delivered, clerk):
    case = record(
        delivered, clerk, date(2026, 6, 8), reached=True, satisfaction="fairly", solved="partly", note="基本认可"
    )
    callback = Callback.objects.get(case=case)
    assert (callback.reached, callback.solved, callback.done_by, callback.is_open) == (True, "partly", clerk, False)
    evaluation = callback.evaluation
    assert (evaluation.level, evaluation.source, evaluation.entered_by) == ("fairly", "phone", clerk)
    assert evaluation.case_petitioner_id is None  # the petitioner's own online evaluation stays theirs to give
    entry = CaseLog.objects.filter(case=case).latest("at", "id")
    assert entry.action == "callback" and entry.data["satisfaction"] == "fairly" and entry.data["round"] == 1
    assert case.state == State.HANDLED
    refused_with(lambda: record(case, clerk, date(2026, 6, 9), reached=True), "No callback is waiting")


def test_not_reached_and_not_evaluated_are_recorded_without_an_evaluation(delivered, clerk):
    refused_with(
        lambda: record(delivered, clerk, date(2026, 6, 8), reached=False, satisfaction="satisfied"), "not reached"
    )
    case = record(delivered, clerk, date(2026, 6, 8), reached=False)
    callback = Callback.objects.get(case=case)
    assert (callback.reached, callback.evaluation, callback.is_open) == (False, None, False)
    assert not Evaluation.objects.filter(case=case).exists()


def test_the_database_refuses_an_unreached_callback_with_a_verdict(delivered, clerk):
    callback = Callback.objects.get(case=delivered)
    with pytest.raises(IntegrityError), transaction.atomic():
        Callback.objects.filter(pk=callback.pk).update(
            done_by=clerk, done_at=callback.created_at, reached=False, solved="solved"
        )


def test_only_a_dissatisfied_petitioner_is_followed_by_rehandling_or_an_explanation(delivered, clerk):
    refused_with(
        lambda: record(
            delivered, clerk, date(2026, 6, 8), reached=True, satisfaction="satisfied", follow_up="rehandle", note="x"
        ),
        "only a dissatisfied",
    )
    refused_with(
        lambda: record(
            delivered, clerk, date(2026, 6, 8), reached=True, satisfaction="dissatisfied", follow_up="explained"
        ),
        "Say what the petitioner is dissatisfied with",
    )
    case = record(
        delivered,
        clerk,
        date(2026, 6, 8),
        reached=True,
        satisfaction="dissatisfied",
        solved="unsolved",
        follow_up="explained",
        note="已就政策依据向信访人解释。",
    )
    assert case.state == State.HANDLED and Callback.objects.get(case=case).follow_up == "explained"


def test_dissatisfied_rehandling_then_a_second_callback(delivered, clerk, supervisor, handler):
    case = record(
        delivered,
        clerk,
        date(2026, 6, 8),
        reached=True,
        satisfaction="dissatisfied",
        solved="unsolved",
        follow_up="rehandle",
        note="补偿款仍未到位，属办理不到位。",
    )
    # Back with the department, with its own deadline (30 days from the callback).
    assert (case.state, case.rehandling, case.handling_due) == (State.ASSIGNED, True, date(2026, 7, 8))
    assert case.review_request_due is None
    rehandle = CaseLog.objects.filter(case=case).latest("at", "id")
    assert (rehandle.action, rehandle.source_state, rehandle.note) == (
        "rehandle",
        State.HANDLED,
        "补偿款仍未到位，属办理不到位。",
    )
    assert Notification.objects.filter(recipient=handler, kind="case_rehandling").exists()
    assert Case.objects.filter(pk=case.pk, due_date=date(2026, 7, 8)).exists()  # chased like any handling
    with on(date(2026, 6, 20)):
        case = lifecycle.case_handle(case_id=case.pk, actor=handler, outcome="supported", outcome_text="补偿款已补发。")
        case = lifecycle.case_accept_result(case_id=case.pk, actor=supervisor)
        case = lifecycle.case_record_delivery(case_id=case.pk, actor=supervisor, delivered_on=date(2026, 6, 20))
    second = Callback.objects.get(case=case, done_at__isnull=True)
    assert (second.round, second.due) == (2, date(2026, 6, 22))  # Saturday's delivery: Monday
    case = record(case, clerk, date(2026, 6, 22), reached=True, satisfaction="satisfied", solved="solved")
    with on(date(2026, 6, 22)):
        case = lifecycle.case_close(case_id=case.pk, actor=supervisor)
    assert case.state == State.CLOSED
    levels = list(Evaluation.objects.filter(case=case).order_by("at").values_list("level", flat=True))
    assert levels == ["dissatisfied", "satisfied"]
    assert list(Callback.objects.filter(case=case).values_list("round", "follow_up")) == [(1, "rehandle"), (2, "")]


def test_rehandling_only_while_the_delivered_outcome_stands(delivered, clerk, supervisor):
    with on(date(2026, 6, 8)):
        lifecycle.case_close(case_id=delivered.pk, actor=supervisor)
    refused_with(
        lambda: record(
            delivered,
            clerk,
            date(2026, 6, 8),
            reached=True,
            satisfaction="dissatisfied",
            follow_up="rehandle",
            note="x",
        ),
        "while the case is",
    )
    # The closed case's callback can still be recorded, with an explanation.
    case = record(
        delivered,
        clerk,
        date(2026, 6, 8),
        reached=True,
        satisfaction="dissatisfied",
        follow_up="explained",
        note="已解释",
    )
    assert case.state == State.CLOSED


def test_departments_do_not_make_callbacks(delivered, handler, department_head, leader):
    for actor in (handler, department_head, leader):
        refused_with(
            lambda actor=actor: record(delivered, actor, date(2026, 6, 8), reached=False), "calls petitioners back"
        )


def test_an_online_evaluation_and_a_callback_each_count_once(delivered, clerk):
    person = delivered.case_petitioners.get()
    lifecycle.case_evaluate_online(
        case_id=delivered.pk, case_petitioner_id=person.pk, level="satisfied", comment="", actor=clerk
    )
    record(delivered, clerk, date(2026, 6, 8), reached=True, satisfaction="fairly")
    assert sorted(Evaluation.objects.filter(case=delivered).values_list("source", "level")) == [
        ("online", "satisfied"),
        ("phone", "fairly"),
    ]
    refused_with(
        lambda: lifecycle.case_evaluate_online(
            case_id=delivered.pk, case_petitioner_id=person.pk, level="fairly", comment="", actor=clerk
        ),
        "already evaluated",
    )


def test_the_callback_queue_lists_due_dates_for_the_office_only(client, delivered, clerk, handler, supervisor):
    url = reverse("callback_queue")
    client.force_login(handler)
    assert client.get(url).status_code == 403
    client.force_login(clerk)
    with on(date(2026, 6, 9)):
        page = client.get(url).content.decode()
        overdue = client.get(url, {"status": "overdue"}).content.decode()
        done = client.get(url, {"status": "done"}).content.decode()
    assert delivered.number in page and "2026-06-08" in page and "row-overdue" in page
    assert delivered.number in overdue and delivered.number not in done
    record(delivered, clerk, date(2026, 6, 9), reached=True, satisfaction="satisfied", solved="solved")
    with on(date(2026, 6, 9)):
        assert delivered.number not in client.get(url).content.decode()
        assert delivered.number in client.get(url, {"status": "done"}).content.decode()
        assert client.get(url, {"status": "nonsense", "page": "x"}).status_code == 200


def test_a_clerk_sees_callbacks_of_the_cases_they_may_open_only(client, delivered, supervisor):
    """The queue is a list like the others: a clerk who did not register the case does not see it there."""
    other_clerk = UserFactory(roles=[Role.CLERK])
    client.force_login(other_clerk)
    with on(date(2026, 6, 9)):
        assert delivered.number not in client.get(reverse("callback_queue")).content.decode()
        client.force_login(supervisor)
        assert delivered.number in client.get(reverse("callback_queue")).content.decode()


def test_the_case_page_records_a_callback(client, delivered, supervisor):
    client.force_login(supervisor)
    with on(date(2026, 6, 8)):
        page = client.get(reverse("case_detail", args=[delivered.number])).content.decode()
        assert 'id="action-callback"' in page
        response = client.post(
            reverse("case_action", args=[delivered.number, "callback"]),
            {
                "callback-version": delivered.version,
                "callback-reached": "yes",
                "callback-source": "phone",
                "callback-satisfaction": "dissatisfied",
                "callback-solved": "unsolved",
                "callback-follow_up": "rehandle",
                "callback-note": "办理不到位。",
            },
        )
    assert response.status_code == 302
    assert Case.objects.get(pk=delivered.pk).state == State.ASSIGNED


def test_callbacks_are_shown_read_only_in_the_admin(client, admin_user, delivered):
    callback = Callback.objects.get(case=delivered)
    client.force_login(admin_user)
    listing = client.get(reverse("admin:petitions_callback_changelist"), {"q": delivered.number})
    assert listing.status_code == 200 and list(listing.context["cl"].result_list) == [callback]
    assert client.get(reverse("admin:petitions_callback_change", args=[callback.pk])).status_code == 200
    assert client.get(reverse("admin:petitions_callback_add")).status_code == 403

"""Each check of an action is written once (petitions.policies), and the two places that ask it agree:
the case page offers an action exactly when its service would take it, and a service that refuses
gives the policy's own reason. Enumerated over cases in every state and every role."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from devdata.factories import UserFactory, advance, register_case
from petitions.errors import ActionNotAllowed
from petitions.models import Case, Department, Outcome, Role, Satisfaction, State
from petitions.services import lifecycle
from petitions.services.higher_authority import HandedDownData, handed_down_record
from petitions.web.case_actions import ACTIONS

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def sample_input(action: str, case: Case, people: dict) -> dict:
    """Input a user could give each action's form: valid, so that only the policy can refuse."""
    today = timezone.localdate()
    data = {"version": case.version, "note": "", "reason": "理由"}
    # Another open case of the same legal type (an accusation merges only into an accusation).
    same_kind = Case.objects.exclude(pk=case.pk).filter(state=State.ASSIGNED, legal_type=case.legal_type)
    other = same_kind.order_by("pk").first() or register_case(clerk=people["clerk"], legal_type=case.legal_type)
    co_department = Department.objects.exclude(code="ZJJ").filter(is_active=True).order_by("code").first()
    return {
        "accept": {"department": Department.objects.get(code="ZJJ")},
        "assign_handler": {"handler": people["handler"]},
        "handle": {"outcome": Outcome.EXPLAINED, "outcome_text": "意见", "legal_basis": ""},
        "request_extension": {"days": 10},
        "extend": {"days": 10},
        "deliver": {"delivered_on": today},
        "review": {"requested_on": today},
        "close": {"satisfaction": ""},
        "follow_up": {"satisfaction": Satisfaction.SATISFIED, "source": "phone"},
        "set_owner": {"leader": people["leader"]},
        "handed_down": {
            "authority": "省信访局",
            "reference": "政策测试〔2026〕2号",
            "handed_down_on": today,
            "due": today + timedelta(days=30),
            "interim_reports_required": False,
            "interim_report_due": None,
        },
        "interim_report": {"reported_on": today, "text": "进展", "next_due": None},
        "add_part": {"department": co_department, "task": "协办事项", "working_days": 3},
        "link": {"other_number": other.number, "kind": "related"},
        "merge": {"main_number": other.number},
        "callback": {"reached": "yes", "satisfaction": "", "solved": "", "follow_up": "", "source": "phone"},
    }.get(action, {}) | data


@pytest.fixture
def people(clerk, supervisor, handler, department_head, other_handler, leader):
    return {
        "clerk": clerk,
        "supervisor": supervisor,
        "handler": handler,
        "department_head": department_head,
        "other_handler": other_handler,
        "leader": leader,
        "other_clerk": UserFactory(roles=[Role.CLERK]),
    }


@pytest.fixture
def cases(people, department):
    supervisor, handler = people["supervisor"], people["handler"]
    made = {"received": register_case(clerk=people["clerk"])}
    made["assigned"] = advance(
        register_case(clerk=people["clerk"]), "assigned", supervisor=supervisor, department=department
    )
    taken = advance(register_case(clerk=people["clerk"]), "assigned", supervisor=supervisor, department=department)
    made["taken"] = lifecycle.case_take(case_id=taken.pk, actor=handler)
    asked = lifecycle.case_request_extension(case_id=made["taken"].pk, actor=handler, days=10, reason="需要调查")
    made["extension asked"] = asked
    late = advance(register_case(clerk=people["clerk"]), "assigned", supervisor=supervisor, department=department)
    Case.objects.filter(pk=late.pk).update(objection_due=timezone.localdate() - timedelta(days=1))
    made["objection window over"] = Case.objects.get(pk=late.pk)
    made["reviewing"] = advance(
        register_case(clerk=people["clerk"]), "reviewing", supervisor=supervisor, handler=handler, department=department
    )
    sent_back = advance(
        register_case(clerk=people["clerk"]), "reviewing", supervisor=supervisor, handler=handler, department=department
    )
    made["sent back"] = lifecycle.case_send_back(case_id=sent_back.pk, actor=supervisor, reason="请补充依据")
    made["handled"] = advance(
        register_case(clerk=people["clerk"]), "handled", supervisor=supervisor, handler=handler, department=department
    )
    made["delivered"] = advance(
        register_case(clerk=people["clerk"]), "delivered", supervisor=supervisor, handler=handler, department=department
    )
    review = advance(
        register_case(clerk=people["clerk"]), "delivered", supervisor=supervisor, handler=handler, department=department
    )
    made["in review"] = lifecycle.case_reopen_for_review(
        case_id=review.pk, actor=supervisor, requested_on=timezone.localdate()
    )
    handed_down = lifecycle.case_take(
        case_id=advance(
            register_case(clerk=people["clerk"]), "assigned", supervisor=supervisor, department=department
        ).pk,
        actor=handler,
    )
    today = timezone.localdate()
    order = HandedDownData("省信访局", "政策测试〔2026〕1号", today, today + timedelta(days=30))
    handed_down_record(case_id=handed_down.pk, actor=supervisor, data=order)
    made["handed down"] = handed_down
    made["closed"] = advance(
        register_case(clerk=people["clerk"]), "closed", supervisor=supervisor, handler=handler, department=department
    )
    return {name: Case.objects.get(pk=case.pk) for name, case in made.items()}


def attempt(action, case: Case, user, data: dict) -> str | None:
    """Take the action through its service and undo it; None if it was taken, else the refusal."""
    try:
        with transaction.atomic():
            action.perform(case, user, data)
            raise Rollback
    except Rollback:
        return None
    except ActionNotAllowed as error:
        return str(error.message)


def test_a_button_shows_exactly_when_its_service_takes_the_action(people, cases):
    checked = refused = 0
    for case_name, case in cases.items():
        for role, user in people.items():
            for action in ACTIONS:
                case = Case.objects.get(pk=case.pk)
                decision = action.policy(case, user)
                refusal = attempt(action, case, user, sample_input(action.name, case, people))
                where = f"{action.name} on the {case_name} case as {role}: policy {decision}, service {refusal}"
                assert decision.allowed == (refusal is None), where
                assert refusal is None or refusal == str(decision.reason), where
                refused += refusal is not None
                checked += 1
    assert checked == len(cases) * len(people) * len(ACTIONS)
    assert 0 < refused < checked  # both sides of every rule were met


def test_every_refusal_says_why():
    case = Case(state="closed", version=1)
    user = UserFactory()  # no role at all
    for action in ACTIONS:
        decision = action.policy(case, user)
        assert not decision and str(decision.reason), action.name

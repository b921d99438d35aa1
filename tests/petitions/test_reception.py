"""Planning reception sessions: who may, for whom, which days, and one session per leader, day and place."""

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from devdata.factories import UserFactory
from petitions.models import ReceptionSession, Role
from petitions.services.reception import reception_session_plan

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DAY = date(2026, 6, 5)
LOGGER = "petitions.services.reception"


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(MONDAY, tick=True):
        yield


def plan(**overrides) -> ReceptionSession:
    return reception_session_plan(**{"date": DAY, "place": "一楼接待室", **overrides})


def refused(field: str, match: str, **overrides) -> None:
    """The plan is refused with `match` in the English message of `field`, and nothing is saved."""
    before = ReceptionSession.objects.count()
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            plan(**overrides)
        errors = error.value.message_dict
    assert any(match in message for message in errors.get(field, [])), errors
    assert ReceptionSession.objects.count() == before


def test_a_leader_plans_a_session_and_the_log_says_who_planned_what(leader, caplog, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.INFO, logger=LOGGER), django_capture_on_commit_callbacks(execute=True):
        session = plan(actor=leader, leader=leader, place="  一楼接待室 ", topic=" 征地拆迁 ")
    session.refresh_from_db()
    assert (session.leader, session.created_by, session.date) == (leader, leader, DAY)
    assert (session.place, session.topic) == ("一楼接待室", "征地拆迁")
    [record] = [record for record in caplog.records if record.name == LOGGER]
    line = record.getMessage()
    assert f"Reception session {session.pk} planned by {leader.username}" in line
    assert f"leader {leader.username}" in line and "2026-06-05" in line and "一楼接待室" in line


def test_nothing_is_logged_for_a_plan_that_is_rolled_back(leader, caplog, django_capture_on_commit_callbacks):
    def planned_then_rolled_back() -> None:
        with transaction.atomic():
            plan(actor=leader, leader=leader)
            raise RuntimeError("the caller's transaction fails")

    with (
        caplog.at_level(logging.INFO, logger=LOGGER),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        planned_then_rolled_back()
    assert callbacks == [] and not ReceptionSession.objects.exists()
    assert not [record for record in caplog.records if record.name == LOGGER]


def test_a_supervisor_plans_for_a_leader(supervisor, leader):
    session = plan(actor=supervisor, leader=leader)
    assert (session.leader, session.created_by) == (leader, supervisor)


@pytest.mark.parametrize("role", [Role.CLERK, Role.HANDLER, Role.DEPARTMENT_HEAD, Role.AUDITOR])
def test_roles_that_do_not_plan_sessions_are_refused(role, leader, department):
    actor = UserFactory(roles=[role], department=department)
    refused(NON_FIELD_ERRORS, "does not allow planning reception sessions", actor=actor, leader=leader)


def test_the_leader_must_be_an_active_leader(supervisor, clerk, leader):
    refused("leader", "is not a leader", actor=supervisor, leader=clerk)
    leader.is_active = False
    leader.save(update_fields=["is_active"])
    refused("leader", "is not a leader", actor=supervisor, leader=leader)


@pytest.mark.parametrize(
    ("day", "match"),
    [
        (date(1, 1, 1), "on or after 01/01/2025"),
        (date(2024, 12, 31), "on or after 01/01/2025"),
        (date(2028, 1, 1), "on or before 12/31/2027"),
        (date(9999, 12, 31), "on or before 12/31/2027"),
    ],
)
def test_a_day_outside_the_window_of_reception_days_is_refused(leader, day, match):
    refused("date", match, actor=leader, leader=leader, date=day)


def test_the_place_is_given_and_the_texts_fit(leader):
    refused("place", "cannot be blank", actor=leader, leader=leader, place="   ")
    refused("place", "at most 100 characters", actor=leader, leader=leader, place="厅" * 101)
    refused("topic", "at most 200 characters", actor=leader, leader=leader, topic="题" * 201)


def test_one_session_per_leader_day_and_place(leader, supervisor):
    plan(actor=leader, leader=leader)
    refused(NON_FIELD_ERRORS, "already has a reception session", actor=supervisor, leader=leader, place=" 一楼接待室")
    assert plan(actor=leader, leader=leader, place="二楼接待室").place == "二楼接待室"
    assert plan(actor=supervisor, leader=UserFactory(roles=[Role.LEADER]))


def test_the_page_shows_the_refusals_beside_their_fields(client, supervisor, clerk, leader):
    client.force_login(supervisor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("reception_list")
    plan(actor=leader, leader=leader)
    response = client.post(url, {"leader": leader.pk, "date": DAY.isoformat(), "place": "一楼接待室"})
    duplicate = "This leader already has a reception session at that place on that day."
    assert response.context["form"].errors == {NON_FIELD_ERRORS: [duplicate]}
    assert duplicate in response.content.decode()
    response = client.post(url, {"leader": leader.pk, "date": "2028-01-01", "place": "二楼接待室"})
    assert response.context["form"].errors == {"date": ["Enter a date on or before 12/31/2027."]}
    assert '<ul class="errorlist" id="id_date_error"><li>Enter a date on or before 12/31/2027.</li></ul>' in (
        response.content.decode()
    )
    assert ReceptionSession.objects.count() == 1

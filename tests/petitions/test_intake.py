import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone, translation

from devdata.factories import (
    case_data,
    local_datetime,
    petitioner_data,
    reception_session,
    register_case,
    valid_id_number,
)
from petitions.models import Case, CaseLog, CaseSequence, Channel, Notification, Petitioner, Role, State
from petitions.services.intake import TRACKING_ALPHABET, PetitionerData, RecordChoice, case_register

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)
def test_registered_case_is_numbered_tracked_and_due_in_15_days(clerk):
    received = timezone.now() - timedelta(hours=2)
    case = register_case(clerk=clerk, received_at=received)
    year = timezone.localdate().year
    assert re.fullmatch(rf"XF{year}-\d{{6}}", case.number)
    assert case.state == State.RECEIVED
    assert len(case.tracking_code) >= 10
    assert set(case.tracking_code) <= set(TRACKING_ALPHABET)
    assert case.accept_due == date(2026, 6, 16)  # 15 days after 1 June, a working day
    assert case.deadline_basis == {"accept": {"start": "2026-06-01", "days": 15, "working": False}}
    assert case.registered_by == clerk
    log = CaseLog.objects.get(case=case)
    assert (log.action, log.actor, log.target_state) == ("register", clerk, State.RECEIVED)


def test_numbers_follow_each_other(clerk):
    first = register_case(clerk=clerk)
    second = register_case(clerk=clerk)
    assert second.sequence == first.sequence + 1
    assert second.tracking_code != first.tracking_code


def test_tracking_codes_are_unique_and_unpredictable(clerk):
    codes = {register_case(clerk=clerk).tracking_code for _ in range(20)}
    assert len(codes) == 20


def test_same_id_number_links_to_the_same_person_and_makes_a_repeat(clerk):
    id_number = valid_id_number()
    first = register_case(clerk=clerk, petitioners=[petitioner_data(id_number=id_number, phone="13800138000")])
    on_record = Petitioner.objects.get(id_number=id_number)
    again = petitioner_data(name=on_record.name, gender=on_record.gender, address=on_record.address)
    # No pick in the look-up panel, no repeat_of: the ID number alone links, and the case is a repeat.
    second = register_case(clerk=clerk, petitioners=[replace(again, id_number=id_number, phone="13800138000")])
    person = Petitioner.objects.get(id_number=id_number)
    assert list(person.case_links.values_list("case__number", flat=True).order_by("case__number")) == [
        first.number,
        second.number,
    ]
    assert second.is_repeat and second.repeat_of == first
    assert not first.is_repeat


def test_collective_visit_with_representatives_notifies_supervisors_and_leaders(clerk, supervisor, leader):
    people = [petitioner_data() for _ in range(5)]
    case = register_case(clerk=clerk, channel=Channel.VISIT, headcount=12, petitioners=people)
    case.refresh_from_db()
    assert case.is_collective
    assert case.case_petitioners.count() == 5
    assert case.case_petitioners.filter(role="primary").count() == 1
    assert Notification.objects.filter(case=case, kind="collective_visit").count() == 2


def test_visit_at_a_reception_session(clerk, leader):
    session = reception_session(leader=leader)
    case = register_case(clerk=clerk, channel=Channel.VISIT, reception_session=session)
    assert case.reception_session == session
    assert list(session.cases.all()) == [case]


def _refused(clerk, field, *, match: str, language: str = "en", **overrides):
    """Registering is refused by the check of `field` whose message (in `language`) contains `match`,
    and nothing is saved."""
    numbers_before = (Case.objects.count(), Petitioner.objects.count(), list(CaseSequence.objects.values_list()))
    with translation.override(language):
        with pytest.raises(ValidationError) as error:
            case_register(actor=clerk, data=case_data(**overrides))
        errors = error.value.message_dict
    assert any(match in message for message in errors.get(field, [])), errors
    assert (
        Case.objects.count(),
        Petitioner.objects.count(),
        list(CaseSequence.objects.values_list()),
    ) == numbers_before
    return errors[field]


def test_future_received_time_is_refused(clerk):
    _refused(clerk, "received_at", match="cannot be in the future", received_at=timezone.now() + timedelta(hours=1))


def test_headcount_below_named_people_is_refused(clerk):
    _refused(
        clerk,
        "headcount",
        match="(2) cannot be below the number of people named (3)",
        headcount=2,
        petitioners=[petitioner_data() for _ in range(3)],
    )


def test_more_than_five_representatives_is_refused(clerk):
    _refused(
        clerk, "__all__", match="At most 5 petitioners", headcount=20, petitioners=[petitioner_data() for _ in range(6)]
    )


def test_reception_session_only_for_visits(clerk, leader):
    session = reception_session(leader=leader)
    _refused(clerk, "reception_session", match="Only visits", channel=Channel.LETTER, reception_session=session)


def test_letter_dated_after_receipt_is_refused(clerk):
    _refused(
        clerk,
        "letter_date",
        match="cannot be dated after it was received",
        channel=Channel.LETTER,
        letter_date=timezone.localdate() + timedelta(days=2),
    )


def test_same_id_number_twice_in_one_case_is_refused(clerk):
    id_number = valid_id_number()
    _refused(
        clerk,
        "__all__",
        match="The same ID number is given for two people",
        headcount=2,
        petitioners=[petitioner_data(id_number=id_number), petitioner_data(id_number=id_number)],
    )


def test_only_registering_roles_may_register(handler):
    with translation.override("en"), pytest.raises(ValidationError, match="does not allow registering cases"):
        case_register(actor=handler, data=case_data())
    assert not Case.objects.exists()


def test_picked_person_with_a_different_id_number_is_refused(clerk):
    case = register_case(clerk=clerk)
    person = case.case_petitioners.get().petitioner
    _refused(
        clerk,
        "__all__",
        match="differs from the one on record for the person picked",
        petitioners=[PetitionerData(name=person.name, existing_id=person.pk, id_number=valid_id_number())],
    )
    assert Case.objects.count() == 1


def test_confidentiality_once_asked_is_kept(clerk):
    id_number = valid_id_number()
    register_case(clerk=clerk, petitioners=[petitioner_data(id_number=id_number, confidential=True)])
    register_case(
        clerk=clerk,
        petitioners=[petitioner_data(id_number=id_number, confidential=False, record_choice=RecordChoice.UPDATE)],
    )
    assert Petitioner.objects.get(id_number=id_number).confidential


def test_role_fixture_users_have_their_roles(clerk, supervisor, handler):
    assert clerk.has_role(Role.CLERK) and not clerk.has_role(Role.SUPERVISOR)
    assert handler.department.code == "ZJJ"


def test_a_tracking_code_collision_is_retried_with_a_new_code(clerk, monkeypatch):
    from petitions.services import intake

    taken = register_case(clerk=clerk).tracking_code
    codes = iter([taken, "ZZZZZZZZZZZZ"])
    monkeypatch.setattr(intake, "new_tracking_code", lambda: next(codes))
    case = register_case(clerk=clerk)
    assert case.tracking_code == "ZZZZZZZZZZZZ"
    assert Case.objects.count() == 2 and CaseSequence.objects.get().last == 2


@pytest.mark.parametrize("year", [1, 1900, 1980])
def test_a_received_time_decades_back_is_refused_and_nothing_is_saved(clerk, year):
    _refused(
        clerk, "received_at", match="不能早于", language="zh-hans", received_at=local_datetime(date(year, 1, 1), 0, 0)
    )


@override_settings(INTAKE_EARLIEST_RECEIVED=date(2020, 1, 1))
def test_the_earliest_received_day_is_a_setting(clerk):
    assert register_case(clerk=clerk, received_at=local_datetime(date(2020, 1, 1), 9)).accept_due
    _refused(clerk, "received_at", match="before 01/01/2020", received_at=local_datetime(date(2019, 12, 31), 23, 59))


def test_a_letter_dated_years_before_its_receipt_is_refused(clerk):
    _refused(clerk, "letter_date", match="more than a year before", channel=Channel.LETTER, letter_date=date(1, 1, 1))


# --- What a registration costs: every statement counts under load (bench/intake_profile.py) -------------


def test_registering_a_new_person_writes_the_case_in_a_fixed_few_statements(clerk, django_assert_num_queries):
    register_case(clerk=clerk)  # loads what every process keeps: the rules, the calendar, the notice texts
    data = case_data(petitioners=[petitioner_data(email="pd@example.com")])
    # The person's look-up, the person, the number, the case, its petitioner, its log, the notices (e-mail
    # and SMS) and their task runs — no repeat look-up for a person just made, no reading back of the
    # rows just written — and the savepoint of the test's transaction around it.
    with django_assert_num_queries(10):
        case = case_register(actor=clerk, data=data)
    assert not case.is_repeat and case.petitioner_notices.count() == 2


def test_registering_a_person_on_record_asks_once_for_their_newest_case(clerk, django_assert_num_queries):
    first = register_case(clerk=clerk)
    on_record = first.case_petitioners.get().petitioner
    again = petitioner_data(
        name=on_record.name,
        gender=on_record.gender,
        id_number=on_record.id_number,
        phone=on_record.phone,
        address=on_record.address,
    )
    data = case_data(petitioners=[again])
    with django_assert_num_queries(10):  # as a new person, but the person is found, and their newest case
        case = case_register(actor=clerk, data=data)
    assert case.repeat_of == first

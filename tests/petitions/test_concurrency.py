"""Two people at once, on two real PostgreSQL connections."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import transaction

from petitions.errors import ActionNotAllowed, StaleCase
from petitions.factories import UserFactory, register_case
from petitions.models import Case, CaseLog, Department, Role, State
from petitions.services import lifecycle
from tests.conftest import in_thread

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_two_supervisors_route_the_same_case_one_wins(postgres_only, clerk, supervisor):
    case = register_case(clerk=clerk)
    version = case.version
    other_supervisor = UserFactory(roles=[Role.SUPERVISOR])
    housing, education = Department.objects.get(code="ZJJ"), Department.objects.get(code="JYJ")
    first_holds_lock = threading.Event()

    @in_thread
    def first():
        with transaction.atomic():
            Case.objects.select_for_update().get(pk=case.pk)
            first_holds_lock.set()
            time.sleep(0.5)  # the second request arrives while this one is working
            return lifecycle.case_accept(
                case_id=case.pk, actor=supervisor, department=housing, expected_version=version
            )

    @in_thread
    def second():
        first_holds_lock.wait(5)
        started = time.monotonic()
        try:
            lifecycle.case_accept(
                case_id=case.pk, actor=other_supervisor, department=education, expected_version=version
            )
        except StaleCase as error:
            return error, time.monotonic() - started
        return None, time.monotonic() - started

    with ThreadPoolExecutor(2) as pool:
        winner, loser = pool.submit(first), pool.submit(second)
        winner_case = winner.result(10)
        error, waited = loser.result(10)

    assert winner_case.department == housing
    assert isinstance(error, StaleCase), "the second request must be refused, not applied"
    assert waited >= 0.3, "the second request must have waited for the first one's lock"
    case.refresh_from_db()
    assert (case.state, case.department) == (State.ASSIGNED, housing)
    assert CaseLog.objects.filter(case=case, action="accept").count() == 1


def test_two_handlers_take_the_same_case_one_wins(postgres_only, clerk, supervisor, department):
    case = register_case(clerk=clerk)
    lifecycle.case_accept(case_id=case.pk, actor=supervisor, department=department)
    handlers = [UserFactory(roles=[Role.HANDLER], department=department) for _ in range(2)]
    barrier = threading.Barrier(2)

    @in_thread
    def take(handler):
        barrier.wait(5)
        try:
            lifecycle.case_take(case_id=case.pk, actor=handler)
        except ActionNotAllowed as error:
            return error
        return handler

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(take, handlers))
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    losers = [o for o in outcomes if isinstance(o, ActionNotAllowed)]
    assert len(winners) == 1 and len(losers) == 1
    case.refresh_from_db()
    assert case.handler == winners[0]
    assert CaseLog.objects.filter(case=case, action="take").count() == 1


def test_numbers_have_no_gaps_or_duplicates_under_concurrent_intake(postgres_only):
    clerks = [UserFactory(roles=[Role.CLERK]) for _ in range(6)]
    barrier = threading.Barrier(len(clerks))

    class Abandoned(Exception):
        pass

    @in_thread
    def register_many(clerk, index):
        barrier.wait(10)
        for n in range(12):
            if (index + n) % 5 == 0:
                # A registration that fails after taking its number gives the number back.
                try:
                    with transaction.atomic():
                        register_case(clerk=clerk)
                        raise Abandoned
                except Abandoned:
                    pass
            else:
                register_case(clerk=clerk)

    with ThreadPoolExecutor(len(clerks)) as pool:
        list(pool.map(register_many, clerks, range(len(clerks))))

    sequences = sorted(Case.objects.values_list("sequence", flat=True))
    assert len(sequences) == len(set(sequences))
    assert sequences == list(range(1, len(sequences) + 1))
    assert len(sequences) == sum(1 for i in range(6) for n in range(12) if (i + n) % 5 != 0)

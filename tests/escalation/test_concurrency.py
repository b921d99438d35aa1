"""Sweeps against each other and against users, on real PostgreSQL connections."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import transaction

from escalation.models import Escalation
from escalation.services import escalation_sweep
from petitions.db.locks import single_run
from petitions.models import Case, Notification
from tests.conftest import in_thread
from tests.escalation.conftest import DUE, at, on

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_two_sweeps_at_once_share_the_work_and_send_nothing_twice(postgres_only, routed, department_head, slow_batches):
    cases = [routed() for _ in range(40)]
    start = threading.Barrier(2)

    @in_thread
    def sweep():
        import time_machine

        with time_machine.travel(at(DUE), tick=True):
            start.wait(10)
            # Without the lock: the claims alone must keep the two runs apart.
            return escalation_sweep(batch_size=4, exclusive=False)

    with ThreadPoolExecutor(2) as pool:
        results = [future.result(60) for future in [pool.submit(sweep), pool.submit(sweep)]]

    assert sum(result.escalations for result in results) == 40
    assert all(result.escalations > 0 for result in results), results  # both took a share
    assert Counter(Escalation.objects.values_list("case_id", flat=True)) == Counter({case.pk: 1 for case in cases})
    per_recipient = Counter(Notification.objects.filter(kind="deadline_reached").values_list("case_id", "recipient_id"))
    assert len(per_recipient) == 80 and set(per_recipient.values()) == {1}  # handler and head of each case, once
    with on(DUE):
        assert escalation_sweep().escalations == 0


def test_overlapping_runs_are_prevented(postgres_only, routed):
    routed()
    holding, release = threading.Event(), threading.Event()

    @in_thread
    def other_run():
        with single_run("escalation-sweep") as acquired:
            assert acquired
            holding.set()
            release.wait(10)

    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(other_run)
        assert holding.wait(10)
        with on(DUE):
            assert escalation_sweep().skipped
        assert not Escalation.objects.exists()
        release.set()
        future.result(10)
    with on(DUE):
        result = escalation_sweep()
    assert not result.skipped and result.escalations == 1


def test_a_case_a_user_is_changing_is_left_to_the_next_run(postgres_only, routed):
    busy, free = routed(), routed()
    locked, release = threading.Event(), threading.Event()

    @in_thread
    def user_transaction():
        with transaction.atomic():
            Case.objects.select_for_update().get(pk=busy.pk)
            locked.set()
            release.wait(10)

    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(user_transaction)
        assert locked.wait(10)
        with on(DUE):
            result = escalation_sweep()  # does not wait for the user
        assert result.escalations == 1
        assert list(Escalation.objects.values_list("case_id", flat=True)) == [free.pk]
        release.set()
        future.result(10)
    with on(DUE):
        assert escalation_sweep().escalations == 1
    assert set(Escalation.objects.values_list("case_id", flat=True)) == {busy.pk, free.pk}

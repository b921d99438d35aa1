"""One run at a time: the advisory lock on PostgreSQL, the lease row elsewhere."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from petitions.db.locks import LEASE_SECONDS, _take_lease, single_run
from petitions.models import JobLease

pytestmark = pytest.mark.django_db


def test_a_lease_is_held_until_released_or_expired():
    assert _take_lease("job", "first")
    assert not _take_lease("job", "second")
    with time_machine.travel(timezone.now() + timedelta(seconds=LEASE_SECONDS + 1)):
        assert _take_lease("job", "third")  # the first holder died: its lease has run out
    assert JobLease.objects.get(name="job").holder == "third"


def test_single_run_is_released_after_the_run_and_after_an_error():
    with single_run("job") as acquired:
        assert acquired

    def failing_run():
        with single_run("job") as acquired:
            assert acquired
            raise RuntimeError

    with pytest.raises(RuntimeError):
        failing_run()
    with single_run("job") as acquired:
        assert acquired
    assert not JobLease.objects.exists()

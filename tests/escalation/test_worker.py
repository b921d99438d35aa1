"""The sweep as it runs in production: Celery beat, the Redis broker, real worker processes.

Worker processes keep the real clock, so these cases are made overdue relative to today: routed on
a day whose 60-day deadline fell one to six days ago (only the level-1 rung is due).
"""

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import timedelta

import pytest
from celery.result import AsyncResult
from django.db import connection
from django.utils import timezone

from escalation.ladder import active_rules, rule_due
from escalation.models import Escalation
from escalation.tasks import sweep
from petitions.clocks.deadlines import deadline_for
from petitions.models import CaseLog, Notification, TaskOutbox
from petitions.models.choices import Clock
from tests.conftest import ROOT, start_worker, subprocess_env, wait_until
from tests.escalation.conftest import slow_escalation_inserts

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def overdue(routed, department_head):
    """`overdue(n)`: n cases whose handling deadline passed 1–6 days ago, by the real clock."""
    today = timezone.localdate()
    day = next(
        today - timedelta(days=back)
        for back in range(61, 120)
        if 1 <= (today - deadline_for(Clock.HANDLING, today - timedelta(days=back)).due).days <= 6
    )

    def make(n: int):
        cases = [routed(day=day) for _ in range(n)]
        due = cases[0].handling_due
        assert [rule.level for rule in active_rules() if rule_due(rule, due, today)] == [1]
        return cases

    return make


def advisory_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
        return cursor.fetchone()[0]


def test_a_worker_killed_mid_sweep_then_restarted_sends_everything_once(postgres_only, redis_only, overdue, tmp_path):
    cases = overdue(40)
    env = subprocess_env(ESCALATION_BATCH_SIZE="5")
    worker = start_worker(tmp_path, env=env, pool="solo")  # the task runs in the process we kill
    try:
        with slow_escalation_inserts(0.4):
            sweep.delay()
            wait_until(lambda: Escalation.objects.count() >= 10, timeout=60, message="two batches to commit")
            os.kill(worker.process.pid, signal.SIGKILL)
            worker.process.wait(10)
            # The killed run's open batch is rolled back when its connection drops, and its lock goes with it.
            wait_until(lambda: advisory_locks() == 0, timeout=30, message="the dead run's lock to go")
        done = Escalation.objects.count()
        assert 10 <= done < 40 and done % 5 == 0, done  # whole batches only
        assert Notification.objects.filter(kind="deadline_reached").count() == 2 * done  # handler and head
        assert CaseLog.objects.filter(action="escalate").count() == done

        worker = start_worker(tmp_path, env=env)  # the restarted worker takes the next beat tick
        result = AsyncResult(sweep.delay().id).get(timeout=60)
        assert result["escalations"] == 40 - done and not result["skipped"]
    finally:
        worker.stop()

    assert Counter(Escalation.objects.values_list("case_id", "level")) == Counter({(c.pk, 1): 1 for c in cases})
    sent = Counter(Notification.objects.filter(kind="deadline_reached").values_list("case_id", "recipient_id"))
    assert len(sent) == 80 and set(sent.values()) == {1}
    assert CaseLog.objects.filter(action="escalate").count() == 40


def test_two_workers_sweeping_at_once_do_everything_once(postgres_only, redis_only, overdue, tmp_path):
    cases = overdue(30)
    env = subprocess_env(ESCALATION_BATCH_SIZE="3")
    workers = [start_worker(tmp_path, env=env), start_worker(tmp_path, env=env)]
    try:
        with slow_escalation_inserts(0.1):
            tasks = [sweep.delay(), sweep.delay()]
            results = [AsyncResult(task.id).get(timeout=60) for task in tasks]
    finally:
        for worker in workers:
            worker.stop()
    assert sorted(result["escalations"] for result in results) == [0, 30]
    assert [result["skipped"] for result in results].count(True) == 1  # the second run found the first at work
    ran_on = {
        line.split("]")[0] for w in workers for line in w.output().splitlines() if "escalation.tasks.sweep" in line
    }
    assert ran_on, "the tasks ran on the workers"
    assert Counter(Escalation.objects.values_list("case_id", flat=True)) == Counter({c.pk: 1 for c in cases})
    assert Notification.objects.filter(kind="deadline_reached").count() == 60


def test_beat_schedules_the_sweep_and_a_worker_runs_it_through_redis(postgres_only, redis_only, overdue, tmp_path):
    cases = overdue(3)
    env = subprocess_env(ESCALATION_SWEEP_SECONDS="1", PETITION_DESK_VAR_DIR=str(tmp_path))
    worker = start_worker(tmp_path, env=env)
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO"],
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / "beat.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: Escalation.objects.count() == 3, timeout=60, message="beat's sweep to escalate")
        # Every e-mail copy goes out through the same worker, once.
        wait_until(
            lambda: not Notification.objects.filter(kind="deadline_reached", emailed_at__isnull=True).exists(),
            timeout=60,
            message="the e-mail copies",
        )
    finally:
        beat.terminate()
        beat.wait(20)
        worker.stop()
    assert "escalation.tasks.sweep" in (tmp_path / "beat.log").read_text()
    assert set(Escalation.objects.values_list("case_id", flat=True)) == {case.pk for case in cases}
    assert not TaskOutbox.objects.filter(handed_over_at__isnull=True).exists()  # nothing left for the relay

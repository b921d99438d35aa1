"""Beat's runs go through the task outbox: a run due while the broker is away waits for it."""

import subprocess
import sys
from datetime import timedelta

import pytest
from celery.beat import ScheduleEntry
from celery.schedules import crontab
from django.utils import timezone

from config.celery_app import app
from petitions.beat import OutboxScheduler
from petitions.models import TaskOutbox
from petitions.services.task_queue import outbox_relay
from tests.conftest import ROOT, celery_broker_at, free_port, subprocess_env, wait_until


@pytest.fixture
def scheduler(tmp_path):
    return OutboxScheduler(app=app, schedule_filename=str(tmp_path / "schedule"), lazy=True)


@pytest.mark.django_db(transaction=True)  # beat runs outside any transaction
def test_the_monday_report_due_while_the_broker_is_away_is_handed_over_when_it_is_back(scheduler, own_redis):
    weekly = ScheduleEntry(
        name="weekly-reports", task="reports.tasks.make_weekly_reports", schedule=crontab(hour=6), app=app
    )
    with celery_broker_at(f"redis://127.0.0.1:{free_port()}/0"):  # nobody listens there
        scheduler.apply_entry(weekly)
    row = TaskOutbox.objects.get()
    assert row.task == "reports.tasks.make_weekly_reports" and row.handed_over_at is None and row.attempts == 1
    with celery_broker_at(own_redis.url):  # the broker is back (one of this test's own: nobody runs the task)
        assert outbox_relay() == 1
    row.refresh_from_db()
    assert row.handed_over_at is not None


@pytest.mark.django_db(transaction=True)  # beat runs outside any transaction
def test_a_runs_expiry_counts_from_when_beat_found_it_due(scheduler):
    sweep = ScheduleEntry(
        name="sweep", task="escalation.tasks.sweep", schedule=timedelta(seconds=300), options={"expires": 300}, app=app
    )
    before = timezone.now()
    with celery_broker_at(f"redis://127.0.0.1:{free_port()}/0"):  # the run waits in the outbox
        result = scheduler.apply_async(sweep, advance=False)  # as apply_entry calls it
    row = TaskOutbox.objects.get()
    assert before + timedelta(seconds=299) < row.expires_at <= timezone.now() + timedelta(seconds=300)
    assert row.handed_over_at is None and result.id == row.task_id


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_beat_keeps_ticking_through_an_outage_and_its_runs_reach_the_broker_after_it(own_redis, tmp_path):
    env = subprocess_env(REDIS_URL=own_redis.url, TASK_RELAY_SECONDS="1", PETITION_DESK_VAR_DIR=str(tmp_path))
    own_redis.stop()
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO"],
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / "beat.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    relay = TaskOutbox.objects.filter(task="petitions.tasks.relay_task_outbox")
    try:
        wait_until(lambda: relay.count() >= 3, timeout=60, message="beat to record three relay runs")
        assert not relay.filter(handed_over_at__isnull=False).exists()  # the broker is away: they wait
        own_redis.start()
        wait_until(
            lambda: relay.filter(handed_over_at__isnull=False).exists(), timeout=30, message="a run after the outage"
        )
    except AssertionError:
        raise AssertionError((tmp_path / "beat.log").read_text()) from None
    finally:
        beat.terminate()
        beat.wait(20)
    with celery_broker_at(own_redis.url):
        outbox_relay()  # as the worker does with the relay run it receives
    assert not TaskOutbox.objects.filter(handed_over_at__isnull=True).exists()

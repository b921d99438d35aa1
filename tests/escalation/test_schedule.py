"""Every periodic task is declared in CELERY_BEAT_SCHEDULE and names a task the workers know."""

from celery.schedules import crontab
from django.conf import settings

import escalation.tasks  # noqa: F401 - the workers import every app's tasks module (autodiscover)
import petitions.tasks  # noqa: F401
import reports.tasks  # noqa: F401
import webhooks.tasks  # noqa: F401
from config.celery_app import app


def test_the_schedule_names_registered_tasks():
    app.loader.import_default_modules()  # what a worker does at start: every app's tasks module, autodiscovered
    schedule = settings.CELERY_BEAT_SCHEDULE
    for name, entry in schedule.items():
        assert entry["task"] in app.tasks, name
    sweep = schedule["escalation-sweep"]
    assert sweep["schedule"] == settings.ESCALATION_SWEEP_SECONDS == 300
    assert sweep["options"]["expires"] == 300  # a tick that waited a whole period is dropped
    assert isinstance(schedule["escalation-auto-close"]["schedule"], crontab)
    assert schedule["petitions-recompute-deadlines"]["task"] == "petitions.tasks.recompute_deadlines"
    relay = schedule["petitions-task-relay"]
    assert relay["task"] == "petitions.tasks.relay_task_outbox"
    assert relay["schedule"] == settings.TASK_RELAY_SECONDS == relay["options"]["expires"] == 60

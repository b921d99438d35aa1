"""System checks: the calendar warning is said once where it applies, and SQLite's index warning not at all."""

import os
import subprocess
import sys
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from petitions.clocks.workdays import WorkingCalendar, missing_schedule_years
from tests.conftest import ROOT

NOON_2_NOVEMBER_2026 = datetime(2026, 11, 2, 12, tzinfo=ZoneInfo("Asia/Shanghai"))


def output_of(command: str, **options) -> str:
    out = StringIO()
    call_command(command, stdout=out, stderr=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_the_calendar_warning_is_said_where_a_database_is_checked_and_not_before_every_command():
    with time_machine.travel(NOON_2_NOVEMBER_2026):
        assert output_of("check", databases=["default"]).count("petitions.W001") == 1  # migrate runs these
        assert "petitions.W001" not in output_of("check")
        # A data command of `make run` checks the project first, as every command does: without the warning.
        assert "petitions.W001" not in output_of("load_reference_data", skip_checks=False)


def run_manage(tmp_path, *arguments: str) -> str:
    """manage.py on the embedded default (SQLite in a fresh folder, no Redis), as `make run` runs it."""
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.local", "PETITION_DESK_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_on_the_embedded_default_migrate_warns_once_and_sqlite_indexes_not_at_all(tmp_path):
    # On a fresh database no administrator has entered a year: the years the calendar package lacks are missing.
    missing = missing_schedule_years(timezone.localdate(), WorkingCalendar({}, entered_years=set()))
    migrated = run_manage(tmp_path, "migrate", "--noinput")
    assert migrated.count("petitions.W001") == len(missing), migrated
    assert "models.W040" not in migrated and "SQLite does not support" not in migrated
    checked = run_manage(tmp_path, "check", "--database", "default")
    assert "models.W040" not in checked
    assert "petitions.W001" not in run_manage(tmp_path, "load_reference_data")

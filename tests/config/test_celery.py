"""Tasks reach a real Celery worker process: through Redis, and on the embedded default."""

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from devdata.factories import UserFactory, register_case
from petitions.models import Notification, Role
from tests.conftest import ROOT, free_port, start_worker, wait_until

pytestmark = pytest.mark.worker


def test_a_request_enqueues_after_commit_and_a_redis_worker_runs_the_task(
    redis_only,
    celery_worker_process,
    client,
    clerk,
    supervisor,
    department,
):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    head = UserFactory(roles=[Role.DEPARTMENT_HEAD], department=department, email="head@example.cn")
    case = register_case(clerk=clerk)
    client.force_login(supervisor)
    response = client.post(
        reverse("case_action", args=[case.number, "accept"]),
        {"accept-department": department.pk, "accept-note": "", "accept-version": case.version},
    )
    assert response.status_code == 302
    notification = Notification.objects.get(recipient=head, case=case, kind="case_routed")

    def emailed():
        notification.refresh_from_db()
        return notification.emailed_at

    try:
        wait_until(emailed, timeout=30, message="the worker to e-mail the notification")
    except AssertionError:
        raise AssertionError(celery_worker_process.output()) from None
    assert "send_notification_emails" in celery_worker_process.output()


def test_embedded_default_makes_its_own_folder(tmp_path: Path):
    """A fresh clone has no var/: SQLite makes the database file, not the folder it lies in."""
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.local", "PETITION_DESK_VAR_DIR": str(tmp_path / "var")})
    script = "import django; django.setup(); from django.db import connection; connection.ensure_connection()"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "db.sqlite3").exists()


def test_embedded_default_boots_without_postgres_or_redis(tmp_path: Path):
    var = tmp_path / "var"  # as in a fresh clone: the folder does not exist yet
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "PETITION_DESK_VAR_DIR": str(var),
            "CELERY_QUEUE": "embedded-test",
            "HEALTHZ_TOKEN": "embedded-monitor-token",
            "PYTHONUNBUFFERED": "1",
        }
    )

    def manage(*args: str, check: bool = True) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    manage("migrate", "--noinput")
    assert (var / "db.sqlite3").exists()
    manage("load_reference_data")
    port = free_port()
    web = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / "web.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    worker = start_worker(tmp_path, env=env)
    try:

        def healthz():
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/healthz", headers={"X-Healthz-Token": "embedded-monitor-token"}
                )
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - our own server
                    return json.loads(response.read())
            except OSError:
                return None

        health = wait_until(healthz, timeout=60, message="the embedded web server")
        assert health["checks"]["database"]["vendor"] == "sqlite"
        assert health["checks"]["broker"]["transport"] == "filesystem"
        assert health["status"] == "ok", health
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as response:
            assert response.status == 200

        script = (
            "from devdata.factories import UserFactory; from petitions.models import Notification;"
            "from petitions.tasks import send_notification_emails;"
            "u = UserFactory(username='embedded', email='e@example.cn');"
            "n = Notification.objects.create(recipient=u, kind='case_routed', params={'number': 'XF-1'});"
            "send_notification_emails.delay([n.pk]); print(n.pk)"
        )
        pk = manage("shell", "-c", script).strip().splitlines()[-1]
        check = f"from petitions.models import Notification; print(Notification.objects.get(pk={pk}).emailed_at)"
        wait_until(
            lambda: manage("shell", "-c", check).strip().splitlines()[-1] != "None",
            timeout=60,
            interval=0.5,
            message="the filesystem-broker worker to run the task",
        )
        assert any((var / "broker").iterdir())
    finally:
        worker.stop()
        web.terminate()
        web.wait(timeout=20)
    time.sleep(0)  # processes stopped

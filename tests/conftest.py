"""Shared fixtures: reference data, one user per role, a real Celery worker, a real browser."""

import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from devdata.factories import UserFactory
from petitions.models import Department, Role
from petitions.services.reference_data import load_reference_data

ROOT = Path(__file__).resolve().parents[1]
FULL_STACK_REQUIRED = os.environ.get("PETITION_DESK_REQUIRE_FULL_STACK") == "1"


# --- CI runs the whole stack: a skipped test there is a failure, not a footnote. -------------------
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if FULL_STACK_REQUIRED and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped, but PETITION_DESK_REQUIRE_FULL_STACK=1: {report.longrepr}"


def ensure_base_data() -> None:
    """Roles and reference data, which a transactional test's flush removes."""
    from django.contrib.auth.models import Group

    from petitions.roles import sync_role_permissions

    if not Group.objects.exists():
        sync_role_permissions()
    load_reference_data()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # With --reuse-db the last run's transactional tests may have emptied the tables.
    with django_db_blocker.unblock():
        ensure_base_data()


@pytest.fixture(autouse=True)
def _base_data_for_transactional_tests(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or (marker is not None and marker.kwargs.get("transaction"))
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        ensure_base_data()


@pytest.fixture(autouse=True)
def _cached_reads_forgotten_after_each_test():
    """A test's rule, calendar, text or case changes are rolled back with its transaction; so are the
    copies kept of them (the cases a test made, say, and the counts kept of them)."""
    yield
    from information.returns.kept import ReturnsDirectory
    from petitions.apps import renew_kept_copies
    from webhooks.subscriptions import Subscriptions

    renew_kept_copies()
    Subscriptions.changed()  # the test's webhook subscriptions are rolled back too
    ReturnsDirectory.changed()  # and its special periods and reporting units


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def postgres_only():
    if not is_postgres():
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://...)")


@pytest.fixture
def redis_only():
    if not settings.REDIS_URL:
        pytest.skip("needs Redis (set REDIS_URL=redis://...)")


# --- People ------------------------------------------------------------------------------------------
@pytest.fixture
def department(db) -> Department:
    return Department.objects.get(code="ZJJ")


@pytest.fixture
def other_department(db) -> Department:
    return Department.objects.get(code="JYJ")


@pytest.fixture
def clerk(db):
    return UserFactory(roles=[Role.CLERK])


@pytest.fixture
def supervisor(db):
    return UserFactory(roles=[Role.SUPERVISOR])


@pytest.fixture
def handler(department):
    return UserFactory(roles=[Role.HANDLER], department=department)


@pytest.fixture
def department_head(department):
    return UserFactory(roles=[Role.DEPARTMENT_HEAD], department=department)


@pytest.fixture
def other_handler(other_department):
    return UserFactory(roles=[Role.HANDLER], department=other_department)


@pytest.fixture
def leader(db):
    return UserFactory(roles=[Role.LEADER])


@pytest.fixture
def admin_user(db):
    user = UserFactory(roles=[Role.ADMIN], is_staff=True, is_superuser=True)
    return user


@pytest.fixture
def office_report(db):
    """This week's office report, ready, with its figures but without drawing its PDF (WeasyPrint
    takes seconds; pages that only show the figures do not need it)."""
    from django.utils import timezone

    from reports.models import Report
    from reports.selectors import report_figures, week_of

    week = week_of(timezone.localdate())
    return Report.objects.create(
        period_start=week.start,
        period_end=week.end,
        kind=Report.Kind.WEEKLY,
        status=Report.Status.READY,
        snapshot=report_figures(week, None),
        pdf="reports/not-drawn.pdf",
    )


# --- A real Celery worker process -------------------------------------------------------------------
def database_url_for_tests() -> str:
    """The URL of the test database (not the development one), for processes the tests start."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def subprocess_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url_for_tests(),
            "CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


class WorkerProcess:
    def __init__(self, hostname: str, process: subprocess.Popen, log: Path) -> None:
        self.hostname = hostname
        self.process = process
        self.log = log

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_worker(
    tmp_path: Path, *, concurrency: int = 1, env: dict | None = None, pool: str = "prefork"
) -> WorkerProcess:
    """A real worker on this run's queue. `pool="solo"` runs tasks in the worker's own process, so that
    killing that one process kills the task it is running."""
    env = env or subprocess_env()
    hostname = f"test-{uuid.uuid4().hex[:8]}@localhost"
    log = tmp_path / f"{hostname}.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel",
            "INFO",
            "--hostname",
            hostname,
            "--concurrency",
            str(concurrency),
            "--pool",
            pool,
            "--without-mingle",
            "--without-gossip",
            "--queues",
            env["CELERY_QUEUE"],
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    worker = WorkerProcess(hostname, process, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the worker exited early:\n{worker.output()}")
        # The worker's own word, so that this works whichever broker the worker was given.
        if f"{hostname} ready." in worker.output():
            return worker
        time.sleep(0.1)
    worker.stop()
    raise RuntimeError(f"the worker did not answer within 60 s:\n{worker.output()}")


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    worker = start_worker(tmp_path)
    yield worker
    worker.stop()


def in_thread(function):
    """Run `function` on its own database connection, closed afterwards."""

    def run(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    return run


def wait_until(predicate, *, timeout: float = 30.0, interval: float = 0.1, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {message}")


# --- A Redis server of a test's own, to stop and start -------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """`redis-server` on a free port with its data in `folder`. Every write is in its append-only file
    before it is answered (as docker-compose.yml runs Redis), so a stop loses nothing and a start on
    the same port and folder brings the same data back."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        result = subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True)
        return result.stdout.strip() == "PONG"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)),
                *("--appendonly", "yes", "--appendfsync", "always", "--save", ""),
            ],
            stdout=(self.folder / "redis.log").open("a"),
            stderr=subprocess.STDOUT,
        )
        wait_until(self.ping, timeout=20, message=f"redis-server on port {self.port}")

    def stop(self) -> None:
        """As an outage does: at once (`shutdown nosave`), whoever is connected."""
        if self.process is None or self.process.poll() is not None:
            return
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def own_redis(tmp_path):
    """A running Redis of this test's own (stop and start it at will); stopped after the test."""
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@contextmanager
def celery_broker_at(url: str):
    """Inside: this process's Celery app sends its tasks to the broker at `url`."""
    from config.celery_app import app

    def forget_connections() -> None:  # kombu keeps a pool per broker URL: the app only forgets which
        app._pool = None
        if "amqp" in app.__dict__:
            app.amqp._producer_pool = None

    saved = app.conf.broker_url
    forget_connections()
    app.conf.broker_url = url
    try:
        yield app
    finally:
        forget_connections()
        app.conf.broker_url = saved


# --- Browser ------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ],
    }

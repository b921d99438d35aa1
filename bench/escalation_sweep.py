"""Benchmark: the escalation sweep over a province-sized case table.

Scenario (DESIGN.md "Scale", PERFORMANCE.md): N cases on record (default 1,000,000), 200,000 of them
open, 10,000 of those newly overdue (their deadline was yesterday, nothing sent yet). The other open
cases are either not yet near their deadline, or overdue/near it with every rung already recorded, so
the sweep must find the 10,000 among them. Target: the sweep ≤ 5 s end to end, including the
escalation rows, the case log rows and the in-app notifications (e-mail copies are handed to the
broker after each commit), with a number of SQL statements that grows with batches, not with cases.

    .venv/bin/python bench/escalation_sweep.py                                   # 1,000,000 cases
    .venv/bin/python bench/escalation_sweep.py --cases 100000 --open 20000 --newly-overdue 1000

It creates (drops first) the database named by --database on the PostgreSQL server of DATABASE_URL
(default postgres://postgres@127.0.0.1:5432), migrates it, seeds it with COPY, runs VACUUM ANALYZE,
then runs the sweep --runs times (each run gets 10,000 fresh deadlines to chase) and an idle sweep,
printing time, statements and peak memory of each, and the median.
"""

import argparse
import contextlib
import os
import random
import resource
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="pd_bench_escalation", help="database to create (dropped first)")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=200_000)
    parser.add_argument("--newly-overdue", type=int, default=10_000)
    parser.add_argument(
        "--already-overdue", type=int, default=None, help="overdue, fully escalated (default 10%% of open)"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=None, help="ESCALATION_BATCH_SIZE (default: the setting)")
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    return parser.parse_args()


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("DATABASE_URL must point at PostgreSQL (the bench uses COPY and FOR UPDATE SKIP LOCKED)")
    return f"{parts.scheme}://{parts.netloc}"


def create_database(server: str, name: str, reuse: bool) -> bool:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reuse:
            return False
        if exists:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def setup_django(server: str, name: str) -> None:
    os.environ["DATABASE_URL"] = f"{server}/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["CELERY_QUEUE"] = f"bench-{name}"  # nobody consumes it; purged at the end
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def seed(args: argparse.Namespace) -> None:
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from devdata.factories import UserFactory
    from petitions.models import Case, Category, Department, Region, Role, User

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    departments = list(Department.objects.all())
    for department in departments:
        code = department.code.lower()
        UserFactory(username=f"{code}-head", roles=[Role.DEPARTMENT_HEAD], department=department)
        for n in range(5):
            UserFactory(username=f"{code}-h{n}", roles=[Role.HANDLER], department=department)
    for n in range(10):
        UserFactory(username=f"supervisor{n}", roles=[Role.SUPERVISOR])
    for n in range(5):
        UserFactory(username=f"leader{n}", roles=[Role.LEADER])
    clerk = UserFactory(username="clerk", roles=[Role.CLERK])
    handlers: dict[int, list[int]] = {}
    for pk, department_id in User.objects.filter(groups=Group.objects.get(name=Role.HANDLER)).values_list(
        "pk", "department_id"
    ):
        handlers.setdefault(department_id, []).append(pk)
    leaders = list(User.objects.filter(groups__name=Role.LEADER).values_list("pk", flat=True))
    categories = list(Category.objects.values_list("pk", flat=True))
    regions = list(Region.objects.values_list("pk", flat=True))

    today = timezone.localdate()
    rng = random.Random(2026)
    already = args.already_overdue if args.already_overdue is not None else args.open // 10
    fields = [f for f in Case._meta.concrete_fields if not getattr(f, "generated", False) and f.column != "id"]
    columns = [f.column for f in fields]
    escalation_rows: list[tuple] = []
    now = timezone.now()
    alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

    def case_row(n: int) -> dict:
        received = today - timedelta(days=rng.randint(0, 900))
        department_id = rng.choice(departments).pk
        row = {
            "number": f"XB{n:09d}",
            "year": received.year,
            "sequence": n,
            "tracking_code": "".join(rng.choice(alphabet) for _ in range(12)),
            "channel": rng.choice(["visit", "letter", "phone", "online"]),
            "received_at": datetime(received.year, received.month, received.day, 9, tzinfo=now.tzinfo),
            "letter_date": None,
            "registered_by_id": clerk.pk,
            "registered_at": now,
            "reception_session_id": None,
            "headcount": 1,
            "purpose": "request",
            "legal_type": "claim",
            "category_id": rng.choice(categories),
            "region_id": rng.choice(regions),
            "summary": "反映小区物业公司擅自提高物业费。",
            "request": "要求规范收费。",
            "facts": "",
            "complained_unit": "",
            "is_repeat": False,
            "repeat_of_id": None,
            "skip_level": False,
            "state": "closed",
            "version": 1,
            "department_id": department_id,
            "handler_id": rng.choice(handlers[department_id]),
            "owning_leader_id": rng.choice(leaders) if rng.random() < 0.02 else None,
            "accepted_at": None,
            "assigned_at": None,
            "accept_due": received + timedelta(days=15),
            "objection_due": None,
            "handling_due": None,
            "review_request_due": None,
            "deadline_basis": "{}",
            "extension_days": 0,
            "extension_reason": "",
            "extension_requested_days": 0,
            "extension_request_reason": "",
            "outcome": "explained",
            "outcome_text": "已答复。",
            "legal_basis": "",
            "handled_at": None,
            "outcome_delivered_on": None,
            "in_review": False,
            "review_requested_at": None,
            "closure": "completed",
            "closing_reason": "",
            "closed_at": now,
            "satisfaction": "",
            "follow_up_note": "",
        }
        return row

    open_start = args.cases - args.open  # the last `open` numbers are open
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY petitions_case ({', '.join(columns)}) FROM STDIN") as copy:
            for n in range(1, args.cases + 1):
                row = case_row(n)
                index = n - open_start - 1
                if index >= 0:
                    row.update(state="assigned", closure="", closed_at=None, outcome="", outcome_text="")
                    if index < args.newly_overdue:
                        row["handling_due"] = today - timedelta(days=1)
                    elif index < args.newly_overdue + already:
                        days = rng.randint(1, 60)
                        row["handling_due"] = today - timedelta(days=days)
                        for level, offset in ((0, -3), (1, 0), (2, 7), (3, 15)):
                            if days >= offset:
                                escalation_rows.append((n, level, row["handling_due"], days))
                    else:
                        row["handling_due"] = today + timedelta(days=rng.randint(4, 60))
                copy.write_row([row[column] for column in columns])
        ids = dict(Case.objects.filter(number__gte=f"XB{open_start + 1:09d}").values_list("number", "pk").iterator())
        with cursor.copy(
            "COPY escalation_escalation (case_id, clock, level, deadline, days_from_deadline, created_at, "
            "recipients, notice_number) FROM STDIN"
        ) as copy:
            for n, level, deadline, days in escalation_rows:
                notice = f"DX{n:09d}" if level == 2 else ""
                copy.write_row([ids[f"XB{n:09d}"], "handling", level, deadline, days, now, "[]", notice])
    connection.close()
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(
        f"seeded {args.cases:,} cases ({args.open:,} open, {args.newly_overdue:,} newly overdue, "
        f"{already:,} overdue and already escalated; {len(escalation_rows):,} escalation rows) "
        f"in {time.perf_counter() - started:.1f} s"
    )


def rearm(args: argparse.Namespace) -> None:
    """Make the newly-overdue cases newly overdue again (deadline yesterday, nothing sent for it), so
    that every run has the same work. Only the bench deletes escalation rows."""
    from django.db import connection
    from django.utils import timezone

    due = timezone.localdate() - timedelta(days=1)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS bench_target AS "
            "SELECT id FROM petitions_case WHERE state = 'assigned' ORDER BY id LIMIT %s",
            [args.newly_overdue],
        )
        cursor.execute("UPDATE petitions_case SET handling_due = %s WHERE id IN (SELECT id FROM bench_target)", [due])
        cursor.execute("DELETE FROM escalation_escalation WHERE case_id IN (SELECT id FROM bench_target)")
        cursor.execute("VACUUM ANALYZE petitions_case, escalation_escalation")  # as autovacuum would


def peak_rss_mb() -> float:
    """The process's peak resident memory since the last reset_peak_rss() (Linux: VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS


def measure(label: str, batch_size: int | None) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from escalation.services import escalation_sweep

    reset_peak_rss()
    before = peak_rss_mb()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = escalation_sweep(batch_size=batch_size)
    elapsed = time.perf_counter() - started
    statements = len(queries.captured_queries)  # COPY included
    figures = {
        "seconds": elapsed,
        "statements": statements,
        "escalations": result.escalations,
        "notifications": result.notifications,
        "batches": result.batches,
        "peak_mb": peak_rss_mb(),
    }
    print(
        f"{label:<7} {elapsed:6.2f} s  {statements:4d} statements  {result.batches:3d} batches  "
        f"{result.escalations:7,d} escalations  {result.notifications:7,d} notifications  "
        f"peak RSS {figures['peak_mb']:.0f} MB (+{figures['peak_mb'] - before:.0f} MB)"
    )
    return figures


def main() -> None:
    args = parse_args()
    server = server_url()
    fresh = create_database(server, args.database, args.reuse)
    setup_django(server, args.database)
    if fresh:
        seed(args)
        # Measure in a fresh process, so that its memory figures are the sweep's and not the seeding's.
        os.execv(sys.executable, [sys.executable, __file__, *sys.argv[1:], "--reuse"])  # noqa: S606 - ourselves
    from django.conf import settings

    batch = args.batch_size or settings.ESCALATION_BATCH_SIZE
    print(
        f"sweep with batches of {batch}: 8 statements (ladder, pending cases twice, lock, unlock, 3 role look-ups)"
        " + 8 per batch (begin, claim, recheck, 3 COPY, notification ids, commit), whatever a batch holds"
    )
    runs = []
    for run in range(args.runs):
        rearm(args)
        runs.append(measure(f"run {run + 1}", batch))
    idle = measure("idle", batch)
    median = statistics.median(r["seconds"] for r in runs)
    print(
        f"median {median:.2f} s for {args.newly_overdue:,} newly overdue of {args.open:,} open / {args.cases:,} "
        f"cases (target ≤ 5 s); idle sweep {idle['seconds'] * 1000:.0f} ms in {idle['statements']} statements"
    )
    from config.celery_app import app

    with app.connection_for_write() as conn:
        app.amqp.queues[settings.CELERY_TASK_DEFAULT_QUEUE].bind(conn.default_channel).purge()


if __name__ == "__main__":
    main()

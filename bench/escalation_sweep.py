"""Benchmark: the escalation sweep over a province-sized case table.

Scenario (DESIGN.md "Scale", PERFORMANCE.md): N cases on record (default 1,000,000; about a fifth open,
as devdata.volume seeds them), 10,000 of the open ones newly overdue (their deadline was yesterday,
nothing sent yet). The other open cases are either not yet near their deadline, or overdue/near it
with every rung already recorded by a catch-up sweep after seeding, so the sweep must find the 10,000
among them. Target: the sweep ≤ 5 s end to end, including the
escalation rows, the case log rows and the in-app notifications (e-mail copies are handed to the
broker after each commit), with a number of SQL statements that grows with batches, not with cases.

    .venv/bin/python bench/escalation_sweep.py                                   # 1,000,000 cases
    .venv/bin/python bench/escalation_sweep.py --cases 100000 --newly-overdue 1000

It creates (drops first) the database named by --database on the PostgreSQL server of DATABASE_URL
(default postgres://postgres@127.0.0.1:5432), migrates it, seeds it through devdata.volume (COPY,
VACUUM ANALYZE), runs the catch-up sweep, then runs the sweep --runs times (each run gets
--newly-overdue fresh deadlines to chase) and an idle sweep, printing time, statements and peak memory
of each, and the median.
"""

import argparse
import contextlib
import os
import resource
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="pd_bench_escalation", help="database to create (dropped first)")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--newly-overdue", type=int, default=10_000)
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
    """The volume data of devdata (about a fifth of the cases open, some overdue), then one catch-up
    sweep: what the daily sweep would have recorded by now, so only the re-armed cases are new."""
    from django.core.management import call_command

    from devdata.volume import seed_volume

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    report = seed_volume(cases=args.cases, progress=lambda line: None)
    print(
        f"seeded {report.cases:,} cases ({report.open_cases:,} open), {report.logs:,} log rows "
        f"in {time.perf_counter() - started:.1f} s (devdata.volume)"
    )
    measure("catch-up", args.batch_size)


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
    from petitions.models import Case

    open_cases = Case.objects.exclude(state="closed").count()
    print(
        f"median {median:.2f} s for {args.newly_overdue:,} newly overdue of {open_cases:,} open / {args.cases:,} "
        f"cases (target ≤ 5 s); idle sweep {idle['seconds'] * 1000:.0f} ms in {idle['statements']} statements"
    )
    from config.celery_app import app

    with app.connection_for_write() as conn:
        app.amqp.queues[settings.CELERY_TASK_DEFAULT_QUEUE].bind(conn.default_channel).purge()


if __name__ == "__main__":
    main()

"""Benchmark: the weekly report (snapshot + PDF) for a busy week in a large database.

    .venv/bin/python bench/weekly_report.py                       # 1,000,000 cases, 35,000 in the week
    .venv/bin/python bench/weekly_report.py --cases 100000        # the same week in a smaller database
    .venv/bin/python bench/weekly_report.py --reuse               # measure again without seeding

It creates (or, with --reuse, keeps) the PostgreSQL database named by --database (default
pd_bench_reports) on --server, migrates it, seeds it through devdata.volume (COPY; the cases, their petitioners and
log rows as the services would have written them, most old cases closed, some open and overdue), with
--week-cases of them received in last week, and then measures in a fresh process (so that the seeding's
memory does not count):
the snapshot (every figure of the office's weekly report) and the PDF, `--runs` times, printing each
run, the median, and the process's peak memory. Targets (issue 6): ≤ 10 s and ≤ 500 MB.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ZONE = ZoneInfo("Asia/Shanghai")


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    import django

    django.setup()


def create_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


# --- Seeding ------------------------------------------------------------------------------------------


def seed(total: int, week_cases: int, today: date) -> dict:
    """Seed `total` cases through devdata.volume, `week_cases` of them received in the week the report
    covers (last Monday to Sunday) and the rest over the three years before, as the volume data has them."""
    from devdata.volume import ReceivedIn, seed_volume
    from petitions.services.reference_data import load_reference_data
    from reports.selectors import previous_week

    load_reference_data()
    week = previous_week(today)
    report = seed_volume(
        cases=total, received_in=ReceivedIn(week.start, week.end, week_cases), progress=lambda line: None
    )
    return {
        "cases": report.cases,
        "open": report.open_cases,
        "logs": report.logs,
        "seed_seconds": round(report.seconds),
    }


# --- Measuring ----------------------------------------------------------------------------------------


def measure(runs: int, today: date) -> None:
    """In its own process: the office's weekly snapshot + PDF, `runs` times; prints JSON lines."""
    from reports.rendering import report_pdf
    from reports.selectors import previous_week, report_figures

    week = previous_week(today)
    results = []
    for run in range(1, runs + 1):
        started = time.perf_counter()
        snapshot = report_figures(week, None, today=today)
        figures_done = time.perf_counter()
        pdf = report_pdf(snapshot, language="zh-hans", weekly=True)
        done = time.perf_counter()
        result = {
            "run": run,
            "snapshot_s": round(figures_done - started, 2),
            "pdf_s": round(done - figures_done, 2),
            "total_s": round(done - started, 2),
            "pdf_bytes": len(pdf),
            "new_in_week": snapshot["totals"]["new"],
            "overdue": snapshot["totals"]["overdue"],
        }
        results.append(result)
        print(json.dumps(result), flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "median_total_s": round(statistics.median(r["total_s"] for r in results), 2),
                "median_snapshot_s": round(statistics.median(r["snapshot_s"] for r in results), 2),
                "median_pdf_s": round(statistics.median(r["pdf_s"] for r in results), 2),
                "peak_rss_mb": round(peak_mb),
                "targets": "total <= 10 s, peak <= 500 MB",
            }
        ),
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="pd_bench_reports")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--week-cases", type=int, default=35_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="measure the database seeded before")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    database_url = f"{args.server}/{args.database}"
    today = datetime.now(ZONE).date()  # the volume data is seeded up to now

    if args.measure_only:
        setup_django(database_url)
        measure(args.runs, today)
        return
    if not args.reuse:
        if args.week_cases > args.cases:
            parser.error("--week-cases is larger than --cases")
        create_database(args.server, args.database)
        setup_django(database_url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        counts = seed(args.cases, args.week_cases, today)
        print(json.dumps({"seeded": counts, "database": args.database}), flush=True)
    command = [sys.executable, __file__, "--measure-only", "--database", args.database, "--server", args.server]
    command += ["--runs", str(args.runs)]
    subprocess.run(command, check=True)


if __name__ == "__main__":
    main()

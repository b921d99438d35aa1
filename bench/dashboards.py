"""Benchmark: the start page of each role, the department performance of a month and the annual figures, in
a large database, in process (no web server: the server's share is measured by compare.py's start pages).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pd_bench_dashboards REDIS_URL=redis://127.0.0.1:6379/9 \\
        flock /work/bench.lock .venv/bin/python bench/dashboards.py [--runs 5] [--seed 1000000]

With --seed N it first migrates the database in DATABASE_URL, loads the reference data and seeds N cases
through `manage.py seed_volume` (COPY; see bench/README.md, section 1), and links vol-leader0 to two
departments and a county. Then, `--runs` times each: GET / as each role's vol-* user (Django's test client,
production-like settings, a warm session), the performance figures of last month for every department,
and the annual figures of last year. Prints each run's milliseconds and queries, and the medians.
Targets (issue 15): each start page ≤ 12 queries and ≤ 100 ms of database time at 1,000,000 cases.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

USERS = {
    "supervisor": "vol-supervisor0",
    "leader": "vol-leader0",
    "clerk": "vol-clerk000",
    "department head": "vol-zjj-head",
    "handler": "vol-zjj-handler0",
}


def manage(*args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)


def setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    import django

    django.setup()


def timed(function, runs: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            function()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
    return times, queries


def link_leader() -> None:
    from petitions.models import Department, Region, User
    from reports.models import LeaderLiaison

    leader = User.objects.get(username=USERS["leader"])
    for department in Department.objects.order_by("code")[:2]:
        LeaderLiaison.objects.get_or_create(leader=leader, department=department)
    county = Region.objects.filter(level=Region.Level.COUNTY).order_by("code").first()
    LeaderLiaison.objects.get_or_create(leader=leader, region=county)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0, help="seed this many cases first")
    args = parser.parse_args()
    if args.seed:
        manage("migrate", "--no-input", "-v", "0")
        manage("load_reference_data")
        manage("seed_volume", "--cases", str(args.seed))
    setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    from petitions.models import Case, User
    from reports.annual import annual_figures, year_period
    from reports.performance import performance_figures, previous_month

    settings.ALLOWED_HOSTS = ["*"]
    link_leader()
    cache.clear()  # the kept figures of an earlier run
    print(f"{Case.objects.count():,} cases")
    results = []
    for role, username in USERS.items():
        client = Client()
        client.force_login(User.objects.get(username=username))

        def get(client=client):
            assert client.get("/").status_code == 200

        # The first request computes what the start page keeps for five minutes (reports.home.KEPT_SECONDS).
        results.append((f"start page, {role}, first", *timed(get, 1)))
        results.append((f"start page, {role}", *timed(get, args.runs)))
    month = previous_month(timezone.localdate())
    results.append((f"performance {month.start:%Y-%m}", *timed(lambda: performance_figures(month), args.runs)))
    year = year_period(timezone.localdate().year - 1)
    results.append((f"annual figures {year.start.year}", *timed(lambda: annual_figures(year), max(1, args.runs // 2))))
    for name, times, queries in results:
        runs = " ".join(f"{t:.0f}" for t in times)
        print(f"{name:32} median {statistics.median(times):7.0f} ms  {queries:2d} queries  ({runs})")


if __name__ == "__main__":
    main()

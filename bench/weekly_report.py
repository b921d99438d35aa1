"""Benchmark: the weekly report (snapshot + PDF) for a busy week in a large database.

    .venv/bin/python bench/weekly_report.py                       # 1,000,000 cases, 35,000 in the week
    .venv/bin/python bench/weekly_report.py --cases 100000        # the same week in a smaller database
    .venv/bin/python bench/weekly_report.py --reuse               # measure again without seeding

It creates (or, with --reuse, keeps) the PostgreSQL database named by --database (default
pd_bench_reports) on --server, migrates it, seeds it with COPY (cases and their log rows, shaped like
a province office: 5,000 new cases a day, most old cases closed, some open and overdue), runs VACUUM
ANALYZE, and then measures in a fresh process (so that the seeding's memory does not count):
the snapshot (every figure of the office's weekly report) and the PDF, `--runs` times, printing each
run, the median, and the process's peak memory. Targets (issue 6): ≤ 10 s and ≤ 500 MB.
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PER_DAY = 5000
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

CASE_COLUMNS = [
    "id", "number", "year", "sequence", "tracking_code", "channel", "received_at", "registered_at",
    "headcount", "purpose", "legal_type", "summary", "request", "facts", "complained_unit", "is_repeat",
    "skip_level", "state", "version", "accepted_at", "assigned_at", "accept_due", "objection_due",
    "handling_due", "extension_days", "extension_reason", "extension_requested_days",
    "extension_request_reason", "outcome", "outcome_text", "legal_basis", "handled_at",
    "outcome_delivered_on", "in_review", "closure", "closing_reason", "closed_at", "satisfaction",
    "follow_up_note", "registered_by_id", "category_id", "department_id", "region_id",
    "deadline_basis",
]  # fmt: skip
LOG_COLUMNS = ["case_id", "action", "source_state", "target_state", "actor_id", "at", "note", "data"]


def at_local(day: date, rng: random.Random) -> datetime:
    moment = datetime.combine(day, dtime(8), tzinfo=ZONE) + timedelta(seconds=rng.randrange(0, 10 * 3600))
    return moment


def seed(total: int, week_cases: int, today: date, rng: random.Random) -> dict:
    """COPY `total` cases (and their log rows) into the migrated database; `week_cases` of them
    received in last Monday-to-Sunday week, the others at 5,000 a day before and after it."""
    import psycopg
    from django.conf import settings
    from django.db import connection

    from devdata.factories import UserFactory
    from petitions.models import Category, Department, Region, Role
    from petitions.services.reference_data import load_reference_data
    from reports.selectors import previous_week

    load_reference_data()
    clerk = UserFactory(username="bench-clerk", roles=[Role.CLERK])
    week = previous_week(today)
    categories = list(Category.objects.values_list("pk", "default_department_id"))
    departments = list(Department.objects.values_list("pk", flat=True))
    regions = list(Region.objects.filter(level__gte=Region.Level.COUNTY).values_list("pk", flat=True))

    days_after = (today - week.end).days - 1  # days between the week and today
    after = min(total - week_cases, days_after * PER_DAY)
    before = total - week_cases - after
    plan: list[tuple[date, int]] = []
    for offset in range(7):
        plan.append((week.start + timedelta(days=offset), week_cases // 7 + (offset < week_cases % 7)))
    for offset in range(days_after):
        plan.append((week.end + timedelta(days=1 + offset), min(PER_DAY, after - offset * PER_DAY)))
    day = week.start
    while before > 0:
        day -= timedelta(days=1)
        plan.append((day, min(PER_DAY, before)))
        before -= PER_DAY
    plan = [(d, n) for d, n in plan if n > 0]

    db = settings.DATABASES["default"]
    dsn = f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} user={db['USER']} dbname={db['NAME']}"
    counts = {"cases": 0, "logs": 0}
    started = time.perf_counter()
    channels = ["visit"] * 30 + ["letter"] * 25 + ["phone"] * 15 + ["online"] * 25 + ["mailbox"] * 4 + ["other"]
    purposes = ["request"] * 70 + ["appeal"] * 12 + ["disclosure"] * 10 + ["suggestion"] * 6 + ["other"] * 2
    legal = {
        "request": "claim",
        "appeal": "claim",
        "disclosure": "accusation",
        "suggestion": "suggestion",
        "other": "claim",
    }
    # Cases and log rows stream through two connections at once (nothing piles up in memory); the
    # log rows' foreign keys are checked when their transaction commits, after the cases'.
    with psycopg.connect(dsn) as cases_conn, psycopg.connect(dsn) as logs_conn:
        cases_cur, logs_cur = cases_conn.cursor(), logs_conn.cursor()
        with (
            cases_cur.copy(f"COPY petitions_case ({', '.join(CASE_COLUMNS)}) FROM STDIN") as case_copy,
            logs_cur.copy(f"COPY petitions_caselog ({', '.join(LOG_COLUMNS)}) FROM STDIN") as log_copy,
        ):
            pk = 0
            for received_on, n in sorted(plan):
                for _ in range(n):
                    pk += 1
                    row, case_logs = _case_row(
                        pk,
                        received_on,
                        today,
                        rng,
                        clerk.pk,
                        categories,
                        departments,
                        regions,
                        channels,
                        purposes,
                        legal,
                    )
                    case_copy.write_row(row)
                    for log in case_logs:
                        log_copy.write_row(log)
                    counts["logs"] += len(case_logs)
        counts["cases"] = pk
        cases_cur.execute(
            "INSERT INTO petitions_casesequence (year, last) SELECT year, max(sequence) FROM petitions_case "
            "GROUP BY year ON CONFLICT (year) DO UPDATE SET last = EXCLUDED.last"
        )
        cases_cur.execute("SELECT setval(pg_get_serial_sequence('petitions_case', 'id'), %s)", [pk])
        cases_conn.commit()
        logs_conn.commit()
    counts["seed_seconds"] = round(time.perf_counter() - started, 1)
    connection.close()
    return counts


def _case_row(pk, received_on, today, rng, clerk_id, categories, departments, regions, channels, purposes, legal):
    received_at = at_local(received_on, rng)
    category_id, default_department = rng.choice(categories)
    purpose = rng.choice(purposes)
    channel = rng.choice(channels)
    headcount = rng.randint(5, 30) if channel == "visit" and rng.random() < 0.03 else 1
    accept_due = received_on + timedelta(days=15)
    case = {
        "deadline_basis": "{}",  # the report does not explain deadlines; the case page would
        "state": "received",
        "accepted_at": None,
        "assigned_at": None,
        "objection_due": None,
        "handling_due": None,
        "extension_days": 0,
        "extension_reason": "",
        "outcome": "",
        "outcome_text": "",
        "handled_at": None,
        "outcome_delivered_on": None,
        "closure": "",
        "closing_reason": "",
        "closed_at": None,
        "satisfaction": "",
        "department_id": None,
    }
    logs = [(pk, "register", "received", "received", clerk_id, received_at, "", "{}")]
    fate = rng.random()
    decided_on = received_on + timedelta(days=rng.randint(0, 13) if rng.random() < 0.98 else rng.randint(14, 25))
    if fate < 0.005 and decided_on < today:  # voided
        case.update(state="closed", closure="void", closing_reason="误登记", closed_at=at_local(decided_on, rng))
        logs.append((pk, "void", "received", "closed", clerk_id, case["closed_at"], "误登记", "{}"))
    elif fate < 0.055 and decided_on < today:  # not accepted
        case.update(
            state="closed", closure="not_accepted", closing_reason="不属于信访事项", closed_at=at_local(decided_on, rng)
        )
        logs.append((pk, "refuse", "received", "closed", clerk_id, case["closed_at"], "", "{}"))
    elif decided_on < today:  # accepted and routed
        department = default_department or rng.choice(departments)
        accepted_at = at_local(decided_on, rng)
        due = decided_on + timedelta(days=60)
        case.update(
            state="assigned",
            accepted_at=accepted_at,
            assigned_at=accepted_at,
            objection_due=decided_on + timedelta(days=7),
            handling_due=due,
            department_id=department,
        )
        if rng.random() < 0.02:  # first routed elsewhere and returned
            other = rng.choice(departments)
            logs.append(
                (
                    pk,
                    "accept",
                    "received",
                    "assigned",
                    clerk_id,
                    accepted_at - timedelta(days=2),
                    "",
                    json.dumps({"department": other}),
                )
            )
            logs.append(
                (
                    pk,
                    "return",
                    "assigned",
                    "received",
                    None,
                    accepted_at - timedelta(days=1),
                    "",
                    json.dumps({"department": other}),
                )
            )
        logs.append(
            (pk, "accept", "received", "assigned", clerk_id, accepted_at, "", json.dumps({"department": department}))
        )
        handled_on = decided_on + timedelta(days=rng.randint(5, 70))
        if rng.random() < 0.05:
            extend_on = decided_on + timedelta(days=rng.randint(30, 55))
            if extend_on < today:
                days = rng.choice([15, 30])
                case.update(extension_days=days, extension_reason="情况复杂", handling_due=due + timedelta(days=days))
                logs.append(
                    (
                        pk,
                        "extend",
                        "assigned",
                        "assigned",
                        clerk_id,
                        at_local(extend_on, rng),
                        "情况复杂",
                        json.dumps({"days": days}),
                    )
                )
        if handled_on < today:
            handled_at = at_local(handled_on, rng)
            case.update(
                state="handled",
                outcome=rng.choice(["supported", "explained", "not_supported", "mediated"]),
                outcome_text="经调查核实，意见如下。",
                handled_at=handled_at,
            )
            logs.append((pk, "handle", "assigned", "handled", None, handled_at, "", "{}"))
            closed_on = handled_on + timedelta(days=rng.randint(3, 40))
            if closed_on < today:
                case.update(
                    state="closed",
                    closure="completed",
                    outcome_delivered_on=handled_on + timedelta(days=2),
                    closed_at=at_local(closed_on, rng),
                    satisfaction=rng.choice(["satisfied", "satisfied", "fairly", "dissatisfied", ""]),
                )
                logs.append((pk, "close", "handled", "closed", clerk_id, case["closed_at"], "", "{}"))
    case.update(
        id=pk,
        number=f"XF{received_on.year}-{pk:07d}",
        year=received_on.year,
        sequence=pk,
        tracking_code=f"B{pk:011d}",
        channel=channel,
        received_at=received_at,
        registered_at=received_at,
        headcount=headcount,
        purpose=purpose,
        legal_type=legal[purpose],
        summary="反映问题概况",
        request="诉求",
        facts="",
        complained_unit="",
        is_repeat=rng.random() < 0.15,
        skip_level=rng.random() < 0.03,
        version=1,
        accept_due=accept_due,
        extension_requested_days=0,
        extension_request_reason="",
        legal_basis="",
        in_review=False,
        follow_up_note="",
        registered_by_id=clerk_id,
        category_id=category_id,
        region_id=rng.choice(regions),
    )
    row = tuple(case[column] for column in CASE_COLUMNS)
    return row, logs


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
    parser.add_argument("--today", default="", help="the day the report is made (default: today)")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    database_url = f"{args.server}/{args.database}"
    today = date.fromisoformat(args.today) if args.today else datetime.now(ZONE).date()

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
        from django.db import connection

        call_command("migrate", verbosity=0)
        counts = seed(args.cases, args.week_cases, today, random.Random(6))
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(json.dumps({"seeded": counts, "database": args.database}), flush=True)
    command = [sys.executable, __file__, "--measure-only", "--database", args.database, "--server", args.server]
    command += ["--runs", str(args.runs), "--today", today.isoformat()]
    subprocess.run(command, check=True)


if __name__ == "__main__":
    main()

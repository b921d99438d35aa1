"""Where one registration's time goes: in-process, through the whole Django stack (middleware, form,
service, commit), on the PostgreSQL database in DATABASE_URL (seeded by `manage.py seed_volume`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pd_bench REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python bench/intake_profile.py [--cases 300] [--kind public|staff] [--cprofile 25]

Posts `--cases` forms one after another with Django's test client (production settings, as the
benchmarks run them), a new person each (one in ten a person on record, as bench/public_submit.py
does), and prints: the time per request (median and p95), the statements per request, and the
statements grouped by their shape with their share of the SQL time. With `--cprofile N`, the N
functions with the most cumulative time as well. One process, one core: the figures are what a
request costs, not what the server sustains (bench/public_submit.py and bench/queues.py say that).
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("EMAIL_URL", "consolemail://")
os.environ.setdefault("CELERY_QUEUE", "pd-bench")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("PUBLIC_SUBMIT_RATE", "100000/m")
os.environ.setdefault("PUBLIC_UPLOAD_RATE", "100000/m")
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="pd-bench-static-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

call_command("collectstatic", interactive=False, verbosity=0)  # production settings serve the manifest

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from public_submit import TOKEN, new_id_number, submission_fields  # noqa: E402
from queues import intake_fields  # noqa: E402

from petitions.models import Category, Petitioner, Region, User  # noqa: E402

NUMBERS = re.compile(r"\b\d+\b|'[^']*'")
SAVEPOINT = re.compile(r'"s\d+_x\d+"')
IN_LIST = re.compile(r"IN \([^)]*\)")


def shape(sql: str) -> str:
    return IN_LIST.sub("IN (…)", NUMBERS.sub("?", SAVEPOINT.sub("…", sql)))[:160]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--kind", choices=("public", "staff"), default="public")
    parser.add_argument("--cprofile", type=int, default=0, help="print the N functions with most cumulative time")
    parser.add_argument("--seed", type=int, default=None, help="the same people again (on record from the last run)")
    args = parser.parse_args()

    rng = random.Random(args.seed)  # new people each run unless told: a person made by the last run is on record
    facts = {
        "category": Category.objects.get(code="010200").pk,
        "region": Region.objects.get(code="990102").pk,
        "on_record": list(
            Petitioner.objects.exclude(id_number="").order_by("-pk").values_list("id_number", flat=True)[:500]
        ),
    }
    client = Client()
    if args.kind == "staff":
        client.force_login(User.objects.filter(username__startswith="vol-clerk").order_by("pk").first())

    def one_form() -> tuple[str, dict]:
        if args.kind == "public":
            page = client.get("/public/submit/").content.decode()
            return "/public/submit/", submission_fields(rng, facts, TOKEN.search(page).group(1))
        client.get("/cases/new/")
        fields = intake_fields(rng, facts["category"], facts["region"])
        fields["person-0-id_number"] = new_id_number(rng)
        return "/cases/new/", fields

    forms = [one_form() for _ in range(args.cases)]
    statements: dict[str, list[float]] = defaultdict(list)
    per_request: list[int] = []
    times: list[float] = []
    profile = cProfile.Profile() if args.cprofile else None

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements[shape(sql)].append(time.perf_counter() - started)
            per_request[-1] += 1

    with connection.execute_wrapper(timed):
        for path, fields in forms:
            per_request.append(0)
            started = time.perf_counter()
            if profile:
                profile.enable()
            response = client.post(path, fields)
            if profile:
                profile.disable()
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 302:
                raise SystemExit(f"{path}: {response.status_code}\n{response.content.decode()[:3000]}")

    times.sort()
    sql_total = sum(sum(values) for values in statements.values())
    print(
        f"{args.kind} intake, {args.cases} requests: median {statistics.median(times):.1f} ms, "
        f"p95 {times[int(len(times) * 0.95)]:.1f} ms; statements per request "
        f"{min(per_request)}–{max(per_request)} (median {statistics.median(per_request):.0f}); "
        f"SQL {sql_total * 1000 / args.cases:.1f} ms per request"
    )
    print("\n  ms/req  share  count/req  statement")
    for sql, values in sorted(statements.items(), key=lambda item: -sum(item[1])):
        print(
            f"  {sum(values) * 1000 / args.cases:6.2f}  {sum(values) / sql_total:5.1%}"
            f"  {len(values) / args.cases:9.2f}  {sql}"
        )
    if profile:
        out = io.StringIO()
        order = os.environ.get("PROFILE_SORT", "cumulative")  # or "tottime"
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(args.cprofile)
        print(out.getvalue())


if __name__ == "__main__":
    main()

"""Progress look-ups 查询 on the public site under load: gunicorn (2 sync workers, production settings,
started by bench/queues.py's runner) on the PostgreSQL database in DATABASE_URL, seeded by
`manage.py seed_volume`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pd_bench REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python bench/public_lookup.py [--requests 2000] [--clients 6]

A look-up is the form's POST (tracking code, last 4 digits of the phone): the code's lock row read,
the case found by its unique tracking-code index, its petitioners matched, the session written,
302 to the case page. Also measured: the progress page the petitioner lands on, and 25 wrong pairs
(each writes a lock row; all browsers come from 127.0.0.1, whose limit is 30 wrong pairs an hour).
Only wrong pairs count against the per-address limit, so the right pairs are not throttled. The load generator runs
on the same two cores as gunicorn and PostgreSQL.
"""

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import urllib.parse

from queues import ROOT, Client, bench_env, gunicorn_serving, row, run_concurrently


class Browser(Client):
    """A petitioner's browser: no login; the look-up form's CSRF token."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        status, self.page, _headers = self.request("GET", "/public/track/")
        if status != 200:
            raise SystemExit(f"the look-up form answers HTTP {status}; is public/0001_tracking migrated?")

    def look_up(self, code: str, factor: str):
        return self.post("/public/track/", {"code": code, "factor": factor}, page=self.page)


def pairs(env: dict, count: int) -> list[tuple[str, str]]:
    """(tracking code, last 4 digits of a petitioner's phone) of `count` random cases."""
    script = (
        "import json\n"
        "from petitions.models import CasePetitioner\n"
        "rows = CasePetitioner.objects.exclude(phone='').order_by('?')"
        f".values_list('case__tracking_code', 'phone')[:{count}]\n"
        "print(json.dumps([[code, phone[-4:]] for code, phone in rows]))\n"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return [tuple(pair) for pair in json.loads(out.stdout.strip().splitlines()[-1])]


FORGET_LIMITS = (
    "from django.core.cache import cache\n"
    "redis = cache._cache.get_client(write=True)\n"
    "keys = list(redis.scan_iter(match=cache.make_key('rl:*')))\n"
    "print(redis.delete(*keys) if keys else 0)\n"
)


def forget_address_limits(env: dict) -> None:
    """Start with 127.0.0.1's wrong-pair budget whole (an earlier run's wrong pairs would throttle this one)."""
    subprocess.run([sys.executable, "manage.py", "shell", "-c", FORGET_LIMITS], cwd=ROOT, env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000, help="look-ups (default 2000)")
    parser.add_argument("--clients", type=int, default=6, help="concurrent browsers (default 6)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the seeded PostgreSQL database (see bench/README.md).")

    env = bench_env()
    known = pairs(env, 1000)
    cases = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from petitions.models import Case; print(Case.objects.count())"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    rng = random.Random(12)
    forget_address_limits(env)
    with gunicorn_serving(env, workers=args.workers, port=args.port):
        browsers = [Browser(args.port) for _ in range(args.clients)]

        def right(index: int, n: int):
            code, factor = known[n % len(known)]
            return browsers[index].look_up(code, factor)

        def landing(index: int, n: int):
            code, _factor = known[((n % 5) * len(browsers) + index) % len(known)]
            return browsers[index].request("GET", f"/public/track/case/{urllib.parse.quote(code)}/")

        def wrong(index: int, n: int):
            # a fresh code each time: each writes a lock row (all browsers share 127.0.0.1's budget of 30 an hour)
            code = "".join(rng.choice("23456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(12))
            return browsers[index].look_up(code, "0000")

        run_concurrently(browsers, max(50, args.requests // 10), right, expect=(302,))  # warm up
        print(f"\n{int(cases):,} cases; gunicorn {args.workers} sync workers; {args.clients} browsers\n")
        columns = ["request", "requests", "server p50 ms", "server p95 ms", "client p50 ms", "client p95 ms", "req/s"]
        print("| " + " | ".join([*columns, "queries", "errors"]) + " |")
        print("|---|---|---|---|---|---|---|---|---|")
        lookups = run_concurrently(browsers, args.requests, right, expect=(302,))
        print(row("look-up, right pair (POST → 302)", lookups), flush=True)
        # The browsers' sessions hold their last five cases: the landing page of those.
        for index, browser in enumerate(browsers):
            for n in range(5):
                code, factor = known[(n * len(browsers) + index) % len(known)]
                browser.look_up(code, factor)
        pages = run_concurrently(browsers, min(args.requests, 5 * len(browsers) * 20), landing)
        print(row("progress page (GET)", pages), flush=True)
        wrongs = run_concurrently(browsers, 25, wrong, expect=(200, 429))
        print(row("look-up, wrong pair (POST → 200)", wrongs), flush=True)
        print(f"\nlook-ups: {len(lookups.server_ms) / lookups.seconds:.0f}/s over {lookups.seconds:.1f} s")


if __name__ == "__main__":
    main()

"""The API under load: intake (`POST /api/v1/cases`) and a 50-case list page (`GET /api/v1/cases`),
through gunicorn (2 sync workers, production settings) on the PostgreSQL database in DATABASE_URL,
seeded by `manage.py seed_volume` and migrated (integrations/0001). Use a copy of the bench database:
intake adds cases.

    createdb -h 127.0.0.1 -U postgres -T pd_bench pd_bench_api
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pd_bench_api .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pd_bench_api REDIS_URL=redis://127.0.0.1:6379/10 \\
        flock /work/bench.lock .venv/bin/python bench/api.py [--seconds 10] [--runs 3]

wrk (C, two threads) is the load generator, so that the two cores are left to gunicorn and PostgreSQL.
Intake: every request a new case (its own Idempotency-Key, a new person), by an office integration;
cases/s are counted in the database. List: the first page newest first as the office sees it, the same
for a department's system, and a page deep in the list (by cursor). Each figure is the median of
`--runs` runs. As a baseline in the same run, the browser's intake form sent by clerks
(bench/queues.py), which shares the intake service's own cost with the API.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from queues import ROOT, Client, bench_env, gunicorn_serving, run_intake_wrk, wrk_cases

SETUP = """
import json
from integrations.models import Integration
from integrations.services import integration_save, token_issue
from petitions.models import Case, Category, Department, Region

def integration(name, scopes, department=None):
    found = Integration.objects.filter(name=name).first() or Integration(name=name)
    found.scopes, found.department, found.rate_limit = scopes, department, "100000/s"
    integration_save(integration=found)
    return token_issue(integration=found, actor=None).plaintext

zjj = Department.objects.get(code="ZJJ")
print(json.dumps({
    "cases": Case.objects.count(),
    "office": integration("bench office", ["intake", "read_office"]),
    "department": integration("bench ZJJ", ["read_department"], zjj),
    "category": Category.objects.get(code="010200").code,
    "category_pk": Category.objects.get(code="010200").pk,
    "region": Region.objects.get(code="990102").code,
    "region_pk": Region.objects.get(code="990102").pk,
}))
"""

INTAKE_SCRIPT = """
local counter = 0
function setup(thread)
  thread:set("tag", tostring(math.random(1, 1000000000)))
end
request = function()
  counter = counter + 1
  local headers = {}
  headers["Authorization"] = "Bearer %(token)s"
  headers["Content-Type"] = "application/json"
  headers["Idempotency-Key"] = "bench-%(run)s-" .. tag .. "-" .. counter
  return wrk.format("POST", "/api/v1/cases", headers, '%(body)s')
end
"""


def shell(env: dict, script: str) -> str:
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return out.stdout.strip().splitlines()[-1]


def intake_body(facts: dict) -> str:
    body = {
        "channel": "phone",
        "purpose": "request",
        "legal_type": "claim",
        "category": facts["category"],
        "region": facts["region"],
        "summary": "小区电梯长期故障，物业拖延维修。",
        "request": "请求督促物业尽快维修电梯。",
        "facts": "电梯自上月起多次停运，老人上下楼困难。",
        # As the browser baseline's form: a name, no number, so every request is a new person.
        "petitioners": [{"name": "王建"}],
    }
    return json.dumps(body, ensure_ascii=False).replace("'", "\\'")


def wrk_rate(path: str, token: str, *, seconds: int, connections: int, port: int) -> tuple[float, str, int]:
    """Requests/s, p99 and non-2xx answers of wrk GETting `path` with the token."""
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Authorization: Bearer {token}",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+(\S+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, p99.group(1) if p99 else "?", int(errors.group(1)) if errors else 0


def deep_cursor(port: int, token: str, pages: int) -> str:
    """The cursor `pages` pages into the office's list."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    cursor = ""
    for _ in range(pages):
        connection.request(
            "GET",
            f"/api/v1/cases?limit=50{'&cursor=' + cursor if cursor else ''}",
            headers={"Authorization": f"Bearer {token}"},
        )
        cursor = json.loads(connection.getresponse().read())["next_cursor"]
    return cursor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is printed (default 3)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the browser intake baseline")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a copy of the seeded PostgreSQL database (see bench/README.md).")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    env = bench_env()
    facts = json.loads(shell(env, SETUP))
    print(
        f"\n{facts['cases']:,} cases; gunicorn {args.workers} sync workers; wrk {args.connections} connections, "
        f"{args.seconds} s × {args.runs} runs (median)\n"
    )
    with gunicorn_serving(env, workers=args.workers, port=args.port, probe="/api/v1/schema/"):
        office, department = facts["office"], facts["department"]
        lists = {
            "list, first page, office-wide (50 cases)": "/api/v1/cases?limit=50",
            "list, first page, department ZJJ (50 cases)": "/api/v1/cases?limit=50",
            "list, page 200 by cursor, office-wide": None,
            "list, state=assigned, office-wide": "/api/v1/cases?limit=50&state=assigned",
        }
        lists["list, page 200 by cursor, office-wide"] = (
            f"/api/v1/cases?limit=50&cursor={deep_cursor(args.port, office, 200)}"
        )
        print("| what | median req/s | runs (req/s) | p99 | non-2xx |")
        print("|---|---|---|---|---|")
        for name, path in lists.items():
            token = department if "department" in name else office
            wrk_rate(path, token, seconds=2, connections=args.connections, port=args.port)  # warm up
            runs = [
                wrk_rate(path, token, seconds=args.seconds, connections=args.connections, port=args.port)
                for _ in range(args.runs)
            ]
            rates = [rate for rate, _p99, _errors in runs]
            print(
                f"| {name} | {statistics.median(rates):.0f} | {', '.join(f'{r:.0f}' for r in rates)} | "
                f"{runs[-1][1]} | {sum(e for _r, _p, e in runs)} |",
                flush=True,
            )

        # A key of its own per request and run (wrk's random numbers repeat from run to run): a repeated
        # key would be answered with the earlier case, and make none.
        made = [
            wrk_cases(
                INTAKE_SCRIPT % {"token": office, "body": intake_body(facts), "run": uuid.uuid4().hex},
                connections=args.connections,
                seconds=args.seconds,
                env=env,
                port=args.port,
            )
            for _ in range(args.runs)
        ]
        rates = [run.made / run.seconds for run in made]
        print(
            f"| API intake, POST /api/v1/cases (cases/s) | {statistics.median(rates):.0f} | "
            f"{', '.join(f'{r:.0f}' for r in rates)} | {made[-1].p99} | {sum(run.failed for run in made)} |"
        )
        if not args.no_baseline:
            clerks = [Client(args.port, f"vol-clerk{n:03d}") for n in range(args.connections)]
            for _ in range(args.runs):
                print(
                    "baseline, browser "
                    + run_intake_wrk(clerks, args.seconds, facts["category_pk"], facts["region_pk"], env, args.port),
                    flush=True,
                )


if __name__ == "__main__":
    main()

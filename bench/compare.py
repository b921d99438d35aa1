"""Petition Desk against bare Django, pair by pair in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pd_bench_perf REDIS_URL=redis://127.0.0.1:6379/8 \\
        flock /work/bench.lock .venv/bin/python bench/compare.py [--seconds 20] [--rounds 3] [--only queue]

Starts two gunicorns with the same settings (2 sync workers): Petition Desk (production settings,
SERVER_TIMING on) on the seeded database in DATABASE_URL, and the bare-Django project in bench/bare/
(one app, one 1,000,000-row table, no sessions or auth) on BARE_DATABASE_URL (default
pd_bench_bare; seeded by COPY when empty, `bench/bare/manage.py seed`). For each workload it runs
`wrk -t2 -c16 -d<seconds>s --latency` on the bare page, then on ours, `--rounds` times (A B A B …),
and prints each run's req/s, p50, p99, the ratio ours ÷ bare of each round and their median, the
queries of one request (Server-Timing), the load average, and the RSS of our gunicorn workers as
the requests add up (memory must be flat after the first 10,000).

Workloads (ours ÷ bare): the queue filtered by state + department, the queue unfiltered, a text search
(拆迁补偿), the case page — each against the bare list page (50 rows + COUNT through a 3-column
index); the start page of each role against the bare list page; intake (the clerks' form POSTed, a new
person each time; cases counted in the database) against one INSERT per request.
"""

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from queues import (
    TIMING,
    WRK_SCRIPT,
    Client,
    bench_env,
    case_count,
    database_facts,
    gunicorn_serving,
    intake_fields,
    wait_for_autovacuum,
)

BARE = Path(__file__).resolve().parent / "bare"
DASHBOARD_USERS = {
    "supervisor": "vol-supervisor0",
    "leader": "vol-leader0",
    "clerk": "vol-clerk000",
    "department head": "vol-zjj-head",
    "handler": "vol-zjj-handler0",
}

PATHS_SCRIPT = """
local paths = {%(paths)s}
request = function()
  return wrk.format(%(method)s, paths[math.random(#paths)])
end
"""


@dataclass
class Run:
    rate: float
    p50: str
    p99: str
    requests: int
    failed: int
    made: int | None = None  # cases (or rows) the run made, counted in the database

    def __str__(self) -> str:
        failed = f", {self.failed} failed" if self.failed else ""
        return f"{self.rate:7.1f} req/s  p50 {self.p50:>8}  p99 {self.p99:>8}{failed}"


def wrk(port: int, *, seconds: int, script: str, cookie: str = "", connections: int = 16) -> Run:
    path = Path(tempfile.mkdtemp(prefix="pd-compare-")) / "run.lua"
    path.write_text(script)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(path)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    distribution = out.partition("Latency Distribution")[2]
    p50, p99 = (re.search(rf"\b{share}%\s+(\S+)", distribution).group(1) for share in (50, 99))
    failures = (int(failed.group(1)) if failed else 0) + (sum(map(int, errors.groups())) if errors else 0)
    return Run(rate, p50, p99, requests, failures)


def paths_script(paths: list[str], method: str = "GET") -> str:
    return PATHS_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths), "method": json.dumps(method)}


def worker_rss(master: subprocess.Popen) -> list[int]:
    """Resident memory (MB) of each of the gunicorn master's workers."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(round(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024))
    return sorted(sizes)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def one_request(client: Client, path: str) -> str:
    """The queries of one request, from its Server-Timing header."""
    status, _body, headers = client.request("GET", path)
    timing = TIMING.search(headers.get("Server-Timing", ""))
    return f"{timing.group(2)} queries" if status == 200 and timing else f"HTTP {status}"


def ensure_bare_seeded(env: dict, rows: int) -> None:
    import psycopg

    try:
        with psycopg.connect(env["BARE_DATABASE_URL"]) as connection:
            seeded = connection.execute("SELECT count(*) FROM bare_item").fetchone()[0] >= rows
    except psycopg.OperationalError:
        url = urllib.parse.urlparse(env["BARE_DATABASE_URL"])
        server = url._replace(path="/postgres").geturl()
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{url.path.lstrip("/")}"')
        seeded = False
    except psycopg.errors.UndefinedTable:
        seeded = False
    if not seeded:
        print(f"seeding the bare table ({rows:,} rows)…", flush=True)
        manage = [sys.executable, "manage.py", "seed", "--rows", str(rows)]
        subprocess.run(manage, cwd=BARE, env=env, check=True)


def median_ratio(pairs: list[tuple[Run, Run]]) -> float:
    return statistics.median(ours.rate / bare.rate for bare, ours in pairs if bare.rate)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=20, help="each wrk run (default 20; 5 for a quick look)")
    parser.add_argument("--rounds", type=int, default=3, help="A B pairs per workload (default 3)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers of both (default 2)")
    parser.add_argument("--only", action="append", help="run only the workloads whose name contains this")
    parser.add_argument("--bare-rows", type=int, default=1_000_000)
    parser.add_argument("--port", type=int, default=8781)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the seeded PostgreSQL database (see bench/README.md).")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk).")

    env = bench_env()
    bare_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bare.settings",
        "BARE_DATABASE_URL": os.environ.get("BARE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pd_bench_bare"),
    }
    ensure_bare_seeded(bare_env, args.bare_rows)
    facts = database_facts(env)
    ours_port, bare_port = args.port, args.port + 1
    bare_list = paths_script(["/items/?department=3"])
    bare_insert = paths_script(["/items/new/"], method="POST")
    served = 0  # requests our workers have answered so far
    memory: list[tuple[int, list[int]]] = []

    with (
        gunicorn_serving(env, workers=args.workers, port=ours_port) as ours,
        gunicorn_serving(
            bare_env, workers=args.workers, port=bare_port, probe="/items/", app="bare.wsgi", cwd=BARE
        ) as _bare,
    ):
        clients = {role: Client(ours_port, username) for role, username in DASHBOARD_USERS.items()}
        clerks = [Client(ours_port, f"vol-clerk{n:03d}") for n in range(8)]

        def cookie(client: Client) -> str:
            return "; ".join(f"{key}={value}" for key, value in client.cookies.items())

        supervisor = clients["supervisor"]
        zjj = facts["zjj"]
        gets: dict[str, tuple[Client, list[str]]] = {
            "queue filtered (state + department)": (supervisor, [f"/cases/?state=assigned&department={zjj}&sort=due"]),
            "queue unfiltered": (supervisor, ["/cases/"]),
            "text search 拆迁补偿": (supervisor, ["/cases/?q=" + urllib.parse.quote("拆迁补偿")]),
            "case page": (supervisor, [f"/cases/{number}/" for number in facts["numbers"]]),
            **{f"start page, {role}": (client, ["/"]) for role, client in clients.items()},
        }
        wanted = [name for name in [*gets, "intake"] if not args.only or any(o in name for o in args.only)]
        wait_for_autovacuum(os.environ["DATABASE_URL"])
        print(
            f"\n{facts['cases']:,} cases; gunicorn {args.workers} sync workers each; "
            f"wrk -t2 -c{args.connections} -d{args.seconds}s --latency; {args.rounds} rounds; "
            f"load average {load_average()}\n",
            flush=True,
        )
        summary = []
        for name in wanted:
            if name == "intake":
                pairs, queries = intake_pairs(args, clerks, facts, env, ours_port, bare_port, bare_insert)
                served += sum(o.requests for _b, o in pairs)
                memory.append((served, worker_rss(ours)))
            else:
                client, paths = gets[name]
                for path in paths[:3]:  # warm the caches and the workers
                    client.request("GET", path)
                queries = one_request(client, paths[0])
                pairs = []
                for round_number in range(1, args.rounds + 1):
                    bare_run = wrk(bare_port, seconds=args.seconds, script=bare_list, connections=args.connections)
                    ours_run = wrk(
                        ours_port,
                        seconds=args.seconds,
                        script=paths_script(paths),
                        cookie=cookie(client),
                        connections=args.connections,
                    )
                    served += ours_run.requests
                    memory.append((served, worker_rss(ours)))
                    pairs.append((bare_run, ours_run))
                    print(
                        f"{name:40} round {round_number}: bare list {bare_run} | ours {ours_run} | "
                        f"ratio {ours_run.rate / bare_run.rate:.2f} | load {load_average()}",
                        flush=True,
                    )
            summary.append((name, pairs, queries))

        print("\n| workload | bare req/s | ours req/s | ours p50 / p99 | ratio (median; rounds) | queries |")
        print("|---|---|---|---|---|---|")
        for name, pairs, queries in summary:
            bare_rates = statistics.median(b.rate for b, _o in pairs)
            ours_rates = statistics.median(o.rate for _b, o in pairs)
            middle = sorted(pairs, key=lambda pair: pair[1].rate)[len(pairs) // 2][1]
            rounds = ", ".join(f"{o.rate / b.rate:.2f}" for b, o in pairs)
            print(
                f"| {name} | {bare_rates:.0f} | {ours_rates:.0f} | {middle.p50} / {middle.p99} | "
                f"**{median_ratio(pairs):.2f}** ({rounds}) | {queries} |"
            )
        print("\nworker RSS (MB) after our workers answered N requests:")
        print("; ".join(f"{n:,}: {'/'.join(map(str, sizes))}" for n, sizes in memory))
        print(f"load average at the end: {load_average()}")


def intake_pairs(
    args, clerks: list[Client], facts: dict, env: dict, ours_port: int, bare_port: int, bare_insert: str
) -> tuple[list[tuple[Run, Run]], str]:
    """One INSERT per request against the clerks' intake form, a new person per POST (as bench/queues.py)."""
    fields = intake_fields(random.Random(1), facts["category"], facts["region"])
    page = clerks[0].request("GET", "/cases/new/")[1]
    status, _body, headers = clerks[0].post("/cases/new/", fields, page=page)
    sessions = []
    for client in clerks:
        page = client.request("GET", "/cases/new/")[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        sessions.append(f'{{"{client.cookies["sessionid"]}", "{token}", "{client.cookies["csrftoken"]}"}}')
    timing = TIMING.search(headers.get("Server-Timing", ""))
    queries = f"{timing.group(2)} queries" if status == 302 and timing else f"HTTP {status}"
    fields.pop("person-0-phone")
    script = WRK_SCRIPT % {"sessions": ", ".join(sessions), "body": urllib.parse.urlencode(fields)}
    pairs = []
    for round_number in range(1, args.rounds + 1):
        bare_run = wrk(bare_port, seconds=args.seconds, script=bare_insert, connections=args.connections)
        before = case_count(env)
        began = time.perf_counter()
        ours_run = wrk(ours_port, seconds=args.seconds, script=script, connections=args.connections)
        ours_run.made = case_count(env) - before
        # Cases made per second (a refused POST makes none), over the run's own time.
        ours_run.rate = ours_run.made / min(time.perf_counter() - began, args.seconds)
        pairs.append((bare_run, ours_run))
        print(
            f"{'intake (cases/s) vs one INSERT':40} round {round_number}: bare {bare_run} | ours {ours_run} "
            f"({ours_run.made} cases) | ratio {ours_run.rate / bare_run.rate:.2f} | load {load_average()}",
            flush=True,
        )
    return pairs, queries


if __name__ == "__main__":
    main()

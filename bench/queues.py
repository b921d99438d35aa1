"""Queue, case page and intake under load: gunicorn (2 sync workers, production settings) on the
PostgreSQL database in DATABASE_URL, seeded by `manage.py seed_volume`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pd_bench REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python bench/queues.py [--requests 300] [--clients 4] [--intake 600]

For each page it prints p50/p95 of the server time (from the Server-Timing header: time inside
Django), p50/p95 of the time the client waited, requests per second, and the SQL queries per
request. The load generator runs on the same two cores as gunicorn and PostgreSQL.
"""

import argparse
import http.client
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "demo-pass-2026"  # noqa: S105 - devdata.factories.DEMO_PASSWORD of the vol-* logins
TIMING = re.compile(r'app;dur=([\d.]+).*queries;desc="(\d+)"')


@dataclass
class Result:
    server_ms: list[float] = field(default_factory=list)
    client_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0


class Client:
    """A logged-in browser (or, without a user name, a visitor): one keep-alive connection, the cookies."""

    def __init__(self, port: int, username: str | None) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        if username is None:  # a visitor of the public site: no login
            return
        page = self.request("GET", "/login/")[1]
        self.post("/login/", {"username": username, "password": PASSWORD}, page=page)
        status, _body, _headers = self.request("GET", "/")
        if status != 200:
            raise SystemExit(f"could not log in as {username} (HTTP {status}); did seed_volume run on this database?")

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        headers["Host"] = f"127.0.0.1:{self.port}"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data.decode("utf-8", errors="replace"), response.headers

    def post(self, path: str, fields: dict, *, page: str):
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}, doseq=True).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}/"}
        return self.request("POST", path, body=body, headers=headers)


def measure(result: Result, started: float, status: int, headers, *, expect: tuple[int, ...] = (200,)) -> None:
    result.client_ms.append((time.perf_counter() - started) * 1000)
    timing = TIMING.search(headers.get("Server-Timing", ""))
    if status not in expect or timing is None:
        result.errors += 1
        return
    result.server_ms.append(float(timing.group(1)))
    result.queries.append(int(timing.group(2)))


def run_concurrently(
    clients: list[Client], count: int, send: Callable[[int, int], tuple], *, expect: tuple[int, ...] = (200,)
) -> Result:
    """`count` requests shared out among the clients, each client in a thread of its own:
    `send(client_index, n)` makes request n and returns (status, body, headers)."""
    result = Result()
    lock = threading.Lock()
    counter = iter(range(count))

    def worker(index: int) -> None:
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            started = time.perf_counter()
            status, _body, headers = send(index, n)
            with lock:
                measure(result, started, status, headers, expect=expect)

    began = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(index,)) for index in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - began
    return result


def run_gets(clients: list[Client], paths: list[str], requests: int) -> Result:
    return run_concurrently(clients, requests, lambda index, n: clients[index].request("GET", paths[n % len(paths)]))


# What the bench's clerks register: varied, and without the words the search pages look for, so
# that each run leaves the searched words as frequent as the seeded data has them.
INTAKE_MATTERS = [
    ("反映小区物业擅自提高物业费，公共照明长期损坏无人维修。", "要求责令物业公司维修并规范收费。"),
    ("反映某餐馆夜间油烟和噪音扰民。", "要求环保部门依法查处。"),
    ("反映村道年久失修，雨天无法通行。", "要求尽快修缮道路。"),
    ("反映医保报销比例与政策不符。", "要求按规定重新核算。"),
    ("反映用人单位未依法缴纳社会保险。", "要求补缴社保费用。"),
    ("反映小区开发商逾期未办理房产证。", "要求督促开发商办证。"),
]


def intake_fields(rng: random.Random, category: int, region: int) -> dict:
    summary, request = rng.choice(INTAKE_MATTERS)
    return {
        "channel": "phone",
        "received_at": time.strftime("%Y-%m-%dT%H:%M", time.localtime(time.time() - 600)),
        "headcount": "1",
        "purpose": "request",
        "legal_type": "claim",
        "category": category,
        "region": region,
        "summary": f"压力测试：{summary}编号{rng.randint(0, 10**9)}",
        "request": request,
        "person-TOTAL_FORMS": "1",
        "person-INITIAL_FORMS": "0",
        "person-MIN_NUM_FORMS": "1",
        "person-MAX_NUM_FORMS": "5",
        "person-0-name": "测试人",
        "person-0-phone": f"139{rng.randint(0, 10**8 - 1):08d}",
    }


def run_intake(clients: list[Client], count: int, category: int, region: int) -> Result:
    rngs = [random.Random(index) for index in range(len(clients))]
    pages = [client.request("GET", "/cases/new/")[1] for client in clients]  # each clerk's form and its token

    def post(index: int, _n: int) -> tuple:
        fields = intake_fields(rngs[index], category, region)
        return clients[index].post("/cases/new/", fields, page=pages[index])

    return run_concurrently(clients, count, post, expect=(302,))


WRK_SCRIPT = """
-- Each connection posts intake forms as one of the logged-in clerks, with its own phone numbers.
local sessions = {%(sessions)s}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  math.randomseed(id * 7919)
end
function request()
  local s = sessions[math.random(#sessions)]
  local body = "%(body)s" .. "&person-0-phone=139" .. string.format("%%08d", math.random(0, 99999999))
    .. "&csrfmiddlewaretoken=" .. s[2]
  return wrk.format("POST", "/cases/new/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "sessionid=" .. s[1] .. "; csrftoken=" .. s[3],
    ["Referer"] = "http://127.0.0.1/",
  }, body)
end
"""


def run_intake_wrk(clients: list[Client], seconds: int, category: int, region: int, env: dict, port: int) -> str:
    """Intake with wrk as the load generator (C, two threads): far less CPU than Python clients."""
    sessions = []
    for client in clients:
        page = client.request("GET", "/cases/new/")[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        sessions.append(f'{{"{client.cookies["sessionid"]}", "{token}", "{client.cookies["csrftoken"]}"}}')
    fields = intake_fields(random.Random(1), category, region)
    fields.pop("person-0-phone")
    script = WRK_SCRIPT % {"sessions": ", ".join(sessions), "body": urllib.parse.urlencode(fields)}
    run = wrk_cases(script, connections=len(clients), seconds=seconds, env=env, port=port)
    return f"intake with wrk ({len(clients)} clerks, {seconds} s): {run}"


@dataclass
class WrkCases:
    """What a wrk run that registers cases did: the cases it made (counted in the database) and its time."""

    made: int
    seconds: float
    p99: str
    failed: int

    def __str__(self) -> str:
        return (
            f"{self.made} cases registered, {self.made / self.seconds:.0f} cases/s; client p99 {self.p99}; "
            f"failed responses: {self.failed}"
        )


def case_count(env: dict) -> int:
    count = "from petitions.models import Case; print(Case.objects.count())"
    command = [sys.executable, "manage.py", "shell", "-c", count]
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1])


def wrk_cases(script: str, *, connections: int, seconds: int, env: dict, port: int, threads: int = 2) -> WrkCases:
    """Run wrk with the Lua `script` for `seconds` and count the cases it made."""
    path = Path(tempfile.mkdtemp(prefix="pd-bench-wrk-")) / "bench.lua"
    path.write_text(script)
    before = case_count(env)
    began = time.perf_counter()
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(path),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    elapsed = min(time.perf_counter() - began, seconds)
    latency = re.search(r"99%\s+(\S+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p99 = latency.group(1) if latency else "?"
    return WrkCases(case_count(env) - before, elapsed, p99, int(errors.group(1)) if errors else 0)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def row(name: str, result: Result) -> str:
    done = len(result.server_ms)
    rate = done / result.seconds if result.seconds else 0
    queries = f"{min(result.queries)}–{max(result.queries)}" if result.queries else "-"
    return (
        f"| {name} | {done} | {percentile(result.server_ms, 0.5):.1f} | {percentile(result.server_ms, 0.95):.1f} | "
        f"{percentile(result.client_ms, 0.5):.1f} | {percentile(result.client_ms, 0.95):.1f} | {rate:.0f} | "
        f"{queries} | {result.errors} |"
    )


def wait_for_autovacuum(database_url: str, *, at_most: float = 300) -> None:
    """Wait while autovacuum works on the bench database (after an earlier run's intake, say).

    The pages are measured on a database at rest, so that runs can be compared; what a vacuum
    running beside them costs is a question of its own.
    """
    import psycopg

    started = time.monotonic()
    with psycopg.connect(database_url, autocommit=True) as connection:
        while time.monotonic() - started < at_most:
            running = connection.execute(
                "SELECT query FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' "
                "AND datname = current_database()"
            ).fetchall()
            if not running:
                break
            print(f"waiting for {', '.join(query for (query,) in running)}", flush=True)
            time.sleep(5)
    waited = time.monotonic() - started
    if waited > 1:
        print(f"waited {waited:.0f} s for autovacuum", flush=True)


def database_facts(env: dict) -> dict:
    """What the pages will ask for: some case numbers, the ids the filters use, the counts."""
    script = (
        "from petitions.models import Case, Category, Department, Region\n"
        "import json\n"
        "zjj = Department.objects.get(code='ZJJ')\n"
        "numbers = list(Case.objects.filter(department=zjj, state='assigned').order_by('?')"
        ".values_list('number', flat=True)[:200])\n"
        "print(json.dumps({'cases': Case.objects.count(), 'zjj': zjj.pk, 'numbers': numbers,"
        " 'category': Category.objects.get(code='010200').pk, 'region': Region.objects.get(code='990102').pk,"
        " 'parent_category': Category.objects.get(code='030000').pk}))\n"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_env(**extra: str) -> dict:
    """The environment of the portal under measurement: production settings, Server-Timing on, static
    files collected into a folder of their own."""
    static = tempfile.mkdtemp(prefix="pd-bench-static-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "bench-only-not-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "EMAIL_URL": "consolemail://",
        "STATIC_ROOT": static,
        "SERVER_TIMING": "true",
        "CELERY_QUEUE": "pd-bench",  # nobody consumes it: e-mail copies of notifications are not sent
        "LOG_LEVEL": "WARNING",
        "LOGIN_FAILURE_LIMIT": "1000",
        **extra,
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    return env


@contextmanager
def gunicorn_serving(
    env: dict, *, workers: int, port: int, probe: str = "/login/", app: str = "config.wsgi", cwd: Path = ROOT
) -> Iterator[subprocess.Popen]:
    """gunicorn (sync workers) serving `app` on 127.0.0.1:`port` for the block, answering `probe` before it
    starts; the block gets gunicorn's master process."""
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            app,
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
        ],
        cwd=cwd,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", probe)
                break
            except OSError:
                time.sleep(0.1)
        yield gunicorn
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300, help="requests per page (default 300)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument("--intake", type=int, default=600, help="cases registered in the intake run (default 600)")
    parser.add_argument("--intake-clients", type=int, default=8, help="concurrent clerks in the intake run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--wrk-seconds", type=int, default=10, help="seconds of the wrk intake run (0: skip)")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the seeded PostgreSQL database (see bench/README.md).")

    env = bench_env()
    facts = database_facts(env)
    with gunicorn_serving(env, workers=args.workers, port=args.port):
        supervisors = [Client(args.port, f"vol-supervisor{n % 4}") for n in range(args.clients)]
        handlers = [Client(args.port, f"vol-zjj-handler{n % 6}") for n in range(args.clients)]
        clerks = [Client(args.port, f"vol-clerk{n:03d}") for n in range(args.intake_clients)]
        zjj, category, region = facts["zjj"], facts["category"], facts["region"]
        pages = {
            "queue, first page (deadline order)": ["/cases/"],
            "queue, newest first": ["/cases/?sort=-received"],
            "queue, filtered (state + department + sort)": [f"/cases/?state=assigned&department={zjj}&sort=due"],
            "queue, filtered (category tree + region tree)": [f"/cases/?category={category}&region={region}"],
            "queue, filtered (overdue)": ["/cases/?due=overdue"],
            "queue, page 20": ["/cases/?page=20"],
            "queue, search 4 characters (拆迁补偿)": ["/cases/?q=" + urllib.parse.quote("拆迁补偿")],
            "queue, search 2 characters (电梯)": ["/cases/?q=" + urllib.parse.quote("电梯")],
            "queue, search by case number": [f"/cases/?q={number}" for number in facts["numbers"][:50]],
            "queue, petitioner name (2 characters)": [
                "/cases/?name=" + urllib.parse.quote(name) for name in ("王建", "李娜", "张伟", "刘洋", "陈明")
            ],
            "department list (handler)": ["/cases/department/"],
            "case page": [f"/cases/{number}/" for number in facts["numbers"]],
        }
        wait_for_autovacuum(os.environ["DATABASE_URL"])
        print(f"\n{facts['cases']:,} cases; gunicorn {args.workers} sync workers; {args.clients} clients\n")
        columns = ["page", "requests", "server p50 ms", "server p95 ms", "client p50 ms", "client p95 ms", "req/s"]
        print("| " + " | ".join([*columns, "queries", "errors"]) + " |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name, paths in pages.items():
            viewers = handlers if name.startswith("department") else supervisors
            run_gets(viewers, paths, max(10, args.requests // 10))  # warm up
            print(row(name, run_gets(viewers, paths, args.requests)), flush=True)
        intake = run_intake(clerks, args.intake, category, region)
        print(row(f"intake form POST ({args.intake_clients} clerks)", intake))
        print(f"\nintake: {len(intake.server_ms) / intake.seconds:.0f} cases/s over {intake.seconds:.1f} s")
        if args.wrk_seconds and shutil.which("wrk"):
            print(run_intake_wrk(clerks, args.wrk_seconds, category, region, env, args.port))
        elif args.wrk_seconds:
            print("intake with wrk skipped: wrk is not installed (apt-get install wrk)")


if __name__ == "__main__":
    main()

"""Online submissions (网上信访) under load: anonymous visitors fill in the public form and send it,
through gunicorn (2 sync workers, production settings) on the PostgreSQL database in DATABASE_URL,
seeded by `manage.py seed_volume` and migrated (public/0001 makes the "online" registrar).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pd_bench REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python bench/public_submit.py [--submissions 1200] [--clients 8] [--wrk-seconds 10]

Two runs, each with a new person (a new valid ID number) per submission and a tenth of them by a
person on record (linked by ID number, made a repeat):
- POST only: every visitor fetched its forms first (each form has its own idempotency token), then
  sends them back to back — the submissions/s the service sustains;
- form and POST: each submission first loads the form (its token, the grouped category list), as a
  browser does;
- with wrk (`--wrk-seconds`, 0 skips it): the forms fetched first, then sent by wrk (C, two threads),
  which leaves the two cores to gunicorn and PostgreSQL.
The per-address limits are raised for the run (every visitor comes from 127.0.0.1). Prints the
server and client times (Server-Timing) and cases/s, counted in the database.
"""

import argparse
import os
import random
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import shutil
import urllib.parse

from queues import ROOT, Client, bench_env, gunicorn_serving, row, run_concurrently, wrk_cases

TOKEN = re.compile(r'name="token" value="([^"]+)"')
FACTS = (
    "from petitions.models import Case, Category, Petitioner, Region\n"
    "import json\n"
    "people = list(Petitioner.objects.exclude(id_number='').order_by('?').values_list('id_number', flat=True)[:500])\n"
    "print(json.dumps({'cases': Case.objects.count(), 'category': Category.objects.get(code='010200').pk,"
    " 'region': Region.objects.get(code='990102').pk, 'on_record': people}))\n"
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def new_id_number(rng: random.Random) -> str:
    first17 = (
        f"990102{rng.randint(1950, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    )
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def shell(env: dict, script: str) -> str:
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return out.stdout.strip().splitlines()[-1]


def submission_fields(rng: random.Random, facts: dict, token: str) -> dict:
    on_record = rng.random() < 0.1 and facts["on_record"]
    return {
        "token": token,
        "name": "网上测试人",
        "id_number": rng.choice(facts["on_record"]) if on_record else new_id_number(rng),
        "phone": f"139{rng.randint(0, 10**8 - 1):08d}",
        "address": "东华街道幸福路12号",
        "purpose": "request",
        "legal_type": "claim",
        "category": facts["category"],
        "region": facts["region"],
        "summary": f"压力测试：网上反映小区外墙脱落，编号{rng.randint(0, 10**9)}",
        "request": "请尽快维修外墙。",
        "headcount": "1",
        "consent": "on",
        "co-TOTAL_FORMS": "4",
        "co-INITIAL_FORMS": "0",
        "co-MIN_NUM_FORMS": "0",
        "co-MAX_NUM_FORMS": "4",
    }


WRK_SCRIPT = """
-- Each request sends one of the forms fetched before the run (its own idempotency token and ID number),
-- thread by thread in turn, with the CSRF cookie and field of the visitor that fetched it.
local forms = {%(forms)s}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  sent = 0
end
function request()
  local f = forms[((sent * 2 + id - 1) %% #forms) + 1]
  sent = sent + 1
  local body = "%(body)s" .. "&token=" .. f[1] .. "&id_number=" .. f[2] .. "&csrfmiddlewaretoken=" .. f[3]
  return wrk.format("POST", "/public/submit/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. f[4],
    ["Referer"] = "http://127.0.0.1/public/submit/",
  }, body)
end
"""


def run_submit_wrk(visitors: list[Client], facts: dict, *, forms: int, seconds: int, env: dict, port: int) -> str:
    """Submissions with wrk as the load generator (C, two threads: far less CPU than Python visitors).
    Every form is fetched first; a form sent twice (the run outlasting them) makes no second case."""
    rng = random.Random(99)
    entries = []
    for n in range(forms):
        client = visitors[n % len(visitors)]
        page = client.request("GET", "/public/submit/")[1]
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        fields = submission_fields(rng, facts, TOKEN.search(page).group(1))
        entries.append(
            "{"
            + ", ".join(
                f'"{urllib.parse.quote(value)}"'
                for value in (fields["token"], fields["id_number"], csrf, client.cookies["csrftoken"])
            )
            + "}"
        )
    body = submission_fields(rng, facts, "")
    for name in ("token", "id_number"):
        body.pop(name)
    script = WRK_SCRIPT % {"forms": ", ".join(entries), "body": urllib.parse.urlencode(body)}
    run = wrk_cases(script, connections=len(visitors), seconds=seconds, env=env, port=port)
    return f"submissions with wrk ({len(visitors)} connections, {seconds} s, {forms} forms fetched before): {run}"


def send(client: Client, fields: dict, csrf_page: str):
    return client.post("/public/submit/", fields, page=csrf_page)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=1200, help="submissions per run (default 1200)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent visitors (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--wrk-seconds", type=int, default=10, help="seconds of the wrk run (0: skip)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the seeded PostgreSQL database (see bench/README.md).")

    env = bench_env(PUBLIC_SUBMIT_RATE="1000000/m", PUBLIC_UPLOAD_RATE="1000000/m")
    import json

    facts = json.loads(shell(env, FACTS))
    count = "from petitions.models import Case; print(Case.objects.count())"
    with gunicorn_serving(env, workers=args.workers, port=args.port, probe="/public/"):
        visitors = [Client(args.port, None) for _ in range(args.clients)]
        rngs = [random.Random(index) for index in range(args.clients)]
        per_client = -(-args.submissions // args.clients)
        # Run 1: each visitor's forms fetched first, then sent back to back.
        pages = [[c.request("GET", "/public/submit/")[1] for _ in range(per_client)] for c in visitors]

        def post_only(index: int, n: int):
            # A visitor that sent its share sooner fetches another form (its run is counted).
            page = pages[index].pop() if pages[index] else visitors[index].request("GET", "/public/submit/")[1]
            fields = submission_fields(rngs[index], facts, TOKEN.search(page).group(1))
            return send(visitors[index], fields, page)

        before = int(shell(env, count))
        posted = run_concurrently(visitors, args.submissions, post_only, expect=(302,))
        made = int(shell(env, count)) - before

        def form_and_post(index: int, n: int):
            client = visitors[index]
            page = client.request("GET", "/public/submit/")[1]
            return send(client, submission_fields(rngs[index], facts, TOKEN.search(page).group(1)), page)

        before_second = int(shell(env, count))
        both = run_concurrently(visitors, args.submissions, form_and_post, expect=(302,))
        made_second = int(shell(env, count)) - before_second

        if not args.wrk_seconds:
            with_wrk = "submissions with wrk skipped (--wrk-seconds 0)"
        elif shutil.which("wrk"):
            forms = args.wrk_seconds * 250  # more than the service sends in that time
            with_wrk = run_submit_wrk(visitors, facts, forms=forms, seconds=args.wrk_seconds, env=env, port=args.port)
        else:
            with_wrk = "submissions with wrk skipped: wrk is not installed (apt-get install wrk)"

    print(f"\n{facts['cases']:,} cases; gunicorn {args.workers} sync workers; {args.clients} visitors\n")
    columns = ["run", "requests", "server p50 ms", "server p95 ms", "client p50 ms", "client p95 ms", "req/s"]
    print("| " + " | ".join([*columns, "queries", "errors"]) + " |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(row("submission POST (forms fetched before)", posted))
    print(row("form GET + submission POST (server figures of the POST)", both))
    print(
        f"\nPOST only: {made} cases in {posted.seconds:.1f} s = {made / posted.seconds:.0f} submissions/s"
        f"\nform + POST: {made_second} cases in {both.seconds:.1f} s = {made_second / both.seconds:.0f} submissions/s"
    )
    print(with_wrk)
    print(f"(load average: {Path('/proc/loadavg').read_text().split()[:3]})")


if __name__ == "__main__":
    main()

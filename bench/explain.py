"""EXPLAIN (ANALYZE, BUFFERS) of the main queue queries, built by the same code as the pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pd_bench .venv/bin/python bench/explain.py [--only NAME]

For each list (the supervisors' queue unfiltered, filtered, searched; a department's list) it
prints the plan of the page's rows query and of its counts query, with their execution times.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.http import QueryDict
    from django.test import RequestFactory

    from petitions.models import Category, Department, Region, User
    from petitions.selectors import queues
    from petitions.web.filters import CaseFilter

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="run only the lists whose name contains this")
    args = parser.parse_args()

    supervisor = User.objects.get(username="vol-supervisor0")
    handler = User.objects.get(username="vol-zjj-handler0")
    zjj = Department.objects.get(code="ZJJ").pk
    category = Category.objects.get(code="010200").pk
    region = Region.objects.get(code="990102").pk
    lists = {
        "queue, first page": (supervisor, queues.queue_cases, ""),
        "queue, newest first": (supervisor, queues.queue_cases, "sort=-received"),
        "queue, state + department": (supervisor, queues.queue_cases, f"state=assigned&department={zjj}&sort=due"),
        "queue, category + region": (supervisor, queues.queue_cases, f"category={category}&region={region}"),
        "queue, overdue": (supervisor, queues.queue_cases, "due=overdue"),
        "queue, search 拆迁补偿": (supervisor, queues.queue_cases, "q=拆迁补偿"),
        "queue, search 电梯": (supervisor, queues.queue_cases, "q=电梯"),
        "queue, name 王建": (supervisor, queues.queue_cases, "name=王建"),
        "department list": (handler, queues.department_cases, ""),
    }
    print(
        f"PostgreSQL {connection.cursor().connection.info.server_version}; database {connection.settings_dict['NAME']}"
    )
    for name, (user, cases, query) in lists.items():
        if args.only and args.only not in name:
            continue
        request = RequestFactory().get("/cases/?" + query)
        request.user = user
        base = cases(user)
        case_filter = CaseFilter(QueryDict(query) or None, queryset=base, request=request)
        filtered = case_filter.qs if case_filter.is_bound and case_filter.is_valid() else base
        print(f"\n=== {name} ({query or 'no filters'}) — counts ===")
        sql, params = queues.counts_sql(base, filtered, limit=case_filter.count_limit)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print("\n".join(line for (line,) in cursor.fetchall()))
        total = queues.list_counts(base, filtered, limit=case_filter.count_limit).total
        print(f"\n=== {name} — rows (of {total.value:,}{'+' if total.capped else ''}) ===")
        with queues.page_plan(total, "default"):
            print(queues.list_rows(filtered)[: queues.PAGE_SIZE].explain(analyze=True, buffers=True))


if __name__ == "__main__":
    main()

"""Fill the bare table with --rows rows (default 1,000,000) by COPY, the index built after, then VACUUM ANALYZE."""

import random
import time
from datetime import date, datetime, timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from bare.models import Item

STATES = ["received", "assigned", "assigned", "handled", "closed", "closed", "closed", "closed"]


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=1_000_000)

    def handle(self, *args, rows: int, **options):
        started = time.perf_counter()
        call_command("migrate", run_syncdb=True, verbosity=0)
        rng = random.Random(16)
        table = Item._meta.db_table
        first_day = date(2024, 1, 1)
        received = datetime(2024, 1, 1, 8, 0).astimezone()
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table} RESTART IDENTITY")
            cursor.execute("DROP INDEX IF EXISTS item_dept_state_due")
            columns = "department_id, state, due_date, number, title, received_at"
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for n in range(rows):
                    copy.write_row(
                        (
                            rng.randint(1, 20),
                            rng.choice(STATES),
                            first_day + timedelta(days=rng.randint(0, 1100)),
                            f"XF2025-{n:06d}",
                            f"反映小区物业管理问题，编号{n}",
                            received + timedelta(minutes=n),
                        )
                    )
            cursor.execute(f"CREATE INDEX item_dept_state_due ON {table} (department_id, state, due_date)")
        connection.connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")
        self.stdout.write(f"{rows:,} rows in {time.perf_counter() - started:.1f} s")

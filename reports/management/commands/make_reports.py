"""Make weekly reports now, in this process: a backfill after an outage, or the demo's archive.

python manage.py make_reports                 # last week, the office and every department
python manage.py make_reports --weeks 4 --office-only
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from petitions.models import Department
from reports.selectors import previous_week
from reports.services import report_make_now


class Command(BaseCommand):
    help = "Make the weekly reports of the last weeks now (without the Celery worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--weeks", type=int, default=1, help="how many weeks, counting back from last week")
        parser.add_argument("--office-only", action="store_true", help="only the whole office's reports")

    def handle(self, *args, weeks: int, office_only: bool, **options) -> None:
        scopes: list[Department | None] = [None]
        if not office_only:
            scopes += list(Department.objects.filter(is_active=True).order_by("code"))
        for back in range(weeks):
            week = previous_week(timezone.localdate() - timedelta(weeks=back))
            for department in scopes:
                report = report_make_now(period=week, department=department)
                self.stdout.write(f"{week.start} – {week.end} {report}: {report.get_status_display()}")

"""Celery tasks of reports: take ids, call a service. The Monday schedule is in CELERY_BEAT_SCHEDULE."""

from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError

from reports import services


# A database hiccup is worth another try; a rendering error is not (it is recorded on the report).
@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=3)
def generate_report(report_id: int, generation: int | None = None) -> str:
    report = services.report_generate(report_id=report_id, generation=generation)
    return "made" if report is not None else "nothing to do"


@shared_task
def make_weekly_reports(today: str | None = None) -> list[int]:
    """Monday morning: last week's reports for the office and each department (`today` for re-runs)."""
    reports = services.weekly_reports_create(today=date.fromisoformat(today) if today else None)
    return [report.pk for report in reports]

"""The Monday schedule, and the weekly reports made by a real Celery worker."""

from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone

from config.celery_app import app
from devdata.factories import local_datetime, register_case
from petitions.models import Department
from reports.models import Report
from reports.selectors import previous_week
from reports.tasks import make_weekly_reports
from tests.conftest import wait_until
from tests.reports.pdf_tools import pdf_text


def test_the_weekly_reports_run_every_monday_at_six_in_the_office_time_zone():
    entry = settings.CELERY_BEAT_SCHEDULE["weekly-reports"]
    assert entry["task"] == "reports.tasks.make_weekly_reports"
    assert entry["task"] in app.tasks
    assert entry["schedule"] == crontab(minute=0, hour=6, day_of_week="mon")
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE == "Asia/Shanghai"


@pytest.mark.worker
def test_a_real_worker_makes_last_weeks_reports_once(celery_worker_process, clerk, tmp_path):
    today = timezone.localdate()
    week = previous_week(today)
    for day in (week.start, week.start + timedelta(days=2), week.end):
        register_case(clerk=clerk, received_at=local_datetime(day, 10))
    register_case(clerk=clerk, received_at=local_datetime(week.end, 23, 59))  # Sunday 23:59 still counts
    scopes = 1 + Department.objects.filter(is_active=True).count()

    make_weekly_reports.delay(today.isoformat())

    def all_ready():
        reports = list(Report.objects.filter(period_start=week.start, period_end=week.end))
        return len(reports) == scopes and all(r.status == Report.Status.READY for r in reports) and reports

    try:
        reports = wait_until(all_ready, timeout=180, interval=0.5, message="the worker to make every weekly report")
    except AssertionError:
        raise AssertionError(celery_worker_process.output()) from None
    office = next(r for r in reports if r.department_id is None)
    assert office.snapshot["totals"]["new"] == 4
    assert office.kind == Report.Kind.WEEKLY
    text = "".join(pdf_text(office.pdf.read(), tmp_path).split())
    assert "信访工作周报" in text and f"{week.start}至{week.end}" in text
    empty = next(r for r in reports if r.department_id is not None)
    assert "零报告" in "".join(pdf_text(empty.pdf.read(), tmp_path).split())

    made = {r.pk: r.generated_at for r in reports}
    # A repeated run (beat restarted, a retry) finds the reports made and queues nothing.
    make_weekly_reports.delay(today.isoformat())
    wait_until(
        lambda: celery_worker_process.output().count("reports.tasks.make_weekly_reports[") >= 4,  # received, done ×2
        timeout=60,
        message="the repeated run to finish",
    )
    assert {r.pk: r.generated_at for r in Report.objects.filter(period_start=week.start)} == made
    assert celery_worker_process.output().count("reports.tasks.generate_report[") == 2 * scopes  # received, done

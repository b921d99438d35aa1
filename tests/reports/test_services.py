from datetime import date, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction

from devdata.factories import advance, local_datetime, register_case
from petitions.models import Department, Notification
from reports.models import Report
from reports.rendering import report_html
from reports.selectors import report_figures
from reports.services import ReportError, report_generate, report_regenerate, report_request, weekly_reports_create
from tests.reports.conftest import REPORT_DAY, WEEK


def request_week(actor, department=None) -> Report:
    return report_request(actor=actor, start=WEEK.start, end=WEEK.end, department=department, language="zh-hans")


def test_a_request_returns_at_once_and_queues_one_task_after_commit(db, supervisor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = request_week(supervisor)
    assert report.status == Report.Status.PENDING and report.snapshot is None
    assert report.kind == Report.Kind.WEEKLY and report.requested_by == supervisor
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=False) as again:
        assert request_week(supervisor) == report
    assert again == []  # the same period and scope: the report being made is reused
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 11, 15), date(2026, 11, 9)),
        (date(2099, 1, 1), date(2099, 1, 7)),
        (date(2024, 1, 1), date(2025, 6, 1)),
        (date(1, 1, 1), date(1, 1, 7)),  # year 1: the trend's eight weeks before it are not even dates
        (date(1999, 12, 27), date(2000, 1, 2)),
    ],
)
def test_a_bad_period_is_refused_and_changes_nothing(db, supervisor, start, end):
    with pytest.raises(ReportError):
        report_request(actor=supervisor, start=start, end=end)
    assert not Report.objects.exists()


def test_only_roles_with_the_permission_request_reports(db, handler, leader):
    for user in (handler, leader):
        with pytest.raises(ReportError):
            request_week(user)
    assert not Report.objects.exists()


def test_one_report_per_period_and_scope_is_a_database_rule(db, department):
    Report.objects.create(period_start=WEEK.start, period_end=WEEK.end)
    Report.objects.create(period_start=WEEK.start, period_end=WEEK.end, department=department)
    for scope in (None, department):
        with pytest.raises(IntegrityError), transaction.atomic():
            Report.objects.create(period_start=WEEK.start, period_end=WEEK.end, department=scope)


def test_making_a_report_stores_snapshot_and_pdf_and_a_second_run_does_nothing(crafted_week, supervisor):
    report = request_week(supervisor)
    made = report_generate(report_id=report.pk, generation=report.generation, today=crafted_week.today)
    assert made is not None
    report.refresh_from_db()
    assert report.status == Report.Status.READY and report.generated_at is not None
    assert report.snapshot["totals"]["new"] == 5
    assert report.pdf.read(4) == b"%PDF"
    assert Notification.objects.filter(recipient=supervisor, kind="report_ready").count() == 1
    assert report_generate(report_id=report.pk, generation=report.generation) is None
    assert Notification.objects.filter(recipient=supervisor, kind="report_ready").count() == 1


def test_a_superseded_request_stores_nothing(crafted_week, supervisor):
    report = request_week(supervisor)
    old_generation = report.generation
    report_regenerate(actor=supervisor, report_id=report.pk)
    assert report_generate(report_id=report.pk, generation=old_generation, today=crafted_week.today) is None
    report.refresh_from_db()
    assert report.status == Report.Status.PENDING and report.snapshot is None


def test_a_reprint_shows_the_stored_figures_and_regenerating_takes_the_cases_as_they_are(crafted_week, supervisor):
    report = request_week(supervisor)
    report_generate(report_id=report.pk, today=crafted_week.today)
    report.refresh_from_db()
    overdue = crafted_week.cases["O"]
    with time_machine.travel(local_datetime(REPORT_DAY, 10), tick=False):
        advance(overdue, "handled", supervisor=supervisor)  # settled after the report was made
    assert overdue.number not in [row["number"] for row in report_figures(WEEK, None, today=REPORT_DAY)["overdue"]]
    reprint = report_html(report.snapshot, language="zh-hans", weekly=True)
    assert overdue.number in reprint
    report_regenerate(actor=supervisor, report_id=report.pk)
    report_generate(report_id=report.pk, today=REPORT_DAY)
    report.refresh_from_db()
    assert report.status == Report.Status.READY and report.generation == 2
    assert overdue.number not in [row["number"] for row in report.snapshot["overdue"]]


def test_the_weekly_run_makes_last_weeks_reports_for_the_office_and_every_department(
    db, django_capture_on_commit_callbacks
):
    departments = Department.objects.filter(is_active=True).count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reports = weekly_reports_create(today=REPORT_DAY)
    assert len(reports) == len(callbacks) == 1 + departments
    assert {(r.period_start, r.period_end) for r in reports} == {(WEEK.start, WEEK.end)}
    assert sum(r.department_id is None for r in reports) == 1
    assert all(r.kind == Report.Kind.WEEKLY and r.requested_by is None for r in reports)
    with django_capture_on_commit_callbacks(execute=False):
        again = weekly_reports_create(today=REPORT_DAY + timedelta(days=3))
    assert [r.pk for r in again] == [r.pk for r in reports]
    assert Report.objects.count() == 1 + departments


def test_the_backfill_command_makes_last_weeks_reports_in_process(db, clerk):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from reports.selectors import previous_week

    week = previous_week(timezone.localdate())
    register_case(clerk=clerk, received_at=local_datetime(week.start, 10))
    out = StringIO()
    call_command("make_reports", "--weeks", "2", "--office-only", stdout=out)
    reports = Report.objects.order_by("period_start")
    assert [(r.period_start, r.department_id, r.status) for r in reports] == [
        (week.start - timedelta(weeks=1), None, Report.Status.READY),
        (week.start, None, Report.Status.READY),
    ]
    assert reports[1].snapshot["totals"]["new"] == 1
    call_command("make_reports", "--office-only", stdout=out)  # again: nothing new
    assert Report.objects.count() == 2

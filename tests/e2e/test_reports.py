"""A supervisor asks for a report in a real browser: the page answers at once, shows progress while a
real Celery worker makes the report, and offers the PDF, the preview and the CSV files when it is ready."""

import re
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from devdata.factories import local_datetime, register_case
from reports.models import Report
from reports.selectors import previous_week

pytestmark = pytest.mark.worker


def test_requesting_a_report_shows_progress_until_the_pdf_is_ready(
    login, live_server, celery_worker_process, clerk, supervisor, tmp_path
):
    week = previous_week(timezone.localdate())
    for offset in range(3):
        register_case(clerk=clerk, received_at=local_datetime(week.start + timedelta(days=offset), 10))

    page = login(supervisor)
    page.get_by_role("navigation", name="主导航").locator("[data-nav=reports]").click()
    expect(page.get_by_role("heading", name="报表", exact=True)).to_be_visible()
    page.fill("#id_start", week.start.isoformat())
    page.fill("#id_end", week.end.isoformat())
    page.get_by_role("button", name="生成报表").click()

    expect(page.locator("[data-status]")).to_have_attribute("data-status", re.compile("pending|running|ready"))
    report = Report.objects.get(period_start=week.start, period_end=week.end, department=None)
    # htmx polls the status; the links appear without a reload once the worker is done.
    expect(page.get_by_role("link", name="下载PDF")).to_be_visible(timeout=60_000)
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "ready")
    report.refresh_from_db()
    assert report.status == Report.Status.READY and report.snapshot["totals"]["new"] == 3

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载PDF").click()
    pdf = tmp_path / "report.pdf"
    download_info.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "信访工作周报" in text

    page.get_by_role("link", name="预览（网页）").click()
    expect(page.get_by_role("heading", name="信访工作周报")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".preview-bar")).to_be_hidden()

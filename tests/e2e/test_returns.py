"""In a real browser: during a declared special period, a unit head sends a zero report from the start
page with one click; a supervisor reads the late list, where the unit that sent nothing is missing."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from devdata.factories import UserFactory
from information.models import ReportingUnit, SpecialPeriod, UnitReturn
from petitions.models import Role


def test_a_unit_head_sends_a_zero_report_and_a_supervisor_reads_the_late_list(
    login, live_server, department, other_department, supervisor
):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    head = UserFactory(roles=[Role.DEPARTMENT_HEAD], department=department)
    ours = ReportingUnit.objects.create(
        department=department, responsible=head, reports_from=monday - timedelta(days=7)
    )
    theirs = ReportingUnit.objects.create(
        department=other_department,
        responsible=UserFactory(roles=[Role.DEPARTMENT_HEAD], department=other_department),
        reports_from=monday - timedelta(days=7),
    )
    SpecialPeriod.objects.create(name="重大节日期间", starts=today - timedelta(days=1), ends=today + timedelta(days=2))

    page = login(head)
    expect(page.locator("[data-banner=special-period]")).to_contain_text("重大节日期间")
    yesterday = (today - timedelta(days=1)).isoformat()
    row = page.locator(f"tr[data-unit='{ours.pk}'][data-kind=daily][data-start='{yesterday}']")
    row.locator("[data-zero-report]").click()
    expect(page.locator(".messages .message-success")).to_be_visible()
    sent = UnitReturn.objects.get(unit=ours)
    assert sent.is_zero and sent.is_late and sent.submitted_by == head  # yesterday's return, sent today
    expect(page.locator(f"tr[data-unit='{ours.pk}'][data-kind=daily][data-start='{yesterday}']")).to_have_count(0)

    page = login(supervisor)
    page.get_by_role("navigation", name="主导航").locator("[data-nav=returns]").click()
    late = page.locator("[data-returns=late]")
    expect(late.locator(f"tr[data-unit='{theirs.pk}'][data-status=missing]").first).to_be_visible()
    expect(late.locator(f"tr[data-unit='{ours.pk}'][data-status=late]")).to_contain_text(yesterday)

"""In a real browser, a supervisor filters the queue, ticks three cases and routes them in one action."""

import re

from playwright.sync_api import expect

from devdata.factories import register_case
from petitions.models import Case, CaseLog, Category, Department, State


def test_supervisor_filters_selects_three_and_routes_them_at_once(login, live_server, clerk, supervisor):
    wages = Category.objects.get(code="030100")  # 劳动和社会保障 › 拖欠工资
    school = Category.objects.get(code="040100")
    chosen = [register_case(clerk=clerk, category=wages, summary=f"反映工地拖欠工资第{n}批。") for n in range(3)]
    other = register_case(clerk=clerk, category=school, summary="反映入学问题。")
    department = Department.objects.get(code="RSJ")

    page = login(supervisor)
    page.get_by_role("navigation", name="主导航").locator("[data-nav=queue]").click()
    expect(page.get_by_role("heading", name="事项队列")).to_be_visible()
    # Filter by category: the rows change in place (htmx) and the address holds the filter.
    page.get_by_text("更多筛选条件").click()
    page.select_option("#id_category", str(wages.pk))
    expect(page.locator("#case-rows")).not_to_contain_text(other.number)
    expect(page).to_have_url(re.compile(rf"category={wages.pk}"))
    for case in chosen:
        expect(page.locator("#case-rows")).to_contain_text(case.number)

    # Tick the three, choose the department and route them in one action.
    for case in chosen:
        page.get_by_label(f"选择 {case.number}").check()
    page.select_option("#bulk-form select[name=department]", str(department.pk))
    page.get_by_role("button", name="受理并交办所选事项").click()
    expect(page.get_by_role("status")).to_contain_text("3")
    # Back on the same filtered queue, which now shows them as routed.
    expect(page).to_have_url(re.compile(rf"category={wages.pk}"))
    for case in chosen:
        expect(page.locator("tr", has_text=case.number).locator(".state")).to_have_text("已交办")

    for case in chosen:
        case.refresh_from_db()
        assert case.state == State.ASSIGNED and case.department == department
        assert CaseLog.objects.filter(case=case, action="accept", actor=supervisor).count() == 1
    assert Case.objects.get(pk=other.pk).state == State.RECEIVED

"""In a real browser: a clerk registers a case handed down by a higher authority; a supervisor finds it
in the list of handed-down cases with the authority's date, and on the case page with its explanation."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from devdata.factories import valid_id_number
from petitions.models import Category, HandedDown, Region


def test_a_clerk_registers_a_handed_down_case_and_a_supervisor_sees_it_listed(login, live_server, clerk, supervisor):
    category = Category.objects.get(code="010200")
    region = Region.objects.get(code="990121101")
    today = timezone.localdate()
    due = today + timedelta(days=20)

    page = login(clerk)
    page.get_by_role("navigation", name="主导航").locator("[data-nav=intake]").click()
    page.get_by_label("来访").check()
    page.fill("#id_person-0-name", "欧阳明")
    page.fill("#id_person-0-id_number", valid_id_number())
    page.select_option("#id_purpose", "request")
    page.select_option("#id_category", str(category.pk))
    page.select_option("#id_region", str(region.pk))
    page.fill("#id_summary", "反映安置房质量问题，省信访局交办。")
    page.fill("#id_request", "要求维修。")
    page.get_by_label("上级机关交办（交办件）").check()
    page.get_by_label("交办机关", exact=True).fill("省信访局")
    page.get_by_label("交办文号", exact=True).fill("湘访交〔2026〕51号")
    page.get_by_label("交办日期", exact=True).fill(today.isoformat())
    page.get_by_label("报结期限", exact=True).fill(due.isoformat())
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator("h1")).to_have_text(re.compile(r"XF\d{4}-\d{6}"))
    number = page.locator("h1").inner_text()
    assert HandedDown.objects.get(case__number=number).reference == "湘访交〔2026〕51号"

    page = login(supervisor)
    page.get_by_role("navigation", name="主导航").locator("[data-nav=handed_down]").click()
    expect(page.get_by_role("heading", name="交办件", exact=True)).to_be_visible()
    row = page.locator("tr", has_text=number)
    expect(row).to_contain_text("省信访局")
    expect(row).to_contain_text(due.isoformat())
    expect(row).to_contain_text("20天")
    page.select_option("#f-authority", "省信访局")
    page.get_by_role("button", name="显示").click()
    row.get_by_role("link", name=number).click()
    expect(page.locator("#handed-down")).to_contain_text("湘访交〔2026〕51号")
    expect(page.locator(".deadlines")).to_contain_text("向交办机关报结")
    expect(page.locator(".deadlines")).to_contain_text("省信访局于")

"""A repeat visitor in a real browser: the clerk types the ID number on record and registers without
touching the look-up panel; the case is linked to the person and counted as a repeat. When the name
typed differs from the record, the form says so (masked) and asks what to keep."""

import re

from playwright.sync_api import expect

from devdata.factories import as_recorded, petitioner_data, register_case
from petitions.models import Case, Category, Petitioner, Region


def _fill_matter(page) -> None:
    page.select_option("#id_purpose", "request")
    page.select_option("#id_category", str(Category.objects.get(code="010200").pk))
    page.select_option("#id_region", str(Region.objects.get(code="990121101").pk))
    page.fill("#id_summary", "再次反映征地补偿款未足额发放。")
    page.fill("#id_request", "要求发放剩余补偿款。")


def test_an_id_number_on_record_links_the_visit_without_a_click(login, live_server, clerk):
    earlier = register_case(clerk=clerk, petitioners=[petitioner_data(name="马建军")])
    recorded = as_recorded(earlier)
    page = login(clerk)
    page.goto(f"{live_server.url}/cases/new/")
    page.fill("#id_person-0-name", "马建军")
    page.fill("#id_person-0-id_number", recorded.id_number)
    panel = page.locator("#repeat-candidates")
    expect(panel).to_contain_text(earlier.number)
    expect(panel.locator("input[name='person-0-known_person']")).to_be_checked()
    expect(panel).not_to_contain_text("以上均不是")
    _fill_matter(page)
    page.locator("#id_request").press("Control+Enter")
    expect(page.locator("h1")).to_have_text(re.compile(r"XF\d{4}-\d{6}"))
    case = Case.objects.get(number=page.locator("h1").inner_text())
    assert case.is_repeat and case.repeat_of == earlier
    assert case.case_petitioners.get().petitioner_id == earlier.case_petitioners.get().petitioner_id
    expect(page.locator(".page-head")).to_contain_text("重复访")


def test_a_different_name_is_shown_masked_and_the_clerk_chooses(login, live_server, clerk):
    earlier = register_case(clerk=clerk, petitioners=[petitioner_data(name="马建军")])
    recorded = as_recorded(earlier)
    page = login(clerk)
    page.goto(f"{live_server.url}/cases/new/")
    page.fill("#id_person-0-name", "马建民")
    page.fill("#id_person-0-id_number", recorded.id_number)
    expect(page.locator("#repeat-candidates")).to_contain_text(earlier.number)
    _fill_matter(page)
    page.get_by_role("button", name="登记", exact=True).click()
    differences = page.locator(".record-differences")
    expect(differences).to_contain_text("马**")
    expect(differences).not_to_contain_text("马建军")
    differences.get_by_label(re.compile("保留档案")).check()
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator("h1")).to_have_text(re.compile(r"XF\d{4}-\d{6}"))
    assert Petitioner.objects.get(id_number=recorded.id_number).name == "马建军"
    assert Case.objects.get(number=page.locator("h1").inner_text()).case_petitioners.get().name == "马建民"

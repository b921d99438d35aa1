"""A form that comes back with errors puts the focus on the first field in error, not on <body>."""

from playwright.sync_api import Page, expect

from petitions.models import Case, Category, Region


def focused(page: Page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def test_a_failed_intake_save_focuses_the_field_in_error(login, live_server, clerk):
    page = login(clerk)
    page.goto(f"{live_server.url}/cases/new/")
    page.get_by_role("radio", name="来信").check()
    page.fill("#id_person-0-name", "马建军")
    page.select_option("#id_purpose", "request")
    page.select_option("#id_category", str(Category.objects.get(code="010200").pk))
    page.select_option("#id_region", str(Region.objects.get(code="990121101").pk))
    page.fill("#id_request", "要求按协议发放剩余补偿款。")
    page.get_by_role("button", name="登记").click()  # the summary is left empty
    expect(page.locator("#id_summary")).to_have_attribute("aria-invalid", "true")
    assert focused(page) == "id_summary"
    assert not Case.objects.exists()


def test_an_empty_intake_focuses_the_first_field_in_error(login, live_server, clerk):
    page = login(clerk)
    page.goto(f"{live_server.url}/cases/new/")
    page.get_by_role("button", name="登记").click()
    first = page.locator("#main [aria-invalid=true]").first
    expect(first).to_be_focused()
    assert focused(page) != "BODY"

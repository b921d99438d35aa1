"""A petitioner submits online in a real browser, on a phone-size screen and on a desktop: with a file,
the acknowledgement gives the number and the tracking code; a double click makes one case; the clerk
then finds the case in their list, marked as online."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from petitions.models import Case, Channel
from public.models import SubmissionToken
from tests.e2e.petitioner import VIEWPORTS, fill_submission
from tests.samples import PDF


@pytest.fixture(autouse=True)
def _limits_start_afresh():
    """The per-address counts (the cache) start at zero: earlier tests posted from the same address."""
    cache.clear()


@pytest.fixture(params=list(VIEWPORTS))
def petitioner_page(request, browser, live_server):
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def test_submit_with_a_file_get_the_code_and_a_double_click_makes_one_case(petitioner_page, live_server, login, clerk):
    page = petitioner_page
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="网上提交信访事项").click()
    expect(page.locator("h1")).to_have_text("网上提交信访事项")
    no_overflow = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_overflow  # nothing wider than the screen, also at 375 px
    fill_submission(page, name="王小明")
    page.set_input_files("#id_attachments", files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="提交", exact=True).dblclick()
    expect(page.locator("h1")).to_have_text("您的信访事项已收到")
    case = Case.objects.get()
    assert SubmissionToken.objects.get().case == case
    expect(page.locator("#case-number")).to_have_text(case.number)
    expect(page.locator("#tracking-code")).to_have_text(case.tracking_code)
    assert case.channel == Channel.ONLINE and case.attachments.get().original_name == "scan.pdf"
    expect(page.locator(".receipt")).to_contain_text("scan.pdf")
    page.reload()  # shown once: the receipt is not at this address any more
    expect(page.locator("h1")).to_have_text("网上提交信访事项")
    expect(page.locator("body")).not_to_contain_text(case.tracking_code)

    staff = login(clerk)
    staff.goto(f"{live_server.url}/cases/registered/?channel=online")
    row = staff.locator("tr", has_text=case.number)
    expect(row.locator(".flag-online")).to_contain_text("网上")


def test_a_form_sent_twice_from_the_browser_makes_one_case(petitioner_page, live_server):
    page = petitioner_page
    page.goto(f"{live_server.url}/public/submit/")
    fill_submission(page, name="李小红")
    sent = page.evaluate("Object.fromEntries(new FormData(document.getElementById('submission-form')))")
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator("h1")).to_have_text("您的信访事项已收到")
    code = page.locator("#tracking-code").inner_text()
    # The same form (the same hidden token) sent a second time from this browser.
    again = page.request.post(
        f"{live_server.url}/public/submit/", form=sent, headers={"Referer": f"{live_server.url}/public/submit/"}
    )
    assert again.ok and again.url.endswith("/public/submit/done/")
    assert code in again.text()
    assert Case.objects.count() == 1 and Case.objects.get().tracking_code == code

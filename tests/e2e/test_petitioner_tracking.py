"""A petitioner follows an online petition in a real browser, on a phone and on a desktop: submits it
with a file on the public site, looks up its progress with the code the acknowledgement gave,
downloads the 受理告知书 once a supervisor accepted it, evaluates the outcome, requests a review; six
wrong second factors lock the look-up."""

import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from devdata.factories import UserFactory, advance, case_data, petitioner_data
from petitions.models import Case, Channel, Department, Evaluation, Role, State
from petitions.services.intake import case_register
from public.lookup import MAX_WRONG_FACTORS
from tests.e2e.petitioner import VIEWPORTS, fill_submission
from tests.public.tracking import forget_address_limits
from tests.samples import PDF

pytestmark = pytest.mark.usefixtures("_address_limits_start_afresh")

PHONE = "13987654321"


@pytest.fixture
def _address_limits_start_afresh():
    forget_address_limits()
    yield
    forget_address_limits()


def registered_online() -> Case:
    """As the online form will register it: through the intake service, channel online."""
    clerk = UserFactory(roles=[Role.CLERK])
    data = case_data(channel=Channel.ONLINE, petitioners=[petitioner_data(phone=PHONE, name="周晓雯")])
    return case_register(actor=clerk, data=data)


def submitted_online(page: Page, base: str) -> Case:
    """Through the public site's form, with a file; the case the acknowledgement names."""
    page.goto(f"{base}/public/submit/")
    fill_submission(page, name="周晓雯", phone=PHONE)
    page.set_input_files("#id_attachments", files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator("h1")).to_have_text("您的信访事项已收到")
    case = Case.objects.get(tracking_code=page.locator("#tracking-code").inner_text())
    assert case.channel == Channel.ONLINE and case.attachments.get().original_name == "scan.pdf"
    return case


def look_up(page: Page, base: str, code: str, factor: str) -> None:
    page.goto(f"{base}/public/track/")
    page.fill("#id_code", code)
    page.fill("#id_factor", factor)
    page.locator("main form button[type=submit]").click()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_petitioner_follows_the_case_to_a_review(page: Page, live_server, supervisor, viewport, tmp_path):
    page.set_viewport_size(VIEWPORTS[viewport])
    case = submitted_online(page, live_server.url)
    code = case.tracking_code
    typed = f"{code[:4].lower()}-{code[4:8]} {code[8:]}"

    look_up(page, live_server.url, typed, PHONE[-4:])
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text(case.number)
    expect(page.locator("main")).not_to_contain_text("周晓雯")
    expect(page.locator(".track-state")).to_be_visible()
    # Nothing to download but the receipt before acceptance.
    assert page.locator("a[href*='/documents/acceptance/']").count() == 0

    handler = UserFactory(roles=[Role.HANDLER], department=Department.objects.get(code="ZJJ"))
    advance(case, "assigned", supervisor=supervisor, department=handler.department)
    page.reload()
    expect(page.locator("main")).to_contain_text(handler.department.name)
    with page.expect_download() as download_info:
        page.locator("a[href*='/documents/acceptance/']").click()
    pdf = tmp_path / "acceptance.pdf"
    download_info.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert "受理告知书" in text.replace(" ", "") and case.number in text

    advance(case, "delivered", supervisor=supervisor, handler=handler)
    page.reload()
    page.locator("a[href$='/evaluate/']").click()
    page.locator("input[name=level][value=fairly]").check()
    page.fill("#id_comment", "答复及时。")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    assert Evaluation.objects.get(case=case).level == "fairly"
    assert page.locator("a[href$='/evaluate/']").count() == 0

    page.locator("a[href$='/review/']").click()
    page.fill("#id_reason", "对处理意见中认定的事实有异议。")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    case.refresh_from_db()
    assert case.state == State.ASSIGNED and case.in_review
    assert page.locator("a[href$='/review/']").count() == 0
    # The page is usable at this width: nothing wider than the viewport.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport]["width"] + 1
    assert timezone.localdate() <= case.handling_due


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_six_wrong_second_factors_lock_the_look_up(page: Page, live_server, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    case = registered_online()
    answers = []
    for _ in range(MAX_WRONG_FACTORS + 1):
        look_up(page, live_server.url, case.tracking_code, "0000")
        answers.append(page.locator("#lookup-error").inner_text())
    assert len(set(answers[:-1])) == 1 and answers[-1] != answers[0]
    look_up(page, live_server.url, case.tracking_code, PHONE[-4:])
    expect(page.locator("#lookup-error")).to_have_text(answers[-1])
    look_up(page, live_server.url, "NOSUCHCODE22", "0000")
    assert page.locator("#lookup-error").inner_text() == answers[0]

"""The whole path in a real browser: a clerk registers a group visit of 6, a supervisor accepts and
routes it, a handler records the outcome, the supervisor closes it; the receipt prints."""

import re
import subprocess

from playwright.sync_api import expect

from devdata.factories import valid_id_number
from petitions.models import Case, CaseLog, Category, Region, State


def test_group_visit_from_intake_to_closing(login, live_server, clerk, supervisor, handler, tmp_path):
    category = Category.objects.get(code="010200")  # 征地拆迁 → 市住房和城乡建设局 (the handler's)
    region = Region.objects.get(code="990121101")

    # 1. The clerk registers the visit of six people with two representatives.
    page = login(clerk)
    page.get_by_role("navigation", name="主导航").locator("[data-nav=intake]").click()
    expect(page.get_by_role("heading", name="登记信访事项")).to_be_visible()
    page.get_by_label("来访").check()
    page.fill("#id_headcount", "6")
    page.fill("#id_person-0-name", "马建军")
    page.fill("#id_person-0-id_number", valid_id_number())
    page.fill("#id_person-0-phone", "13812345678")
    page.locator("details.person").first.locator("summary").click()
    page.fill("#id_person-1-name", "黄丽华")
    page.select_option("#id_purpose", "request")
    page.select_option("#id_category", str(category.pk))
    page.select_option("#id_region", str(region.pk))
    page.fill("#id_summary", "六户村民反映征地补偿款未按协议足额发放。")
    page.fill("#id_request", "要求按协议发放剩余补偿款。")
    page.locator("#id_request").press("Control+Enter")  # the keyboard way to save
    expect(page.locator("h1")).to_have_text(re.compile(r"XF\d{4}-\d{6}"))
    number = page.locator("h1").inner_text()
    case = Case.objects.get(number=number)
    assert case.headcount == 6 and case.is_collective and case.case_petitioners.count() == 2
    expect(page.get_by_text("集体访")).to_be_visible()

    # The receipt prints: print styles hide the portal around it, and the PDF holds the codes.
    page.get_by_role("link", name="打印回执").click()
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator("article.receipt")).to_be_visible()
    pdf = tmp_path / "receipt.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert number in text and case.tracking_code in text
    page.emulate_media(media="screen")

    # 2. The supervisor accepts and routes it to the proposed department.
    page = login(supervisor)
    page.goto(f"{live_server.url}/cases/{number}/")
    accept = page.locator("#action-accept")
    expect(accept.get_by_label("交主办单位")).to_have_value(str(category.default_department_id))
    accept.get_by_role("button", name="受理并交办").click()
    expect(page.locator(".state")).to_have_text(re.compile("已交办"))

    # 3. The handler takes it and records the outcome.
    page = login(handler)
    page.goto(f"{live_server.url}/cases/{number}/")
    page.locator("#action-take").get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text("您")
    handle = page.locator("#action-handle")
    if handle.get_attribute("open") is None:
        handle.locator("summary").click()
    handle.locator("select").select_option("supported")
    handle.locator("textarea").first.fill("经核查，补偿款已于本月补发到位。")
    handle.get_by_role("button").click()
    expect(page.locator(".state-reviewing")).to_be_visible()  # the office reviews it first (审核报结)

    # 4. The supervisor accepts the outcome, records the delivery of the written opinion and closes the case.
    page = login(supervisor)
    page.goto(f"{live_server.url}/cases/{number}/")
    page.locator("#action-accept_result").get_by_role("button").click()
    expect(page.locator(".state")).to_have_text(re.compile("已办理"))
    page.locator("#action-deliver").get_by_role("button").click()
    close = page.locator("#action-close")
    if close.get_attribute("open") is None:
        close.locator("summary").click()
    close.locator("select").select_option("satisfied")
    close.get_by_role("button").click()
    expect(page.locator(".state")).to_have_text(re.compile("已办结"))

    case.refresh_from_db()
    assert case.state == State.CLOSED and list(case.evaluations.values_list("level", flat=True)) == ["satisfied"]
    assert list(CaseLog.objects.filter(case=case).values_list("action", flat=True)) == [
        "register",
        "accept",
        "take",
        "handle",
        "accept_result",
        "deliver",
        "close",
    ]

"""审核报结 and 回访 in a real browser: the supervisor sends the department's answer back, the department
fixes it, the supervisor accepts it; the callback records 不满意, the case is handled again, the second
callback records 满意, and the case closes."""

from playwright.sync_api import Page, expect

from devdata.factories import advance, register_case
from petitions.models import Callback, Case, CaseLog, Category, State
from petitions.services import lifecycle


def open_action(page: Page, name: str):
    action = page.locator(f"#action-{name}")
    if action.get_attribute("open") is None:
        action.locator("summary").click()
    return action


def submit_outcome(page: Page, text: str) -> None:
    handle = open_action(page, "handle")
    handle.locator("select").select_option("supported")
    handle.locator("textarea").first.fill(text)
    handle.get_by_role("button").click()
    expect(page.locator(".state-reviewing")).to_be_visible()


def test_send_back_accept_callback_rehandling_second_callback(login, live_server, clerk, supervisor, handler):
    category = Category.objects.get(code="010200")  # → 市住房和城乡建设局, the handler's department
    case = register_case(clerk=clerk, category=category)
    case = advance(case, "assigned", supervisor=supervisor, department=category.default_department)
    lifecycle.case_take(case_id=case.pk, actor=handler)
    url = f"{live_server.url}/cases/{case.number}/"

    # The department answers; the supervisor sends the answer back with a reason.
    page = login(handler)
    page.goto(url)
    submit_outcome(page, "已责成街道办核实。")
    page = login(supervisor)
    page.goto(url)
    open_action(page, "send_back").locator("textarea").fill("请附现场核查记录，并说明补偿标准依据。")
    page.locator("#action-send_back").get_by_role("button").click()
    expect(page.locator(".state-assigned")).to_be_visible()
    case.refresh_from_db()
    assert case.rework_due is not None and case.rework_due <= case.handling_due

    # The department fixes it; the supervisor accepts and records the delivery.
    page = login(handler)
    page.goto(url)
    expect(page.get_by_text("请附现场核查记录，并说明补偿标准依据。")).to_be_visible()  # the reason, on the timeline
    submit_outcome(page, "经现场核查，补偿款已按标准补发，核查记录附后。")
    page = login(supervisor)
    page.goto(url)
    open_action(page, "accept_result").get_by_role("button").click()
    expect(page.locator(".state-handled")).to_be_visible()
    page.locator("#action-deliver").get_by_role("button").click()
    expect(page.locator("#h-result-review")).to_be_visible()

    # The callback queue lists it; the callback records 不满意 for reasons of the handling: re-handling.
    page.goto(f"{live_server.url}/callbacks/")
    page.get_by_role("link", name=case.number).click()
    callback = open_action(page, "callback")
    callback.locator("select[name='callback-satisfaction']").select_option("dissatisfied")
    callback.locator("select[name='callback-solved']").select_option("unsolved")
    callback.locator("select[name='callback-follow_up']").select_option("rehandle")
    callback.locator("textarea").fill("信访人反映补发金额少于协议约定。")
    callback.get_by_role("button").click()
    expect(page.locator(".state-assigned")).to_be_visible()

    # The department handles it again; the office accepts and delivers; the second callback: 满意.
    page = login(handler)
    page.goto(url)
    submit_outcome(page, "已按协议约定补足差额。")
    page = login(supervisor)
    page.goto(url)
    open_action(page, "accept_result").get_by_role("button").click()
    page.locator("#action-deliver").get_by_role("button").click()
    callback = open_action(page, "callback")
    callback.locator("select[name='callback-satisfaction']").select_option("satisfied")
    callback.locator("select[name='callback-solved']").select_option("solved")
    callback.get_by_role("button").click()
    expect(page.locator("section[aria-labelledby='h-result-review'] tbody tr")).to_have_count(2)  # both callbacks
    close = open_action(page, "close")
    close.get_by_role("button").click()
    expect(page.locator(".state-closed")).to_be_visible()

    case = Case.objects.get(pk=case.pk)
    assert case.state == State.CLOSED
    assert list(Callback.objects.filter(case=case).values_list("round", "evaluation__level", "follow_up")) == [
        (1, "dissatisfied", "rehandle"),
        (2, "satisfied", ""),
    ]
    actions = list(CaseLog.objects.filter(case=case).values_list("action", flat=True))
    assert actions[actions.index("handle") :] == [
        "handle",
        "send_back",
        "handle",
        "accept_result",
        "deliver",
        "callback",
        "rehandle",
        "handle",
        "accept_result",
        "deliver",
        "callback",
        "close",
    ]

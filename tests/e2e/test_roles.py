"""Each role logs in with a real browser, sees its navigation, and switches to English."""

import pytest
from playwright.sync_api import expect

ROLE_NAV = {
    "clerk": ["intake", "registered", "reception"],
    "supervisor": ["intake", "queue", "registered", "reception"],
    "handler": ["department"],
    "department_head": ["department"],
    "leader": ["queue", "owned", "reception"],
    "admin_user": ["queue", "admin"],
}
ALL_NAV = {"intake", "queue", "registered", "department", "owned", "reception", "admin"}


@pytest.mark.parametrize("role", list(ROLE_NAV))
def test_role_logs_in_sees_its_navigation_and_switches_to_english(request, login, live_server, role):
    user = request.getfixturevalue(role)
    page = login(user)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    nav = page.get_by_role("navigation", name="主导航")
    for key in ROLE_NAV[role]:
        expect(nav.locator(f"[data-nav={key}]")).to_be_visible()
    if role != "admin_user":
        for key in ALL_NAV - set(ROLE_NAV[role]):
            expect(nav.locator(f"[data-nav={key}]")).to_have_count(0)

    page.select_option("#language-select", "en")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()
    assert "退出" not in page.content()

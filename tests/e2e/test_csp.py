"""Under the Content Security Policy, in a real browser: what used to be inline handlers (the language
switcher, the print buttons) works from static/js/app.js, and no page reports a violation: not the
queue (htmx), not a report preview (its nonce'd print CSS), not the admin site (Django's own scripts)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from devdata.factories import register_case

# Runs in every document before its own scripts: records violations, and stands in for the print
# dialog (a headless browser has none) by counting the calls.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + event.sample);
});
window.__printed = 0;
window.print = function () { window.__printed += 1; };
"""


@pytest.fixture
def watched(page: Page):
    """The page, watched for CSP violations; returns the list the console has reported so far."""
    reported: list[str] = []
    page.on("console", lambda message: "Content Security Policy" in message.text and reported.append(message.text))
    page.add_init_script(WATCH)
    return reported


def no_violation(page: Page, reported: list[str]) -> None:
    assert page.evaluate("window.__violations") == []
    assert reported == []


def test_the_language_switcher_works_under_the_policy(login, live_server, watched, clerk):
    page = login(clerk)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert "script-src 'self'" in page.request.get(live_server.url + "/").headers["content-security-policy"]
    page.select_option("#language-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    no_violation(page, watched)


def test_print_buttons_work_under_the_policy(login, live_server, watched, clerk, supervisor, office_report):
    case = register_case(clerk=clerk)
    page = login(supervisor)
    for path in (reverse("case_receipt", args=[case.number]), reverse("reports:preview", args=[office_report.pk])):
        page.goto(live_server.url + path)
        page.get_by_role("button", name="打印").click()
        assert page.evaluate("window.__printed") == 1, path
        no_violation(page, watched)


def test_htmx_pages_and_the_admin_report_no_violation(login, live_server, watched, clerk, admin_user):
    register_case(clerk=clerk)
    page = login(admin_user)
    page.goto(live_server.url + reverse("case_queue"))
    page.fill("#id_q", "XF")
    page.locator("#id_q").press("Enter")
    expect(page).to_have_url(re.compile(r"q=XF"))  # htmx swapped the rows in place and moved the address
    no_violation(page, watched)
    for path in (
        reverse("admin:index"),
        reverse("admin:petitions_category_add"),
        reverse("admin:petitions_user_changelist"),
    ):
        page.goto(live_server.url + path)
        expect(page.locator("#content")).to_be_visible()
        no_violation(page, watched)
    # The admin's autocomplete (select2) opens its list under the policy too.
    page.goto(live_server.url + reverse("admin:petitions_category_add"))
    page.locator(".select2-selection").first.click()
    expect(page.locator(".select2-results")).to_be_visible()
    no_violation(page, watched)

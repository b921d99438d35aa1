import pytest
from playwright.sync_api import Page

from devdata.factories import DEMO_PASSWORD


@pytest.fixture
def login(live_server, page: Page):
    """Log in through the real login form; returns the page."""

    def log_in(user, *, language: str | None = None) -> Page:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/login/")
        if language:
            page.select_option("#language-select", language)
            page.wait_for_load_state()
        page.fill("#id_username", user.username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("form[action='/login/'] button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return log_in


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.browser)

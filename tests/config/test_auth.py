"""Login, throttling, session expiry, password hashing, and that every page needs a login."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from devdata.factories import DEMO_PASSWORD
from tests.api.walk import is_api
from tests.urlwalk import all_url_names, concrete_path

pytestmark = pytest.mark.django_db

# The front door (/) shows the public site to anyone not signed in; the public site needs no login.
# The API's OpenAPI document is public (it holds no data); its operations answer to tokens instead.
PUBLIC = {"login", "healthz", "set_language", "home", "api-v1:openapi-json"}


def test_every_page_but_login_healthz_and_the_public_site_needs_a_login(client):
    checked = 0
    for name, pattern in all_url_names():
        if name in PUBLIC or name.startswith(("admin:", "public:")):
            continue
        path = concrete_path(name, pattern)
        if path is None:
            continue
        for method in (client.get, client.post):
            response = method(path)
            if (
                is_api(name) and name != "api-v1:openapi-view"
            ):  # without a token: 401 (404 at the bare root, 405), never data
                assert response.status_code in (401, 404, 405), (name, path, response.status_code)
                assert set(response.json()) == {"error"}, (name, path)
                continue
            assert response.status_code == 302, (name, path, response.status_code)
            assert response.url.startswith(reverse("login")), (name, response.url)
        checked += 1
    assert checked >= 15


def test_admin_needs_the_portal_login(client, clerk):
    response = client.get("/admin/")
    assert response.status_code == 302 and reverse("login") in response.url
    client.force_login(clerk)
    assert client.get("/admin/").status_code in (302, 403)


def test_login_and_logout(client, clerk):
    response = client.post(reverse("login"), {"username": clerk.username, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("case_registered")).status_code == 302
    front_door = client.get(reverse("home"))
    assert front_door.status_code == 200 and front_door.templates[0].name == "public/home.html"


def test_failed_logins_are_throttled_per_account_and_address(client, clerk):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(
            reverse("login"), {"username": clerk.username, "password": "wrong"}, REMOTE_ADDR="10.0.0.1"
        )
        assert response.status_code == 200
        assert response.context["form"].errors
    last_try = client.post(reverse("login"), {"username": clerk.username, "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    assert last_try.status_code == 429
    # Now even the right password is refused from this address, with a clear message.
    locked = client.post(
        reverse("login"), {"username": clerk.username, "password": DEMO_PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert locked.status_code == 429
    assert "15" in locked.content.decode()  # the minutes to wait
    # The same account from another workstation, and another account from this one, are not locked.
    other_address = client.post(
        reverse("login"), {"username": clerk.username, "password": DEMO_PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert other_address.status_code == 302


def test_session_ends_after_inactivity(client, clerk):
    client.force_login(clerk)
    page = reverse("case_registered")
    assert client.get(page).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)):
        assert client.get(page).status_code == 200  # activity renews the session
    with time_machine.travel(timezone.now() + timedelta(seconds=2 * settings.SESSION_COOKIE_AGE + 60)):
        assert client.get(page).status_code == 302


def test_no_proxy_is_trusted_unless_configured():
    from config.settings import base

    assert base.TRUSTED_PROXY_COUNT == 0


def test_production_hashes_passwords_with_argon2():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    from django.contrib.auth.hashers import Argon2PasswordHasher

    encoded = Argon2PasswordHasher().encode("correct horse battery", Argon2PasswordHasher().salt())
    assert encoded.startswith("argon2$") and Argon2PasswordHasher().verify("correct horse battery", encoded)


def test_a_role_taken_away_reaches_an_open_session_within_a_minute(client, supervisor):
    from django.contrib.auth.models import Group

    client.force_login(supervisor)
    assert client.get(reverse("case_queue")).status_code == 200
    supervisor.groups.remove(Group.objects.get(name="supervisor"))
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert client.get(reverse("case_queue")).status_code == 403


def test_permissions_are_not_read_again_on_every_request(client, clerk, django_assert_max_num_queries):
    client.force_login(clerk)
    client.get(reverse("home"))
    with django_assert_max_num_queries(5) as captured:  # session, user, start page counts, reception days, inbox
        client.get(reverse("home"))
    assert not any("auth_permission" in query["sql"] for query in captured.captured_queries)


def log_in(client, username: str, password: str = "wrong", **addresses):  # noqa: S107 - a wrong password on purpose
    return client.post(reverse("login"), {"username": username, "password": password}, **addresses)


def test_a_forged_forwarded_for_header_is_ignored_without_a_trusted_proxy(client, clerk, settings):
    settings.TRUSTED_PROXY_COUNT = 0  # the default
    answers = [
        log_in(client, clerk.username, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(12)
    ]
    assert answers[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert set(answers[settings.AXES_FAILURE_LIMIT - 1 :]) == {429}
    right = log_in(client, clerk.username, DEMO_PASSWORD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert right.status_code == 429
    # The address is REMOTE_ADDR: another workstation is not locked out, whatever its header says.
    other = log_in(client, clerk.username, DEMO_PASSWORD, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert other.status_code == 302


@pytest.mark.parametrize("proxies", [1, 2])
def test_behind_trusted_proxies_the_address_is_counted_from_the_right(client, clerk, settings, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies
    # Each trusted proxy appends the address it saw; the one nearest the client saw 203.0.113.7.
    hops = ["203.0.113.7", "10.1.0.1", "10.1.0.2"][:proxies]
    nearest_proxy = "10.1.0.9"
    for n in range(12):
        forged = f"198.51.100.{n}, 192.0.2.{n}"
        response = log_in(
            client, clerk.username, REMOTE_ADDR=nearest_proxy, HTTP_X_FORWARDED_FOR=", ".join([forged, *hops])
        )
        assert response.status_code == (200 if n < settings.AXES_FAILURE_LIMIT - 1 else 429), n
    forwarded = ", ".join(["192.0.2.99", *hops])
    locked = log_in(client, clerk.username, DEMO_PASSWORD, REMOTE_ADDR=nearest_proxy, HTTP_X_FORWARDED_FOR=forwarded)
    assert locked.status_code == 429
    # Another client behind the same proxies is not locked out.
    forwarded = ", ".join(["203.0.113.8", *hops[1:]])
    other = log_in(client, clerk.username, DEMO_PASSWORD, REMOTE_ADDR=nearest_proxy, HTTP_X_FORWARDED_FOR=forwarded)
    assert other.status_code == 302


def test_a_username_too_long_for_the_throttle_is_a_form_error(client):
    response = log_in(client, "长" * 300, REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 200
    [error] = response.context["form"].errors["username"]
    assert "150" in error and "300" in error and "Ensure" not in error  # in the office's language
    page = response.content.decode()
    assert error in page and 'aria-invalid="true"' in page and 'maxlength="150"' in page
    assert not AccessAttempt.objects.exists()


def test_a_request_that_did_not_come_through_the_proxies_counts_its_connection(rf, settings):
    from petitions.web.views.accounts import client_address

    settings.TRUSTED_PROXY_COUNT = 2
    for header in (None, "203.0.113.7", "not-an-address, 10.1.0.1"):
        extra = {"HTTP_X_FORWARDED_FOR": header} if header else {}
        assert client_address(rf.post("/login/", REMOTE_ADDR="10.1.0.9", **extra)) == "10.1.0.9", header
    assert client_address(
        rf.post("/login/", REMOTE_ADDR="10.1.0.9", HTTP_X_FORWARDED_FOR="x, 2001:db8::1, 10.1.0.1")
    ) == ("2001:db8::1")

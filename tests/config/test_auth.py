"""Login, throttling, session expiry, password hashing, and that every page needs a login."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from petitions.factories import DEMO_PASSWORD
from tests.urlwalk import all_url_names, concrete_path

pytestmark = pytest.mark.django_db

PUBLIC = {"login", "healthz", "set_language"}


def test_every_page_but_login_and_healthz_needs_a_login(client):
    checked = 0
    for name, pattern in all_url_names():
        if name in PUBLIC or name.startswith("admin:"):
            continue
        path = concrete_path(name, pattern)
        if path is None:
            continue
        for method in (client.get, client.post):
            response = method(path)
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
    assert client.get(reverse("home")).status_code == 302


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
    assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)):
        assert client.get(reverse("home")).status_code == 200  # activity renews the session
    with time_machine.travel(timezone.now() + timedelta(seconds=2 * settings.SESSION_COOKIE_AGE + 60)):
        assert client.get(reverse("home")).status_code == 302


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

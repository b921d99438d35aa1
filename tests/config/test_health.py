import pytest
from django.test import override_settings
from django.urls import reverse

from devdata.factories import UserFactory
from tests.conftest import celery_broker_at, free_port

TOKEN = "monitor-token-0123456789"


def told(body: dict) -> set[str]:
    """The details /healthz told beyond each check's "ok"."""
    return {key for check in body["checks"].values() for key in check if key != "ok"}


@pytest.mark.django_db
def test_healthz_without_a_worker_says_so_with_503(client):
    response = client.get(reverse("healthz"))
    body = response.json()
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert body["checks"]["worker"]["ok"] is False
    assert response.status_code == 503 and body["status"] == "unavailable"


@pytest.mark.worker
def test_healthz_with_database_broker_and_worker_is_200(client, celery_worker_process):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "status": "ok",
        "checks": {name: {"ok": True} for name in ("database", "broker", "worker")},
    }
    client.force_login(UserFactory(roles=["clerk"]))
    assert client.get(reverse("healthz")).json()["checks"]["worker"]["workers"] >= 1


@pytest.mark.django_db
def test_healthz_needs_no_login_and_is_not_cached(client):
    response = client.get(reverse("healthz"))
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_without_a_login_healthz_tells_no_vendor_transport_worker_count_or_error(client):
    with celery_broker_at(f"redis://127.0.0.1:{free_port()}/0"):  # the broker is away: errors to tell
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": {"ok": True}, "broker": {"ok": False}, "worker": {"ok": False}},
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["clerk", "handler", "supervisor", "leader"])
def test_signed_in_staff_see_the_details(client, role):
    client.force_login(UserFactory(roles=[role]))
    with celery_broker_at(f"redis://127.0.0.1:{free_port()}/0"):
        body = client.get(reverse("healthz")).json()
    assert body["checks"]["database"]["vendor"] in ("postgresql", "sqlite")
    assert body["checks"]["broker"]["error"] == "OperationalError"


@pytest.mark.django_db
def test_a_monitor_with_the_token_sees_the_details_and_a_wrong_or_empty_token_does_not(client):
    with override_settings(HEALTHZ_TOKEN=TOKEN):
        with_token = client.get(reverse("healthz"), headers={"X-Healthz-Token": TOKEN})
        wrong = client.get(reverse("healthz"), headers={"X-Healthz-Token": TOKEN[:-1] + "x"})
        absent = client.get(reverse("healthz"))
    assert with_token.status_code == 503 and told(with_token.json()) == {"vendor", "transport", "workers"}
    assert told(wrong.json()) == told(absent.json()) == set()
    assert wrong.status_code == absent.status_code == 503  # the same honest status for everyone
    with override_settings(HEALTHZ_TOKEN=""):  # no token configured: an empty header is no key
        assert told(client.get(reverse("healthz"), headers={"X-Healthz-Token": ""}).json()) == set()


@pytest.mark.django_db
def test_a_user_without_a_role_is_not_staff(client):
    client.force_login(UserFactory(roles=[]))
    assert told(client.get(reverse("healthz")).json()) == set()

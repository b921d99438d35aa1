import pytest
from django.urls import reverse


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
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["worker"]["workers"] >= 1


@pytest.mark.django_db
def test_healthz_needs_no_login_and_is_not_cached(client):
    response = client.get(reverse("healthz"))
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]

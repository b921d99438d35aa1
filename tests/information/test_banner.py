"""The special-period banner on every staff page: kept per process (no query per page), and shown from
what was read while Redis is away — never an error page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from config.cache import redis_caches
from information.models import SpecialPeriod
from information.returns.kept import ReturnsDirectory


def special_queries(queries) -> list[str]:
    return [query["sql"] for query in queries if "information_specialperiod" in query["sql"]]


@pytest.fixture
def forgotten():
    ReturnsDirectory._loaded = None
    yield
    ReturnsDirectory._loaded = None


def test_the_banner_shows_a_declared_period_without_a_query_per_page(client, supervisor, forgotten):
    today = timezone.localdate()
    client.force_login(supervisor)
    client.get(reverse("home"))
    SpecialPeriod.objects.create(name="春节假期", starts=today - timedelta(days=1), ends=today + timedelta(days=3))
    SpecialPeriod.objects.create(name="已结束的时期", starts=today - timedelta(days=9), ends=today - timedelta(days=2))
    page = client.get(reverse("home")).content.decode()  # the declaration renewed the copy at once
    assert 'data-banner="special-period"' in page and "春节假期" in page and "已结束的时期" not in page
    with CaptureQueriesContext(connection) as queries:
        assert "春节假期" in client.get(reverse("case_queue")).content.decode()
    assert special_queries(queries.captured_queries) == []


@pytest.mark.django_db(transaction=True)
def test_the_banner_survives_a_redis_outage(client, supervisor, own_redis, forgotten):
    today = timezone.localdate()
    SpecialPeriod.objects.create(name="党代会期间", starts=today, ends=today + timedelta(days=5))
    with override_settings(CACHES=redis_caches(own_redis.url)):
        client.force_login(supervisor)
        assert "党代会期间" in client.get(reverse("home")).content.decode()
        own_redis.stop()
        ReturnsDirectory._checked_at = 0.0  # as a second later
        for name in ("home", "case_queue", "inbox"):
            response = client.get(reverse(name))
            assert response.status_code == 200, name
            assert "党代会期间" in response.content.decode()
        with CaptureQueriesContext(connection) as queries:
            ReturnsDirectory._checked_at = 0.0
            client.get(reverse("home"))
        # Held for a while during the outage: not read again per page.
        assert special_queries(queries.captured_queries) == []

"""A Redis outage makes the cache a miss, never an error; what was kept before it is not served after it."""

import logging
import time

import pytest
from django.core.cache import cache
from django.test import override_settings

from config.cache import redis_caches
from devdata.factories import register_case
from petitions.clocks.deadlines import Statutes
from petitions.models import DeadlineRule, State
from petitions.selectors.queues import list_counts, queue_cases
from tests.conftest import free_port


@pytest.fixture
def cache_at():
    """`with cache_at(url):` the default cache is production's, at `url`."""

    def at(url: str):
        return override_settings(CACHES=redis_caches(url))

    return at


def test_an_unreachable_cache_misses_reads_ignores_writes_and_logs_once(cache_at, caplog):
    caplog.set_level(logging.WARNING, logger="config.cache")
    with cache_at(f"redis://127.0.0.1:{free_port()}/0"):  # nobody listens there
        started = time.monotonic()
        for _ in range(50):
            assert cache.get("key") is None
            assert cache.get("key", "fallback") == "fallback"
            cache.set("key", 1)
            assert cache.add("key", 1) is False
            assert cache.delete("key") is False
            assert cache.get_many(["a", "b"]) == {}
            assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # the keys not stored
            assert cache.has_key("key") is False
            assert cache.get_or_set("key", lambda: "computed") == "computed"
            with pytest.raises(ValueError, match="not found"):
                cache.incr("key")
        elapsed = time.monotonic() - started
    assert elapsed < 2, f"500 calls to a dead cache took {elapsed:.1f} s"
    warnings = [record for record in caplog.records if record.name == "config.cache"]
    assert len(warnings) == 1, [record.getMessage() for record in warnings]  # not one per call
    assert "ConnectionError" in warnings[0].getMessage()


def test_the_cache_is_used_again_when_redis_answers_again(cache_at, own_redis, caplog):
    caplog.set_level(logging.WARNING, logger="config.cache")
    with cache_at(own_redis.url):
        cache.set("kept", "before")
        own_redis.stop()
        assert cache.get("kept") is None
        own_redis.start()
        time.sleep(1.1)  # the backend leaves Redis alone for a second after a failure
        assert cache.get("kept") == "before"  # its data came back with it
        cache.set("kept", "after")
        assert cache.get("kept") == "after"
    assert "answers again" in caplog.records[-1].getMessage()


@pytest.mark.django_db(transaction=True)
def test_kept_counts_are_counted_again_after_an_outage_lost_their_renewal(cache_at, own_redis, clerk, supervisor):
    """Redis comes back with the counts and the version kept before the outage; the case registered
    during it could not renew the version, so the first call after the outage does."""

    def received() -> int:
        cases = queue_cases(supervisor)
        counts = list_counts(cases, cases)
        return next(count.count.value for count in counts.by_state if count.state == State.RECEIVED)

    with cache_at(own_redis.url):
        register_case(clerk=clerk)
        assert received() == 1  # counted, and kept in Redis
        own_redis.stop()
        register_case(clerk=clerk)  # its renewal of the version is lost
        assert received() == 2  # without the cache the count is made afresh
        own_redis.start()
        time.sleep(1.1)
        assert received() == 2  # not the 1 kept before the outage


@pytest.mark.django_db(transaction=True)
def test_statutes_are_loaded_again_after_an_outage_lost_their_renewal(cache_at, own_redis):
    rule = DeadlineRule.objects.get(clock="accept")
    with cache_at(own_redis.url):
        Statutes.changed()
        assert Statutes.load().rules["accept"].days == rule.days  # loaded under the version in Redis
        held_elsewhere = Statutes._loaded
        own_redis.stop()
        rule.days += 5
        rule.save()  # committed; its renewal of the version is lost
        Statutes._loaded = held_elsewhere  # as another process still holds what it loaded before
        own_redis.start()
        time.sleep(1.1)
        Statutes._checked_at = 0.0  # as a second later
        assert Statutes.load().rules["accept"].days == rule.days


def test_each_cache_call_reuses_one_redis_client(redis_only):
    """Django's client made a redis.Redis (some 200 callbacks filled in) for every call."""
    backend = cache._cache
    assert backend.get_client(write=True) is backend.get_client(write=False)
    cache.set("reused-client", 1)
    assert cache.get("reused-client") == 1

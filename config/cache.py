"""Django's Redis cache, made so that a Redis outage costs speed, never a page.

Every cache error (refused connection, timeout) is a miss for a read and a no-op for a write; it is
logged once a minute at most, with the number of failed calls, not once per request. After a failure
the process leaves Redis alone for RETRY_SECONDS, so that an unreachable server (whose packets are
dropped) costs one socket timeout per second, not one per cache call.

What the portal keeps in the cache is versioned (kept counts, the statutes): a change renews the
version, and a renewal that failed during the outage must not let the old copies be served when the
server answers again with its old contents. So the first call that reaches Redis after an outage
sends `cache_outage_ended` before it is served, and the apps renew their versions in its receivers.
Every process that saw the outage does so, since any of them may have lost a renewal.

django-redis (IGNORE_EXCEPTIONS) swallows errors too, but it logs each failed call, keeps trying a
dead server on every call and cannot tell anyone that writes were lost; this is a thin layer over
Django's own backend instead of another client.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.dispatch import Signal
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Sent (sender: the backend class) when a process reaches Redis again after failing to.
cache_outage_ended = Signal()

_MISSING = object()


def redis_caches(url: str) -> dict:
    """The CACHES setting for a Redis at `url`. The short timeouts keep a server that does not answer
    from holding up every request."""
    return {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "pd",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


class _Outage:
    """What one process knows of one server's reachability (shared by its per-thread backends)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active = False
        self.retry_at = 0.0  # time.monotonic() before which Redis is not tried again
        self.failures = 0  # failed or skipped calls since the outage began
        self.logged_at: float | None = None


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis around the pool for every cache call, and redis-py
    fills a dict of some 200 response callbacks in each constructor: seven calls of a request spent
    more on that than on the round trips. One client per pool does the same work (a redis.Redis is
    safe to share between threads; its pool hands each command a connection)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class ResilientRedisCache(RedisCache):
    RETRY_SECONDS = 1.0
    LOG_EVERY_SECONDS = 60.0
    _outages: dict[str, _Outage] = {}
    _outages_lock = threading.Lock()

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    @property
    def _outage(self) -> _Outage:
        server = ",".join(self._servers)
        with self._outages_lock:
            return self._outages.setdefault(server, _Outage())

    def _guarded(self, call: Callable[[], Any], fallback: Any) -> Any:
        outage = self._outage
        if outage.active and time.monotonic() < outage.retry_at:
            with outage.lock:
                outage.failures += 1
            return fallback
        try:
            if outage.active:
                self._end_outage(outage)
            return call()
        except (RedisError, OSError) as error:
            self._failed(outage, error)
            return fallback

    def _end_outage(self, outage: _Outage) -> None:
        self._cache.get_client(write=True).ping()  # raises while the server is still away
        with outage.lock:
            if not outage.active:
                return  # another thread got there first
            outage.active, failures, outage.failures = False, outage.failures, 0
        logger.warning("The cache answers again, after %d failed calls; renewing the kept versions.", failures)
        cache_outage_ended.send(sender=type(self))

    def _failed(self, outage: _Outage, error: Exception) -> None:
        now = time.monotonic()
        with outage.lock:
            outage.active = True
            outage.retry_at = now + self.RETRY_SECONDS
            outage.failures += 1
            due = outage.logged_at is None or now - outage.logged_at >= self.LOG_EVERY_SECONDS
            if due:
                outage.logged_at = now
            failures = outage.failures
        if due:
            logger.warning(
                "The cache does not answer (%s: %s): served without it, %d failed calls so far.",
                type(error).__name__,
                error,
                failures,
            )

    # --- Django's cache API: reads miss, writes do nothing, while Redis is away. ---------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._guarded(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        self._guarded(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._guarded(lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None) -> bool:
        return self._guarded(lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None) -> dict:
        return self._guarded(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None) -> bool:
        return self._guarded(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None) -> int:
        value = self._guarded(lambda: super(ResilientRedisCache, self).incr(key, delta, version), _MISSING)
        if value is _MISSING:
            raise ValueError(f"Key '{key}' not found")  # as for a missing key: the caller starts afresh
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        return self._guarded(lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), list(data))

    def delete_many(self, keys, version=None) -> None:
        self._guarded(lambda: super(ResilientRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> bool:
        return self._guarded(lambda: super(ResilientRedisCache, self).clear(), False)

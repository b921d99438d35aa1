"""What every page would otherwise read again: kept in the cache, renewed when it changes.

- The session (`petitions.web.sessions`, Django's cached_db: the database stays the record) and the
  signed-in user (`petitions.web.auth.CachedModelBackend`), per session key and per user id;
- the reference choice lists of the filter forms (departments, categories, regions, leaders,
  handlers: `reference_version`), the same for everyone;
- each user's count of unread notifications (`unread_count`), per user id.

A change renews its copies at once and again when its transaction commits (another process may have
read the old rows in between); the copies that depend on who asks are kept under that user's id, so
no one is ever served another's. Every key carries the cache's epoch, which a cache outage renews
(`renew_epoch`, from `config.cache.cache_outage_ended`): a change made while Redis was away could
not drop its copies, and the server may come back holding them (a session logged out during the
outage, a user deactivated). When the cache does not answer, every read goes to the database.
"""

import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, transaction

EPOCH_KEY = "kept:epoch"
EPOCH_READ_EVERY_SECONDS = 1.0  # each thread reads the epoch at most this often
REFERENCE_VERSION_KEY = "kept:reference"
USER_SECONDS = 60  # a backstop, as the permissions noted in the session (SessionActivityMiddleware)
UNREAD_SECONDS = 10 * 60

_local = threading.local()
_renewals = [0]  # epochs renewed by this process: a thread's memo of an older one is not used


def epoch() -> str:
    """The cache's current epoch ("" while the cache does not answer: nothing is kept then)."""
    now = time.monotonic()
    memo = getattr(_local, "epoch", None)
    if memo is not None and memo[2] == _renewals[0] and now - memo[1] < EPOCH_READ_EVERY_SECONDS:
        return memo[0]
    value = cache.get(EPOCH_KEY)
    if value is None:
        cache.add(EPOCH_KEY, uuid.uuid4().hex, timeout=None)
        value = cache.get(EPOCH_KEY)
        if value is None:  # the cache is away
            return ""
    _local.epoch = (value, now, _renewals[0])
    return value


def _caches_replaced(*, setting: str, **kwargs) -> None:
    """The CACHES setting changed (a test's override): the epoch is that of the new cache."""
    if setting == "CACHES":
        _renewals[0] += 1


setting_changed.connect(_caches_replaced, dispatch_uid="kept-epoch-caches")


def renew_epoch(**kwargs) -> None:
    """Every kept copy is read again from the database (after a cache outage; after each test)."""
    _renewals[0] += 1
    cache.set(EPOCH_KEY, uuid.uuid4().hex, timeout=None)


def now_and_on_commit(renew: Callable[[], None], using: str = DEFAULT_DB_ALIAS) -> None:
    """Renew at once (this process sees the change) and after the commit (what others read meanwhile)."""
    renew()
    # robust: the change is committed whatever happens to the cache (config/cache.py logs its failures).
    transaction.on_commit(renew, using=using, robust=True)


def kept(key: str, load: Callable[[], Any], *, timeout: int) -> Any:
    """The value under `key` in this epoch, loaded (and kept) when missing; `load` when the cache is away."""
    current = epoch()
    if not current:
        return load()
    full_key = f"{current}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = load()
        cache.set(full_key, value, timeout=timeout)
    return value


def forget(*keys: str) -> None:
    current = epoch()
    if current:
        cache.delete_many([f"{current}:{key}" for key in keys])


# --- A copy per process, checked against a version in the cache ----------------------------------


class VersionedCopy:
    """What a process reads rarely and uses on every request (the statutes, the webhook subscriptions):
    each process keeps its own copy and uses it until the version in the cache changes, which it
    checks at most every CHECK_EVERY_SECONDS. `changed()` gives the cache a new version (call it at
    once and again on commit: `now_and_on_commit`). Subclasses set VERSION_KEY and `read()`."""

    VERSION_KEY = ""
    CHECK_EVERY_SECONDS = 1.0  # how long another process's change may go unseen
    _loaded: "tuple[str, Any] | None" = None
    _checked_at = 0.0

    @classmethod
    def read(cls) -> Any:
        raise NotImplementedError

    @classmethod
    def load(cls) -> Any:
        now = time.monotonic()
        if cls._loaded is not None and now - cls._checked_at < cls.CHECK_EVERY_SECONDS:
            return cls._loaded[1]
        cls._checked_at = now
        version = cache.get(cls.VERSION_KEY)
        if version is None:
            cache.add(cls.VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(cls.VERSION_KEY)
        loaded = cls._loaded
        if loaded is not None and version is not None and loaded[0] == version:
            return loaded[1]
        copy = cls.read()
        if version is not None:
            cls._loaded = (version, copy)
        return copy

    @classmethod
    def changed(cls) -> None:
        """The rows changed: every process reads them again."""
        cls._loaded = None
        cache.set(cls.VERSION_KEY, uuid.uuid4().hex, timeout=None)


# --- Reference data ---------------------------------------------------------------------------------


_reference_renewals = [0]  # reference changes made by this process: a thread's memo of an older version is not used


def reference_version() -> str:
    """The version of the reference choice lists ("" while the cache does not answer).

    Each thread reads it at most every EPOCH_READ_EVERY_SECONDS (every registration and list page
    asks): another process's change shows within that, this process's own at once."""
    current = epoch()
    if not current:
        return ""
    now = time.monotonic()
    memo = getattr(_local, "reference", None)
    if (
        memo is not None
        and memo[1] == current
        and memo[3] == _reference_renewals[0]
        and now - memo[2] < EPOCH_READ_EVERY_SECONDS
    ):
        return memo[0]
    version = cache.get(REFERENCE_VERSION_KEY)
    if version is None:
        cache.add(REFERENCE_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(REFERENCE_VERSION_KEY) or ""
    value = f"{current}:{version}" if version else ""
    if value:
        _local.reference = (value, current, now, _reference_renewals[0])
    return value


def _renew_reference() -> None:
    _reference_renewals[0] += 1
    cache.set(REFERENCE_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def reference_changed(sender=None, using: str = DEFAULT_DB_ALIAS, update_fields=None, **kwargs) -> None:
    """Signal receiver (departments, categories, regions, staff, roles): the choice lists are read again."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login changes nothing a list shows
    now_and_on_commit(_renew_reference, using=using)


# --- Per user: the user row and the unread count -----------------------------------------------------


def user_key(user_id: Any) -> str:
    return f"user:{user_id}"


def user_changed(sender=None, instance=None, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Signal receiver on User (saved, deleted, roles changed): their kept copy is dropped."""
    if instance is not None and instance.pk is not None:
        key = user_key(instance.pk)
        now_and_on_commit(lambda: forget(key), using=using)


def _unread_generation_key(user_id: int) -> str:
    return f"unread-generation:{user_id}"


def unread_count(user_id: int, count: Callable[[], int]) -> int:
    """The user's unread notifications, counted again after each change of their inbox.

    The count is kept under a generation that every change renews after it commits: a count made
    from the rows before a commit is kept under the generation that commit replaces, so it is never
    served after it.
    """
    current = epoch()
    if not current:
        return count()
    generation_key = _unread_generation_key(user_id)
    generation = cache.get(generation_key)
    if generation is None:
        cache.add(generation_key, uuid.uuid4().hex, timeout=None)
        generation = cache.get(generation_key)
        if generation is None:
            return count()
    return kept(f"unread:{user_id}:{generation}", count, timeout=UNREAD_SECONDS)


def inbox_changed(user_ids: Iterable[int], using: str = DEFAULT_DB_ALIAS) -> None:
    """Notifications of these users were added or marked read: their counts are made again."""
    keys = {_unread_generation_key(pk): None for pk in user_ids}
    if keys:
        now_and_on_commit(lambda: cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None), using=using)

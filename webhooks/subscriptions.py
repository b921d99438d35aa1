"""The active subscriptions, as every write that logs a case asks for them.

Loaded once per process and shared until a subscription or an integration changes: a change gives the
shared cache a new version (at once, and again after its commit), and a process loads afresh when it
sees a version it has not loaded (checked at most once a second). Without subscriptions an entry of
the case log costs nothing more than a dictionary look-up.
"""

import time
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from petitions.models import User


@dataclass(frozen=True)
class Target:
    subscription_id: int
    user: User  # the integration's system user: what it may read decides what it is sent


class Subscriptions:
    VERSION_KEY = "webhooks:subscriptions-version"
    CHECK_EVERY_SECONDS = 1.0
    _loaded: "tuple[str, Subscriptions] | None" = None
    _checked_at = 0.0

    def __init__(self, by_type: dict[str, list[Target]]) -> None:
        self.by_type = by_type

    @classmethod
    def read(cls) -> "Subscriptions":
        from webhooks.models import Subscription

        by_type: dict[str, list[Target]] = defaultdict(list)
        users: dict[int, User] = {}
        rows = Subscription.objects.filter(is_active=True, integration__is_active=True).select_related(
            "integration", "integration__user"
        )
        for subscription in rows:
            integration = subscription.integration
            if not integration.has_scope("webhooks"):
                continue
            user = users.setdefault(integration.user_id, integration.user)
            for event_type in subscription.events or []:
                by_type[event_type].append(Target(subscription.pk, user))
        return cls(dict(by_type))

    @classmethod
    def load(cls) -> "Subscriptions":
        now = time.monotonic()
        if cls._loaded is not None and now - cls._checked_at < cls.CHECK_EVERY_SECONDS:
            return cls._loaded[1]
        cls._checked_at = now
        version = cache.get(cls.VERSION_KEY)
        if version is None:
            cache.add(cls.VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(cls.VERSION_KEY)
        if cls._loaded is not None and version is not None and cls._loaded[0] == version:
            return cls._loaded[1]
        subscriptions = cls.read()
        if version is not None:
            cls._loaded = (version, subscriptions)
        return subscriptions

    @classmethod
    def changed(cls) -> None:
        cls._loaded = None
        cache.set(cls.VERSION_KEY, uuid.uuid4().hex, timeout=None)

    def targets(self, event_type: str) -> list[Target]:
        return self.by_type.get(event_type, [])


def subscriptions_changed(sender=None, **kwargs) -> None:
    """Signal receiver: a subscription or an integration (scopes, activity, its user's permissions) changed."""
    Subscriptions.changed()
    transaction.on_commit(Subscriptions.changed, robust=True)

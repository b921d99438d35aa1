"""The active subscriptions, as every write that logs a case asks for them.

Loaded once per process and shared until a subscription or an integration changes
(`petitions.caching.VersionedCopy`, as the statutes). Without subscriptions an entry of
the case log costs nothing more than a dictionary look-up.
"""

from collections import defaultdict
from dataclasses import dataclass

from petitions.caching import VersionedCopy, now_and_on_commit
from petitions.models import User


@dataclass(frozen=True)
class Target:
    subscription_id: int
    user: User  # the integration's system user: what it may read decides what it is sent


class Subscriptions(VersionedCopy):
    VERSION_KEY = "webhooks:subscriptions-version"

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

    def targets(self, event_type: str) -> list[Target]:
        return self.by_type.get(event_type, [])


def subscriptions_changed(sender=None, **kwargs) -> None:
    """Signal receiver: a subscription or an integration (scopes, activity, its user's permissions) changed."""
    now_and_on_commit(Subscriptions.changed)

"""The signed-in user read from the cache (petitions.caching), not from the database on every request."""

from django.contrib.auth.backends import ModelBackend

from petitions import caching
from petitions.models import User


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend, whose `get_user` (called on each request with the session's user id) keeps
    the row in the cache under that id. Saving or deleting the user, or changing their roles, drops
    the copy (`caching.user_changed`); a copy lives a minute at most."""

    def get_user(self, user_id):
        def load() -> User | bool:
            user = super(CachedModelBackend, self).get_user(user_id)
            return False if user is None else user  # kept too: a missing or inactive user is asked again in a minute

        user = caching.kept(caching.user_key(user_id), load, timeout=caching.USER_SECONDS)
        return user or None

"""Sessions read from the cache, written to the database and the cache (Django's cached_db).

A page then reads its session without a query. The database stays the record: a session outlives a
cache restart or outage. The cache keys carry the epoch of `petitions.caching`, which a cache outage
renews, so that a session ended while Redis was away (a logout) is not served again from its old copy
when Redis answers again.
"""

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSessionStore

from petitions import caching


class SessionStore(CachedDbSessionStore):
    @property
    def cache_key_prefix(self) -> str:
        return f"pd.session.{caching.epoch()}."

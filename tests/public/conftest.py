import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _address_limits_start_afresh():
    """django-ratelimit counts in the cache (this run's own Redis db), which outlives a test's transaction."""
    cache.clear()
    yield
    cache.clear()

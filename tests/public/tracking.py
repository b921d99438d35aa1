"""Opening cases in a browser's session the way a petitioner does: the tracking look-up form."""

from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from petitions.models import Case


def second_factor(case: Case) -> str:
    person = case.case_petitioners.order_by("position").first()
    return (person.phone or person.id_number)[-4:]


def forget_address_limits() -> None:
    """Drop django-ratelimit's counters (they live in Redis, beside the Celery broker's queues, and
    outlive a test's transaction): an earlier test's wrong look-ups from 127.0.0.1 must not block this one."""
    client = getattr(cache, "_cache", None)
    if client is None or not hasattr(client, "get_client"):  # another cache backend: clear it outright
        cache.clear()
        return
    redis = client.get_client(write=True)
    keys = list(redis.scan_iter(match=cache.make_key("rl:*")))
    if keys:
        redis.delete(*keys)


def open_cases(client: Client, cases: list[Case]) -> None:
    forget_address_limits()
    for case in cases:
        response = client.post(reverse("public:track"), {"code": case.tracking_code, "factor": second_factor(case)})
        assert response.status_code == 302, response.status_code


def tracking_codes(cases: list[Case]) -> list[str]:
    """Path values for <code>: real codes, and one that exists nowhere."""
    return [case.tracking_code for case in cases] + ["ZZZZZZZZZZZZ"]

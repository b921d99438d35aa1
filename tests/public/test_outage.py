"""The public site while Redis is away: a petitioner's submission is registered once and answered with
its acknowledgement, a look-up opens the case, every public page answers — no 500 (the limits let
requests through while they cannot count)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from config.cache import redis_caches
from petitions.models import Case, Channel
from tests.conftest import celery_broker_at
from tests.public.test_submission import DONE, SUBMIT, filled
from tests.public.tracking import second_factor

# Transactional: the after-commit hand-over of the tasks meets the stopped broker, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_public_site_registers_and_answers_while_redis_is_away(client, own_redis):
    with override_settings(CACHES=redis_caches(own_redis.url)), celery_broker_at(own_redis.url):
        form = filled(client)  # the form is fetched while Redis is up
        own_redis.stop()
        response = client.post(SUBMIT, form)
        assert response.status_code == 302 and response["Location"] == DONE
        acknowledgement = client.get(DONE)
        case = Case.objects.get()
        assert acknowledgement.status_code == 200 and case.tracking_code in acknowledgement.content.decode()
        assert case.channel == Channel.ONLINE
        again = client.post(SUBMIT, form)  # the same form sent twice during the outage: still one case
        assert again.status_code == 302 and Case.objects.count() == 1

        looked_up = client.post(reverse("public:track"), {"code": case.tracking_code, "factor": second_factor(case)})
        assert looked_up.status_code == 302
        assert client.get(looked_up["Location"]).status_code == 200
        for name in ("home", "public:home", "public:submit", "public:channels", "public:schedule", "public:scope"):
            assert client.get(reverse(name)).status_code == 200, name

"""Twenty retries of one intake at the same moment (a caller that timed out and retried): one case."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client

from integrations.models import IntakeRequest
from petitions.models import Case
from tests.api.conftest import intake_body, make_caller
from tests.conftest import in_thread

pytestmark = [pytest.mark.django_db(transaction=True)]

RETRIES = 20


@pytest.mark.parametrize("by", ["idempotency_key", "external_reference"])
def test_twenty_concurrent_retries_make_one_case(postgres_only, by):
    hotline = make_caller("intake")
    body = intake_body(external_reference="HL-77" if by == "external_reference" else "")
    headers = hotline.headers(**({"HTTP_IDEMPOTENCY_KEY": "retry-77"} if by == "idempotency_key" else {}))
    start = threading.Barrier(RETRIES)

    @in_thread
    def send():
        client = Client()
        start.wait(10)
        response = client.post("/api/v1/cases", json.dumps(body), content_type="application/json", **headers)
        return response.status_code, response.json()

    with ThreadPoolExecutor(RETRIES) as pool:
        results = [future.result() for future in [pool.submit(send) for _ in range(RETRIES)]]
    assert Case.objects.count() == 1
    assert IntakeRequest.objects.count() == 1
    statuses = sorted(status for status, _body in results)
    assert statuses == [200] * (RETRIES - 1) + [201], results
    assert {body["case"]["number"] for _status, body in results} == {Case.objects.get().number}
    assert sum(not body["replayed"] for _status, body in results) == 1

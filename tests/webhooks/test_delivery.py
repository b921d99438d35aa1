"""Webhooks delivered for real: a receiver started by the test, the Redis broker, a real worker process."""

import itertools

import pytest
from django.urls import reverse

from devdata.factories import register_case
from petitions.models import TaskOutbox
from petitions.services import lifecycle
from petitions.services.task_queue import outbox_relay
from tests.conftest import celery_broker_at, free_port, start_worker, subprocess_env, wait_until
from tests.webhooks.conftest import subscribe
from webhooks import signing
from webhooks.models import DeliveryAttempt, Event, EventType

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# Short waits so that the retries happen while the test watches: 0.2 s, 0.4 s, 0.8 s, …
FAST_RETRIES = {"WEBHOOK_RETRY_SECONDS": "0.2", "WEBHOOK_TIMEOUT_SECONDS": "5"}


@pytest.fixture
def worker(tmp_path):
    process = start_worker(tmp_path, env=subprocess_env(**FAST_RETRIES))
    yield process
    process.stop()


def delivered(event: Event) -> bool:
    event.refresh_from_db()
    return event.status == Event.Status.DELIVERED


def test_an_event_reaches_the_receiver_signed(receiver, office_integration, clerk, worker):
    subscription = subscribe(office_integration, receiver.url, events=[EventType.RECEIVED])
    case = register_case(clerk=clerk)
    event = Event.objects.get(subscription=subscription)
    wait_until(lambda: delivered(event), timeout=30, message=f"delivery\n{worker.output()[-3000:]}")
    [received] = receiver.requests
    headers = received.headers
    assert received.event_id == str(event.event_id) == received.json["id"]
    assert headers[signing.EVENT_TYPE_HEADER] == "case.received"
    assert received.json["case"]["number"] == case.number
    assert signing.verify(
        subscription.secret,
        timestamp=headers[signing.TIMESTAMP_HEADER],
        body=received.body,
        signature_header=headers[signing.SIGNATURE_HEADER],
    )
    assert not signing.verify(
        "another secret",
        timestamp=headers[signing.TIMESTAMP_HEADER],
        body=received.body,
        signature_header=headers[signing.SIGNATURE_HEADER],
    )
    [attempt] = DeliveryAttempt.objects.filter(event=event)
    assert attempt.status_code == 200 and attempt.response_excerpt == "ok"


def test_a_receiver_that_fails_three_times_still_gets_the_event_once_it_is_back(
    receiver, office_integration, clerk, supervisor, worker
):
    receiver.fail_first = 3
    subscription = subscribe(office_integration, receiver.url, events=[EventType.NOT_ACCEPTED])
    case = register_case(clerk=clerk)
    lifecycle.case_refuse(case_id=case.pk, actor=supervisor, reason="属于诉讼程序处理的事项")
    event = Event.objects.get(subscription=subscription)
    wait_until(lambda: delivered(event), timeout=60, message=f"delivery\n{worker.output()[-3000:]}")
    attempts = list(DeliveryAttempt.objects.filter(event=event).order_by("at", "pk"))
    assert [attempt.status_code for attempt in attempts] == [503, 503, 503, 200]
    assert attempts[0].response_excerpt == "down for maintenance"
    gaps = [(later.at - earlier.at).total_seconds() for earlier, later in itertools.pairwise(attempts)]
    assert gaps[1] > gaps[0] and gaps[2] > gaps[1]  # the waits grow (0.2, 0.4, 0.8 s)
    assert {request.event_id for request in receiver.requests} == {str(event.event_id)}
    assert receiver.processed == {str(event.event_id)}


def test_a_redelivery_from_the_admin_carries_the_same_event_id(
    receiver, office_integration, clerk, admin_user, client, worker
):
    subscription = subscribe(office_integration, receiver.url, events=[EventType.RECEIVED])
    register_case(clerk=clerk)
    event = Event.objects.get(subscription=subscription)
    wait_until(lambda: delivered(event), timeout=30, message="the first delivery")
    client.force_login(admin_user)
    page = client.get(reverse("admin:webhooks_event_change", args=[event.pk]))
    assert page.status_code == 200 and str(event.event_id) in page.content.decode()
    response = client.post(
        reverse("admin:webhooks_event_changelist"), {"action": "redeliver", "_selected_action": [event.pk]}
    )
    assert response.status_code == 302
    wait_until(lambda: len(receiver.requests) == 2, timeout=30, message=f"the redelivery\n{worker.output()[-3000:]}")
    first, again = receiver.requests
    assert first.event_id == again.event_id == str(event.event_id) and first.body == again.body
    assert receiver.processed == {str(event.event_id)}  # de-duplicated by its id
    wait_until(lambda: delivered(event), timeout=30, message="the redelivery recorded")
    assert list(DeliveryAttempt.objects.filter(event=event).values_list("redelivery", flat=True)) == [False, True]
    log = client.get(reverse("admin:webhooks_deliveryattempt_changelist"))
    assert log.status_code == 200


def test_an_event_made_while_redis_is_away_waits_in_the_outbox_and_is_delivered_after(
    receiver, office_integration, clerk, worker
):
    subscription = subscribe(office_integration, receiver.url, events=[EventType.RECEIVED])
    with celery_broker_at(f"redis://127.0.0.1:{free_port()}/0"):  # nobody listens there
        register_case(clerk=clerk)  # the registration is not refused
        assert outbox_relay() == 0
    event = Event.objects.get(subscription=subscription)
    waiting = TaskOutbox.objects.get(task="webhooks.tasks.deliver")
    assert waiting.handed_over_at is None and waiting.args == [event.pk]
    assert outbox_relay() >= 1  # Redis is back: beat's relay hands the task over
    wait_until(lambda: delivered(event), timeout=30, message=f"delivery\n{worker.output()[-3000:]}")
    assert [request.event_id for request in receiver.requests] == [str(event.event_id)]

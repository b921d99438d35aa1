"""Delivering webhook events: at least once, with exponential backoff, every attempt logged.

`event_deliver` (the task `webhooks.tasks.deliver`) claims the event row under a lock (a second run of
the task meanwhile finds it locked and leaves it), POSTs the body, records the attempt and the outcome in
the same transaction. A 2xx answer delivers it; anything else waits 1, 2, 4 … × WEBHOOK_RETRY_SECONDS
(at most WEBHOOK_RETRY_MAX_WAIT_SECONDS) and is tried again until WEBHOOK_RETRY_FOR_SECONDS after the
event, then it is given up (an administrator can redeliver it). The next attempt is kept in the row:
the worker asks Celery to run it then, and the beat sweep (`events_deliver_due`) hands over through
the task outbox whatever is due and was not run (a worker or Redis that was away), so nothing is lost.
A receiver de-duplicates on the event id, which every attempt and redelivery carries unchanged.
"""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from petitions.services.task_queue import tasks_enqueue
from webhooks import signing
from webhooks.events import DELIVER_TASK
from webhooks.models import DeliveryAttempt, Event

logger = logging.getLogger(__name__)

EXCERPT_CHARS = 500
SWEEP_BATCH = 500
USER_AGENT = "PetitionDesk-Webhooks/1"


@dataclass(frozen=True)
class Result:
    status: str  # the event's status after this run, or "busy" / "not due" / "missing"
    retry_in: float | None = None  # seconds until the next attempt, if one is planned


def backoff(attempts: int) -> float:
    """The wait after the `attempts`-th failed attempt."""
    return min(settings.WEBHOOK_RETRY_SECONDS * 2 ** max(attempts - 1, 0), settings.WEBHOOK_RETRY_MAX_WAIT_SECONDS)


def _post(event: Event) -> DeliveryAttempt:
    body = signing.body_bytes(event.body)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        signing.EVENT_ID_HEADER: str(event.event_id),
        signing.EVENT_TYPE_HEADER: event.type,
        signing.TIMESTAMP_HEADER: str(timestamp),
        signing.SIGNATURE_HEADER: signing.signature(event.subscription.secret, timestamp, body),
    }
    attempt = DeliveryAttempt(event=event, at=timezone.now(), redelivery=event.redeliveries > 0)
    started = time.monotonic()
    try:
        response = requests.post(
            event.subscription.url,
            data=body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,  # a redirect is not a delivery
        )
        attempt.status_code = response.status_code
        attempt.response_excerpt = response.text[:EXCERPT_CHARS]
    except requests.RequestException as error:
        attempt.error = f"{type(error).__name__}: {error}"[:2000]
    attempt.duration_ms = int((time.monotonic() - started) * 1000)
    return attempt


def event_deliver(event_pk: int) -> Result:
    """Try to deliver one event now (if it is waiting and due). Safe to run twice, or concurrently."""
    with transaction.atomic():
        event = (
            Event.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription")
            .filter(pk=event_pk)
            .first()
        )
        if event is None:
            exists = Event.objects.filter(pk=event_pk).exists()
            return Result("busy" if exists else "missing")
        if event.status != Event.Status.PENDING:
            return Result(event.status)
        now = timezone.now()
        if event.next_attempt_at and event.next_attempt_at > now + timedelta(seconds=0.5):
            return Result("not due", (event.next_attempt_at - now).total_seconds())
        attempt = _post(event)
        attempt.save()
        event.attempts += 1
        retry_in = None
        if attempt.succeeded:
            event.status, event.delivered_at, event.next_attempt_at = Event.Status.DELIVERED, timezone.now(), None
        else:
            wait = backoff(event.attempts)
            planned = timezone.now() + timedelta(seconds=wait)
            if planned > event.give_up_at:
                event.status, event.next_attempt_at = Event.Status.FAILED, None
                logger.warning("Webhook event %s given up after %d attempts", event.event_id, event.attempts)
            else:
                event.next_attempt_at, retry_in = planned, wait
        event.save(update_fields=["status", "attempts", "next_attempt_at", "delivered_at"])
    return Result(event.status, retry_in)


def events_redeliver(*, event_ids: list[int]) -> int:
    """The administrator's redelivery: the same event (same id, same body) is sent again, from now on
    with the full retry period, whatever became of it before. Returns how many were queued."""
    now = timezone.now()
    with transaction.atomic():
        events = list(Event.objects.select_for_update().filter(pk__in=event_ids))
        for event in events:
            event.status = Event.Status.PENDING
            event.next_attempt_at = now
            event.give_up_at = now + timedelta(seconds=settings.WEBHOOK_RETRY_FOR_SECONDS)
            event.redeliveries += 1
        Event.objects.bulk_update(events, ["status", "next_attempt_at", "give_up_at", "redeliveries"])
        tasks_enqueue(DELIVER_TASK, [[event.pk] for event in events])
    return len(events)


def events_deliver_due(*, grace_seconds: float | None = None) -> int:
    """Hand over (through the task outbox) the waiting events whose next attempt was due a while ago and
    did not run: the safety net under the worker's own scheduling. Returns how many."""
    grace = settings.WEBHOOK_SWEEP_GRACE_SECONDS if grace_seconds is None else grace_seconds
    due_before = timezone.now() - timedelta(seconds=grace)
    with transaction.atomic():
        ids = list(
            Event.objects.filter(status=Event.Status.PENDING, next_attempt_at__lte=due_before)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        tasks_enqueue(DELIVER_TASK, [[pk] for pk in ids])
    return len(ids)

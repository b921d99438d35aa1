"""Celery tasks of webhooks: take ids, call a service."""

import logging

from celery import shared_task

from webhooks.services import event_deliver, events_deliver_due

logger = logging.getLogger(__name__)


@shared_task(name="webhooks.tasks.deliver", bind=True, ignore_result=True)
def deliver(self, event_pk: int) -> str:
    """Deliver one event. A failure plans the next attempt in the row; this asks Celery to run it then
    (if the broker is away, the beat sweep below hands it over later)."""
    result = event_deliver(event_pk)
    if result.retry_in is not None:
        try:
            self.apply_async(args=[event_pk], countdown=result.retry_in)
        except Exception as error:  # whatever the transport raises: the row keeps the plan, the sweep acts
            logger.warning("Webhook event %s: retry not scheduled (%s); the sweep will hand it over", event_pk, error)
    return result.status


@shared_task(name="webhooks.tasks.deliver_due", ignore_result=True)
def deliver_due() -> int:
    """Scheduled in CELERY_BEAT_SCHEDULE: events whose attempt is due and did not run."""
    return events_deliver_due()

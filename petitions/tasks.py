"""Celery tasks of petitions: take ids, call a service."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from petitions.services.deadline_recompute import deadlines_recompute
from petitions.services.notifications import email_notifications
from petitions.services.petitioner_notices import NoticeNotSent, notice_send, retry_countdown
from petitions.services.task_queue import outbox_relay


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, max_retries=6)
def send_notification_emails(notification_ids: list[int]) -> int:
    return email_notifications(notification_ids)


@shared_task
def relay_task_outbox() -> int:
    """Hand over the tasks whose hand-over after their commit failed (scheduled in CELERY_BEAT_SCHEDULE)."""
    return outbox_relay()


@shared_task
def recompute_deadlines(force: bool = False) -> dict:
    """After a calendar change (and daily): recompute open cases' deadlines if the calendar changed."""
    result = deadlines_recompute(force=force)
    return {"ran": result.ran, "checked": result.cases_checked, "changed": result.cases_changed}


@shared_task(bind=True, max_retries=None)
def send_petitioner_notice(self, notice_id: int) -> str:
    """Send one notice to a petitioner; a failure is tried again after 1, 2, 4, … times
    PETITIONER_NOTICE_RETRY_SECONDS, PETITIONER_NOTICE_ATTEMPTS times in all (then the row is "failed").
    Safe to run twice: only a queued row is sent, claimed under a row lock."""
    attempts = settings.PETITIONER_NOTICE_ATTEMPTS
    try:
        return notice_send(notice_id, max_attempts=attempts)
    except NoticeNotSent as error:
        raise self.retry(exc=error, countdown=retry_countdown(self.request.retries), max_retries=attempts - 1) from None

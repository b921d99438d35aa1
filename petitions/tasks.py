"""Celery tasks of petitions: take ids, call a service."""

from smtplib import SMTPException

from celery import shared_task

from petitions.services.deadline_recompute import deadlines_recompute
from petitions.services.notifications import email_notifications
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

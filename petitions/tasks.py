"""Celery tasks of petitions: take ids, call a service."""

from smtplib import SMTPException

from celery import shared_task

from petitions.services.notifications import email_notifications


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, max_retries=6)
def send_notification_emails(notification_ids: list[int]) -> int:
    return email_notifications(notification_ids)

"""Celery tasks of escalation, scheduled in CELERY_BEAT_SCHEDULE: take nothing, call a service."""

from celery import shared_task

from escalation.services import auto_close_due_cases, escalation_sweep


@shared_task
def sweep() -> dict:
    """Fire the escalation ladder. A lost or failed run is simply redone by the next beat tick."""
    return escalation_sweep().as_dict()


@shared_task
def auto_close() -> int:
    return auto_close_due_cases()

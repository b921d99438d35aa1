"""Celery tasks of supervision, scheduled in CELERY_BEAT_SCHEDULE: take nothing, call a service."""

from dataclasses import asdict

from celery import shared_task

from supervision.ladder import supervision_sweep


@shared_task
def sweep() -> dict:
    """催办通知书, 通报 and the chase of matters' reply dates. A lost run is redone by the next tick."""
    return asdict(supervision_sweep())

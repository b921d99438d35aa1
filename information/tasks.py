"""Celery tasks of information, scheduled in CELERY_BEAT_SCHEDULE: take nothing, call a service."""

from dataclasses import asdict

from celery import shared_task

from information.returns.chase import returns_chase


@shared_task
def chase_returns() -> dict:
    """Remind and chase owed returns. A lost run is redone by the next tick; a repeated one sends nothing twice."""
    return asdict(returns_chase())

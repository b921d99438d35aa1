"""Celery beat's runs go through the task outbox, so a run that falls due while the broker is away waits.

Celery's own scheduler marks a run done before it publishes it: a run due during a broker outage was
lost (the Monday report waited a week). This one records the run in the task outbox and hands it over
at once (petitions.services.task_queue); what the broker could not take waits in the database, and the
relay hands it over once the broker is back. Beat then needs the database; it no longer needs a
broker connection of its own.
"""

from datetime import datetime, timedelta

from celery.beat import PersistentScheduler, ScheduleEntry
from celery.result import AsyncResult
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from petitions.models.outbox import task_id_of
from petitions.services.task_queue import tasks_enqueue


def _expires_at(expires: float | datetime | None) -> datetime | None:
    """A run's `expires` option (seconds from now, or a moment) as a moment: counted from when beat
    found it due, not from when the broker finally took it."""
    if expires is None or isinstance(expires, datetime):
        return expires
    return timezone.now() + timedelta(seconds=expires)


class OutboxScheduler(PersistentScheduler):
    @property
    def producer(self) -> None:
        return None  # runs are handed over by the outbox, through the app's own connections

    def apply_async(self, entry: ScheduleEntry, producer=None, advance: bool = True, **kwargs) -> AsyncResult:
        entry = self.reserve(entry) if advance else entry
        try:
            close_old_connections()  # beat lives long: a connection PostgreSQL dropped is opened again
            (row_id,) = tasks_enqueue(
                entry.task,
                [list(entry.args or ())],
                kwargs=dict(entry.kwargs or {}),
                expires_at=_expires_at(entry.options.get("expires")),
            )
        except DatabaseError:
            # Without the database, publish as Celery's scheduler does: the broker may still take it.
            return super().apply_async(entry, producer=None, advance=False, **kwargs)
        finally:
            self._tasks_since_sync += 1
            if self.should_sync():
                self._do_sync()
        return self.app.AsyncResult(task_id_of(row_id))

"""Every Celery task is recorded in the database with the change that calls for it, then handed over.

`task_enqueue` writes a TaskOutbox row in the caller's transaction and hands it to the broker after
the commit. A broker outage (or a process that dies after its commit) therefore loses nothing: the
row waits, and the relay (`outbox_relay`: Celery beat every TASK_RELAY_SECONDS, and
`manage.py relay_tasks`) hands over whatever is left once the broker answers again. Beat's own tick
needs the broker too, so the relay runs as soon as beat's first tick after the outage gets through,
and it hands over everything left, however old.

A hand-over claims its rows with SELECT ... FOR UPDATE SKIP LOCKED (on SQLite the write lock taken at
the start of each transaction serialises them), so the after-commit hand-over and the relay never
both send a row. A row can still reach the broker twice, if the process dies after the broker took it
and before the commit that marks it: every task is safe to run twice (each says how in its service).
"""

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from functools import partial

from celery import Task
from django.db import connection, transaction
from django.utils import timezone

from config.celery_app import app as celery_app
from petitions.models import TaskOutbox

logger = logging.getLogger(__name__)

HAND_OVER_BATCH = 500
BROKER_CONNECT_SECONDS = 2.0  # a broker that does not answer costs a request at most this long
KEEP_HANDED_OVER = timedelta(days=7)  # handed-over rows are kept this long, to look into


def tasks_enqueue(
    task: Task | str, arguments: Iterable[Sequence], *, kwargs: dict | None = None, expires_at: datetime | None = None
) -> list[int]:
    """One run of `task` per argument list, recorded in the current transaction and handed to the
    broker once it commits. Returns the rows' ids."""
    name = task if isinstance(task, str) else task.name
    rows = TaskOutbox.objects.bulk_create(
        [TaskOutbox(task=name, args=list(args), kwargs=kwargs or {}, expires_at=expires_at) for args in arguments]
    )
    ids = [row.pk for row in rows]
    if ids:
        # robust: whatever the hand-over meets, the caller's change is committed and the rows wait.
        transaction.on_commit(partial(outbox_hand_over, ids=ids), robust=True)
    return ids


def task_enqueue(task: Task | str, *args) -> int:
    """`task(*args)` runs after the current transaction commits, even if the broker is away then."""
    return tasks_enqueue(task, [args])[0]


def outbox_hand_over(*, ids: Iterable[int] | None = None, batch_size: int = HAND_OVER_BATCH) -> int:
    """Hand the waiting runs (of `ids`, or all) to the broker, oldest first; returns how many.

    Stops at the first failure (the broker is away): the rest waits for the relay.
    """
    wanted = None if ids is None else list(ids)
    handed_over = 0
    while True:
        # Its own transaction, never a caller's: each batch's claim and its "handed over" mark commit
        # together, before the next batch (durable: nesting it would hold every claim to the end).
        with transaction.atomic(durable=True):
            rows = _claim(wanted, batch_size)
            sent, failed = _send(rows)
            if failed is not None:  # the rest waits for the relay, as if never claimed
                TaskOutbox.objects.filter(pk__in=[row.pk for row in rows[len(sent) :]]).update(handed_over_at=None)
                failed.save(update_fields=["attempts", "last_error"])
        handed_over += len(sent)
        if failed is not None or len(rows) < batch_size:
            return handed_over


def _claim(wanted: list[int] | None, batch_size: int) -> list[TaskOutbox]:
    """Up to `batch_size` waiting runs (of `wanted`, or any), oldest first, marked handed over and
    locked to the end of the transaction, in one statement (after every intake, so one round trip
    less counts). Runs another hand-over holds are skipped; on SQLite, the write lock each
    transaction takes at its start serialises hand-overs instead."""
    table = TaskOutbox._meta.db_table
    params: list = [timezone.now()]
    among = ""
    if wanted is not None:
        if not wanted:
            return []
        among = f" AND id IN ({', '.join(['%s'] * len(wanted))})"
        params += wanted
    params.append(batch_size)
    lock = " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    sql = (
        f"UPDATE {table} SET handed_over_at = %s WHERE id IN "  # noqa: S608 - table name from our own model
        f"(SELECT id FROM {table} WHERE handed_over_at IS NULL{among} ORDER BY id LIMIT %s{lock}) RETURNING *"
    )
    return sorted(TaskOutbox.objects.raw(sql, params), key=lambda row: row.pk)


def _send(rows: list[TaskOutbox]) -> tuple[list[TaskOutbox], TaskOutbox | None]:
    """Publish `rows` in order; the rows sent and the row that failed (None: all were sent)."""
    sent: list[TaskOutbox] = []
    if not rows:
        return sent, None
    row = rows[0]
    try:
        with celery_app.producer_or_acquire() as producer:
            # Fail fast when the broker is away, instead of kombu's patient reconnecting.
            producer.connection.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_CONNECT_SECONDS
            )
            for row in rows:
                celery_app.send_task(
                    row.task,
                    args=row.args,
                    kwargs=row.kwargs,
                    task_id=row.task_id,
                    expires=row.expires_at,
                    producer=producer,
                    retry=False,
                    ignore_result=True,  # nothing reads the results; asking for one needs the result store
                )
                sent.append(row)
    except Exception as error:  # whatever the transport raises, the row waits for the relay
        row.attempts += 1
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        logger.warning(
            "Task %s (%s) not handed to the broker, %d waiting: %s",
            row.task,
            row.task_id,
            len(rows) - len(sent),
            row.last_error,
        )
        return sent, row
    return sent, None


def outbox_relay(*, keep: timedelta = KEEP_HANDED_OVER) -> int:
    """Hand over every run left waiting (the broker was away, or a process died after its commit),
    and forget the runs handed over more than `keep` ago. Returns how many were handed over."""
    handed_over = outbox_hand_over()
    TaskOutbox.objects.filter(handed_over_at__lt=timezone.now() - keep).delete()
    return handed_over

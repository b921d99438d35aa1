"""One run at a time of a periodic job, across worker processes and machines; one transaction at a time
on a named thing (`transaction_lock`).

PostgreSQL: a session-level advisory lock. It is held by the database connection, so a worker that
dies (even by SIGKILL) releases it the moment its connection closes; nothing has to expire.
SQLite (the embedded single-machine default): SQLite lets one writer in at a time anyway, so the jobs
stay correct without a lock; a lease row (JobLease) only keeps two runs from doing the same work
twice, and expires on its own if its holder died.
"""

import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from petitions.models import JobLease

LEASE_SECONDS = 30 * 60  # longer than any job (CELERY_TASK_TIME_LIMIT)


def _advisory_key(name: str) -> int:
    return zlib.crc32(f"petition-desk:{name}".encode())


def _advisory_unlock(key: int) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    except DatabaseError:
        connection.close()  # a closed session holds no advisory lock


@contextmanager
def single_run(name: str) -> Iterator[bool]:
    """`with single_run("escalation-sweep") as acquired:` — `acquired` is False while another run holds it."""
    if connection.vendor == "postgresql":
        key = _advisory_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            acquired = cursor.fetchone()[0]
        try:
            yield acquired
        finally:
            if acquired:
                _advisory_unlock(key)
        return
    token = uuid.uuid4().hex
    acquired = _take_lease(name, token)
    try:
        yield acquired
    finally:
        if acquired:
            JobLease.objects.filter(name=name, holder=token).delete()


def _take_lease(name: str, token: str) -> bool:
    now = timezone.now()
    expires_at = now + timedelta(seconds=LEASE_SECONDS)
    with transaction.atomic():
        _lease, created = JobLease.objects.get_or_create(
            name=name, defaults={"holder": token, "expires_at": expires_at}
        )
        # A lease whose holder died (it has expired) is taken over.
        stale = JobLease.objects.filter(name=name, expires_at__lt=now)
        return created or stale.update(holder=token, expires_at=expires_at) == 1


def transaction_lock(name: str) -> None:
    """Until the current transaction ends, other transactions asking for `name` wait.

    PostgreSQL: a transaction-level advisory lock. SQLite lets one writer in at a time anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_advisory_key(name)])

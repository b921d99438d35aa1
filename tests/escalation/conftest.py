"""A controlled clock and cases whose deadlines are known, made through the real services."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from devdata.factories import UserFactory, advance, register_case
from petitions.models import Case, Notification, Role
from petitions.services import lifecycle

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A case routed on Monday 1 June 2026 is due Friday 31 July (60 days, a working day). Its ladder:
ROUTED = date(2026, 6, 1)
DUE = date(2026, 7, 31)
DUE_SOON = date(2026, 7, 28)  # 3 days before
LEVEL_2 = date(2026, 8, 7)  # 7 days after
LEVEL_3 = date(2026, 8, 15)  # 15 days after


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


@contextmanager
def on(day: date, hour: int = 10) -> Iterator[None]:
    with time_machine.travel(at(day, hour), tick=True):
        yield


@pytest.fixture
def routed(clerk, supervisor, department, handler):
    """`routed()`: a case routed on ROUTED to `department` and taken by `handler` (override either)."""

    def make(*, day: date = ROUTED, department=department, handler=handler, owner=None) -> Case:
        with on(day):
            case = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
            if handler is not None:
                case = lifecycle.case_take(case_id=case.pk, actor=handler)
            if owner is not None:
                case = lifecycle.case_set_owner(case_id=case.pk, actor=supervisor, leader=owner)
        return case

    return make


@pytest.fixture
def second_leader(db):
    return UserFactory(roles=[Role.LEADER])


def sent(kind: str | None = None, **filters) -> set[tuple]:
    """(case number, kind, recipient username) of the notifications the ladder sent."""
    kinds = [kind] if kind else ["deadline_due_soon", "deadline_reached", "deadline_overdue", "supervision_notice"]
    rows = Notification.objects.filter(kind__in=kinds, **filters).values_list(
        "case__number", "kind", "recipient__username"
    )
    return set(rows)


def sent_count(**filters) -> int:
    kinds = ["deadline_due_soon", "deadline_reached", "deadline_overdue", "supervision_notice"]
    return Notification.objects.filter(kind__in=kinds, **filters).count()


@contextmanager
def slow_escalation_inserts(seconds: float) -> Iterator[None]:
    """Each statement that inserts escalations takes `seconds` longer (a PostgreSQL trigger), so that a
    sweep's batches can be overlapped by another sweep, or interrupted by a kill."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_slow_batch() RETURNS trigger AS $$ BEGIN "
            f"PERFORM pg_sleep({float(seconds)}); RETURN NULL; END $$ LANGUAGE plpgsql; "
            "CREATE TRIGGER test_slow_batch AFTER INSERT ON escalation_escalation "
            "FOR EACH STATEMENT EXECUTE FUNCTION test_slow_batch();"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER IF EXISTS test_slow_batch ON escalation_escalation; "
                "DROP FUNCTION IF EXISTS test_slow_batch();"
            )


@pytest.fixture
def slow_batches(postgres_only):
    with slow_escalation_inserts(0.05):
        yield

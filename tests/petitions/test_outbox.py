"""Every task is recorded with the change that calls for it and handed to the broker once, even when the
broker is away at the commit (the relay hands it over later)."""

import pytest
from django.db import transaction

from devdata.factories import UserFactory
from petitions.models import Notification, TaskOutbox
from petitions.services.notifications import EMAIL_TASK_CHUNK, Message, notify, notify_bulk
from petitions.services.task_queue import outbox_hand_over, outbox_relay
from petitions.tasks import relay_task_outbox
from tests.conftest import celery_broker_at, free_port


def hand_overs(callbacks: list) -> list:
    """The outbox hand-overs among a transaction's on-commit callbacks."""
    return [callback for callback in callbacks if getattr(callback, "func", callback) is outbox_hand_over]


pytestmark = pytest.mark.django_db


def test_a_task_is_recorded_with_its_change_and_handed_over_after_the_commit(django_capture_on_commit_callbacks):
    user = UserFactory(email="head@example.cn")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        (notification,) = notify(users=[user], case=None, kind="case_routed", params={"number": "XF2026-000001"})
        row = TaskOutbox.objects.get()
        assert row.handed_over_at is None  # not before the commit
    assert len(hand_overs(callbacks)) == 1  # (the other renews the recipient's unread count)
    row.refresh_from_db()
    assert row.task == "petitions.tasks.send_notification_emails"
    assert row.args == [[notification.pk]]
    assert row.handed_over_at is not None and row.attempts == 0 and row.last_error == ""
    assert outbox_relay() == 0  # nothing left to hand over


def test_a_change_rolled_back_records_no_task(django_capture_on_commit_callbacks):
    user = UserFactory(email="head@example.cn")

    def failing_change() -> None:
        with transaction.atomic():
            notify(users=[user], case=None, kind="case_routed", params={"number": "XF2026-000001"})
            raise RuntimeError("the change fails")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        failing_change()
    assert not callbacks and not TaskOutbox.objects.exists() and not Notification.objects.exists()


def test_many_notifications_are_e_mailed_in_chunks_recorded_together(django_capture_on_commit_callbacks):
    users = UserFactory.create_batch(3, email="x@example.cn")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ids = notify_bulk([Message([u.pk for u in users], None, "case_routed", {"number": "XF-1"})] * 400)
    rows = list(TaskOutbox.objects.order_by("pk"))
    assert len(ids) == 1200 and [len(row.args[0]) for row in rows] == [EMAIL_TASK_CHUNK, EMAIL_TASK_CHUNK, 200]
    assert [pk for row in rows for pk in row.args[0]] == ids
    assert len(hand_overs(callbacks)) == 1  # one hand-over for the transaction's tasks


def test_a_hand_over_lost_after_the_commit_is_made_by_the_relay_once(django_capture_on_commit_callbacks):
    user = UserFactory(email="head@example.cn")
    with django_capture_on_commit_callbacks(execute=False):  # the process "dies" after its commit
        notify(users=[user], case=None, kind="case_routed", params={"number": "XF2026-000001"})
    assert TaskOutbox.objects.get().handed_over_at is None
    assert relay_task_outbox.apply().get() == 1
    assert relay_task_outbox.apply().get() == 0  # never twice
    assert outbox_hand_over(ids=[TaskOutbox.objects.get().pk]) == 0  # nor by the late after-commit hand-over
    assert TaskOutbox.objects.get().handed_over_at is not None


def test_while_the_broker_is_away_a_task_waits_with_its_error_and_the_relay_hands_it_over_later(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(email="head@example.cn")
    with celery_broker_at(f"redis://127.0.0.1:{free_port()}/0"):  # nobody listens there
        with django_capture_on_commit_callbacks(execute=True):
            notify(users=[user], case=None, kind="case_routed", params={"number": "XF2026-000001"})
        assert outbox_relay() == 0
    row = TaskOutbox.objects.get()
    assert row.handed_over_at is None and row.attempts == 2 and "OperationalError" in row.last_error
    assert outbox_relay() == 1  # the broker is back
    row.refresh_from_db()
    assert row.handed_over_at is not None

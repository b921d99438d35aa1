"""E-mail copies whose hand-over to the worker was lost are found and sent once."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from petitions.factories import UserFactory
from petitions.models import Notification
from petitions.services.notifications import Message, email_notifications, email_pending_notifications, notify_bulk
from petitions.tasks import send_pending_notification_emails

pytestmark = pytest.mark.django_db


def test_lost_email_copies_are_sent_by_the_outbox_sweep_once(django_capture_on_commit_callbacks):
    with_address = UserFactory(email="head@example.cn")
    without = UserFactory(email="")
    # The process "dies" after the commit: the callbacks that would hand the ids over never run.
    with django_capture_on_commit_callbacks(execute=False):
        ids = notify_bulk([Message([with_address.pk, without.pk], None, "case_routed", {"number": "XF2026-000001"})])
    assert len(ids) == 2 and Notification.objects.filter(pk__in=ids).count() == 2

    assert email_pending_notifications() == 0  # too fresh: the normal path may still be under way
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        with django_capture_on_commit_callbacks(execute=False) as handed_over:
            assert send_pending_notification_emails.apply().get() == 1  # only the one with an address
        assert len(handed_over) == 1
        assert email_notifications(ids) == 1
        assert email_notifications(ids) == 0  # never twice
        assert email_pending_notifications() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["head@example.cn"]
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        Notification.objects.create(recipient=with_address, kind="case_routed")
        assert email_pending_notifications() == 0  # older than a day is not the outbox's any more

"""A Redis outage in the middle of registrations: no error page, no registration lost or made twice,
and once Redis is back every task that the registrations called for runs exactly once.

The test has a Redis of its own (cache and broker), stops it between two registrations, and starts it
again on the same port and folder, as a restarted server comes back with its append-only file.
"""

import json
import re
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from config.cache import redis_caches
from devdata.factories import UserFactory
from petitions.models import Case, Notification, PetitionerNotice, Role, State, TaskOutbox
from petitions.services.petitioner_notices import SEND_TASK as NOTICE_TASK
from reports.models import Report
from tests.conftest import celery_broker_at, start_worker, subprocess_env, wait_until
from tests.petitions.test_views import intake_post

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CASES, OUTAGE_AFTER = 12, 4


def sent_mail(folder: Path) -> list[tuple[str, str]]:
    """(recipient, subject) of every message the file backend wrote."""
    messages = []
    for file in sorted(folder.glob("*.log")):
        for raw in file.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                message = message_from_bytes(raw.strip())
                messages.append((message["To"], str(message["Subject"])))
    return messages


def test_registrations_survive_a_redis_outage_and_their_tasks_run_once_after_it(client, own_redis, tmp_path):
    clerk = UserFactory(roles=[Role.CLERK])
    supervisor = UserFactory(roles=[Role.SUPERVISOR], email="supervisor@example.cn")
    UserFactory(roles=[Role.SUPERVISOR], email="supervisor2@example.cn")
    UserFactory(roles=[Role.LEADER], email="leader@example.cn")
    mail = tmp_path / "mail"
    mail.mkdir()

    with override_settings(CACHES=redis_caches(own_redis.url)), celery_broker_at(own_redis.url):
        client.force_login(supervisor)
        assert client.get(reverse("case_queue")).status_code == 200  # counts kept in Redis before the outage
        client.force_login(clerk)
        registered, slowest = [], 0.0
        for i in range(CASES):
            if i == OUTAGE_AFTER:
                own_redis.stop()
            started = time.monotonic()
            # A collective visit (5 people or more) notifies the supervisors and leaders at once.
            response = client.post(reverse("case_create"), intake_post(headcount="6", summary=f"集体访第{i}批"))
            slowest = max(slowest, time.monotonic() - started)
            assert response.status_code == 302, (i, response.status_code)
            page = client.get(response.url)
            assert page.status_code == 200, (i, page.status_code)
            number = re.search(r"信访事项(XF\d{4}-\d{6})已登记", page.content.decode()).group(1)
            assert response.url == reverse("case_detail", args=[number])
            registered.append(number)
        assert slowest < 3, f"a registration took {slowest:.1f} s while Redis was away"

        # Every registration said so once and is there once; none is missing.
        assert len(set(registered)) == CASES
        assert sorted(Case.objects.values_list("number", flat=True)) == sorted(registered)
        assert Counter(Case.objects.values_list("summary", flat=True)) == {f"集体访第{i}批": 1 for i in range(CASES)}

        # Every e-mail the registrations call for is recorded; those of the outage wait.
        emails = TaskOutbox.objects.filter(task="petitions.tasks.send_notification_emails").order_by("pk")
        assert len(emails) == CASES
        assert Counter(pk for row in emails for pk in row.args[0]) == dict.fromkeys(
            Notification.objects.filter(kind="collective_visit").values_list("pk", flat=True), 1
        )
        assert Notification.objects.filter(kind="collective_visit").count() == 3 * CASES
        assert [row.handed_over_at is not None for row in emails] == [True] * OUTAGE_AFTER + [False] * (
            CASES - OUTAGE_AFTER
        )
        assert all(row.attempts == 1 and row.last_error for row in emails[OUTAGE_AFTER:])

        # The staff's pages answer while Redis is away, and a report can be asked for.
        client.force_login(supervisor)
        for name in ("case_queue", "inbox", "home", "reports:archive"):
            assert client.get(reverse(name)).status_code == 200, name
        queue = client.get(reverse("case_queue")).context["counts"].by_state
        assert {item.state: item.count.value for item in queue}[State.RECEIVED] == CASES
        response = client.post(reverse("reports:archive"), {"start": "2026-11-09", "end": "2026-11-15"})
        report = Report.objects.get()
        assert response.status_code == 302 and report.status == Report.Status.PENDING
        waiting = TaskOutbox.objects.filter(handed_over_at__isnull=True).exclude(task=NOTICE_TASK).count()
        assert waiting == CASES - OUTAGE_AFTER + 1
        notices = PetitionerNotice.objects.filter(case__summary__startswith="集体访第")
        assert notices.count() == TaskOutbox.objects.filter(task=NOTICE_TASK).count() > 0

        own_redis.start()  # with what it held: the tasks handed over before the outage, the old counts
        time.sleep(1.1)  # the cache leaves a failed server alone for a second
        queue = client.get(reverse("case_queue")).context["counts"].by_state
        assert {item.state: item.count.value for item in queue}[State.RECEIVED] == CASES  # not the old count
        call_command("relay_tasks")
        assert not TaskOutbox.objects.filter(handed_over_at__isnull=True).exists()

    env = subprocess_env(REDIS_URL=own_redis.url, TEST_EMAIL_FILE_PATH=str(mail), SMS_FILE_PATH=str(tmp_path / "sms"))
    worker = start_worker(tmp_path, env=env)
    try:
        wait_until(
            lambda: (
                not Notification.objects.filter(emailed_at__isnull=True).exists()
                and Report.objects.filter(status=Report.Status.READY).exists()
                and not PetitionerNotice.objects.exclude(status=PetitionerNotice.Status.SENT).exists()
            ),
            timeout=120,
            interval=0.5,
            message="the worker to send every e-mail and make the report",
        )
        time.sleep(1)  # anything handed over twice would run now
    except AssertionError:
        raise AssertionError(worker.output()) from None
    finally:
        worker.stop()

    # Each task ran once, and each e-mail went out once.
    ran = Counter(re.findall(r"\[(outbox-\d+)\] succeeded", worker.output()))
    assert ran == {row.task_id: 1 for row in TaskOutbox.objects.all()}, worker.output()
    sent = sent_mail(mail)  # the petitioners gave a mobile number, no e-mail: their notices went by SMS
    expected = [(n.recipient.email, n.message) for n in Notification.objects.select_related("recipient", "case")]
    assert len(sent) == len(expected) == 3 * CASES + 1  # the report's requester is told it is ready
    assert Counter(to for to, _subject in sent) == Counter(to for to, _message in expected)
    assert len(set(sent)) == len(sent)
    sms = (tmp_path / "sms" / "sms.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["reference"] for line in sms) == sorted(
        f"notice-{pk}" for pk in notices.values_list("pk", flat=True)
    )

"""Notices to petitioners: queued with the change that calls for them, sent once, retried with backoff.

The SMS gateway is a real little HTTP server started by the test; the sending runs in a real Celery
worker where it matters (retries, duplicates, a Redis outage).
"""

import itertools
import json
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from config.celery_app import app as celery_app
from devdata.factories import UserFactory, advance, petitioner_data, register_case
from petitions.models import (
    Case,
    LegalType,
    NoticeChannel,
    NoticeEvent,
    NoticeText,
    PetitionerNotice,
    Purpose,
    Role,
    TaskOutbox,
)
from petitions.services import lifecycle
from petitions.services.petitioner_notices import SEND_TASK, NoticeNotSent, notice_send, notice_text
from petitions.services.sms_backends import FileBackend, HttpGatewayBackend, SmsError, SmsMessage
from petitions.tasks import send_petitioner_notice
from tests.conftest import celery_broker_at, start_worker, subprocess_env, wait_until

pytestmark = pytest.mark.django_db

EMAIL, MOBILE, LANDLINE = "zhang.san@example.cn", "13912345678", "02088886666"
INTERNAL_NOTE = "内部意见勿外传甲乙丙"


def two_people() -> list:
    """One petitioner with an e-mail and a mobile number, one with a landline only (no SMS, no e-mail)."""
    return [petitioner_data(email=EMAIL, phone=MOBILE), petitioner_data(phone=LANDLINE, email="")]


def notices(case: Case, event: str) -> list[tuple[str, str]]:
    return sorted(PetitionerNotice.objects.filter(case=case, event=event).values_list("channel", "address"))


def sms_lines(folder: Path) -> list[dict]:
    file = folder / FileBackend.FILE_NAME
    return [json.loads(line) for line in file.read_text().splitlines()] if file.exists() else []


# --- What each event queues ----------------------------------------------------------------------------------


def test_each_event_queues_one_message_per_address_and_channel(clerk, supervisor, department, handler):
    case = register_case(clerk=clerk, headcount=2, petitioners=two_people())
    expected = [(NoticeChannel.EMAIL, EMAIL), (NoticeChannel.SMS, MOBILE)]
    assert notices(case, NoticeEvent.REGISTERED) == expected
    # Each message is one run of the sending task in the outbox, recorded with the registration.
    queued = PetitionerNotice.objects.filter(case=case).values_list("pk", flat=True)
    assert sorted(TaskOutbox.objects.filter(task=SEND_TASK).values_list("args", flat=True)) == sorted(
        [[pk] for pk in queued]
    )

    lifecycle.case_accept(case_id=case.pk, actor=supervisor, department=department, note=INTERNAL_NOTE)
    assert notices(case, NoticeEvent.ACCEPTED) == expected
    case = lifecycle.case_take(case_id=case.pk, actor=handler)
    lifecycle.case_extend(case_id=case.pk, actor=supervisor, days=20, reason="需要实地调查")
    assert notices(case, NoticeEvent.EXTENDED) == expected
    case = advance(case, "delivered", supervisor=supervisor, handler=handler)
    assert notices(case, NoticeEvent.OUTCOME_ISSUED) == expected
    assert notices(case, NoticeEvent.REVIEW_DECIDED) == []
    lifecycle.case_reopen_for_review(case_id=case.pk, actor=clerk, requested_on=timezone.localdate())
    lifecycle.case_handle(case_id=case.pk, actor=handler, outcome="supported", outcome_text="复查意见：支持。")
    assert notices(case, NoticeEvent.REVIEW_DECIDED) == []  # not before the office accepted the answer
    lifecycle.case_accept_result(case_id=case.pk, actor=supervisor)
    assert notices(case, NoticeEvent.REVIEW_DECIDED) == expected
    assert notices(case, NoticeEvent.OUTCOME_ISSUED) == expected  # the first opinion's notice, not a second

    refused = register_case(clerk=clerk, petitioners=[petitioner_data(email="", phone=MOBILE)])
    lifecycle.case_refuse(case_id=refused.pk, actor=supervisor, reason="该事项已经或者依法应当通过诉讼解决")
    assert notices(refused, NoticeEvent.NOT_ACCEPTED) == [(NoticeChannel.SMS, MOBILE)]
    sms = PetitionerNotice.objects.get(case=refused, event=NoticeEvent.NOT_ACCEPTED)
    assert "该事项已经或者依法应当通过诉讼解决" in sms.text  # the reason, as the 不予受理告知书 gives it


def test_a_case_without_email_or_mobile_queues_nothing(clerk):
    case = register_case(clerk=clerk, petitioners=[petitioner_data(phone=LANDLINE, email="")])
    assert not PetitionerNotice.objects.filter(case=case).exists()
    assert not TaskOutbox.objects.filter(task=SEND_TASK).exists()


def test_an_event_reached_again_is_not_queued_twice(clerk, supervisor, department, other_department):
    case = register_case(clerk=clerk, petitioners=[petitioner_data(email=EMAIL, phone=MOBILE)])
    lifecycle.case_accept(case_id=case.pk, actor=supervisor, department=department)
    head = UserFactory(roles=[Role.DEPARTMENT_HEAD], department=department)
    lifecycle.case_return(case_id=case.pk, actor=head, reason="不属于本单位职责")
    lifecycle.case_accept(case_id=case.pk, actor=supervisor, department=other_department)
    assert PetitionerNotice.objects.filter(case=case, event=NoticeEvent.ACCEPTED).count() == 2  # e-mail and SMS


def test_registration_text_has_number_tracking_code_and_where_to_follow(clerk):
    case = register_case(clerk=clerk, petitioners=[petitioner_data(email=EMAIL, phone=MOBILE)])
    for notice in PetitionerNotice.objects.filter(case=case):
        assert notice.language == "zh-hans"
        assert case.number in notice.text and case.tracking_code in notice.text
        assert "查询码" in notice.text and "/public/track/" in notice.text
        assert "你" in notice.text
    email = PetitionerNotice.objects.get(case=case, channel=NoticeChannel.EMAIL)
    assert case.number in email.subject


def test_texts_in_both_languages_and_as_admins_edit_them(clerk, supervisor, department):
    case = register_case(clerk=clerk, petitioners=[petitioner_data(email=EMAIL)])
    lifecycle.case_accept(case_id=case.pk, actor=supervisor, department=department)
    case.refresh_from_db()
    chinese, english = notice_text(NoticeEvent.ACCEPTED, case, "zh-hans"), notice_text(NoticeEvent.ACCEPTED, case, "en")
    assert "已受理" in chinese.body and department.name in chinese.body
    assert "accepted" in english.body and case.number in english.subject
    # The petitioner's language: the submission's when the case recorded one.
    case.submission_language = "en"
    from petitions.services.petitioner_notices import petitioner_language

    assert petitioner_language(case) == "en"

    row = NoticeText.objects.get(event=NoticeEvent.ACCEPTED)
    row.body_zh = "{number}受理了，{unknown}，{"
    row.save()
    assert notice_text(NoticeEvent.ACCEPTED, case, "zh-hans").body == "{number}受理了，{unknown}，{"  # a stray brace
    row.body_zh = "{number}受理了，{unknown}"
    row.save()
    assert notice_text(NoticeEvent.ACCEPTED, case, "zh-hans").body == f"{case.number}受理了，{{unknown}}"


def test_every_event_has_a_text_in_both_languages_in_the_reference_data(db):
    texts = {row.event: row for row in NoticeText.objects.all()}
    assert set(texts) == set(NoticeEvent.values)
    for row in texts.values():
        assert all([row.subject_zh, row.body_zh, row.subject_en, row.body_en])
        assert "你" in row.body_zh


def test_no_message_carries_internal_notes_or_staff_names(clerk, supervisor, department, handler):
    case = register_case(clerk=clerk, petitioners=[petitioner_data(email=EMAIL, phone=MOBILE)])
    lifecycle.case_add_note(case_id=case.pk, actor=clerk, note=INTERNAL_NOTE)
    case = lifecycle.case_accept(case_id=case.pk, actor=supervisor, department=department, note=INTERNAL_NOTE)
    lifecycle.case_take(case_id=case.pk, actor=handler)
    lifecycle.case_request_extension(case_id=case.pk, actor=handler, days=10, reason="需要实地调查")
    lifecycle.case_extend(case_id=case.pk, actor=supervisor, days=10, reason="需要实地调查")
    advance(case, "delivered", supervisor=supervisor, handler=handler)
    texts = list(PetitionerNotice.objects.filter(case=case).values_list("subject", "text"))
    assert len(texts) == 8
    people = (clerk, supervisor, handler)
    staff = {str(user) for user in people} | {user.last_name + user.first_name for user in people}
    for subject, text in texts:
        assert INTERNAL_NOTE not in subject + text
        assert not any(name and name in subject + text for name in staff), (subject, text)


# --- Sending: once, with retries --------------------------------------------------------------------------------


def test_a_notice_is_sent_once_however_often_the_task_runs(clerk, tmp_path):
    with override_settings(SMS_BACKEND="file", SMS_FILE_PATH=str(tmp_path)):
        case = register_case(clerk=clerk, petitioners=[petitioner_data(email=EMAIL, phone=MOBILE)])
        for notice in PetitionerNotice.objects.filter(case=case):
            for _run in range(3):
                send_petitioner_notice.apply(args=[notice.pk])
    lines = sms_lines(tmp_path)
    assert [(line["to"], line["reference"]) for line in lines] == [
        (MOBILE, f"notice-{PetitionerNotice.objects.get(channel='sms').pk}")
    ]
    assert case.tracking_code in lines[0]["text"]
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    assert set(PetitionerNotice.objects.values_list("status", "attempts")) == {("sent", 1)}


class Gateway:
    """A real HTTP server on a free port answering each POST with the next status of `statuses`
    (the last one repeats), recording when and what it was sent."""

    def __init__(self, statuses: list[int], delay: float = 0.0) -> None:
        self.statuses, self.delay = list(statuses), delay
        self.requests: list[tuple[float, dict, dict]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append((time.monotonic(), dict(self.headers), json.loads(body)))
                time.sleep(gateway.delay)
                status = gateway.statuses.pop(0) if len(gateway.statuses) > 1 else gateway.statuses[0]
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                except OSError:  # the client gave up waiting (the timeout test)
                    pass

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway_factory():
    made: list[Gateway] = []

    def make(statuses: list[int], delay: float = 0.0) -> Gateway:
        made.append(Gateway(statuses, delay))
        return made[-1]

    yield make
    for gateway in made:
        gateway.close()


def test_http_gateway_posts_json_with_the_key_and_fails_on_non_2xx_or_silence(gateway_factory: Callable):
    message = SmsMessage(to=MOBILE, text="你的信访事项已登记", reference="notice-1")
    ok = gateway_factory([200])
    HttpGatewayBackend(url=ok.url, key="k-123").send(message)
    (_at, headers, body) = ok.requests[0]
    assert body == {"to": MOBILE, "text": "你的信访事项已登记", "reference": "notice-1"}
    assert headers["Authorization"] == "Bearer k-123" and headers["Content-Type"].startswith("application/json")
    for status in (500, 404, 302):
        with pytest.raises(SmsError, match=str(status)):
            HttpGatewayBackend(url=gateway_factory([status]).url, key="k").send(message)
    slow = gateway_factory([200], delay=1.5)
    with pytest.raises(SmsError, match="did not answer"):
        HttpGatewayBackend(url=slow.url, key="k", timeout=0.3).send(message)
    with pytest.raises(SmsError):
        HttpGatewayBackend(url="ftp://example.cn/", key="k")


def test_a_failure_counts_an_attempt_and_the_last_one_leaves_it_failed(clerk, gateway_factory):
    gateway = gateway_factory([500])
    with override_settings(SMS_BACKEND="http", SMS_GATEWAY_URL=gateway.url):
        case = register_case(clerk=clerk, petitioners=[petitioner_data(email="", phone=MOBILE)])
        notice = PetitionerNotice.objects.get(case=case)
        for _attempt in range(2):
            with pytest.raises(NoticeNotSent, match="500"):
                notice_send(notice.pk, max_attempts=3)
        assert notice_send(notice.pk, max_attempts=3) == "failed"
        assert notice_send(notice.pk, max_attempts=3) == "skipped"
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.sent_at) == ("failed", 3, None)
    assert "500" in notice.last_error
    assert len(gateway.requests) == 3


# --- The case page ------------------------------------------------------------------------------------------------


def test_the_case_page_lists_the_notices_with_masked_addresses(client, clerk, supervisor):
    case = register_case(clerk=clerk, petitioners=[petitioner_data(email=EMAIL, phone=MOBILE)])
    client.force_login(supervisor)
    page = client.get(reverse("case_detail", args=[case.number])).content.decode()
    assert 'id="h-petitioner-notices"' in page and "给信访人的告知信息" in page and "短信" in page
    assert "z***@example.cn" in page and "139****5678" in page
    assert EMAIL not in page and MOBILE not in page


def test_a_department_sees_no_fragment_of_an_accusers_addresses(client, clerk, supervisor, department):
    case = register_case(
        clerk=clerk,
        purpose=Purpose.DISCLOSURE,
        legal_type=LegalType.ACCUSATION,
        petitioners=[petitioner_data(email=EMAIL, phone=MOBILE)],
    )
    lifecycle.case_accept(case_id=case.pk, actor=supervisor, department=department)
    head = UserFactory(roles=[Role.DEPARTMENT_HEAD], department=department)
    client.force_login(head)
    page = client.get(reverse("case_detail", args=[case.number])).content.decode()
    assert 'id="h-petitioner-notices"' in page
    for fragment in ("z***", "example.cn", "139", "5678"):
        assert fragment not in page.split('id="h-petitioner-notices"')[1].split("</section>")[0]


def test_the_admin_lists_notices_read_only_and_edits_texts(client, clerk, admin_user):
    case = register_case(clerk=clerk, petitioners=[petitioner_data(email=EMAIL, phone=MOBILE)])
    client.force_login(admin_user)
    listing = client.get(reverse("admin:petitions_petitionernotice_changelist") + "?status__exact=queued")
    assert listing.status_code == 200 and case.number in listing.content.decode()
    assert MOBILE not in listing.content.decode()
    notice = PetitionerNotice.objects.filter(case=case).first()
    assert client.post(reverse("admin:petitions_petitionernotice_change", args=[notice.pk]), {}).status_code == 403
    text = NoticeText.objects.get(event=NoticeEvent.REGISTERED)
    response = client.post(
        reverse("admin:petitions_noticetext_change", args=[text.pk]),
        {"subject_zh": "登记{number}", "body_zh": "你的事项{number}已登记", "subject_en": "S", "body_en": "B"},
    )
    assert response.status_code == 302
    again = register_case(clerk=clerk, petitioners=[petitioner_data(email=EMAIL)])
    assert PetitionerNotice.objects.get(case=again, channel="email").text == f"你的事项{again.number}已登记"


# --- A real worker ------------------------------------------------------------------------------------------------


def worker_env(sms: Path, mail_folder: Path, **extra: str) -> dict[str, str]:
    return subprocess_env(SMS_FILE_PATH=str(sms), TEST_EMAIL_FILE_PATH=str(mail_folder), **extra)


def mail_files_text(folder: Path) -> str:
    return "".join(file.read_text(errors="replace") for file in folder.glob("*.log"))


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_each_notice_once_though_its_task_is_handed_over_three_times(redis_only, tmp_path):
    sms, mail_folder = tmp_path / "sms", tmp_path / "mail"
    mail_folder.mkdir()
    clerk = UserFactory(roles=[Role.CLERK])
    case = register_case(clerk=clerk, petitioners=[petitioner_data(email=EMAIL, phone=MOBILE)])
    ids = list(PetitionerNotice.objects.filter(case=case).values_list("pk", flat=True))
    for pk in ids:  # the same task again, twice: as a repeated hand-over or a duplicate delivery would
        for _copy in range(2):
            celery_app.send_task(SEND_TASK, args=[pk])
    worker = start_worker(tmp_path, concurrency=2, env=worker_env(sms, mail_folder, SMS_BACKEND="file"))
    try:
        wait_until(
            lambda: not PetitionerNotice.objects.exclude(status="sent").exists(), message="the notices to be sent"
        )
        wait_until(lambda: worker.output().count("send_petitioner_notice") >= 2 * 3 * len(ids), timeout=30)
        time.sleep(1)
    except AssertionError:
        raise AssertionError(worker.output()) from None
    finally:
        worker.stop()
    assert [line["to"] for line in sms_lines(sms)] == [MOBILE]
    assert mail_files_text(mail_folder).count(f"To: {EMAIL}") == 1
    assert set(PetitionerNotice.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_retries_with_growing_waits_and_gives_up_after_n_tries(redis_only, tmp_path, gateway_factory):
    failing, flaky = gateway_factory([500]), gateway_factory([500, 503, 200])
    clerk = UserFactory(roles=[Role.CLERK])
    env = {"SMS_BACKEND": "http", "PETITIONER_NOTICE_ATTEMPTS": "4", "PETITIONER_NOTICE_RETRY_SECONDS": "0.5"}
    with override_settings(SMS_BACKEND="http"):  # nothing is sent in this process: only the worker sends
        doomed = register_case(clerk=clerk, petitioners=[petitioner_data(email="", phone=MOBILE)])
    workers = [
        start_worker(tmp_path, env=worker_env(tmp_path, tmp_path, SMS_GATEWAY_URL=failing.url, **env)),
    ]
    try:
        wait_until(
            lambda: PetitionerNotice.objects.filter(case=doomed, status="failed").exists(),
            timeout=60,
            message="the notice to fail for good",
        )
        workers[0].stop()
        # Another gateway that fails twice, then takes the message: sent once, on the third try.
        saved = register_case(clerk=clerk, petitioners=[petitioner_data(email="", phone="13800001111")])
        workers.append(start_worker(tmp_path, env=worker_env(tmp_path, tmp_path, SMS_GATEWAY_URL=flaky.url, **env)))
        wait_until(
            lambda: PetitionerNotice.objects.filter(case=saved, status="sent").exists(),
            timeout=60,
            message="the notice to get through",
        )
        time.sleep(1.5)  # a retry left over would run now
    except AssertionError:
        raise AssertionError("\n".join(worker.output() for worker in workers)) from None
    finally:
        for worker in workers:
            worker.stop()

    failed = PetitionerNotice.objects.get(case=doomed)
    assert (failed.status, failed.attempts, failed.sent_at) == ("failed", 4, None)
    assert "500" in failed.last_error
    times = [at for at, _headers, _body in failing.requests]
    assert len(times) == 4
    waits = [later - earlier for earlier, later in itertools.pairwise(times)]
    # 0.5 s, 1 s, 2 s: each wait about twice the one before.
    assert waits[0] >= 0.45 and waits[1] >= 0.95 and waits[2] >= 1.95, waits
    assert waits[1] > 1.5 * waits[0] and waits[2] > 1.5 * waits[1], waits

    sent = PetitionerNotice.objects.get(case=saved)
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 3, "")
    assert [body["to"] for _at, _headers, body in flaky.requests] == ["13800001111"] * 3


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_redis_outage_during_intake_registers_the_case_and_its_notice_goes_after(own_redis, tmp_path):
    sms = tmp_path / "sms"
    clerk = UserFactory(roles=[Role.CLERK])
    with celery_broker_at(own_redis.url):
        own_redis.stop()
        started = time.monotonic()
        case = register_case(clerk=clerk, petitioners=[petitioner_data(email="", phone=MOBILE)])
        assert time.monotonic() - started < 5
        assert Case.objects.filter(pk=case.pk).exists()
        notice = PetitionerNotice.objects.get(case=case)
        waiting = TaskOutbox.objects.get(task=SEND_TASK, args=[notice.pk])
        assert waiting.handed_over_at is None and waiting.attempts == 1
        own_redis.start()
        call_command("relay_tasks")
        waiting.refresh_from_db()
        assert waiting.handed_over_at is not None
    worker = start_worker(tmp_path, env=worker_env(sms, tmp_path, REDIS_URL=own_redis.url, SMS_BACKEND="file"))
    try:
        wait_until(lambda: PetitionerNotice.objects.filter(pk=notice.pk, status="sent").exists(), timeout=60)
    except AssertionError:
        raise AssertionError(worker.output()) from None
    finally:
        worker.stop()
    assert [line["reference"] for line in sms_lines(sms)] == [f"notice-{notice.pk}"]
    assert timezone.now() - PetitionerNotice.objects.get(pk=notice.pk).sent_at < timedelta(minutes=2)

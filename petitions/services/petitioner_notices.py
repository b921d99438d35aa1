"""Notices to petitioners: one message per petitioner, event and channel, sent once.

`notices_queue` is called by the service that makes the change (intake, lifecycle), inside its
transaction: it writes a PetitionerNotice row for every e-mail address and mobile number the case
recorded of its petitioners, with the text rendered then, in the petitioner's language, and records
one run of the sending task per row in the task outbox (handed to Celery after the commit; a broker
outage only delays it). `notice_send` — what the task runs — claims the row with SELECT ... FOR
UPDATE SKIP LOCKED and sends only a row still queued, so a task run twice, or retried after it sent,
sends nothing twice. A failure counts an attempt and is raised for the task to retry with backoff;
the last attempt's failure leaves the row "failed".

The texts carry only what the petitioner is told anyway (case number, tracking code, department,
deadline, the reason given in the notice, the outcome): never internal notes or staff names.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import formats, timezone, translation

from petitions import caching
from petitions.identifiers import is_mobile
from petitions.models import (
    DEFAULT_NOTICE_TEXTS,
    Case,
    CasePetitioner,
    Closure,
    NoticeChannel,
    NoticeEvent,
    NoticeText,
    Outcome,
    PetitionerNotice,
)
from petitions.services.sms_backends import SmsMessage, sms_backend
from petitions.services.task_queue import tasks_enqueue

logger = logging.getLogger(__name__)

SEND_TASK = "petitions.tasks.send_petitioner_notice"  # by name: the tasks module imports this one
PUBLIC_TRACK_PATH = "/public/track/"
LANGUAGES = ("zh-hans", "en")
DEFAULT_LANGUAGE = "zh-hans"


class NoticeNotSent(Exception):
    """Sending failed this time; the row counts the attempt and the task tries again."""


def petitioner_language(case: Case) -> str:
    """The language of the case's submission when it recorded one (online submissions), else zh-hans."""
    language = case.submission_language.lower()
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def _parameters(case: Case, language: str) -> dict[str, str]:
    with translation.override(language):
        return {
            "number": case.number,
            "code": case.tracking_code,
            "track_url": settings.PORTAL_BASE_URL.rstrip("/") + PUBLIC_TRACK_PATH,
            "department": case.department.name if case.department_id else "",
            "due": formats.date_format(case.handling_due, "Y-m-d") if case.handling_due else "",
            "reason": _reason(case),
            "outcome": str(Outcome(case.outcome).label) if case.outcome else "",
        }


def _reason(case: Case) -> str:
    """The reason the petitioner is told: the 不予受理告知书's, or the 延期告知书's."""
    if case.closing_reason and case.closure == Closure.NOT_ACCEPTED:
        return case.closing_reason
    return case.extension_reason


class _Blanks(dict):
    def __missing__(self, key: str) -> str:  # a placeholder an admin mistyped stays visible, never raises
        return "{" + key + "}"


def render(template: str, parameters: dict[str, str]) -> str:
    try:
        return template.format_map(_Blanks(parameters))
    except (ValueError, IndexError, AttributeError):  # a stray brace in an edited text: sent as written
        return template


@dataclass(frozen=True)
class RenderedText:
    subject: str
    body: str


EDITED_TEXTS_KEY = "notice-texts"
TEXT_FIELDS = ("subject_zh", "body_zh", "subject_en", "body_en")


def edited_texts() -> dict[str, dict[str, str]]:
    """The texts admins edited, by event: kept in the cache (every registration sends a notice) until
    one is saved or deleted (`notice_texts_changed`); read from the table when the cache is away."""

    def load() -> dict[str, dict[str, str]]:
        return {row["event"]: {name: row[name] for name in TEXT_FIELDS} for row in NoticeText.objects.values()}

    return caching.kept(EDITED_TEXTS_KEY, load, timeout=24 * 60 * 60)


def notice_texts_changed(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Signal receiver for NoticeText: the texts are read again."""
    caching.now_and_on_commit(lambda: caching.forget(EDITED_TEXTS_KEY), using=using)


def notice_text(event: str, case: Case, language: str) -> RenderedText:
    """The event's text (as admins edited it, else the default) filled in for `case`."""
    texts = edited_texts().get(event) or DEFAULT_NOTICE_TEXTS[NoticeEvent(event)]
    suffix = "en" if language == "en" else "zh"
    parameters = _parameters(case, language)
    return RenderedText(render(texts[f"subject_{suffix}"], parameters), render(texts[f"body_{suffix}"], parameters))


def notices_queue(*, case: Case, event: str, links: Sequence[CasePetitioner] | None = None) -> list[int]:
    """Queue `event`'s notice to every petitioner of `case` by e-mail and by SMS (to a mobile number),
    in the caller's transaction; a notice already queued for that petitioner, event and channel is
    not queued again. Returns the new rows' ids.

    `links`: the case's petitioner rows, when the caller has just written them with the case (intake):
    then no notice of the case exists yet, and neither is read again."""
    if links is None:
        taken = set(PetitionerNotice.objects.filter(case=case, event=event).values_list("petitioner_id", "channel"))
        links = CasePetitioner.objects.filter(case=case).only("petitioner_id", "email", "phone").order_by("position")
    else:
        taken = set()
    wanted: list[tuple[int, str, str]] = []  # (petitioner, channel, address)
    for link in links:
        addresses = {
            NoticeChannel.EMAIL: link.email.strip(),
            NoticeChannel.SMS: link.phone if is_mobile(link.phone) else "",
        }
        wanted += [(link.petitioner_id, channel, address) for channel, address in addresses.items() if address]
    wanted = [item for item in wanted if (item[0], item[1]) not in taken]
    if not wanted:
        return []
    language = petitioner_language(case)
    text = notice_text(event, case, language)
    rows = [
        PetitionerNotice(
            case=case,
            petitioner_id=petitioner_id,
            event=event,
            channel=channel,
            address=address,
            language=language,
            subject=text.subject if channel == NoticeChannel.EMAIL else "",
            text=text.body,
        )
        for petitioner_id, channel, address in wanted
    ]
    ids = [row.pk for row in PetitionerNotice.objects.bulk_create(rows)]
    tasks_enqueue(SEND_TASK, [[pk] for pk in ids])
    return ids


def notice_send(notice_id: int, *, max_attempts: int) -> str:
    """Send one queued notice; returns its status afterwards ("skipped": not queued, or being sent).

    Raises NoticeNotSent when it failed and fewer than `max_attempts` were made (counted on the row, so
    a duplicated task does not try more often).
    """
    with transaction.atomic():
        notice = PetitionerNotice.objects.select_for_update(skip_locked=True).filter(pk=notice_id).first()
        if notice is None or notice.status != PetitionerNotice.Status.QUEUED:
            return "skipped"
        notice.attempts += 1
        try:
            _deliver(notice)
        except Exception as error:  # whatever the backend raises (SmsError, smtplib's OSErrors), it was not sent
            notice.last_error = f"{type(error).__name__}: {error}"[:2000]
            if notice.attempts >= max_attempts:
                notice.status = PetitionerNotice.Status.FAILED
                logger.warning("Notice %s failed for good after %d attempts: %s", notice.pk, notice.attempts, error)
            notice.save(update_fields=["attempts", "last_error", "status"])
        else:
            notice.status = PetitionerNotice.Status.SENT
            notice.sent_at = timezone.now()
            notice.last_error = ""
            notice.save(update_fields=["attempts", "last_error", "status", "sent_at"])
            return notice.status
    if notice.status == PetitionerNotice.Status.FAILED:
        return notice.status
    raise NoticeNotSent(notice.last_error)


def _deliver(notice: PetitionerNotice) -> None:
    if notice.channel == NoticeChannel.EMAIL:
        send_mail(subject=notice.subject, message=notice.text, from_email=None, recipient_list=[notice.address])
    else:
        sms_backend().send(SmsMessage(to=notice.address, text=notice.text, reference=f"notice-{notice.pk}"))


def retry_countdown(retries: int) -> float:
    """Seconds before the next attempt after `retries` retries: the base, doubled each time."""
    return settings.PETITIONER_NOTICE_RETRY_SECONDS * 2**retries

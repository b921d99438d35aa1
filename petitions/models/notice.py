"""Notices to petitioners: the texts of each event (admin-editable) and every message sent.

A message is a row written in the transaction of the change that calls for it, then sent by a Celery
task (petitions.services.petitioner_notices). One event reaches each petitioner once per channel: a
database constraint.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NoticeEvent(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ACCEPTED = "accepted", _("Accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    EXTENDED = "extended", _("Handling extended")
    OUTCOME_ISSUED = "outcome_issued", _("Written opinion issued")
    REVIEW_DECIDED = "review_decided", _("Review decided")


class NoticeChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


# The placeholders a text may use, each filled from the case (never internal notes or staff names).
NOTICE_PLACEHOLDERS = ("number", "code", "track_url", "department", "due", "reason", "outcome")

# The texts an installation starts with (`manage.py load_reference_data` writes them; admins edit them after).
# Addressed with 你, as the printed documents are.
DEFAULT_NOTICE_TEXTS: dict[str, dict[str, str]] = {
    NoticeEvent.REGISTERED: {
        "subject_zh": "你的信访事项已登记：{number}",
        "body_zh": "你的信访事项已登记，编号{number}，查询码{code}。请凭查询码在{track_url}查询办理进展。",
        "subject_en": "Your petition is registered: {number}",
        "body_en": (
            "Your petition is registered as {number}; your tracking code is {code}. "
            "Follow its progress online at {track_url} with this code."
        ),
    },
    NoticeEvent.ACCEPTED: {
        "subject_zh": "你的信访事项已受理：{number}",
        "body_zh": "你的信访事项{number}已受理，交{department}办理。可凭查询码在{track_url}查询进展。",
        "subject_en": "Your petition is accepted: {number}",
        "body_en": (
            "Your petition {number} is accepted and was passed to {department}. "
            "Follow its progress at {track_url} with your tracking code."
        ),
    },
    NoticeEvent.NOT_ACCEPTED: {
        "subject_zh": "你的信访事项不予受理：{number}",
        "body_zh": "你的信访事项{number}不予受理。理由：{reason}。不予受理告知书可凭查询码在{track_url}查看。",
        "subject_en": "Your petition is not accepted: {number}",
        "body_en": (
            "Your petition {number} is not accepted. Reason: {reason}. "
            "The notice of non-acceptance is at {track_url} with your tracking code."
        ),
    },
    NoticeEvent.EXTENDED: {
        "subject_zh": "你的信访事项办理期限已延长：{number}",
        "body_zh": "你的信访事项{number}办理期限延长至{due}。理由：{reason}。详情可凭查询码在{track_url}查看。",
        "subject_en": "More time to handle your petition: {number}",
        "body_en": (
            "The handling of your petition {number} is extended to {due}. Reason: {reason}. "
            "Details at {track_url} with your tracking code."
        ),
    },
    NoticeEvent.OUTCOME_ISSUED: {
        "subject_zh": "你的信访事项已出具处理意见书：{number}",
        "body_zh": (
            "你的信访事项{number}已办结，处理意见：{outcome}。处理意见书可凭查询码在{track_url}查看；"
            "不服的，可以自收到处理意见书之日起30日内请求复查。"
        ),
        "subject_en": "The written opinion on your petition: {number}",
        "body_en": (
            "Your petition {number} has been handled; outcome: {outcome}. The written opinion is at "
            "{track_url} with your tracking code; you may ask for a review within 30 days of receiving it."
        ),
    },
    NoticeEvent.REVIEW_DECIDED: {
        "subject_zh": "你的复查请求已有复查意见：{number}",
        "body_zh": "你对信访事项{number}的复查请求已办结，复查意见：{outcome}。详情可凭查询码在{track_url}查看。",
        "subject_en": "Your review request is decided: {number}",
        "body_en": (
            "Your request for a review of petition {number} has been decided; outcome: {outcome}. "
            "Details at {track_url} with your tracking code."
        ),
    },
}


class NoticeText(models.Model):
    """The text of one event's notice, in both languages; placeholders in braces, e.g. {number}."""

    event = models.CharField(_("event"), max_length=20, choices=NoticeEvent.choices, unique=True)
    subject_zh = models.CharField(_("e-mail subject (Chinese)"), max_length=200)
    body_zh = models.TextField(_("text (Chinese)"), max_length=1000)
    subject_en = models.CharField(_("e-mail subject (English)"), max_length=200)
    body_en = models.TextField(_("text (English)"), max_length=1000)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["event"]
        verbose_name = _("text of a notice to petitioners")
        verbose_name_plural = _("texts of notices to petitioners")

    def __str__(self) -> str:
        return self.get_event_display()


class PetitionerNotice(models.Model):
    """One message to one petitioner of a case about one event, by one channel, and how it went."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENT = "sent", _("Handed to the mail server or SMS gateway")
        FAILED = "failed", _("Not delivered (no more tries)")

    case = models.ForeignKey("petitions.Case", on_delete=models.PROTECT, related_name="petitioner_notices")
    petitioner = models.ForeignKey(
        "petitions.Petitioner", on_delete=models.PROTECT, related_name="notices", db_index=False
    )
    event = models.CharField(_("event"), max_length=20, choices=NoticeEvent.choices)
    channel = models.CharField(_("sent by"), max_length=8, choices=NoticeChannel.choices)
    address = models.CharField(_("sent to"), max_length=254)
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["case_id", "created_at", "pk"]
        verbose_name = _("notice to a petitioner")
        verbose_name_plural = _("notices to petitioners")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "petitioner", "event", "channel"], name="petitioner_notice_once_per_event"
            ),
        ]
        indexes = [
            # What admins look for: what failed and what is still waiting.
            models.Index(fields=["status", "created_at"], condition=~Q(status="sent"), name="petitioner_notice_open"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.event} {self.channel} ({self.status})"

"""Webhooks: what an integration subscribed to, each event sent to it, and every attempt to deliver it."""

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrations.models import Integration
from petitions.models import Case


class EventType(models.TextChoices):
    """Stored by these values and sent as `type`: never rename one."""

    RECEIVED = "case.received", _("Case received")
    ACCEPTED = "case.accepted", _("Case accepted")
    NOT_ACCEPTED = "case.not_accepted", _("Case not accepted")
    ASSIGNED = "case.assigned", _("Case routed to a department or given a handler")
    RETURNED = "case.returned", _("Case returned to the office")
    EXTENDED = "case.extended", _("Handling extended")
    # Since result review (审核报结): the outcome the office accepted; the department's submission is
    # case.outcome_submitted, a send-back case.sent_back.
    HANDLED = "case.handled", _("Outcome accepted by the office")
    OUTCOME_SUBMITTED = "case.outcome_submitted", _("Outcome submitted by the department for review")
    SENT_BACK = "case.sent_back", _("Outcome sent back to the department for further work")
    REHANDLING = "case.rehandling", _("Case back with the department to handle again after a callback")
    CLOSED = "case.closed", _("Case closed")
    ESCALATED = "case.escalated", _("Case escalated (overdue)")
    EVALUATED = "case.evaluated", _("Handling evaluated")
    REPORT_BACK = "handed_down.report", _("Report back (办结报告) issued")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    """An integration's endpoint and the events it wants there, signed with `secret` (README: Webhooks)."""

    integration = models.ForeignKey(
        Integration, verbose_name=_("integration"), on_delete=models.PROTECT, related_name="webhook_subscriptions"
    )
    url = models.URLField(_("URL"), max_length=500, help_text=_("Where the events are POSTed (https in production)."))
    secret = models.CharField(
        _("signing secret"),
        max_length=100,
        default=new_secret,
        help_text=_("The receiver checks each event's signature with this (see the README)."),
    )
    events = models.JSONField(_("events"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["integration__name", "id"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return f"{self.integration} → {self.url}"

    def clean(self) -> None:
        unknown = set(self.events or []) - set(EventType.values)
        if unknown:
            raise ValidationError({"events": _("Unknown event: %(events)s.") % {"events": ", ".join(sorted(unknown))}})
        if not self.events:
            raise ValidationError({"events": _("Choose at least one event.")})
        if self.integration_id and not self.integration.has_scope("webhooks"):
            raise ValidationError({"integration": _("Give the integration the webhooks scope first.")})


class Event(models.Model):
    """One event for one subscription: the body as it is sent every time (same `event_id`), and where
    its delivery stands. Written in the transaction of the change that caused it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be delivered")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Given up")

    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(
        Subscription, verbose_name=_("subscription"), on_delete=models.PROTECT, related_name="webhook_events"
    )
    type = models.CharField(_("event"), max_length=32, choices=EventType.choices)
    case = models.ForeignKey(
        Case, verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.JSONField(_("body"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    give_up_at = models.DateTimeField(_("give up at"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    redeliveries = models.PositiveIntegerField(_("redeliveries"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        indexes = [
            # The retry sweep: events waiting whose next attempt is due.
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="webhook_event_due"),
            models.Index(fields=["subscription", "created_at"], name="webhook_event_subscription"),
            models.Index(fields=["case"], condition=Q(case__isnull=False), name="webhook_event_case"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_at__isnull=False), name="webhook_delivered_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class DeliveryAttempt(models.Model):
    """One POST of an event: what the receiver answered (or why it could not), and when."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="delivery_attempts"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    response_excerpt = models.TextField(_("response (start)"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    redelivery = models.BooleanField(_("redelivery"), default=False)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery log")
        indexes = [models.Index(fields=["event", "at"], name="webhook_attempt_event_at")]

    def __str__(self) -> str:
        return f"{self.event_id} {self.at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error[:30]}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

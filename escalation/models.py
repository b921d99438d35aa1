"""The escalation ladder (rules as data) and the record of every step taken on it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions.models import Case, CasePart
from petitions.models.calendar import EditedInAdmin
from petitions.models.choices import Clock


def level_label(level: int) -> str:
    return str(_("Due soon")) if level == 0 else str(_("Level %(level)d") % {"level": level})


class EscalationRule(EditedInAdmin):
    """One rung of the ladder: when it fires, relative to the deadline, and whom it tells.

    Level 0 is the reminder before the deadline ("due soon"); levels 1 and up fire on or after it.
    """

    level = models.PositiveSmallIntegerField(
        _("level"), unique=True, help_text=_("0 is the reminder before the deadline.")
    )
    days_from_deadline = models.SmallIntegerField(
        _("days from the deadline"),
        help_text=_("When it fires: -3 is three days before the deadline, 0 the deadline day, 7 a week after it."),
    )
    notify_handler = models.BooleanField(
        _("the handler"),
        default=False,
        help_text=_("Without a handler: the department heads; before routing: the supervisors."),
    )
    notify_department_head = models.BooleanField(
        _("the department heads"), default=False, help_text=_("Before routing: the supervisors.")
    )
    notify_supervisors = models.BooleanField(_("the supervisors"), default=False)
    notify_leaders = models.BooleanField(
        _("the owning leader"), default=False, help_text=_("Without an owning leader: every leader.")
    )
    issues_supervision_notice = models.BooleanField(
        _("issues a supervision notice"), default=False, help_text=_("A printable 督办单 to send to the department.")
    )
    reply_within_working_days = models.PositiveSmallIntegerField(
        _("reply within (working days)"),
        null=True,
        blank=True,
        help_text=_("Printed on the supervision notice as the date by which the department reports back."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["level"]
        verbose_name = _("escalation rule")
        verbose_name_plural = _("escalation ladder")
        constraints = [
            models.CheckConstraint(
                condition=Q(level=0, days_from_deadline__lt=0) | Q(level__gt=0, days_from_deadline__gte=0),
                name="escalation_rule_level_matches_days",
                violation_error_message=_(
                    "The reminder (level 0) fires before the deadline; levels 1 and up on or after it."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return level_label(self.level)

    def clean(self) -> None:
        others = EscalationRule.objects.exclude(pk=self.pk)
        if self.days_from_deadline is None or self.level is None:
            return
        if (
            others.filter(level__lt=self.level, days_from_deadline__gte=self.days_from_deadline).exists()
            or others.filter(level__gt=self.level, days_from_deadline__lte=self.days_from_deadline).exists()
        ):
            raise ValidationError(
                {"days_from_deadline": _("A higher level fires later than a lower one: keep the days increasing.")}
            )
        if not any([self.notify_handler, self.notify_department_head, self.notify_supervisors, self.notify_leaders]):
            raise ValidationError(_("Choose at least one recipient."))


# The ladder of DESIGN.md, used by the data migration and whenever the table holds no rule at all.
DEFAULT_LADDER = [
    {"level": 0, "days_from_deadline": -3, "notify_handler": True},
    {"level": 1, "days_from_deadline": 0, "notify_handler": True, "notify_department_head": True},
    {
        "level": 2,
        "days_from_deadline": 7,
        "notify_supervisors": True,
        "issues_supervision_notice": True,
        "reply_within_working_days": 5,
    },
    {"level": 3, "days_from_deadline": 15, "notify_leaders": True},
]


class Escalation(models.Model):
    """One rung fired for one deadline of one case. Never changed, never deleted.

    Unique per (case, clock, level, deadline), and per (part, level, deadline) for a co-department's
    part: the deadline date is part of the key, so a repeated or
    concurrent sweep cannot fire a rung twice for the same deadline, while a deadline that moves (an
    approved extension, a recomputation after a calendar change, a case routed again, a review) is a new
    deadline the office must meet, and the ladder chases it again from the start.
    """

    # No index of its own: the unique constraint's index starts with the case.
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="escalations", db_index=False
    )
    clock = models.CharField(_("deadline"), max_length=20, choices=Clock.choices)
    level = models.PositiveSmallIntegerField(_("level"))
    deadline = models.DateField(_("due"))
    # An integer, not a small one: a deadline of year 1 (written behind the services' back) is 739,000
    # days past, and one such case must not abort the sweep for the whole office.
    days_from_deadline = models.IntegerField(_("days past the deadline"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)  # user ids, as notified
    notice_number = models.CharField(_("supervision notice"), max_length=20, blank=True)
    reply_due = models.DateField(_("reply due"), null=True, blank=True)
    # The co-department's part this rung chased (clock `part`), chased at its own department; else null.
    part = models.ForeignKey(
        CasePart, verbose_name=_("part"), null=True, blank=True, on_delete=models.PROTECT, related_name="escalations"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "clock", "level", "deadline"],
                condition=Q(part__isnull=True),
                name="escalation_once_per_deadline",
            ),
            # A case may have several parts due on the same day: each is chased once per level and date.
            models.UniqueConstraint(
                fields=["part", "level", "deadline"], condition=Q(part__isnull=False), name="escalation_once_per_part"
            ),
            models.UniqueConstraint(
                fields=["notice_number"], condition=~Q(notice_number=""), name="escalation_notice_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["created_at"], condition=~Q(notice_number=""), name="escalation_notices"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.clock} L{self.level} {self.deadline:%Y-%m-%d}"

    @property
    def label(self) -> str:
        return level_label(self.level)

    @property
    def days_overdue(self) -> int:
        return max(0, self.days_from_deadline)


class NoticeSequence(models.Model):
    """The last supervision notice number given out per year; taken in blocks by the sweep."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"

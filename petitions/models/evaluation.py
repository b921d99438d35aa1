"""Evaluations 评价 of a case's outcome: the one source of the satisfaction figures."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .case import Case, CasePetitioner
from .choices import Satisfaction


class Evaluation(models.Model):
    """One petitioner's (or a staff follow-up's) verdict on the outcome (T22 21 ¶2: 方便信访人评价).

    `entered_by` null: the petitioner gave it themselves online; otherwise the staff member who
    recorded what the petitioner said by phone, at a visit or in a letter (回访). A petitioner
    evaluates a case once online (unique per case and petitioner of the case); each callback
    (`Callback.evaluation`, one-to-one) adds at most one, about the outcome it followed up, so a
    re-handled case has one per delivered outcome.
    """

    class Source(models.TextChoices):
        ONLINE = "online", _("Online, by the petitioner")
        PHONE = "phone", _("Phone follow-up")
        VISIT = "visit", _("Visit")
        LETTER = "letter", _("Letter")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="evaluations")
    case_petitioner = models.ForeignKey(
        CasePetitioner,
        verbose_name=_("petitioner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    level = models.CharField(_("satisfaction"), max_length=16, choices=Satisfaction.choices)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "case_petitioner"],
                condition=Q(case_petitioner__isnull=False),
                name="evaluation_once_per_petitioner",
            ),
            models.CheckConstraint(
                condition=Q(entered_by__isnull=False) | Q(source="online"),
                name="evaluation_staff_or_online",
            ),
        ]
        indexes = [models.Index(fields=["case", "at"], name="evaluation_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.level} ({self.source})"

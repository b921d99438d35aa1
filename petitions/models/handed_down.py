"""Cases handed down from a higher authority (交办件), their interim reports and the report back."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .case import Case


def report_path(instance: "HandedDown", filename: str) -> str:
    return f"handed-down/{instance.case_id}/{filename}"


class HandedDown(models.Model):
    """The higher authority's order on a case: who, its reference, the date it set to report back by.

    The date `due` is the authority's, not a statutory clock: it is kept as set (a rest day does not
    move it) and the escalation ladder chases it (clock `handed_down`) until the report back
    (办结报告) is issued (`report_issued_at`). The issued PDF is kept as it was sent.
    """

    case = models.OneToOneField(
        Case, verbose_name=_("case"), primary_key=True, on_delete=models.PROTECT, related_name="handed_down"
    )
    authority = models.CharField(_("higher authority"), max_length=100)
    reference = models.CharField(_("authority's reference"), max_length=60)
    handed_down_on = models.DateField(_("handed down on"))
    due = models.DateField(_("report back by"))
    interim_reports_required = models.BooleanField(_("interim reports asked for"), default=False)
    interim_report_due = models.DateField(_("next interim report due"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    report_issued_at = models.DateTimeField(_("report back issued at"), null=True, blank=True)
    report_issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("report back issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    report_file = models.FileField(_("report back (PDF)"), upload_to=report_path, max_length=200, blank=True)
    report_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        ordering = ["due", "case_id"]
        verbose_name = _("handed-down case")
        verbose_name_plural = _("handed-down cases")
        constraints = [
            models.UniqueConstraint(fields=["authority", "reference"], name="handed_down_reference_unique"),
            models.CheckConstraint(condition=Q(due__gte=F("handed_down_on")), name="handed_down_due_after_start"),
            models.CheckConstraint(
                condition=Q(interim_reports_required=True) | Q(interim_report_due__isnull=True),
                name="handed_down_interim_due_only_if_required",
            ),
            models.CheckConstraint(
                condition=Q(report_issued_at__isnull=True) | ~Q(report_file=""),
                name="handed_down_issued_report_has_file",
            ),
        ]
        indexes = [
            # The sweep and the list: deadlines not yet reported on, by date.
            models.Index(fields=["due"], condition=Q(report_issued_at__isnull=True), name="handed_down_open_due"),
            models.Index(fields=["authority", "due"], name="handed_down_authority_due"),
            models.Index(fields=["recorded_at"], name="handed_down_recorded"),
            models.Index(fields=["report_issued_at"], name="handed_down_reported"),
        ]

    def __str__(self) -> str:
        return f"{self.authority} {self.reference}"


class InterimReport(models.Model):
    """阶段性报告: a progress report sent to the higher authority before the case is concluded."""

    handed_down = models.ForeignKey(
        HandedDown, verbose_name=_("handed-down case"), on_delete=models.PROTECT, related_name="interim_reports"
    )
    reported_on = models.DateField(_("reported on"))
    text = models.TextField(_("progress"), max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["reported_on", "id"]
        verbose_name = _("interim report")
        verbose_name_plural = _("interim reports")

    def __str__(self) -> str:
        return f"{self.handed_down_id} {self.reported_on:%Y-%m-%d}"

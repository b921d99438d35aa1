"""Reports (周报 and reports for any period) and the admin-editable texts of the case documents."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """The statistics of one period for one scope: the office (department empty) or one department.

    `snapshot` holds every figure the PDF and the CSV files show, so that a re-print shows the same
    numbers; `pdf` is rendered from it. One report per (period, scope): asking again reuses it.
    """

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("Weekly report")
        PERIOD = "period", _("Report for a period")
        PERFORMANCE = "performance", _("Monthly department performance (通报)")
        ANNUAL = "annual", _("Annual report (T22 41)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PERIOD)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to (inclusive)"))
    department = models.ForeignKey(
        "petitions.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        help_text=_("Empty for the whole office."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    snapshot = models.JSONField(_("figures"), null=True, blank=True, editable=False)
    pdf = models.FileField(_("PDF"), upload_to="reports/%Y/%m/", max_length=200, blank=True, editable=False)
    error = models.TextField(_("error"), blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the reports the scheduler makes."),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    generated_at = models.DateTimeField(_("made at"), null=True, blank=True, editable=False)
    # Bumped by every (re)generation: a task for an older request finds it superseded and stops.
    generation = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-period_end", "department__code", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        permissions = [
            ("view_office_reports", _("Can see the office's reports and every department's")),
            ("view_department_reports", _("Can see the reports of own department")),
            ("request_report", _("Can request and regenerate reports")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="report_period_ordered"),
            models.UniqueConstraint(
                fields=["kind", "period_start", "period_end", "department"],
                condition=Q(department__isnull=False),
                name="report_unique_department_period",
            ),
            models.UniqueConstraint(
                fields=["kind", "period_start", "period_end"],
                condition=Q(department__isnull=True),
                name="report_unique_office_period",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | (Q(snapshot__isnull=False) & ~Q(pdf="")),
                name="report_ready_has_snapshot_and_pdf",
            ),
        ]

    def __str__(self) -> str:
        scope = self.department.name if self.department_id else _("the whole office")
        return f"{self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d} {scope}"

    @property
    def file_stem(self) -> str:
        """The name of its files: report-… for the weekly and period reports (as always), else the kind."""
        stem = "report" if self.kind in (self.Kind.WEEKLY, self.Kind.PERIOD) else self.kind
        scope = self.department.code if self.department_id else "office"
        return f"{stem}-{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}-{scope}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)


class DocumentKind(models.TextChoices):
    """The printable documents of a case. Every one but the registration sheet and the report back
    goes to the petitioner."""

    REGISTRATION = "registration", _("Registration sheet")
    RECEIPT = "receipt", _("Receipt")
    ACCEPTANCE = "acceptance", _("Notice of acceptance")
    NON_ACCEPTANCE = "non_acceptance", _("Notice of non-acceptance")
    EXTENSION = "extension", _("Notice of extension")
    OPINION = "opinion", _("Written opinion")
    # To the higher authority that handed the case down (交办), not to the petitioner.
    REPORT_BACK = "report_back", _("Report on the handling (办结报告)")


class DocumentTemplate(models.Model):
    """What an admin may change on a kind of document: the sender, how to reach the office, the closing."""

    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices, unique=True)
    office_name = models.CharField(
        _("office name"),
        max_length=100,
        blank=True,
        help_text=_("Printed as the sender. Empty: the portal's office name."),
    )
    contact = models.TextField(
        _("contact"),
        max_length=500,
        blank=True,
        help_text=_("Address, telephone and office hours, printed at the foot of the document."),
    )
    closing_lines = models.TextField(
        _("closing lines"),
        max_length=2000,
        blank=True,
        help_text=_("Printed after the body, one paragraph per line. Empty: the standard closing."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def closing_paragraphs(self) -> list[str]:
        return [line.strip() for line in self.closing_lines.splitlines() if line.strip()]


class LeaderLiaison(models.Model):
    """A leader's liaison unit (定点联系): one department or one region (with every region under it).

    The leader's start page shows the unit's figures, and the top rung of the escalation ladder goes to
    the linked leader when a case of the unit has no owning leader (包案领导).
    """

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="liaison_units",
        limit_choices_to={"groups__name": "leader"},
    )
    department = models.ForeignKey(
        "petitions.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "petitions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The link covers every region under this one."),
    )
    since = models.DateField(_("since"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["leader_id", "department_id", "region_id"]
        verbose_name = _("leader liaison unit")
        verbose_name_plural = _("leader liaison units")
        constraints = [
            models.CheckConstraint(
                condition=(Q(department__isnull=False) & Q(region__isnull=True))
                | (Q(department__isnull=True) & Q(region__isnull=False)),
                name="liaison_one_unit",
            ),
            models.UniqueConstraint(
                fields=["leader", "department"], condition=Q(department__isnull=False), name="liaison_unique_department"
            ),
            models.UniqueConstraint(
                fields=["leader", "region"], condition=Q(region__isnull=False), name="liaison_unique_region"
            ),
        ]

    def __str__(self) -> str:
        unit = self.department if self.department_id else self.region
        return f"{self.leader} → {unit}"

"""Returns from units (信息报送): who reports, when returns are due, special periods, and the returns.

A return is about issues, never about people: it has no field for a petitioner's name, ID number or
phone (tests/information/test_returns_models.py checks the model).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions.models import Department, Region
from petitions.models.calendar import EditedInAdmin


class ReportingUnit(models.Model):
    """A department or a region (township) that sends returns, and the staff member who answers for them."""

    department = models.OneToOneField(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reporting_unit",
    )
    region = models.OneToOneField(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="reporting_unit"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        related_name="reporting_units",
        help_text=_("The staff member who sends the unit's returns and is reminded of them."),
    )
    reports_from = models.DateField(
        _("reports from"), default=timezone.localdate, help_text=_("The first day the unit owes returns for.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reporting unit")
        verbose_name_plural = _("reporting units")
        ordering = ["department__code", "region__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False, region__isnull=True)
                | Q(department__isnull=True, region__isnull=False),
                name="reporting_unit_department_or_region",
                violation_error_message=_("A reporting unit is either a department or a region."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return str(self.department or self.region)


class ReturnRule(EditedInAdmin):
    """When returns are due (rule data, one row): the weekly return's weekday, and the daily return's delay."""

    weekly_due_weekday = models.PositiveSmallIntegerField(
        _("weekly return due on"),
        default=4,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
        help_text=_("The day of the reported week (Monday to Sunday); on a rest day, the next working day."),
    )
    daily_due_days_after = models.PositiveSmallIntegerField(
        _("daily return due (days after the day)"),
        default=0,
        help_text=_("0: a daily return is due on the day it reports on."),
    )

    class Meta:
        verbose_name = _("return rule")
        verbose_name_plural = _("return rules")
        constraints = [
            models.CheckConstraint(condition=Q(weekly_due_weekday__lte=6), name="return_rule_weekday"),
            models.CheckConstraint(condition=Q(daily_due_days_after__lte=6), name="return_rule_daily_delay"),
        ]

    def __str__(self) -> str:
        return str(_("When returns are due"))


class SpecialPeriod(models.Model):
    """特殊时期: from `starts` to `ends` the units in scope send a return every day (零报告制度)."""

    name = models.CharField(_("name"), max_length=100)
    starts = models.DateField(_("starts"))
    ends = models.DateField(_("ends"))
    all_units = models.BooleanField(_("all units"), default=True)
    regions = models.ManyToManyField(
        Region,
        verbose_name=_("regions"),
        blank=True,
        related_name="+",
        help_text=_("Without “all units”: the units of these regions and of the regions under them."),
    )
    departments = models.ManyToManyField(Department, verbose_name=_("departments"), blank=True, related_name="+")
    every_day = models.BooleanField(
        _("rest days too"),
        default=True,
        help_text=_("Returns are due on rest days of the period as well (offices are staffed in special periods)."),
    )
    note = models.TextField(_("note"), blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        verbose_name = _("special period")
        verbose_name_plural = _("special periods")
        ordering = ["-starts", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gte=models.F("starts")),
                name="special_period_ends_after_start",
                violation_error_message=_("A special period ends on or after the day it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts:%Y-%m-%d} – {self.ends:%Y-%m-%d})"


class ReturnKind(models.TextChoices):
    WEEKLY = "weekly", _("weekly")
    DAILY = "daily", _("daily")


CONTENT_FIELDS = (
    "new_disputes",
    "expected_visits",
    "expected_visitors",
    "expected_visit_date",
    "risks",
    "actions_taken",
)


def _no_content() -> Q:
    return (
        Q(new_disputes="")
        & Q(expected_visits="")
        & Q(expected_visitors__isnull=True)
        & Q(expected_visit_date__isnull=True)
        & Q(risks="")
        & Q(actions_taken="")
    )


class UnitReturn(models.Model):
    """One unit's return for one period: what it found, or its zero report (本期无情况). Never changed."""

    unit = models.ForeignKey(ReportingUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="returns")
    kind = models.CharField(_("kind"), max_length=10, choices=ReturnKind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due = models.DateField(_("due"))
    special_period = models.ForeignKey(
        SpecialPeriod,
        verbose_name=_("special period"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="returns",
    )
    is_zero = models.BooleanField(_("zero report"), default=False)
    new_disputes = models.TextField(_("new disputes and incidents found"), blank=True)
    expected_visits = models.TextField(
        _("collective visits expected: about what"),
        blank=True,
        help_text=_("The issue and the group (e.g. the residents of an estate), never names or ID numbers."),
    )
    expected_visitors = models.PositiveIntegerField(_("collective visits expected: people"), null=True, blank=True)
    expected_visit_date = models.DateField(_("collective visits expected: when"), null=True, blank=True)
    risks = models.TextField(_("risks"), blank=True)
    actions_taken = models.TextField(_("what was done"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    is_late = models.BooleanField(_("late"), default=False)

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-period_start", "unit_id"]
        permissions = [("view_all_returns", _("Can see every unit's returns and the late list"))]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "period_start"],
                name="unit_return_once_per_period",
                violation_error_message=_("This unit has already sent its return for this period."),
            ),
            models.CheckConstraint(
                condition=(Q(is_zero=True) & _no_content()) | (Q(is_zero=False) & ~_no_content()),
                name="unit_return_zero_or_content",
                violation_error_message=_("A return is either a zero report or says what was found, not both."),
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="unit_return_period"),
        ]
        indexes = [models.Index(fields=["period_start", "period_end"], name="unit_return_period_idx")]

    def __str__(self) -> str:
        return f"{self.unit} {self.kind} {self.period_start:%Y-%m-%d}"


class ReturnChase(models.Model):
    """One rung of the escalation ladder fired for one owed return. Never changed, never deleted.

    Unique per (unit, kind, period, level, due): a repeated or concurrent chase fires a rung once."""

    unit = models.ForeignKey(ReportingUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="chases")
    kind = models.CharField(_("kind"), max_length=10, choices=ReturnKind.choices)
    period_start = models.DateField(_("period from"))
    due = models.DateField(_("due"))
    level = models.PositiveSmallIntegerField(_("level"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)

    class Meta:
        verbose_name = _("return reminder")
        verbose_name_plural = _("return reminders")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "period_start", "due", "level"], name="return_chase_once_per_rung"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_start:%Y-%m-%d} L{self.level}"

"""The statutory clocks as data: deadline rules, the administrators' calendar entries (by hand, or
imported from the State Council's holiday notice), and the record of each recomputation of open
cases' deadlines after the calendar changed."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import MAX_EXTENSION_DAYS, STATUTORY_CLOCKS, Clock


class EditedInAdmin(models.Model):
    """Rules and calendar entries administrators keep: who changed them last, and when."""

    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


class DeadlineRule(EditedInAdmin):
    """How long one clock runs. A change applies to clocks started after it; running deadlines stand."""

    clock = models.CharField(
        _("deadline"), max_length=20, choices=[(c, Clock(c).label) for c in STATUTORY_CLOCKS], primary_key=True
    )
    days = models.PositiveSmallIntegerField(
        _("days"),
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("Day 1 is the day after the start. A change applies to deadlines set after it."),
    )
    working_days = models.BooleanField(
        _("working days"),
        default=False,
        help_text=_(
            "Count working days only. Otherwise calendar days, and a deadline on a rest day moves to the "
            "next working day."
        ),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        ordering = ["clock"]
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=1),
                name="deadline_rule_days_positive",
                violation_error_message=_("A deadline is at least 1 day."),
            ),
            # T22 art. 34: an extension is at most 30 days; the rule may only be stricter.
            models.CheckConstraint(
                condition=~Q(clock=Clock.EXTENSION) | Q(days__lte=MAX_EXTENSION_DAYS, working_days=False),
                name="deadline_rule_extension_at_most_30_days",
                violation_error_message=_("An extension is at most 30 calendar days (T22 art. 34)."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_clock_display())


class CalendarOverride(EditedInAdmin):
    """One day whose status an administrator sets: a rest day, or an adjusted working day (调休上班).

    Wins over the official schedule; for a year the calendar package does not know, enter that year's
    official schedule here. Saving or deleting one recomputes the deadlines of open cases.
    """

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"),
        default=False,
        help_text=_("Ticked: people work that day (an adjusted working day). Not ticked: a rest day."),
    )
    name = models.CharField(
        _("holiday name"), max_length=50, blank=True, help_text=_("For example 春节 or 国庆节调休上班.")
    )
    note = models.CharField(_("source"), max_length=200, blank=True, help_text=_("The notice this comes from."))
    notice = models.ForeignKey(
        "HolidayNoticeImport",
        verbose_name=_("imported from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="days",
        help_text=_("The import of the State Council's notice that entered this day; empty for a day entered by hand."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}".strip()


class CalendarYear(EditedInAdmin):
    """Whether a year's official schedule has been entered as calendar days by the administrators."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True, validators=[MinValueValidator(2000)])
    schedule_entered = models.BooleanField(
        _("official schedule entered"),
        default=False,
        help_text=_("Tick once every official rest day and adjusted working day of the year is entered."),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("For example the State Council's notice on the year's holidays."),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class HolidayNoticeImport(models.Model):
    """One confirmed import of the State Council's holiday notice: the text as pasted, who confirmed it,
    and what it changed. The calendar days it entered point here; the days it changed or removed are
    kept in `replaced` as they were."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    source = models.CharField(_("source"), max_length=200)
    text = models.TextField(_("notice text"))
    digest = models.CharField(_("digest"), max_length=64, help_text=_("Of the text as read and previewed."))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported"))
    days_added = models.PositiveSmallIntegerField(_("days added"), default=0)
    days_changed = models.PositiveSmallIntegerField(_("days changed"), default=0)
    days_removed = models.PositiveSmallIntegerField(_("days removed"), default=0)
    replaced = models.JSONField(
        _("replaced calendar days"),
        default=list,
        blank=True,
        help_text=_("The calendar days this import changed or removed, as they were before it."),
    )

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("holiday notice import")
        verbose_name_plural = _("holiday notice imports")

    def __str__(self) -> str:
        return f"{self.source} ({self.imported_at:%Y-%m-%d %H:%M})"


class DeadlineRecomputation(models.Model):
    """One run over the open cases after the calendar changed (an override, or a new calendar package)."""

    fingerprint = models.CharField(_("calendar fingerprint"), max_length=64)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    cases_checked = models.PositiveIntegerField(_("cases checked"), default=0)
    cases_changed = models.PositiveIntegerField(_("cases changed"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("deadline recomputation")
        verbose_name_plural = _("deadline recomputations")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.cases_changed}/{self.cases_checked}"

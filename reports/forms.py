from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions.clocks.date_windows import EARLIEST_RECORD_DATE, record_date_error
from petitions.models import Department
from petitions.web.forms import RecordDateField
from reports.selectors import previous_week


class ReportRequestForm(forms.Form):
    # reports.services.validate_period checks the window again; the fields show it beside them, at once.
    start = RecordDateField(label=_("From"))
    end = RecordDateField(label=_("To (inclusive)"))
    department = forms.ModelChoiceField(
        label=_("Scope"),
        queryset=Department.objects.filter(is_active=True).order_by("code"),
        required=False,
        empty_label=_("The whole office"),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {})
        week = previous_week(timezone.localdate())
        kwargs["initial"].setdefault("start", week.start)
        kwargs["initial"].setdefault("end", week.end)
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period ends before it starts."))
        return cleaned


class MonthForm(forms.Form):
    """A calendar month (YYYY-MM): the performance page and its bulletin."""

    month = forms.CharField(
        label=_("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "pattern": r"\d{4}-\d{2}"}),
    )

    def clean_month(self) -> date:
        value = self.cleaned_data["month"].strip()
        try:
            year, month = (int(part) for part in value.split("-"))
            first = date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-11."), code="invalid") from None
        if error := record_date_error(first):
            raise forms.ValidationError(error, code="outside_window")
        return first


class YearForm(forms.Form):
    """A calendar year: the annual report."""

    year = forms.IntegerField(label=_("Year"), min_value=EARLIEST_RECORD_DATE.year)

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("The year has not started yet."), code="future")
        return year

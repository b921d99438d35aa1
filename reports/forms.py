from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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

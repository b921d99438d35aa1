from django import forms
from django.utils.translation import gettext_lazy as _

from information.models import CONTENT_FIELDS, ReturnKind, UnitReturn
from petitions.web.forms import RecordDateField


class PeriodFields(forms.Form):
    """Which owed return: the unit, the kind and the period's first day (hidden, from the page)."""

    unit = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=ReturnKind.choices, widget=forms.HiddenInput)
    period_start = RecordDateField(widget=forms.HiddenInput)


class ReturnForm(PeriodFields, forms.ModelForm):
    expected_visit_date = RecordDateField(label=_("Collective visits expected: when"), required=False)

    class Meta:
        model = UnitReturn
        fields = list(CONTENT_FIELDS)
        widgets = {
            "new_disputes": forms.Textarea(attrs={"rows": 3}),
            "expected_visits": forms.Textarea(attrs={"rows": 2}),
            "risks": forms.Textarea(attrs={"rows": 2}),
            "actions_taken": forms.Textarea(attrs={"rows": 3}),
        }

    def content(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}

    def _post_clean(self) -> None:
        """The service checks the return as a whole (zero or content, once per period): no model validation here."""


class WeekForm(forms.Form):
    week = RecordDateField(label=_("Week of"), required=False)

"""Forms of supervision: they clean input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from petitions.models import Department
from petitions.web.forms import MultipleFileField
from supervision.models import Mode, Trigger

_YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class MatterOpenForm(forms.Form):
    trigger = forms.ModelChoiceField(label=_("Trigger"), queryset=Trigger.objects.filter(is_active=True))
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices)
    instructions = forms.CharField(
        label=_("Supervision instructions"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )


class ReplyForm(VersionForm):
    text = forms.CharField(label=_("Written reply"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    files = MultipleFileField(label=_("Attachments"), required=False)


class AssessForm(VersionForm):
    accepted = forms.TypedChoiceField(
        label=_("Is the reply accepted?"),
        choices=[("yes", _("Accept the reply")), ("no", _("Not accepted: supervise further"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )


class RecommendationForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.order_by("name"))
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    grounds = forms.CharField(
        label=_("The pattern it rests on"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )
    cases = forms.CharField(
        label=_("Case numbers"), required=False, max_length=2000, help_text=_("Separated by spaces or commas.")
    )

    def clean_cases(self) -> list[str]:
        return [part for part in self.cleaned_data["cases"].replace(",", " ").replace("，", " ").split() if part]


class AnswerForm(VersionForm):
    text = forms.CharField(label=_("Written answer"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    adopted = forms.TypedChoiceField(
        label=_("Adopted?"), choices=_YES_NO, coerce=lambda value: value == "yes", widget=forms.RadioSelect
    )


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The period ends before it starts."))
        if (start and start.year < 2000) or (end and end.year > 2100):
            raise forms.ValidationError(_("Choose a period between 2000 and 2100."))
        return data

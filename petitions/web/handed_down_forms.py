"""Forms of cases handed down from a higher authority (交办件): at intake, later, interim reports."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions.services.higher_authority import HandedDownData, validate_handed_down_data
from petitions.web.forms import DateInput, RecordDateField, VersionedForm

ORDER_FIELDS = ("authority", "reference", "handed_down_on", "due", "interim_reports_required", "interim_report_due")


class _OrderFields(forms.Form):
    authority = forms.CharField(label=_("Higher authority"), max_length=100, required=False)
    reference = forms.CharField(label=_("Authority's reference"), max_length=60, required=False)
    handed_down_on = RecordDateField(label=_("Handed down on"), required=False)
    due = RecordDateField(label=_("Report back by"), required=False)
    interim_reports_required = forms.BooleanField(label=_("Interim reports asked for"), required=False)
    interim_report_due = RecordDateField(label=_("First interim report due"), required=False)

    def _clean_order(self, cleaned: dict) -> None:
        """Every field of the order is given, and the service's rules hold (shown beside the fields)."""
        missing = False
        for name in ("authority", "reference", "handed_down_on", "due"):
            if name in cleaned and not cleaned.get(name) and name not in self.errors:
                self.add_error(name, _("This field is required."))
                missing = True
        if missing or any(name in self.errors for name in ORDER_FIELDS):
            return
        for field, messages in validate_handed_down_data(self.order_data()).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)

    def order_data(self) -> HandedDownData:
        cleaned = self.cleaned_data
        return HandedDownData(
            authority=cleaned["authority"],
            reference=cleaned["reference"],
            handed_down_on=cleaned["handed_down_on"],
            due=cleaned["due"],
            interim_reports_required=cleaned.get("interim_reports_required", False),
            interim_report_due=cleaned.get("interim_report_due"),
        )


class IntakeHandedDownForm(_OrderFields):
    """The intake page's optional part: the order, when the case came from a higher authority."""

    is_handed_down = forms.BooleanField(label=_("Handed down by a higher authority (交办件)"), required=False)

    field_order = ["is_handed_down", *ORDER_FIELDS]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("is_handed_down"):
            self._clean_order(cleaned)
        return cleaned

    @property
    def handed_down(self) -> bool:
        return bool(self.cleaned_data.get("is_handed_down"))


class HandedDownForm(_OrderFields, VersionedForm):
    """A supervisor records later that a registered case was handed down."""

    field_order = [*ORDER_FIELDS]

    def clean(self) -> dict:
        cleaned = super().clean()
        self._clean_order(cleaned)
        return cleaned


class InterimReportForm(VersionedForm):
    reported_on = forms.DateField(label=_("Reported on"), widget=DateInput)
    text = forms.CharField(label=_("Progress reported"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    next_due = RecordDateField(label=_("Next interim report due"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].initial = timezone.localdate()

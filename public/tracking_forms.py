"""The forms of the petitioner's tracking pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from petitions.models import Satisfaction
from petitions.services.attachments import validate_upload
from petitions.web.forms import MultipleFileField

MAX_MATERIAL_FILES = 5


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code (查询码)"),
        max_length=40,
        help_text=_("The 12 characters on your receipt; spaces and dashes do not matter."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    factor = forms.CharField(
        label=_("Last 4 digits of your phone number or ID number"),
        min_length=4,
        max_length=8,
        help_text=_("Of the phone or ID number given when the petition was registered."),
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )


class MaterialForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    files = MultipleFileField(label=_("Files (PDF, pictures, documents)"), required=False)

    def clean_files(self) -> list:
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_MATERIAL_FILES:
            raise ValidationError(_("At most %(max)d files at a time.") % {"max": MAX_MATERIAL_FILES})
        for upload in files:
            validate_upload(upload)
        return files

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not (data.get("message") or "").strip() and not data.get("files"):
            raise ValidationError(_("Write a message or add a file."))
        return data


class EvaluationForm(forms.Form):
    level = forms.ChoiceField(label=_("How satisfied are you?"), choices=Satisfaction.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReviewRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you ask for a review?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )

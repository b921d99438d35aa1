"""The online submission form (网上信访): what a petitioner types, cleaned as intake cleans it."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from petitions.identifiers import normalise_id_number, normalise_phone
from petitions.models import MAX_REPRESENTATIVES, LegalType, Purpose, Region
from petitions.selectors.reference_rows import active_categories
from petitions.web.forms import MultipleFileField, RegionChoiceField
from public.selectors import grouped_categories

# The legal types in plain words: what a petitioner can tell about their own matter.
PLAIN_LEGAL_TYPES = [
    (LegalType.CLAIM, _("I ask for a problem of mine to be solved, or appeal against a decision")),
    (LegalType.SUGGESTION, _("I make a suggestion or give an opinion")),
    (LegalType.ACCUSATION, _("I report misconduct or law-breaking by an official or a body")),
    (LegalType.LITIGATION, _("It concerns a court case, arbitration or a prosecutor's decision")),
]
PLAIN_PURPOSES = [
    (Purpose.REQUEST, _("Ask for a solution")),
    (Purpose.APPEAL, _("Appeal against a decision")),
    (Purpose.DISCLOSURE, _("Disclose or accuse")),
    (Purpose.SUGGESTION, _("Give an opinion or suggestion")),
    (Purpose.OTHER, _("Something else")),
]
MAX_CO_PETITIONERS = MAX_REPRESENTATIVES - 1


def category_choices() -> list:
    return [("", "—"), *grouped_categories()]


def clean_id_number(raw: str, *, required: bool) -> str:
    if not raw.strip():
        if required:
            raise ValidationError(_("Enter your resident ID number."), code="required")
        return ""
    return normalise_id_number(raw)


class CategoryGroupField(forms.TypedChoiceField):
    """The content category from a list grouped by top category; cleaned to the Category."""

    def __init__(self, **kwargs) -> None:
        super().__init__(coerce=int, empty_value=None, **kwargs)

    def valid_value(self, value) -> bool:
        return True  # checked against the table by clean(); the list is read only to draw the page

    def clean(self, value):
        pk = super().clean(value)
        in_range = pk is not None and 0 < pk < 2**63
        category = active_categories().get(pk) if in_range else None
        if category is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return category


class SubmissionForm(forms.Form):
    # The petitioner.
    name = forms.CharField(label=_("Your name"), max_length=50)
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
        help_text=_("18 characters (or the 15 digits of an old card)."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("A mobile number, or a landline with its area code: we call you if we need to."),
    )
    address = forms.CharField(
        label=_("Postal address"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "street-address"})
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    confidential = forms.BooleanField(
        label=_("Keep my identity confidential (not shown to the unit complained about or the handling department)"),
        required=False,
    )
    # The matter.
    purpose = forms.ChoiceField(label=_("What do you want?"), choices=[("", "—"), *PLAIN_PURPOSES])
    legal_type = forms.ChoiceField(
        label=_("What kind of matter is it?"),
        choices=PLAIN_LEGAL_TYPES,
        widget=forms.RadioSelect,
        help_text=_("Court cases, arbitration and prosecutors' decisions go to the courts and procuratorates."),
    )
    category = CategoryGroupField(label=_("What is it about?"))
    region = RegionChoiceField(label=_("Where did it happen?"), queryset=Region.objects.all(), empty_label="—")
    complained_unit = forms.CharField(label=_("Unit complained about (if any)"), required=False, max_length=200)
    summary = forms.CharField(
        label=_("Your matter in a few sentences"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    request = forms.CharField(label=_("What you ask for"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    facts = forms.CharField(
        label=_("Facts and reasons"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    headcount = forms.IntegerField(
        label=_("How many people bring this matter?"),
        min_value=1,
        max_value=100_000,
        initial=1,
        help_text=_("Five or more make a collective matter: name up to four representatives besides you below."),
    )
    attachments = MultipleFileField(label=_("Attachments (optional)"), required=False)
    consent = forms.BooleanField(
        label=_("I have read how my information is used, and agree."),
        error_messages={"required": _("Please confirm that you have read how your information is used.")},
    )
    # Not for people: hidden by the style sheet. A robot filling every field fills this one too.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)
    token = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices  # read when the page is drawn, not to check
        self.fields["attachments"].help_text = _(
            "At most %(count)d files: PDF, photos or documents (%(kinds)s), each up to %(size)d MB."
        ) % {
            "count": settings.PUBLIC_MAX_ATTACHMENTS,
            "kinds": ", ".join(settings.ATTACHMENT_ALLOWED_TYPES),
            "size": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
        }
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_id_number(self) -> str:
        return clean_id_number(self.cleaned_data["id_number"], required=True)

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    def clean_attachments(self) -> list:
        files = self.cleaned_data["attachments"]
        if len(files) > settings.PUBLIC_MAX_ATTACHMENTS:
            raise ValidationError(
                _("At most %(count)d files can be attached.") % {"count": settings.PUBLIC_MAX_ATTACHMENTS},
                code="too_many",
            )
        return files

    def clean(self):
        data = super().clean()
        if data.get("website"):
            self.add_error(None, _("The field “Leave this field empty” must stay empty: clear it and send again."))
        return data


class CoPetitionerForm(forms.Form):
    """A representative of a collective matter besides the petitioner (T22 art. 20: five at most)."""

    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )

    def clean_id_number(self) -> str:
        return clean_id_number(self.cleaned_data["id_number"], required=False)

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        return normalise_phone(raw) if raw.strip() else ""

    def clean(self):
        data = super().clean()
        if self.has_changed() and not (data.get("name") or "").strip() and not self.errors:
            self.add_error("name", _("Enter the person's name."))
        return data


CoPetitionerFormSet = forms.formset_factory(
    CoPetitionerForm,
    extra=MAX_CO_PETITIONERS,
    max_num=MAX_CO_PETITIONERS,
    absolute_max=MAX_CO_PETITIONERS,
    validate_max=True,
)


class CaptchaForm(forms.Form):
    captcha = forms.CharField(
        label=_("The sum shown in the picture"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

"""Forms clean and convert input; the rules about cases live in the services they feed."""

import re
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions.clocks.date_windows import record_date_error
from petitions.identifiers import normalise_id_number, normalise_phone
from petitions.models import (
    MAX_EXTENSION_DAYS,
    MAX_REPRESENTATIVES,
    Attachment,
    Case,
    Category,
    Channel,
    Department,
    Evaluation,
    LegalType,
    Outcome,
    Petitioner,
    Purpose,
    ReceptionSession,
    Region,
    Satisfaction,
    User,
)
from petitions.selectors import reference_rows
from petitions.selectors.cases import default_department_for, handlers_of, leaders
from petitions.services.bulk_actions import MAX_BULK_CASES, Selected
from petitions.services.intake import RecordChoice
from petitions.web.widget_html import FAST_WIDGETS

_RECORD_ID = re.compile(r"[0-9]{1,18}")  # a positive bigint; ASCII digits only ("²".isdigit() is true)


def record_id(value: object) -> int | None:
    """A record's key as sent by a page (a hidden field, a radio), or None when it cannot be one."""
    text = str(value)
    return int(text) if _RECORD_ID.fullmatch(text) else None


class PortalFormRenderer(TemplatesSetting):
    """Every field drawn the same way: label, help and errors tied to the input for screen readers.

    The common widgets are drawn in Python (petitions.web.widget_html), with the same HTML as their
    templates, because list pages draw hundreds of options.
    """

    field_template_name = "forms/field.html"

    def render(self, template_name, context, request=None):
        fast = FAST_WIDGETS.get(template_name)
        if fast is not None:
            return fast(context)
        return super().render(template_name, context, request=request)


class LoginForm(AuthenticationForm):
    """Django's login form with the user name's length checked: its own only sets the attribute, so
    a longer name reached django-axes, whose table refuses it (a 500 instead of an answer)."""

    username = UsernameField(
        max_length=User._meta.get_field("username").max_length,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RecordDateField(forms.DateField):
    """A date of the records (a report period, a list filter, a calendar day): within the window of
    petitions.clocks.date_windows.record_date_error."""

    widget = DateInput

    def validate(self, value) -> None:
        super().validate(value)
        if value is not None and (error := record_date_error(value)):
            raise ValidationError(error, code="outside_window")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class KeptChoiceField(forms.ModelChoiceField):
    """A reference row cleaned from the kept rows (petitions.selectors.reference_rows), not by a query; the
    queryset still draws the list. `rows()` holds exactly the rows the queryset offers."""

    @staticmethod
    def rows() -> dict:
        raise NotImplementedError

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            row = self.rows().get(int(str(value)))
        except (TypeError, ValueError):  # not a number, or one of more digits than int() reads
            row = None
        if row is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return row


class CategoryChoiceField(KeptChoiceField):
    """Of the active categories (its queryset's)."""

    rows = staticmethod(reference_rows.active_categories)

    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.code} {'　' if obj.parent_id else ''}{obj.name}"


class RegionChoiceField(KeptChoiceField):
    """Of all regions (its queryset's)."""

    rows = staticmethod(partial(reference_rows.kept_rows, Region))

    def label_from_instance(self, obj: Region) -> str:
        return f"{'　' * (obj.level - 1)}{obj.name}"


class VersionedForm(forms.Form):
    """Carries the case version the user saw, so that a stale form is refused, not applied."""

    version = forms.IntegerField(widget=forms.HiddenInput)


# --- Intake -----------------------------------------------------------------------------------


class IntakeForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, widget=forms.RadioSelect, initial=Channel.VISIT
    )
    received_at = forms.DateTimeField(label=_("Received at"), widget=DateTimeInput)
    reception_session = forms.ModelChoiceField(
        label=_("Reception session"),
        required=False,
        queryset=ReceptionSession.objects.none(),
        help_text=_("Only for visits received by a leader on a reception day."),
    )
    headcount = forms.IntegerField(
        label=_("Number of people"),
        min_value=1,
        max_value=100_000,
        initial=1,
        help_text=_("Five or more make a collective visit."),
    )
    letter_date = forms.DateField(label=_("Date on the letter"), required=False, widget=DateInput)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    legal_type = forms.ChoiceField(label=_("Legal type"), choices=LegalType.choices, initial=LegalType.CLAIM)
    category = CategoryChoiceField(label=_("Category"), queryset=Category.objects.filter(is_active=True))
    region = RegionChoiceField(label=_("Region"), queryset=Region.objects.all())
    complained_unit = forms.CharField(label=_("Unit complained about"), required=False, max_length=200)
    skip_level = forms.BooleanField(label=_("Skip-level (bypassed the lower level)"), required=False)
    summary = forms.CharField(label=_("Summary"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    request = forms.CharField(label=_("Request"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    facts = forms.CharField(
        label=_("Facts and reasons"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultipleFileField(label=_("Attachments (scanned letter, photos, documents)"), required=False)
    repeat_of = forms.ModelChoiceField(queryset=Case.objects.all(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["reception_session"].queryset = ReceptionSession.objects.filter(
            date__gte=today - timedelta(days=7), date__lte=today
        ).select_related("leader")
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


# A person on record is linked only if the repeat look-up offered them to this clerk: the panel's
# choice carries a signed token, not a bare key that could name anyone in the table.
PERSON_OFFER_SALT = "petitions.intake.person-offer"
PERSON_OFFER_MAX_AGE = 12 * 60 * 60  # seconds; an intake form is not left open longer


def person_offer(*, user: User, person_pk: int) -> str:
    """The value of the look-up panel's choice of `person_pk`, good for `user` only."""
    return signing.dumps([person_pk, user.pk], salt=PERSON_OFFER_SALT)


def offered_person_pk(*, user: User, offer: str) -> int | None:
    """The person an offer names, if it was made to `user` and is recent; otherwise None."""
    try:
        person_pk, user_pk = signing.loads(offer, salt=PERSON_OFFER_SALT, max_age=PERSON_OFFER_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if user_pk != user.pk or not isinstance(person_pk, int):
        return None
    return person_pk


class PetitionerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=Petitioner.Gender.choices, required=False)
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    confidential = forms.BooleanField(label=_("Keep identity confidential"), required=False)
    # The look-up panel's choice (a signed offer, see person_offer); cleaned to the person's key.
    known_person = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
    record_choice = forms.ChoiceField(
        label=_("The details typed differ from the record"),
        choices=RecordChoice.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user: User | None = None, main: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.main = main
        if main:
            # The main petitioner is always named, also when picked from the record.
            self.fields["name"].required = True
            self.fields["name"].error_messages["required"] = _("Enter the main petitioner's name.")

    def clean_id_number(self) -> str:
        raw = self.cleaned_data["id_number"]
        return normalise_id_number(raw) if raw.strip() else ""

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        return normalise_phone(raw) if raw.strip() else ""

    def clean_known_person(self) -> int | None:
        offer = self.cleaned_data["known_person"].strip()
        if not offer:
            return None
        person_pk = offered_person_pk(user=self.user, offer=offer) if self.user is not None else None
        if person_pk is None:
            raise ValidationError(
                _("The person picked from the record could not be confirmed: type the ID number or phone again."),
                code="offer",
            )
        return person_pk

    def clean(self):
        data = super().clean()
        if not self.main and self.has_changed() and not data.get("name", "").strip():
            self.add_error("name", _("Enter the person's name."))
        return data


class BasePetitionerFormSet(forms.BaseFormSet):
    def __init__(self, *args, user: User | None = None, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "user": self.user, "main": index == 0}

    def clean(self) -> None:
        if any(self.errors):
            return
        if not any(form.cleaned_data.get("name") for form in self.forms):
            raise ValidationError(_("Name at least one petitioner."))


PetitionerFormSet = forms.formset_factory(
    PetitionerForm,
    formset=BasePetitionerFormSet,
    extra=MAX_REPRESENTATIVES - 1,
    min_num=1,
    max_num=MAX_REPRESENTATIVES,
    absolute_max=MAX_REPRESENTATIVES,
    validate_max=True,
)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Attachment.Kind.choices)
    file = forms.FileField(label=_("File"))


class ReceptionSessionForm(forms.Form):
    """The plan of a reception session as typed; petitions.services.reception checks and saves it."""

    leader = forms.ModelChoiceField(label=_("Leader"), queryset=User.objects.none())
    date = forms.DateField(label=_("Date"), widget=DateInput)
    place = forms.CharField(label=_("Place"), max_length=ReceptionSession._meta.get_field("place").max_length)
    topic = forms.CharField(
        label=_("Topic"), required=False, max_length=ReceptionSession._meta.get_field("topic").max_length
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders()


# --- Case actions ------------------------------------------------------------------------------


class AcceptForm(VersionedForm):
    department = forms.ModelChoiceField(
        label=_("Route to department"), queryset=Department.objects.filter(is_active=True)
    )
    note = forms.CharField(
        label=_("Note to the department"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # 谁主管谁负责: propose the category's default department.
        proposed = default_department_for(case.category)
        self.fields["department"].initial = proposed.pk if proposed else None


class ReasonForm(VersionedForm):
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Internal note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seen by staff only; never printed for the petitioner."),
    )


class AssignHandlerForm(VersionedForm):
    handler = forms.ModelChoiceField(label=_("Handler"), queryset=User.objects.none())
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers_of(case.department)


class ExtensionForm(VersionedForm):
    days = forms.IntegerField(
        label=_("Extra days"), min_value=1, max_value=MAX_EXTENSION_DAYS, initial=MAX_EXTENSION_DAYS
    )
    reason = forms.CharField(
        label=_("Reason (the petitioner is told)"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if case.extension_requested_days:
            self.fields["days"].initial = case.extension_requested_days
            self.fields["reason"].initial = case.extension_request_reason


class HandleForm(VersionedForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    outcome_text = forms.CharField(
        label=_("Written opinion (处理意见书)"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeliveryForm(VersionedForm):
    delivered_on = forms.DateField(label=_("Delivered to the petitioner on"), widget=DateInput)
    note = forms.CharField(label=_("How it was delivered"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delivered_on"].initial = timezone.localdate()


class ReviewForm(VersionedForm):
    requested_on = forms.DateField(label=_("Review requested on"), widget=DateInput)
    note = forms.CharField(
        label=_("What the petitioner disputes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requested_on"].initial = timezone.localdate()


class CloseForm(VersionedForm):
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"), required=False, choices=[("", _("not asked yet")), *Satisfaction.choices]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class FollowUpForm(VersionedForm):
    satisfaction = forms.ChoiceField(label=_("Satisfaction"), choices=Satisfaction.choices)
    source = forms.ChoiceField(
        label=_("Asked by"),
        choices=[(value, label) for value, label in Evaluation.Source.choices if value != Evaluation.Source.ONLINE],
        initial=Evaluation.Source.PHONE,
    )
    note = forms.CharField(
        label=_("Follow-up notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OwnerForm(VersionedForm):
    leader = forms.ModelChoiceField(
        label=_("Owning leader"),
        required=False,
        queryset=User.objects.none(),
        help_text=_("Leave empty to remove the owning leader."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders()
        self.fields["leader"].initial = case.owning_leader_id


# --- Bulk actions in the lists ---------------------------------------------------------------------


class SelectedCasesField(forms.Field):
    """The cases ticked in a list, each sent as "<id>:<version>" (the version the list showed)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Select at least one case."),
        "invalid": _("The selection could not be read; reload the list and select again."),
        "too_many": _("Select at most %(max)d cases at a time."),
    }

    def to_python(self, value) -> list[Selected]:
        selected: dict[int, Selected] = {}
        for item in value or []:
            raw_id, _sep, raw_version = str(item).partition(":")
            case_id, version = record_id(raw_id), record_id(raw_version) if raw_version else None
            if case_id is None or (raw_version and version is None):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            selected[case_id] = Selected(case_id, version)
        if len(selected) > MAX_BULK_CASES:
            raise ValidationError(self.error_messages["too_many"], code="too_many", params={"max": MAX_BULK_CASES})
        return list(selected.values())

    def validate(self, value: list[Selected]) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class BulkForm(forms.Form):
    """The list pages draw a bulk form beside the filters, which have fields of the same names
    (department, handler): the bulk fields' ids carry "bulk" so that each label finds its own field.
    The names stay as they are."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "id_bulk_%s")
        super().__init__(*args, **kwargs)


class BulkAcceptForm(BulkForm):
    cases = SelectedCasesField()
    department = forms.TypedChoiceField(label=_("Route to department"), coerce=int, required=False, empty_value=None)
    note = forms.CharField(label=_("Note to the department"), required=False, max_length=2000)

    def __init__(self, *args, departments, **kwargs) -> None:
        """`departments`: the active ones as (id, name) — a callable, so a list shown without the form reads none."""
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = lambda: [
            ("", _("Each case's default department (by category)")),
            *departments(),
        ]

    def clean_department(self) -> Department | None:
        pk = self.cleaned_data["department"]
        return None if pk is None else Department.objects.get(pk=pk)


class BulkAssignForm(BulkForm):
    cases = SelectedCasesField()
    handler = forms.TypedChoiceField(label=_("Handler"), coerce=int)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, handlers: Callable[[], list[tuple[int, str]]], **kwargs) -> None:
        """`handlers` gives the department's handlers as (id, name) when the form is drawn or checked."""
        super().__init__(*args, **kwargs)
        self.fields["handler"].choices = lambda: [("", "---------"), *handlers()]

    def clean_handler(self) -> User:
        return User.objects.get(pk=self.cleaned_data["handler"])

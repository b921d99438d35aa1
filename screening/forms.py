"""The forms of the register, the topics and the meetings: they clean input; services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from petitions.models import Category, Department, Region, User
from petitions.web.forms import RecordDateField
from screening import selectors
from screening.models import Campaign, DecisionStatus, Entry, IssueKind, Risk, Status, Topic


def _departments():
    return Department.objects.order_by("code")


class EntryForm(forms.ModelForm):
    found_on = RecordDateField(label=_("found on"))
    deadline = RecordDateField(
        label=_("resolve by"), help_text=_("A rest day moves to the next working day, as statutory deadlines do.")
    )

    class Meta:
        model = Entry
        fields = [
            "campaign",
            "found_on",
            "region",
            "kind",
            "title",
            "description",
            "organisations",
            "households",
            "amount",
            "risk",
            "department",
            "leader",
            "plan",
            "deadline",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "organisations": forms.Textarea(attrs={"rows": 2}),
            "plan": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = IssueKind.objects.filter(is_active=True)
        self.fields["department"].queryset = _departments()
        self.fields["leader"].queryset = selectors.leaders()
        self.fields["region"].queryset = Region.objects.order_by("code")
        self.fields["campaign"].queryset = Campaign.objects.all()

    def clean(self):
        data = super().clean()
        if data.get("found_on") and data.get("deadline") and data["deadline"] < data["found_on"]:
            raise ValidationError({"deadline": _("The deadline cannot be before the day the issue was found.")})
        return data


class EntryFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=[("", _("All")), *Status.choices], required=False)
    risk = forms.ChoiceField(label=_("risk level"), choices=[("", _("All")), *Risk.choices], required=False)
    kind = forms.ModelChoiceField(label=_("kind"), queryset=IssueKind.objects.all(), required=False)
    overdue = forms.BooleanField(label=_("past the deadline only"), required=False)


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(name, name) for name in ("start", "resolve", "reopen", "close")])
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    note = forms.CharField(label=_("note"), max_length=4000, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("progress note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Entry._meta.get_field("plan").help_text,
    )


class CaseNumberForm(forms.Form):
    number = forms.CharField(label=_("case number"), max_length=20)


class CampaignForm(forms.ModelForm):
    starts_on = RecordDateField(label=_("starts on"))
    ends_on = RecordDateField(label=_("ends on"))

    class Meta:
        model = Campaign
        fields = ["name", "starts_on", "ends_on", "scope"]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise ValidationError({"ends_on": _("A campaign ends on or after the day it starts.")})
        return data


class PeriodForm(forms.Form):
    start = RecordDateField(label=_("period from"))
    end = RecordDateField(label=_("period to"))
    min_cases = forms.IntegerField(label=_("at least (cases)"), min_value=1, max_value=100000, initial=3)

    # The clusters are counted from the cases themselves (no kept counts): a quarter at most keeps the one
    # grouped query on the received-at index (bench: 30 days of 1,000,000 cases in about 0.3 s).
    MAX_DAYS = 92

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise ValidationError({"end": _("The period ends on or after the day it starts.")})
            if (end - start).days > self.MAX_DAYS:
                raise ValidationError({"end": _("Choose a period of at most %(days)s days.") % {"days": self.MAX_DAYS}})
        return data


class PromoteForm(PeriodForm):
    min_cases = None
    category = forms.ModelChoiceField(label=_("category"), queryset=Category.objects.all(), widget=forms.HiddenInput)
    region = forms.ModelChoiceField(label=_("region"), queryset=Region.objects.all(), widget=forms.HiddenInput)
    title = forms.CharField(label=_("title of the topic"), max_length=200)
    department = forms.ModelChoiceField(label=_("lead unit"), queryset=Department.objects.order_by("code"))
    plan = forms.CharField(label=_("plan"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


ADOPTED_CHOICES = [("", _("Not decided yet")), ("yes", _("Adopted")), ("no", _("Not adopted"))]


class TopicForm(forms.Form):
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    plan = forms.CharField(label=_("plan"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    recommendation = forms.CharField(
        label=_("policy recommendation"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    adopted = forms.ChoiceField(label=_("recommendation adopted"), choices=ADOPTED_CHOICES, required=False)

    @staticmethod
    def initial_for(topic: Topic) -> dict:
        adopted = "" if topic.adopted is None else ("yes" if topic.adopted else "no")
        return {
            "version": topic.version,
            "plan": topic.plan,
            "recommendation": topic.recommendation,
            "adopted": adopted,
        }

    def adopted_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["adopted"])


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("meeting"), max_length=200)
    held_on = RecordDateField(label=_("held on"))
    convener = forms.ModelChoiceField(label=_("convener"), queryset=User.objects.none())
    units = forms.ModelMultipleChoiceField(
        label=_("attending units"), queryset=Department.objects.order_by("code"), widget=forms.CheckboxSelectMultiple
    )
    minutes = forms.CharField(
        label=_("minutes"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["convener"].queryset = selectors.leaders()


class MinutesForm(forms.Form):
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    minutes = forms.CharField(
        label=_("minutes"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 8})
    )


class ReferForm(forms.Form):
    case_number = forms.CharField(label=_("case number"), max_length=20, required=False)
    topic = forms.ModelChoiceField(label=_("hot topic"), queryset=Topic.objects.all(), required=False)
    entry = forms.ModelChoiceField(label=_("register entry"), queryset=Entry.objects.all(), required=False)

    def clean(self):
        data = super().clean()
        given = [
            bool(data.get("case_number", "").strip()),
            data.get("topic") is not None,
            data.get("entry") is not None,
        ]
        if sum(given) != 1:
            raise ValidationError(_("Refer one matter at a time: a case number, a topic or a register entry."))
        return data


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("decision"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    department = forms.ModelChoiceField(label=_("owner"), queryset=Department.objects.order_by("code"))
    deadline = RecordDateField(label=_("deadline"))


class FollowUpForm(forms.Form):
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("status"), choices=DecisionStatus.choices)
    note = forms.CharField(label=_("note"), max_length=4000, required=False)

"""The forms of the office's review of an outcome (审核报结) and of the callback (回访)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from petitions.models import Callback, Evaluation, Satisfaction, Solved
from petitions.web.forms import VersionedForm


class AcceptResultForm(VersionedForm):
    note = forms.CharField(label=_("Review note"), required=False, max_length=2000)


class SendBackForm(VersionedForm):
    reason = forms.CharField(
        label=_("What the department must do further"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The department is told; it works on within the handling deadline."),
    )


class CallbackForm(VersionedForm):
    reached = forms.ChoiceField(
        label=_("Petitioner reached"),
        choices=[("yes", _("Reached")), ("no", _("Not reached"))],
        widget=forms.RadioSelect,
        initial="yes",
    )
    source = forms.ChoiceField(
        label=_("Reached by"),
        choices=[(value, label) for value, label in Evaluation.Source.choices if value != Evaluation.Source.ONLINE],
        initial=Evaluation.Source.PHONE,
    )
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"), required=False, choices=[("", _("Not evaluated")), *Satisfaction.choices]
    )
    solved = forms.ChoiceField(label=_("Problem solved"), required=False, choices=[("", "—"), *Solved.choices])
    follow_up = forms.ChoiceField(
        label=_("If dissatisfied with the handling"),
        required=False,
        choices=Callback.FollowUp.choices,
    )
    note = forms.CharField(
        label=_("Callback notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the case is handled again or an explanation was given: say why."),
    )

"""Forms of joint handling (主办/协办), links and merges; the services check and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from petitions.clocks.parts import MAX_PART_WORKING_DAYS
from petitions.models import Case, CaseLink, Department
from petitions.selectors.cases import filter_choices
from petitions.selectors.parts_and_links import open_parts
from petitions.web.forms import AcceptForm, HandleForm, MultipleFileField, VersionedForm

DEFAULT_PART_WORKING_DAYS = 10


class DepartmentChoiceField(forms.TypedChoiceField):
    """An active department, offered from the kept choice lists (no query to draw the form)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(coerce=int, empty_value=None, **kwargs)
        self.choices = lambda: [("", "---------"), *filter_choices().active_departments]

    def clean(self, value) -> Department | None:
        pk = super().clean(value)
        if pk is None:
            return None
        department = Department.objects.filter(pk=pk, is_active=True).first()
        if department is None:
            raise forms.ValidationError(_("This department no longer takes cases."))
        return department


def _part_fields(prefix: str = "") -> dict[str, forms.Field]:
    return {
        f"{prefix}department": DepartmentChoiceField(label=_("Co-department (协办)"), required=not prefix),
        f"{prefix}task": forms.CharField(
            label=_("Its part: what it must do"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
        ),
        f"{prefix}working_days": forms.IntegerField(
            label=_("Part due in (working days)"),
            min_value=1,
            max_value=MAX_PART_WORKING_DAYS,
            initial=DEFAULT_PART_WORKING_DAYS,
            required=False,
        ),
    }


class JointAcceptForm(AcceptForm):
    """Accept and route to the lead department (主办), optionally with one co-department and its part;
    more co-departments are added afterwards (Add a co-department)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].label = _("Route to lead department (主办)")
        self.fields.update(_part_fields("co_"))

    def clean(self) -> dict:
        cleaned = super().clean()
        co = cleaned.get("co_department")
        if co is not None:
            if co == cleaned.get("department"):
                self.add_error("co_department", _("The lead department cannot also be a co-department of the case."))
            if not (cleaned.get("co_task") or "").strip():
                self.add_error("co_task", _("Say what the co-department must do."))
            if not cleaned.get("co_working_days"):
                self.add_error("co_working_days", _("Give the days the co-department has."))
        return cleaned


class PartForm(VersionedForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_part_fields())
        self.fields["task"].required = True
        self.fields["working_days"].required = True


class PartRecordForm(forms.Form):
    answer = forms.CharField(
        label=_("What your department did for its part"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    files = MultipleFileField(label=_("Files"), required=False)


class JointHandleForm(HandleForm):
    """The lead's outcome; while parts are owed, it must confirm that it answers without them."""

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        owed = open_parts(case)
        if owed:
            self.fields["despite_open_parts"] = forms.BooleanField(
                label=_("Answer although parts are still owed"),
                required=False,
                help_text=_("Still owed by: %(departments)s. The outcome records which parts were given.")
                % {"departments": "、".join(f"{part.department.name} ({part.due.isoformat()})" for part in owed)},
            )


class LinkForm(forms.Form):
    other_number = forms.CharField(label=_("Case number to link"), max_length=20)
    kind = forms.ChoiceField(label=_("Kind of link"), choices=CaseLink.Kind.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class MergeForm(VersionedForm):
    main_number = forms.CharField(
        label=_("Main case number"),
        max_length=20,
        help_text=_("This case is closed as a duplicate; its petitioners and files go to the main case."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

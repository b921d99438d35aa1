from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from petitions.clocks.holiday_notice import MAX_YEAR, MIN_YEAR, NoticeError
from petitions.clocks.workdays import OFFICIAL_YEARS
from petitions.models import (
    CalendarOverride,
    CalendarYear,
    Callback,
    CaseLink,
    CasePart,
    Category,
    DeadlineRecomputation,
    DeadlineRule,
    Department,
    HandedDown,
    HolidayNoticeImport,
    InterimReport,
    NoticeText,
    PetitionerNotice,
    Region,
    Role,
    User,
)
from petitions.models.notice import NOTICE_PLACEHOLDERS
from petitions.policies import may_import_holiday_notice
from petitions.selectors.notice_log import mask_notice_address
from petitions.services.deadline_recompute import deadlines_recompute_after_commit
from petitions.services.holiday_import import NoticeChanged, holiday_notice_import, holiday_notice_plan
from petitions.web.context_processors import forget_calendar_warning
from petitions.web.forms import RecordDateField

DEPARTMENT_ROLES = {Role.HANDLER, Role.DEPARTMENT_HEAD}


def is_key_of(field, value) -> bool:
    """Whether `value` could be a value of the key `field`: of its type, and in its column's range."""
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


def _date_parts_readable(query, field: str) -> bool:
    """Whether the year, month and day of a date hierarchy in `query` are numbers a date can have
    (or not numbers at all, which Django refuses by itself)."""
    for part, highest in (("year", 9999), ("month", 12), ("day", 31)):
        for value in query.getlist(f"{field}__{part}"):
            try:
                number = int(value)
            except ValueError:
                continue
            if not 1 <= number <= highest:
                return False
    return True


class CheckedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget looks the submitted value up when it draws a refused form again;
    a value that cannot be an id (text where a number belongs) raised ValueError there, a 500 instead
    of the form's own "Select a valid choice". Such values are left out of the look-up."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [item for item in value if self._may_be_id(item)], attr)

    def _may_be_id(self, item) -> bool:
        return is_key_of(self.field.target_field, item)


class CheckedInputMixin:
    """What the admin reads from a request, checked before Django's own code looks it up."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changelist_view(self, request, extra_context=None):
        # Django reads the date hierarchy's year, month and day with int() and refuses a ValueError; a
        # number beyond C's int (year=-2147483649) raised OverflowError instead, a 500. Refused alike.
        if self.date_hierarchy and not _date_parts_readable(request.GET, self.date_hierarchy):
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        return super().changelist_view(request, extra_context)

    def response_action(self, request, queryset):
        # Django filters by the ticked ids as sent: text where an id belongs raised ValueError (a 500).
        key = self.model._meta.pk
        if not all(is_key_of(key, value) for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)):
            self.message_user(request, _("The selection could not be read; select the items again."), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)


class PortalModelAdmin(CheckedInputMixin, admin.ModelAdmin):
    def get_object(self, request, object_id, from_field=None):
        # `?_to_field=` sent empty passes Django's check (it tests truth) but is then looked up as a field
        # named "" (it tests `is None`): FieldDoesNotExist, a 500. Empty means the primary key.
        return super().get_object(request, object_id, from_field or None)


class DepartmentRoleMixin:
    """Handlers and department heads see their department's cases only, so they must have one."""

    def clean(self):
        cleaned = super().clean()
        groups = {group.name for group in cleaned.get("groups") or []}
        if groups & DEPARTMENT_ROLES and not cleaned.get("department"):
            self.add_error("department", _("Handlers and department heads need a department."))
        return cleaned


class StaffChangeForm(DepartmentRoleMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class StaffCreationForm(DepartmentRoleMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "full_name", "department", "groups"]


@admin.register(Department)
class DepartmentAdmin(PortalModelAdmin):
    list_display = ["code", "name", "parent", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["categories"]
    autocomplete_fields = ["parent"]


@admin.register(Category)
class CategoryAdmin(PortalModelAdmin):
    list_display = ["code", "name", "parent", "default_department", "is_active"]
    list_filter = ["is_active", "default_department"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "default_department"]


@admin.register(Region)
class RegionAdmin(PortalModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(CheckedInputMixin, DjangoGroupAdmin):
    pass


@admin.register(User)
class UserAdmin(CheckedInputMixin, DjangoUserAdmin):
    form = StaffChangeForm
    add_form = StaffCreationForm
    list_display = ["username", "full_name", "department", "is_active", "last_login"]
    list_filter = ["groups", "department", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["full_name", "email", "department"]}),
        (_("Roles and access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "full_name", "department", "groups", "password1", "password2"]}),
    ]
    autocomplete_fields = ["department"]
    readonly_fields = ["last_login", "date_joined"]  # facts the system records, not settings to edit


# --- The statutory clocks -------------------------------------------------------------------------


class EditedInAdminAdmin(PortalModelAdmin):
    """Records who changed a rule or calendar entry last."""

    def save_model(self, request, obj, form, change) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class ImportNoticeLinkMixin:
    """The calendar days and years lists link to the import of the State Council's notice."""

    change_list_template = "admin/petitions/calendar_change_list.html"

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_import_notice": may_import_holiday_notice(request.user)}
        return super().changelist_view(request, extra_context=extra_context)


class CalendarOverrideForm(forms.ModelForm):
    date = RecordDateField(label=_("date"))  # from 2000 to the end of next year

    class Meta:
        model = CalendarOverride
        fields = ["date", "is_working_day", "name", "note"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ImportNoticeLinkMixin, EditedInAdminAdmin):
    """Saving or deleting a day recomputes the deadlines of open cases (after the commit, by a worker)."""

    form = CalendarOverrideForm

    list_display = ["date", "weekday", "is_working_day", "name", "note", "updated_by", "updated_at"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    search_fields = ["name", "note"]
    fields = ["date", "is_working_day", "name", "note", "notice"]
    readonly_fields = ["notice"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarOverride) -> str:
        return date_format(obj.date, "l")

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        deadlines_recompute_after_commit()
        messages.info(request, _("The deadlines of open cases are being recomputed with the changed calendar."))

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        deadlines_recompute_after_commit()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        deadlines_recompute_after_commit()


class HolidayNoticeForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        help_text=_("The year the notice is for. Leave it empty to take the year from the notice's title."),
    )
    text = forms.CharField(
        label=_("Text of the notice"),
        max_length=20_000,  # a notice is about a thousand characters
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100}),
        help_text=_("Paste the notice as published, with its title and numbered lines (一、元旦：…放假…；…上班。)."),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)


@admin.register(CalendarYear)
class CalendarYearAdmin(ImportNoticeLinkMixin, EditedInAdminAdmin):
    list_display = ["year", "official_schedule", "schedule_entered", "source", "updated_by", "updated_at"]
    fields = ["year", "schedule_entered", "source"]

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_notice_view)
        return [path("import-notice/", view, name="petitions_calendaryear_import_notice"), *super().get_urls()]

    def import_notice_view(self, request: HttpRequest) -> HttpResponse:
        """Paste the State Council's notice, preview what it changes, confirm exactly that preview."""
        if not may_import_holiday_notice(request.user):
            raise PermissionDenied
        form = HolidayNoticeForm(request.POST or None)
        plan = None
        if request.method == "POST" and form.is_valid():
            text, year = form.cleaned_data["text"], form.cleaned_data["year"]
            try:
                if "confirm" not in request.POST:
                    plan = holiday_notice_plan(text=text, year=year)
                else:
                    token = form.cleaned_data["token"]
                    result = holiday_notice_import(text=text, year=year, token=token, actor=request.user)
                    forget_calendar_warning()
                    messages.success(request, _import_message(result))
                    return redirect("admin:petitions_calendaroverride_changelist")
            except NoticeChanged as changed:
                form.add_error(None, changed.message)
                plan = changed.plan
            except NoticeError as error:
                form.add_error(None, error.message)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import the State Council's holiday notice"),
            "form": form,
            "plan": plan,
        }
        return TemplateResponse(request, "admin/petitions/holiday_notice_import.html", context)

    @admin.display(description=_("in the calendar package"), boolean=True)
    def official_schedule(self, obj: CalendarYear) -> bool:
        return obj.year in OFFICIAL_YEARS

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        forget_calendar_warning()


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(EditedInAdminAdmin):
    """One row per clock; rows are neither added nor deleted. A change applies to clocks started after it."""

    list_display = ["clock", "days", "working_days", "legal_basis", "updated_by", "updated_at"]
    fields = ["clock", "days", "working_days", "legal_basis"]
    readonly_fields = ["clock"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(PortalModelAdmin):
    """For records the system writes: shown, never added, changed or deleted by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- Notices to petitioners ----------------------------------------------------------------------------


@admin.register(NoticeText)
class NoticeTextAdmin(PortalModelAdmin):
    """One text per event, in both languages; rows are neither added nor deleted."""

    list_display = ["event", "subject_zh", "subject_en", "updated_at"]
    fields = ["event", "subject_zh", "body_zh", "subject_en", "body_en"]
    readonly_fields = ["event"]

    @admin.display(description=_("Placeholders"))
    def placeholders(self, obj) -> str:
        return ", ".join("{" + name + "}" for name in NOTICE_PLACEHOLDERS)

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return ["event", "placeholders"]

    def get_fields(self, request, obj=None) -> list[str]:
        return ["event", "placeholders", "subject_zh", "body_zh", "subject_en", "body_en"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PetitionerNotice)
class PetitionerNoticeAdmin(ReadOnlyAdmin):
    """Every message sent to a petitioner and how it went; the address is shown masked only."""

    list_display = ["case", "event", "channel", "masked_address", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "event", "channel", "created_at"]
    search_fields = ["case__number"]
    list_select_related = ["case"]
    fields = [
        "case",
        "event",
        "channel",
        "masked_address",
        "language",
        "subject",
        "text",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("sent to"))
    def masked_address(self, obj: PetitionerNotice) -> str:
        return mask_notice_address(obj)


@admin.register(HolidayNoticeImport)
class HolidayNoticeImportAdmin(ReadOnlyAdmin):
    list_display = ["year", "source", "imported_by", "imported_at", "days_added", "days_changed", "days_removed"]
    list_filter = ["year"]


@admin.register(DeadlineRecomputation)
class DeadlineRecomputationAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "cases_checked", "cases_changed", "fingerprint"]


# --- Issue 14: the office's hold on departments ---------------------------------------------------------
# Written by the case services (parts, links, callbacks carry deadlines and case logs), so shown only.


@admin.register(CasePart)
class CasePartAdmin(ReadOnlyAdmin):
    list_display = ["case", "department", "working_days", "due", "assigned_at", "answered_at", "withdrawn_at"]
    list_filter = ["department", "due", "answered_at", "withdrawn_at"]
    search_fields = ["case__number"]
    list_select_related = ["case", "department"]


@admin.register(CaseLink)
class CaseLinkAdmin(ReadOnlyAdmin):
    list_display = ["case_a", "kind", "case_b", "created_by", "created_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["case_a__number", "case_b__number"]
    list_select_related = ["case_a", "case_b", "created_by"]


@admin.register(Callback)
class CallbackAdmin(ReadOnlyAdmin):
    list_display = ["case", "round", "department", "due", "done_at", "reached", "solved", "follow_up"]
    list_filter = ["due", "done_at", "reached", "solved", "follow_up", "department"]
    search_fields = ["case__number"]
    list_select_related = ["case", "department"]


def _import_message(result) -> str:
    if result.record is None:
        return gettext("The calendar already has this notice as it is: nothing was changed.")
    return gettext(
        "The notice is in the calendar: %(added)s, %(changed)s, %(removed)s. "
        "The deadlines of open cases are being recomputed with it."
    ) % {
        "added": ngettext("%(n)d day added", "%(n)d days added", result.added) % {"n": result.added},
        "changed": ngettext("%(n)d day changed", "%(n)d days changed", result.changed) % {"n": result.changed},
        "removed": ngettext("%(n)d day removed", "%(n)d days removed", result.removed) % {"n": result.removed},
    }


# --- Cases handed down from a higher authority (交办件) -------------------------------------------------


class InterimReportInline(admin.TabularInline):
    model = InterimReport
    fields = ["reported_on", "text", "recorded_by", "recorded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(HandedDown)
class HandedDownAdmin(ReadOnlyAdmin):
    """Shown, not edited: the order, its interim reports and its report back change through the case page
    (services that lock the case and log), never behind the case log's back."""

    list_display = ["case", "authority", "reference", "handed_down_on", "due", "report_issued_at"]
    list_filter = ["authority", "interim_reports_required", "due", "report_issued_at"]
    search_fields = ["case__number", "authority", "reference"]
    list_select_related = ["case"]
    fields = [
        "case",
        "authority",
        "reference",
        "handed_down_on",
        "due",
        "interim_reports_required",
        "interim_report_due",
        "recorded_by",
        "recorded_at",
        "report_issued_at",
        "report_issued_by",
        "report_sha256",
    ]
    readonly_fields = fields
    inlines = [InterimReportInline]

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from information.models import ReportingUnit, ReturnChase, ReturnRule, SpecialPeriod, UnitReturn
from petitions.admin import EditedInAdminAdmin, PortalModelAdmin, ReadOnlyAdmin


class SpecialPeriodForm(forms.ModelForm):
    class Meta:
        model = SpecialPeriod
        fields = ["name", "starts", "ends", "all_units", "regions", "departments", "every_day", "note"]

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("all_units") and not cleaned.get("regions") and not cleaned.get("departments"):
            raise forms.ValidationError(_("Choose “all units”, or the regions and departments the period covers."))
        return cleaned


@admin.register(ReportingUnit)
class ReportingUnitAdmin(PortalModelAdmin):
    """Designating the units that send returns, and who answers for each."""

    list_display = ["name", "department", "region", "responsible", "reports_from", "is_active"]
    list_filter = ["is_active"]
    raw_id_fields = ["region"]
    fields = ["department", "region", "responsible", "reports_from", "is_active"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # switch a unit off instead: its returns refer to it


@admin.register(SpecialPeriod)
class SpecialPeriodAdmin(PortalModelAdmin):
    """Declaring a special period: daily returns for the units in its scope."""

    form = SpecialPeriodForm
    list_display = ["name", "starts", "ends", "all_units", "every_day", "declared_by"]
    fields = ["name", ("starts", "ends"), "all_units", "regions", "departments", "every_day", "note"]
    filter_horizontal = ["departments"]
    raw_id_fields = ["regions"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.declared_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # returns were sent for it: shorten it instead


@admin.register(ReturnRule)
class ReturnRuleAdmin(EditedInAdminAdmin):
    list_display = ["__str__", "weekly_due_weekday", "daily_due_days_after"]
    fields = ["weekly_due_weekday", "daily_due_days_after"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not ReturnRule.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(UnitReturn)
class UnitReturnAdmin(ReadOnlyAdmin):
    """Read-only: returns are sent by the units."""

    list_display = ["unit", "kind", "period_start", "due", "is_zero", "is_late", "submitted_by", "submitted_at"]
    list_filter = ["kind", "is_zero", "is_late"]


@admin.register(ReturnChase)
class ReturnChaseAdmin(ReadOnlyAdmin):
    list_display = ["unit", "kind", "period_start", "due", "level", "created_at"]
    list_filter = ["level", "kind"]

from django.contrib import admin

from petitions.admin import PortalModelAdmin, ReadOnlyAdmin
from reports.documents import SPECS
from reports.models import DocumentTemplate, LeaderLiaison, Report


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(PortalModelAdmin):
    list_display = ["kind", "office_name", "updated_at"]
    fields = ["kind", "office_name", "contact", "closing_lines"]

    def get_fields(self, request, obj=None):
        if obj is not None and SPECS[obj.kind].from_department:
            # Issued in the handling department's name: there is no sender to choose.
            return [field for field in self.fields if field != "office_name"]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return ["kind"] if obj is not None else []


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Read-only: reports are made by the scheduler or requested on the reports pages."""

    list_display = ["period_start", "period_end", "department", "kind", "status", "generated_at"]
    list_filter = ["status", "kind", "department"]
    date_hierarchy = "period_end"
    readonly_fields = [f.name for f in Report._meta.fields]


@admin.register(LeaderLiaison)
class LeaderLiaisonAdmin(PortalModelAdmin):
    """Which leader is linked to which department or region (定点联系)."""

    list_display = ["leader", "department", "region", "since", "note"]
    list_filter = ["leader"]
    autocomplete_fields = ["leader", "department", "region"]
    fields = ["leader", "department", "region", "since", "note"]

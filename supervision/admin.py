from django.contrib import admin

from petitions.admin import EditedInAdminAdmin, ReadOnlyAdmin
from supervision.models import ClockRule, Document, Matter, Recommendation, Trigger


@admin.register(Trigger)
class TriggerAdmin(EditedInAdminAdmin):
    """Why a matter is supervised: the office extends the list; switch one off rather than delete it."""

    list_display = ["code", "name_zh", "name_en", "order", "is_active"]
    fields = ["code", "name_zh", "name_en", "order", "is_active"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ClockRule)
class ClockRuleAdmin(EditedInAdminAdmin):
    """Supervision's clocks. A change applies to dates set after it."""

    list_display = ["key", "days", "working_days"]
    fields = ["key", "days", "working_days"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "case", "department", "deadline", "issued_on"]
    list_filter = ["kind", "department"]
    search_fields = ["number", "case__number"]
    list_select_related = ["case", "department"]


@admin.register(Matter)
class MatterAdmin(ReadOnlyAdmin):
    list_display = ["case", "department", "trigger", "mode", "reply_due", "status"]
    list_filter = ["status", "mode", "trigger"]
    search_fields = ["case__number", "notice_number"]
    list_select_related = ["case", "department", "trigger"]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["department", "issued_at", "answer_due", "answered_at", "adopted"]
    list_filter = ["department", "adopted"]

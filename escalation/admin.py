from django.contrib import admin

from escalation.models import Escalation, EscalationRule
from petitions.admin import EditedInAdminAdmin, ReadOnlyAdmin


@admin.register(EscalationRule)
class EscalationRuleAdmin(EditedInAdminAdmin):
    """The ladder. A change applies from the next sweep; what was already sent stays sent."""

    list_display = [
        "level",
        "days_from_deadline",
        "notify_handler",
        "notify_department_head",
        "notify_supervisors",
        "notify_leaders",
        "issues_supervision_notice",
        "reply_within_working_days",
        "is_active",
    ]
    fields = [
        "level",
        "days_from_deadline",
        ("notify_handler", "notify_department_head", "notify_supervisors", "notify_leaders"),
        "issues_supervision_notice",
        "reply_within_working_days",
        "is_active",
    ]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # switch a rung off instead: escalations already sent refer to its level


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    """Read-only: the record of what the sweep sent."""

    list_display = ["case", "clock", "level", "deadline", "days_from_deadline", "notice_number", "created_at"]
    list_filter = ["level", "clock"]
    search_fields = ["case__number", "notice_number"]
    date_hierarchy = "created_at"
    list_select_related = ["case"]

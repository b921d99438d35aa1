from django.contrib import admin

from screening.models import IssueKind


@admin.register(IssueKind)
class IssueKindAdmin(admin.ModelAdmin):
    """The kinds of dispute the register offers: administrators add and retire them (never delete a used one)."""

    list_display = ["name", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

from django.contrib import admin

from petitions.admin import PortalModelAdmin
from public.models import PublicText


@admin.register(PublicText)
class PublicTextAdmin(PortalModelAdmin):
    """The public site's texts, both languages side by side; the keys are fixed (seeded by public/0001)."""

    list_display = ["key", "title_zh", "title_en", "updated_at"]
    fields = ["key", "title_zh", "title_en", "body_zh", "body_en"]

    def get_readonly_fields(self, request, obj=None):
        return ["key"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

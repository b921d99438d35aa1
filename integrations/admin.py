"""The administrators' pages: integrations and their scopes, tokens (issued, rotated, revoked; each
shown once), and the API call log (read-only, filterable)."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from integrations.models import ApiCall, Integration, IntegrationToken, Scope
from integrations.services import integration_save, token_issue, token_revoke, token_rotate
from petitions.admin import PortalModelAdmin, ReadOnlyAdmin


class IntegrationForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=Scope.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Integration
        fields = ["name", "contact", "scopes", "department", "rate_limit", "is_active"]


class TokenInline(admin.TabularInline):
    model = IntegrationToken
    fields = ["label", "prefix", "created_at", "created_by", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


def _issued_page(modeladmin, request, issued: list, title) -> TemplateResponse:
    return TemplateResponse(
        request,
        "admin/integrations/token_issued.html",
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "title": title,
            "tokens": issued,
        },
    )


@admin.register(Integration)
class IntegrationAdmin(PortalModelAdmin):
    form = IntegrationForm
    list_display = ["name", "department", "scope_list", "rate_limit", "is_active", "updated_at"]
    list_filter = ["is_active", "department"]
    search_fields = ["name", "contact"]
    readonly_fields = ["user", "created_at", "updated_at"]
    inlines = [TokenInline]
    actions = ["issue_token"]

    @admin.display(description=_("scopes"))
    def scope_list(self, obj: Integration) -> str:
        labels = dict(Scope.choices)
        return ", ".join(str(labels.get(scope, scope)) for scope in obj.scopes)

    def save_model(self, request, obj, form, change) -> None:
        integration_save(integration=obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # its calls and cases keep pointing at it; make it inactive instead

    @admin.action(description=_("Issue a new token"), permissions=["change"])
    def issue_token(self, request, queryset):
        if not request.user.has_perm("integrations.add_integrationtoken"):
            self.message_user(request, _("Your role does not allow issuing tokens."), messages.ERROR)
            return None
        issued = [token_issue(integration=integration, actor=request.user) for integration in queryset]
        return _issued_page(self, request, issued, _("New tokens"))


@admin.register(IntegrationToken)
class IntegrationTokenAdmin(PortalModelAdmin):
    list_display = ["prefix", "integration", "label", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["integration", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["integration"]
    fields = ["integration", "label", "prefix", "created_at", "created_by", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["integration", "prefix", "created_at", "created_by", "expires_at", "revoked_at", "last_used_at"]
    actions = ["rotate_now", "rotate_with_grace", "revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # issued from the integration's list (action "Issue a new token"), shown once

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _rotate(self, request, queryset, grace: timedelta):
        issued = []
        for token in queryset.select_related("integration"):
            issued.append(token_rotate(token=token, actor=request.user, grace=grace))
        return _issued_page(self, request, issued, _("Rotated tokens"))

    @admin.action(description=_("Rotate: a new token, the old one stops now"), permissions=["change"])
    def rotate_now(self, request, queryset):
        return self._rotate(request, queryset, timedelta(0))

    @admin.action(description=_("Rotate: a new token, the old one works 24 hours more"), permissions=["change"])
    def rotate_with_grace(self, request, queryset):
        return self._rotate(request, queryset, timedelta(hours=24))

    @admin.action(description=_("Revoke"), permissions=["change"])
    def revoke(self, request, queryset):
        for token in queryset:
            token_revoke(token=token)
        self.message_user(request, _("The tokens are revoked: they are refused from now on."), messages.SUCCESS)


@admin.register(ApiCall)
class ApiCallAdmin(ReadOnlyAdmin):
    """Every API call, for audit. The table grows by one row per call: no total count, filters on indexes."""

    list_display = ["at", "integration", "method", "endpoint", "status", "case", "error_code", "duration_ms"]
    list_filter = ["integration", "method", "status", "endpoint"]
    list_select_related = ["integration", "case"]
    search_fields = ["path"]
    date_hierarchy = "at"
    show_full_result_count = False
    raw_id_fields = ["case", "token"]

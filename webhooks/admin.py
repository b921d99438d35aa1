"""The administrators' view of webhooks: subscriptions, the events sent and the delivery log, and redelivery."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from webhooks.models import DeliveryAttempt, Event, EventType, Subscription
from webhooks.services import events_redeliver


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Subscription
        fields = ["integration", "url", "events", "is_active"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["integration", "url", "is_active", "created_at"]
    list_filter = ["is_active", "integration"]
    readonly_fields = ["secret", "created_at"]
    fields = ["integration", "url", "events", "is_active", "secret", "created_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # its events and their log stay; switch it off instead


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ["at", "status_code", "error", "response_excerpt", "duration_ms", "redelivery"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "type", "case", "subscription", "status", "attempts", "created_at", "delivered_at"]
    list_filter = ["status", "type", "subscription__integration", "created_at"]
    search_fields = ["event_id", "case__number"]
    list_select_related = ["case", "subscription", "subscription__integration"]
    fields = [
        "event_id",
        "type",
        "case",
        "subscription",
        "status",
        "attempts",
        "redeliveries",
        "created_at",
        "next_attempt_at",
        "give_up_at",
        "delivered_at",
        "body",
    ]
    readonly_fields = fields
    inlines = [AttemptInline]
    actions = ["redeliver"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_redeliver_permission(self, request) -> bool:
        return request.user.has_perm("webhooks.change_event")

    @admin.action(description=_("Redeliver the selected events (same event id)"), permissions=["redeliver"])
    def redeliver(self, request, queryset) -> None:
        count = events_redeliver(event_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d event will be delivered again.", "%(count)d events will be delivered again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(admin.ModelAdmin):
    """The delivery log: every attempt, filterable."""

    list_display = ["at", "event", "status_code", "error", "duration_ms", "redelivery"]
    list_filter = ["status_code", "redelivery", "at", "event__subscription__integration"]
    search_fields = ["event__event_id", "event__case__number"]
    list_select_related = ["event"]
    fields = ["event", "at", "status_code", "error", "response_excerpt", "duration_ms", "redelivery"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

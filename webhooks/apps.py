from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ROLE_PERMISSIONS = {
    "admin": [
        "webhooks.add_subscription",
        "webhooks.change_subscription",
        "webhooks.view_subscription",
        "webhooks.view_event",
        "webhooks.change_event",  # redelivery
        "webhooks.view_deliveryattempt",
    ],
    "auditor": ["webhooks.view_event", "webhooks.view_deliveryattempt"],
}


class WebhooksConfig(AppConfig):
    """Signed events about cases, POSTed to the integrations that subscribed (through petitions' case log)."""

    name = "webhooks"
    verbose_name = _("Webhooks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from config.cache import cache_outage_ended
        from integrations.models import Integration
        from petitions.extensions import register_case_log_listener
        from petitions.roles import register_role_permissions
        from webhooks.events import on_case_logged
        from webhooks.models import Subscription
        from webhooks.subscriptions import subscriptions_changed

        register_role_permissions(ROLE_PERMISSIONS)
        register_case_log_listener(on_case_logged)
        for model in (Subscription, Integration):
            post_save.connect(subscriptions_changed, sender=model, dispatch_uid=f"webhooks-{model.__name__}-save")
            post_delete.connect(subscriptions_changed, sender=model, dispatch_uid=f"webhooks-{model.__name__}-delete")
        # A change made while Redis was away could not renew the version other processes check.
        cache_outage_ended.connect(_renew_subscriptions, dispatch_uid="webhooks-subscriptions-outage")


def _renew_subscriptions(**kwargs) -> None:
    from webhooks.subscriptions import Subscriptions

    Subscriptions.changed()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ROLE_PERMISSIONS = {
    "admin": [
        "integrations.add_integration",
        "integrations.change_integration",
        "integrations.view_integration",
        "integrations.view_integrationtoken",
        "integrations.view_apicall",
    ],
    "auditor": ["integrations.view_apicall"],
}


class IntegrationsConfig(AppConfig):
    """Other systems that talk to the portal through the API: their scopes, tokens and call log."""

    name = "integrations"
    verbose_name = _("Integrations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from petitions.roles import register_role_permissions

        register_role_permissions(ROLE_PERMISSIONS)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ROLE_PERMISSIONS = {"admin": ["public.view_publictext", "public.change_publictext"]}


class PublicConfig(AppConfig):
    """The petitioners' site: no login, no staff navigation, nothing but what a petitioner typed."""

    name = "public"
    verbose_name = _("Public site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from petitions.roles import register_role_permissions

        register_role_permissions(ROLE_PERMISSIONS)

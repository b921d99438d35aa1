from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ROLE_PERMISSIONS = {"admin": ["public.view_publictext", "public.change_publictext"]}


class PublicConfig(AppConfig):
    """The petitioners' site: no login, no staff navigation, nothing but what a petitioner typed."""

    name = "public"
    verbose_name = _("Public site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from petitions.extensions import CasePanel, register_case_panel, register_log_actions
        from petitions.roles import register_role_permissions
        from public.lookup import TRACKING_UNLOCKED
        from public.staff_views import tracking_lock_panel_context

        register_role_permissions(ROLE_PERMISSIONS)
        register_log_actions({TRACKING_UNLOCKED: _("Progress look-up lock lifted")})
        register_case_panel(
            CasePanel("tracking_lock", "public/_tracking_lock_panel.html", tracking_lock_panel_context, 25)
        )

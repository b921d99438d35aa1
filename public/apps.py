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
        self._connect_registrar_copy()
        register_log_actions({TRACKING_UNLOCKED: _("Progress look-up lock lifted")})
        register_case_panel(
            CasePanel("tracking_lock", "public/_tracking_lock_panel.html", tracking_lock_panel_context, 25)
        )

    @staticmethod
    def _connect_registrar_copy() -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from petitions.models import User
        from public.registrar import registrar_changed

        post_save.connect(registrar_changed, sender=User, dispatch_uid="registrar-save")
        post_delete.connect(registrar_changed, sender=User, dispatch_uid="registrar-delete")
        m2m_changed.connect(registrar_changed, sender=User.user_permissions.through, dispatch_uid="registrar-perms")

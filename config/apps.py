"""App configurations of third-party apps, where the project changes one (kept out of our apps' own
apps.py modules: Django takes the only AppConfig found there as the app's, and a second would hide it)."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class LoginThrottleConfig(AxesAppConfig):
    """django-axes under a name the admin can translate: axes gives none, so the admin index showed
    its label, "Axes", to every administrator (its model and field names are in our catalogue)."""

    verbose_name = _("Login throttle")

    def ready(self) -> None:
        super().ready()
        from axes.admin import AccessAttemptAdmin

        # Its computed columns have no description: the admin would head them with the method's name.
        AccessAttemptAdmin.status.short_description = _("Status")
        AccessAttemptAdmin.expiration.short_description = _("Expires At")

"""The API call log: one row per call, for audit."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from petitions.models import Case

from .integration import Integration
from .token import IntegrationToken


class ApiCall(models.Model):
    """Who called which endpoint, how it ended, on which case. One INSERT per call, nothing else."""

    integration = models.ForeignKey(
        Integration, verbose_name=_("integration"), null=True, on_delete=models.PROTECT, related_name="calls"
    )
    token = models.ForeignKey(
        IntegrationToken, verbose_name=_("token"), null=True, on_delete=models.PROTECT, related_name="calls"
    )
    at = models.DateTimeField(_("at"))
    method = models.CharField(_("method"), max_length=8)
    endpoint = models.CharField(_("endpoint"), max_length=100, help_text=_("The operation's route."))
    path = models.CharField(_("path"), max_length=300)
    status = models.PositiveSmallIntegerField(_("status"))
    # No database constraint: checking it would take a share lock on the case row, so logging a call
    # would wait for any service holding that row; cases are never deleted (DESIGN principle 4).
    case = models.ForeignKey(
        Case, verbose_name=_("case"), null=True, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    error_code = models.CharField(_("error"), max_length=40, blank=True, default="")

    class Meta:
        ordering = ["-at"]
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        indexes = [
            models.Index(fields=["integration", "-at"], name="api_call_integration_at"),
            models.Index(fields=["-at"], name="api_call_at"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"

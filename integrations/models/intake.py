"""What makes API intake idempotent: one row per (integration, Idempotency-Key) or external reference."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from petitions.models import Case

from .integration import Integration


class IntakeRequest(models.Model):
    """A case registered through the API, with the key and reference it came with.

    Written with the case, last in the transaction that registers it (as public's SubmissionToken): a
    retry with the same key or reference finds it taken, which undoes the retry's registration, and is
    given the same case. `request_digest` tells a retry from a different request that reuses a key
    (refused)."""

    integration = models.ForeignKey(
        Integration, verbose_name=_("integration"), on_delete=models.PROTECT, related_name="intake_requests"
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, blank=True, default="")
    external_reference = models.CharField(_("external reference"), max_length=100, blank=True, default="")
    request_digest = models.CharField(_("request digest"), max_length=64)
    case = models.OneToOneField(
        Case, verbose_name=_("case"), null=True, on_delete=models.PROTECT, related_name="intake_request"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("API intake")
        verbose_name_plural = _("API intakes")
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="intake_request_key_unique",
            ),
            models.UniqueConstraint(
                fields=["integration", "external_reference"],
                condition=~Q(external_reference=""),
                name="intake_request_reference_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.external_reference or self.idempotency_key[:16]

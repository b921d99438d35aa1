"""An integration: another system (a 12345 hotline, a higher office's 信访信息系统, a department's own
system) that talks to the portal through the API, with the scopes an administrator gave it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from petitions.models import Department


class Scope(models.TextChoices):
    """What an integration may do. Stored by these values in `Integration.scopes`: never rename one."""

    INTAKE = "intake", _("Register cases (intake)")
    READ_OFFICE = "read_office", _("Read every case (office-wide)")
    READ_DEPARTMENT = "read_department", _("Read the cases of its department")
    IDENTITY = "identity", _("See petitioners' identity where the rules allow")
    WRITE_OUTCOMES = "write_outcomes", _("Record outcomes, request extensions, return cases (its department)")
    WEBHOOKS = "webhooks", _("Receive webhooks")


# Scopes that act for a department (need `department`), and those of the office (refused with one):
# an office permission (registering, reading every case) would make the department's system office
# staff, who are shown the identities departments must never see (petitions.selectors.scopes).
DEPARTMENT_SCOPES = frozenset({Scope.READ_DEPARTMENT, Scope.WRITE_OUTCOMES})
OFFICE_SCOPES = frozenset({Scope.INTAKE, Scope.READ_OFFICE})

RATE_HELP = _("Requests allowed per token, e.g. 600/m (per minute), 50/s, 10000/h.")


def validate_rate(value: str) -> None:
    from django_ratelimit.core import _split_rate

    try:
        count, seconds = _split_rate(value)
    except (ValueError, KeyError, TypeError):
        raise ValidationError(RATE_HELP, code="rate") from None
    if count <= 0 or seconds <= 0:
        raise ValidationError(RATE_HELP, code="rate")


class Integration(models.Model):
    """Another system and what it may do. It acts through its own system user (`user`: no password, no
    login), whose permissions and department follow the scopes, so the policies and scopes that decide
    for staff in the browser decide for the integration too, and the services log it as the actor."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    contact = models.CharField(
        _("contact"), max_length=200, blank=True, help_text=_("Who runs the other system: name, phone, e-mail.")
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="integrations",
        help_text=_("The department whose system this is: required for its scopes, forbidden for the office's."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("system user"),
        on_delete=models.PROTECT,
        related_name="integration",
        editable=False,
    )
    rate_limit = models.CharField(
        _("rate limit"), max_length=20, default="600/m", validators=[validate_rate], help_text=RATE_HELP
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive integration's tokens are refused.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")

    def __str__(self) -> str:
        return self.name

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    def clean(self) -> None:
        unknown = set(self.scopes or []) - set(Scope.values)
        if unknown:
            raise ValidationError({"scopes": _("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(sorted(unknown))}})
        chosen = set(self.scopes or [])
        if self.department_id is None and chosen & DEPARTMENT_SCOPES:
            raise ValidationError({"department": _("Reading or writing a department's cases needs the department.")})
        if self.department_id is not None and chosen & OFFICE_SCOPES:
            raise ValidationError(
                {"scopes": _("A department's system cannot register cases or read every case: that is the office's.")}
            )
        if Scope.READ_OFFICE in chosen and Scope.READ_DEPARTMENT in chosen:
            raise ValidationError({"scopes": _("Choose office-wide or department reading, not both.")})

"""Failed progress look-ups per tracking code: the lock that stops guessing a code's second factor."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrackingLock(models.Model):
    """Wrong second factors typed for one tracking code, and until when the code is locked.

    A row, not a cache entry: the lock must hold through a Redis outage (the cache fails open). Keyed
    by a digest of the typed code, existing or not, so that a code that does not exist locks exactly
    like one that does, and no code is stored in clear.
    """

    code_digest = models.CharField(_("code digest"), max_length=64, primary_key=True)
    failures = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    first_failure_at = models.DateTimeField(_("first wrong attempt"))
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("tracking-code lock")
        verbose_name_plural = _("tracking-code locks")

    def __str__(self) -> str:
        return f"{self.code_digest[:8]}… {self.failures}"

"""One row per online submission form sent: a form sent twice makes one case."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from petitions.models import Case


class SubmissionToken(models.Model):
    """The hidden token a submission form was issued with, and the case its first sending made.

    The row is written with the case, last in the transaction that registers it: a second sending of
    the same form finds the token taken, which undoes its registration, and gets the first one's case.
    """

    token = models.CharField(_("token"), max_length=64, unique=True)
    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, null=True, related_name="online_submission"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("online submission")
        verbose_name_plural = _("online submissions")

    def __str__(self) -> str:
        return self.token[:8]

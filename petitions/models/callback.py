"""Callbacks 回访: the office calls the petitioner after the outcome was delivered."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .case import Case
from .choices import Solved
from .evaluation import Evaluation
from .reference import Department


class Callback(models.Model):
    """One callback task: made when an outcome is delivered (round 1; round 2 after a re-handling, …),
    due on a date from the callback rule, done when the caller records what the petitioner said.

    The satisfaction is an `Evaluation` (source: the way the petitioner was reached, entered by the
    caller), one per callback; no evaluation means 未评价 (not reached, or the petitioner would not
    say). The department is the one whose outcome was delivered, kept for the per-department rates.
    """

    class FollowUp(models.TextChoices):
        NONE = "", _("Nothing further")
        REHANDLE = "rehandle", _("Handle again (the handling was at fault)")
        EXPLAINED = "explained", _("Explained to the petitioner")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="callbacks")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="callbacks"
    )
    due = models.DateField(_("due"))
    # What `due` was computed from (petitions.clocks.deadlines), as a case keeps its deadline bases.
    due_basis = models.JSONField(_("deadline basis"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reached = models.BooleanField(_("petitioner reached"), null=True, blank=True)
    evaluation = models.OneToOneField(
        Evaluation,
        verbose_name=_("evaluation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="callback",
    )
    solved = models.CharField(_("problem solved"), max_length=10, choices=Solved.choices, blank=True)
    follow_up = models.CharField(_("what follows"), max_length=10, choices=FollowUp.choices, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="callback_round_unique"),
            # One open callback per case at a time.
            models.UniqueConstraint(fields=["case"], condition=Q(done_at__isnull=True), name="callback_one_open"),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | (Q(done_by__isnull=False) & Q(reached__isnull=False)),
                name="callback_done_has_caller",
            ),
            # Not reached: nothing heard, so no evaluation, no answer on solving, nothing that follows.
            models.CheckConstraint(
                condition=~Q(reached=False) | (Q(evaluation__isnull=True) & Q(solved="") & Q(follow_up="")),
                name="callback_unreached_is_empty",
            ),
        ]
        indexes = [
            models.Index(fields=["due"], condition=Q(done_at__isnull=True), name="callback_open_due"),
            models.Index(fields=["department", "done_at"], name="callback_dept_done"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.round} due {self.due:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.done_at is None

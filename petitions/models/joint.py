"""Joint handling (主办/协办), linked cases and merged duplicates (并案).

A joint case keeps one lead department (Case.department, 主办) and answers once; each co-department
(协办) has a part: what it must do, by a date inside the handling clock. Links join cases about the
same or related matters (or a collective matter registered in parts) and are symmetric: one row per
pair, whichever way round it was made. A merge closes a duplicate into its main case (CaseMerge).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .case import Attachment, Case
from .reference import Department


class CasePart(models.Model):
    """A co-department's part (协办) of a case led by another department."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="parts")
    department = models.ForeignKey(
        Department, verbose_name=_("co-department"), on_delete=models.PROTECT, related_name="case_parts"
    )
    task = models.TextField(_("its part"), max_length=2000)
    working_days = models.PositiveSmallIntegerField(_("working days"))
    due = models.DateField(_("part due"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    answer = models.TextField(_("what the co-department did"), max_length=10000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    # Set when the case leaves its lead department (returned, routing withdrawn): the part ends unanswered.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    attachments = models.ManyToManyField(Attachment, verbose_name=_("files"), blank=True, related_name="parts")

    class Meta:
        ordering = ["assigned_at", "id"]
        verbose_name = _("co-department's part")
        verbose_name_plural = _("co-departments' parts")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "department"],
                condition=Q(withdrawn_at__isnull=True),
                name="case_part_one_per_department",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""), name="case_part_answered_has_text"
            ),
            models.CheckConstraint(condition=Q(working_days__gte=1), name="case_part_days_positive"),
        ]
        indexes = [
            # The ladder's scan: open parts by their date.
            models.Index(
                fields=["due"],
                condition=Q(answered_at__isnull=True, withdrawn_at__isnull=True),
                name="case_part_open_due",
            ),
            # The scope: the cases a department holds a part of.
            models.Index(fields=["department", "case"], condition=Q(withdrawn_at__isnull=True), name="case_part_dept"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.department_id}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.withdrawn_at is None


class CaseLink(models.Model):
    """Two cases that belong together. One row per pair (the database refuses a self-link and a pair
    linked twice, in either order); for parent/child, `case_a` is the parent."""

    class Kind(models.TextChoices):
        SAME_MATTER = "same_matter", _("Same matter")
        RELATED = "related", _("Related")
        PARENT_CHILD = "parent_child", _("Part of a collective matter (parent and child)")

    case_a = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="links_out")
    case_b = models.ForeignKey(Case, verbose_name=_("linked case"), on_delete=models.PROTECT, related_name="links_in")
    kind = models.CharField(_("kind of link"), max_length=16, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("linked by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case link")
        verbose_name_plural = _("case links")
        constraints = [
            models.CheckConstraint(condition=~Q(case_a=F("case_b")), name="case_link_not_to_itself"),
            models.UniqueConstraint(Least("case_a", "case_b"), Greatest("case_a", "case_b"), name="case_link_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_a_id}–{self.case_b_id} ({self.kind})"


class CaseMerge(models.Model):
    """并案: `duplicate` was closed into `main`; what was carried over is listed for the record."""

    duplicate = models.OneToOneField(
        Case, verbose_name=_("duplicate"), primary_key=True, on_delete=models.PROTECT, related_name="merge_record"
    )
    main = models.ForeignKey(
        Case, verbose_name=_("main case"), on_delete=models.PROTECT, related_name="merged_duplicates"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("merged by"), on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(_("merged at"), default=timezone.now)
    petitioners_carried = models.JSONField(_("petitioners carried over"), default=list, blank=True)
    attachments_carried = models.JSONField(_("files carried over"), default=list, blank=True)

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("merged case")
        verbose_name_plural = _("merged cases")
        constraints = [
            models.CheckConstraint(condition=~Q(duplicate=F("main")), name="case_merge_not_into_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.duplicate_id} → {self.main_id}"

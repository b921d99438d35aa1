"""Supervision 督办 (T22 art. 40): matters with a reply obligation, the documents the ladder issues
(催办通知书, 督办单, 通报), and recommendations for improvement (改进工作建议)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from petitions.models import Case, Department
from petitions.models.calendar import EditedInAdmin


class Trigger(EditedInAdmin):
    """Why a matter is supervised (超期未办结, 推诿敷衍拖延 …): a list administrators extend."""

    OVERDUE = "overdue"  # the one the ladder uses when its 督办单 opens a matter

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("supervision trigger")
        verbose_name_plural = _("supervision triggers")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        english = (translation.get_language() or "").startswith("en")
        return self.name_en if english and self.name_en else self.name_zh


class Mode(models.TextChoices):
    PHONE = "phone", _("By telephone")
    DOCUMENT = "document", _("In writing")
    INTERVIEW = "interview", _("Interview (summons to talk)")
    ON_SITE = "on_site", _("On site")
    JOINT = "joint", _("Joint supervision")


class ClockRule(EditedInAdmin):
    """How long one of supervision's clocks runs, or after how long a document follows: rule data."""

    class Key(models.TextChoices):
        MATTER_REPLY = "matter_reply", _("Department replies to a supervision matter")
        RECOMMENDATION_ANSWER = "recommendation_answer", _("Department answers a recommendation")
        URGE_AFTER_DEADLINE = "urge_after_deadline", _("Urging notice after a deadline has passed")
        CRITICISM_AFTER_NOTICE = "criticism_after_notice", _("Notice of criticism after a supervision notice")

    key = models.CharField(_("clock"), max_length=30, choices=Key.choices, primary_key=True)
    days = models.PositiveSmallIntegerField(_("days"), help_text=_("Day 1 is the day after the start."))
    working_days = models.BooleanField(_("working days"), default=False)

    class Meta:
        ordering = ["key"]
        verbose_name = _("supervision clock")
        verbose_name_plural = _("supervision clocks")
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=1, days__lte=366),
                name="supervision_clock_days_in_range",
                violation_error_message=_("A clock runs 1 to 366 days."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_key_display())


# The defaults (rule rows seeded by the data migration and `load_reference_data`).
DEFAULT_CLOCKS = {
    ClockRule.Key.MATTER_REPLY: (5, True),
    ClockRule.Key.RECOMMENDATION_ANSWER: (30, False),
    ClockRule.Key.URGE_AFTER_DEADLINE: (1, False),  # the day after the deadline passed
    ClockRule.Key.CRITICISM_AFTER_NOTICE: (5, True),  # still late five working days after the 督办单
}

DEFAULT_TRIGGERS = [
    ("overdue", "超期未办结", "Deadline passed, not done"),
    ("no_feedback", "未按期反馈", "No feedback"),
    ("wrong_procedure", "违反规定受理、办理", "Wrong procedure"),
    ("evasion", "推诿、敷衍、拖延", "Evasion, perfunctory handling or delay"),
    ("not_carried_out", "拒不执行处理意见", "Answer not carried out"),
    ("facts_or_law", "事实不清、适用法律错误", "Facts unclear or law wrongly applied"),
    ("false_result", "弄虚作假", "False result reported"),
]


class Matter(models.Model):
    """督办事项: one supervision of one case's department, with its reply due and the office's assessment.

    open → replied (the department's written reply, signed off by its head) → accepted, or not
    accepted (with a reason), which opens the further supervision (`follows`).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting the reply")
        REPLIED = "replied", _("Reply to assess")
        ACCEPTED = "accepted", _("Reply accepted")
        NOT_ACCEPTED = "not_accepted", _("Reply not accepted")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="supervision_matters")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="supervision_matters"
    )
    trigger = models.ForeignKey(Trigger, verbose_name=_("trigger"), on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices)
    instructions = models.TextField(_("supervision instructions"), blank=True)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervising person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    reply_due = models.DateField(_("reply due"))
    reply_due_basis = models.TextField(_("how the reply date was computed"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    # The 督办单 of the ladder that opened it, if it did; the matter this one supervises further.
    notice_number = models.CharField(_("supervision notice"), max_length=20, blank=True)
    follows = models.OneToOneField(
        "self",
        verbose_name=_("further supervision of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followed_by",
    )
    reply_text = models.TextField(_("written reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField(_("reply written at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    assessment_reason = models.TextField(_("reason"), blank=True)
    # What the reply-due chase has sent (marked in the transaction that sends it: never twice).
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["reply_due", "id"]
        verbose_name = _("supervision matter")
        verbose_name_plural = _("supervision matters")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (Q(signed_off_at__isnull=False) & ~Q(reply_text="")),
                name="supervision_matter_reply_before_assessment",
            ),
            models.CheckConstraint(
                condition=~Q(status="not_accepted") | ~Q(assessment_reason=""),
                name="supervision_matter_refusal_has_reason",
            ),
            models.UniqueConstraint(
                fields=["notice_number"], condition=~Q(notice_number=""), name="supervision_matter_notice_once"
            ),
        ]
        indexes = [
            models.Index(fields=["reply_due"], condition=Q(status="open"), name="supervision_open_matters"),
            models.Index(fields=["department", "status"], name="supervision_matter_department"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.trigger_id} {self.reply_due:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def reply_written(self) -> bool:
        return bool(self.reply_text) and self.replied_at is not None

    def reply_overdue(self, today=None) -> bool:
        return self.is_open and self.reply_due < (today or timezone.localdate())


def matter_attachment_path(instance: "MatterAttachment", filename: str) -> str:
    return f"supervision/{instance.matter_id}/{instance.sha256}.{instance.extension}"


class MatterAttachment(models.Model):
    """A file of the department's written reply (checked like every upload: petitions.services.attachments)."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=matter_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("reply attachment")
        verbose_name_plural = _("reply attachments")
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="matter_attachment_sha256_hex"),
        ]

    def __str__(self) -> str:
        return self.original_name


class DocumentKind(models.TextChoices):
    URGE = "urge", _("Urging notice (催办通知书)")
    NOTICE = "notice", _("Supervision notice (督办单)")
    CRITICISM = "criticism", _("Notice of criticism (通报)")


# The number's prefix per kind; the number itself comes from the ladder's one yearly sequence.
NUMBER_PREFIX = {DocumentKind.URGE: "CB", DocumentKind.NOTICE: "DB", DocumentKind.CRITICISM: "TB"}


class Document(models.Model):
    """A document the ladder issued on a case's deadline: once per case, kind, clock and deadline."""

    kind = models.CharField(_("document"), max_length=10, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=20, unique=True)
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="+")
    # Before routing the office answers for the case itself: no department.
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    clock = models.CharField(_("deadline"), max_length=20)
    deadline = models.DateField(_("due"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_on = models.DateField(_("issued on"))
    reply_due = models.DateField(_("reply due"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("supervision document")
        verbose_name_plural = _("supervision documents")
        constraints = [
            # 催办 and 通报 once per deadline; a 督办单 is the ladder's (once per rung: a ladder of two
            # notice rungs issues two), and unique by its number.
            models.UniqueConstraint(
                fields=["case", "kind", "clock", "deadline"],
                condition=~Q(kind="notice"),
                name="supervision_document_once",
            ),
        ]
        indexes = [models.Index(fields=["department", "kind", "issued_on"], name="supervision_document_count")]

    def __str__(self) -> str:
        return self.number


class Recommendation(models.Model):
    """改进工作建议 (T22 art. 40): the office's recommendation to a department, answered in writing."""

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="supervision_recommendations"
    )
    text = models.TextField(_("recommendation"))
    grounds = models.TextField(_("the pattern it rests on"), blank=True)
    cases = models.ManyToManyField(Case, verbose_name=_("cases"), blank=True, related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    answer_due = models.DateField(_("answer due"))
    answer_due_basis = models.TextField(blank=True)
    answer_text = models.TextField(_("written answer"), blank=True)
    adopted = models.BooleanField(_("adopted"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("recommendation for improvement")
        verbose_name_plural = _("recommendations for improvement")
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, adopted__isnull=True)
                | (Q(answered_at__isnull=False, adopted__isnull=False) & ~Q(answer_text="")),
                name="supervision_recommendation_answer_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.issued_at:%Y-%m-%d}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

"""The dispute screening register (矛盾纠纷排查), hot topics (热点) and joint meetings (联席会议).

The register records issues, never people: no field names, identifies or reaches an individual
(tests/screening/test_models.py inspects the fields), and every free text says so in its help text.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from petitions.models import Case, Category, Department, Region

NO_PERSONAL_DATA = _("Describe the issue, not people: no names, ID numbers, phone numbers or addresses of individuals.")


class Status(models.TextChoices):
    FOUND = "found", _("Found")
    RESOLVING = "resolving", _("Being resolved")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed (struck off)")


OPEN_STATUSES = (Status.FOUND, Status.RESOLVING)


class Risk(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class IssueKind(models.Model):
    """What kind of dispute (欠薪, 征地, 拆迁补偿, 物业, …): a list administrators extend."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("kind"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("kind of dispute")
        verbose_name_plural = _("kinds of dispute")
        permissions = [("manage_screening", _("Can keep the screening register, hot topics and joint meetings"))]

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    """A screening drive (大排查): the entries found in it, and when and where it ran."""

    name = models.CharField(_("campaign"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    scope = models.CharField(_("scope of the drive"), max_length=200, blank=True, help_text=NO_PERSONAL_DATA)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("screening campaign")
        verbose_name_plural = _("screening campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="screening_campaign_dates_in_order",
                violation_error_message=_("A campaign ends on or after the day it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Entry(FSMModelMixin, models.Model):
    """One issue of the register: where, what kind, how large, how risky, who answers for it, by when."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    found_on = models.DateField(_("found on"))
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    kind = models.ForeignKey(IssueKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="entries")
    title = models.CharField(_("issue"), max_length=200, help_text=NO_PERSONAL_DATA)
    description = models.TextField(_("description"), max_length=4000, blank=True, help_text=NO_PERSONAL_DATA)
    organisations = models.TextField(
        _("organisations involved"),
        max_length=1000,
        blank=True,
        help_text=_("Companies, village committees, authorities. Not individuals: no names, ID or phone numbers."),
    )
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    risk = models.CharField(_("risk level"), max_length=10, choices=Risk.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        db_index=False,  # see Meta.indexes
        related_name="screening_entries",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screening_entries",
    )
    plan = models.TextField(_("plan"), max_length=4000, blank=True, help_text=NO_PERSONAL_DATA)
    deadline = models.DateField(_("resolve by"))
    status = FSMField(_("status"), default=Status.FOUND, choices=Status.choices, protected=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cases = models.ManyToManyField(Case, through="EntryCase", related_name="+", verbose_name=_("linked cases"))

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("register entry")
        verbose_name_plural = _("screening register")
        constraints = [
            models.CheckConstraint(
                condition=Q(households__gte=0) | Q(households__isnull=True),
                name="entry_households",
                violation_error_message=_("The number of households cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) | Q(amount__isnull=True),
                name="entry_amount",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("found_on")),
                name="entry_deadline_after_found",
                violation_error_message=_("The deadline cannot be before the day the issue was found."),
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status", "deadline"], name="entry_dept_status_due"),
            models.Index(fields=["status", "deadline"], name="entry_status_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @transition(field=status, source=Status.FOUND, target=Status.RESOLVING)
    def start(self) -> None:
        """化解: the responsible unit starts working on the issue."""

    @transition(field=status, source=[Status.FOUND, Status.RESOLVING], target=Status.RESOLVED)
    def resolve(self, *, on) -> None:
        self.resolved_on = on

    @transition(field=status, source=Status.RESOLVED, target=Status.RESOLVING)
    def reopen(self) -> None:
        """The office finds the issue is not settled after all."""
        self.resolved_on = None

    @transition(field=status, source=Status.RESOLVED, target=Status.CLOSED)
    def close(self, *, at) -> None:
        self.closed_at = at

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EntryCase(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="case_links")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "case"], name="entry_case_once")]
        indexes = [models.Index(fields=["case"], name="entry_case_by_case")]

    def __str__(self) -> str:
        return f"{self.entry_id} ↔ {self.case_id}"


class EntryLog(models.Model):
    """What happened to an entry: its registration, each transition, each progress note. Append-only."""

    class Action(models.TextChoices):
        CREATE = "create", _("Registered")
        START = "start", _("Resolution started")
        RESOLVE = "resolve", _("Resolved")
        REOPEN = "reopen", _("Reopened")
        CLOSE = "close", _("Closed (struck off)")
        NOTE = "note", _("Progress note")
        LINK = "link", _("Case linked")

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="log")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    source_status = models.CharField(_("from"), max_length=10, blank=True)
    target_status = models.CharField(_("to"), max_length=10, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), max_length=4000, blank=True, help_text=NO_PERSONAL_DATA)
    # The case a link entry is about: shown only to who may open it (never written into the note).
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("register log entry")
        verbose_name_plural = _("register log")

    def __str__(self) -> str:
        return f"{self.entry_id} {self.action}"


class Topic(models.Model):
    """A hot topic (热点): a cluster of cases (category × region × period) the office took up as one."""

    title = models.CharField(_("title of the topic"), max_length=200)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    department = models.ForeignKey(
        Department, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="screening_topics"
    )
    plan = models.TextField(_("plan"), max_length=4000, blank=True)
    recommendation = models.TextField(_("policy recommendation"), max_length=4000, blank=True)
    adopted = models.BooleanField(_("recommendation adopted"), null=True, blank=True)
    case_count = models.PositiveIntegerField(_("cases"), default=0)
    repeat_count = models.PositiveIntegerField(_("repeat cases"), default=0)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("promoted by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("promoted at"), default=timezone.now)
    cases = models.ManyToManyField(Case, through="TopicCase", related_name="+", verbose_name=_("linked cases"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("hot topic")
        verbose_name_plural = _("hot topics")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="topic_period_in_order"),
            models.UniqueConstraint(
                fields=["category", "region", "period_start", "period_end"], name="topic_once_per_cluster"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TopicCase(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="case_links")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "case"], name="topic_case_once")]
        indexes = [models.Index(fields=["case"], name="topic_case_by_case")]

    def __str__(self) -> str:
        return f"{self.topic_id} ↔ {self.case_id}"


class Meeting(models.Model):
    """A joint meeting (联席会议): who convened it, which units attended, what was referred to it."""

    title = models.CharField(_("meeting"), max_length=200)
    held_on = models.DateField(_("held on"))
    convener = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("convener"), on_delete=models.PROTECT, related_name="+"
    )
    units = models.ManyToManyField(Department, verbose_name=_("attending units"), related_name="screening_meetings")
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")

    def __str__(self) -> str:
        return self.title


class MeetingItem(models.Model):
    """A matter referred to a meeting: one case, topic or register entry."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="meeting_items")
    entry = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.PROTECT, related_name="meeting_items")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, topic__isnull=True, entry__isnull=True)
                | Q(case__isnull=True, topic__isnull=False, entry__isnull=True)
                | Q(case__isnull=True, topic__isnull=True, entry__isnull=False),
                name="meeting_item_one_thing",
            ),
            models.UniqueConstraint(fields=["meeting", "case"], name="meeting_item_case_once"),
            models.UniqueConstraint(fields=["meeting", "topic"], name="meeting_item_topic_once"),
            models.UniqueConstraint(fields=["meeting", "entry"], name="meeting_item_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.case_id or self.topic_id or self.entry_id}"


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Decision(models.Model):
    """A decision of a meeting (议定事项): what, which unit carries it out, by when, and how far it got."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    text = models.TextField(_("decision"), max_length=4000)
    department = models.ForeignKey(
        Department,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        db_index=False,  # see Meta.indexes
        related_name="screening_decisions",
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=DecisionStatus.DONE, done_on__isnull=False)
                | (~Q(status=DecisionStatus.DONE) & Q(done_on__isnull=True)),
                name="decision_done_has_date",
            )
        ]
        indexes = [models.Index(fields=["department", "status", "deadline"], name="decision_dept_status_due")]

    def __str__(self) -> str:
        return self.text[:60]


class DecisionNote(models.Model):
    """Follow-through of a decision: each status change and note, who and when. Append-only."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="notes")
    status = models.CharField(_("status"), max_length=12, choices=DecisionStatus.choices)
    note = models.TextField(_("note"), max_length=4000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.status}"


class Chased(models.TextChoices):
    ENTRY = "entry", _("Register entry")
    DECISION = "decision", _("Meeting decision")


class Rung(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class ChaseRecord(models.Model):
    """One reminder sent for one deadline of a register entry or a decision: unique, so never twice.

    The deadline is part of the key: a deadline that moves is a new one, chased again.
    """

    subject = models.CharField(max_length=10, choices=Chased.choices)
    subject_id = models.PositiveBigIntegerField()
    rung = models.CharField(max_length=10, choices=Rung.choices)
    deadline = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "subject_id", "rung", "deadline"], name="chase_once_per_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.subject_id} {self.rung} {self.deadline}"

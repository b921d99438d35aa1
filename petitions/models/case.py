"""The case (信访事项), its people, its log, its attachments and the reception sessions."""

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

if TYPE_CHECKING:
    from petitions.clocks.deadlines import Deadline

from petitions.extensions import log_action_label
from petitions.models.search_vector import SearchDocument, SearchVectorField

from .choices import (
    COLLECTIVE_HEADCOUNT,
    DUE_FIELDS,
    MAX_EXTENSION_DAYS,
    OPEN_STATES,
    Channel,
    Clock,
    Closure,
    LegalType,
    Outcome,
    Purpose,
    State,
)
from .people import Petitioner
from .reference import Category, Department, Region


class ReceptionSession(models.Model):
    """领导接待日: a day on which a leader receives visitors in person."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="reception_sessions",
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "leader_id"]
        verbose_name = _("reception session")
        verbose_name_plural = _("reception sessions")
        constraints = [
            models.UniqueConstraint(fields=["leader", "date", "place"], name="reception_session_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.leader} {self.place}"


class CaseSequence(models.Model):
    """The last case number given out per year; rolled back with the transaction that took it."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class CaseManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        # The search column is for the database's index; no page reads it back.
        return super().get_queryset().defer("search_vector")


class Case(FSMModelMixin, models.Model):
    # Unique through Meta.constraints: a plain unique index, without the LIKE index `unique=True`
    # adds on PostgreSQL (every index is paid for on every intake).
    number = models.CharField(_("case number"), max_length=20, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    tracking_code = models.CharField(_("tracking code"), max_length=16, editable=False)

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))
    letter_date = models.DateField(_("date on the letter"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        db_index=False,  # see Meta.indexes
        related_name="registered_cases",
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    reception_session = models.ForeignKey(
        ReceptionSession,
        verbose_name=_("reception session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,  # see Meta.indexes
        related_name="cases",
    )

    headcount = models.PositiveSmallIntegerField(_("number of people"), default=1)
    is_collective = models.GeneratedField(
        expression=Q(headcount__gte=COLLECTIVE_HEADCOUNT),
        output_field=models.BooleanField(_("collective")),
        db_persist=True,
    )
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    legal_type = models.CharField(_("legal type"), max_length=12, choices=LegalType.choices)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        db_index=False,  # see Meta.indexes
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    summary = models.TextField(_("summary"), max_length=2000)
    request = models.TextField(_("request"), max_length=2000)
    facts = models.TextField(_("facts and reasons"), max_length=10000, blank=True)
    complained_unit = models.CharField(_("unit complained about"), max_length=200, blank=True)
    # The language the petitioner wrote to us in (online submissions): notices to them are written in it.
    submission_language = models.CharField(
        _("language of the submission"), max_length=8, blank=True, default="", db_default=""
    )
    is_repeat = models.BooleanField(_("repeat"), default=False)
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("repeat of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,  # see Meta.indexes
        related_name="repeats",
    )
    skip_level = models.BooleanField(_("skip-level"), default=False)

    state = FSMField(_("state"), default=State.RECEIVED, choices=State.choices, protected=True)
    # Bumped by every service that changes the case: a form that carries an older version is stale.
    version = models.PositiveIntegerField(default=1)

    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,  # see Meta.indexes
        related_name="cases",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,  # see Meta.indexes
        related_name="handled_cases",
    )
    owning_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owning leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,  # see Meta.indexes
        related_name="owned_cases",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)

    # Deadlines. Set only through petitions.clocks.deadlines, by the transitions.
    accept_due = models.DateField(_("decide acceptance by"))
    objection_due = models.DateField(_("department may object until"), null=True, blank=True)
    handling_due = models.DateField(_("handle by"), null=True, blank=True)
    review_request_due = models.DateField(_("review may be requested until"), null=True, blank=True)
    # The part-deadline of further work after the office sent the outcome back (补办/重办); never
    # later than handling_due. The ladder chases it while the case is back with the department.
    rework_due = models.DateField(_("further work due"), null=True, blank=True)
    # What each deadline was computed from ({clock: {start, days, working, extension}}), so that a
    # calendar change recomputes exactly these deadlines (petitions.clocks.deadlines).
    deadline_basis = models.JSONField(_("deadline basis"), default=dict, blank=True, editable=False)
    # The deadline the office must meet in the current state; what queues sort and sweeps chase.
    due_date = models.GeneratedField(
        expression=models.Case(
            models.When(state=State.RECEIVED, then="accept_due"),
            models.When(state=State.ASSIGNED, then="handling_due"),
            default=None,
        ),
        output_field=models.DateField(_("due")),
        db_persist=True,
    )

    extension_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    extension_reason = models.TextField(_("extension reason"), blank=True)
    extension_requested_days = models.PositiveSmallIntegerField(_("extension requested (days)"), default=0)
    extension_request_reason = models.TextField(_("extension request reason"), blank=True)

    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_text = models.TextField(_("written opinion"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    # When the department submitted its outcome for the office's review (审核报结).
    result_submitted_at = models.DateTimeField(_("outcome submitted at"), null=True, blank=True)
    # 办结: when the office accepted the outcome (the handling clock is met then), and who did.
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    result_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outcome accepted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,  # read with its case only
        related_name="+",
    )
    # Back with the department after a callback found the petitioner dissatisfied (handling_due then
    # holds the re-handling deadline, as it holds the review answer's in a review).
    rehandling = models.BooleanField(_("re-handling"), default=False)
    outcome_delivered_on = models.DateField(_("outcome delivered on"), null=True, blank=True)
    in_review = models.BooleanField(_("under review"), default=False)
    review_requested_at = models.DateTimeField(_("review requested at"), null=True, blank=True)

    closure = models.CharField(_("closure"), max_length=16, choices=Closure.choices, blank=True)
    closing_reason = models.TextField(_("closing reason"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    follow_up_note = models.TextField(_("follow-up notes"), blank=True)

    # Character pairs of summary and request, computed by the database (petitions.models.search_vector).
    search_vector = models.GeneratedField(
        expression=SearchDocument("summary", "request"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = CaseManager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [
            ("register_case", _("Can register cases")),
            ("route_case", _("Can accept, route, refuse and void cases")),
            ("assign_handler", _("Can assign handlers within a department")),
            ("handle_case", _("Can work cases of own department")),
            ("approve_extension", _("Can approve extensions")),
            ("close_case", _("Can close cases")),
            ("view_all_cases", _("Can see cases of every department")),
            ("view_identity", _("Can see petitioners' identity where the rules allow")),
            ("own_case", _("Can set the owning leader of a case")),
            ("hold_reception", _("Can hold reception sessions")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="case_year_sequence_unique"),
            models.UniqueConstraint(fields=["number"], name="case_number_unique"),
            models.UniqueConstraint(fields=["tracking_code"], name="case_tracking_code_unique"),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="case_headcount_positive"),
            models.CheckConstraint(
                condition=Q(extension_days__lte=MAX_EXTENSION_DAYS),
                name="case_extension_at_most_30_days",
            ),
            models.CheckConstraint(
                condition=Q(state=State.RECEIVED) | Q(state=State.CLOSED) | Q(department__isnull=False),
                name="case_assigned_has_department",
            ),
            models.CheckConstraint(
                condition=~Q(state=State.CLOSED) | ~Q(closure=""),
                name="case_closed_has_closure",
            ),
            models.CheckConstraint(
                condition=~Q(state=State.HANDLED) | ~Q(outcome=""),
                name="case_handled_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(state=State.REVIEWING) | (~Q(outcome="") & Q(result_submitted_at__isnull=False)),
                name="case_reviewing_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(rework_due__isnull=True) | Q(handling_due__isnull=False, rework_due__lte=F("handling_due")),
                name="case_rework_within_handling",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_date"], name="case_state_due"),
            models.Index(fields=["department", "state", "due_date"], name="case_dept_state_due"),
            models.Index(fields=["registered_by", "received_at"], name="case_registrar_received"),
            models.Index(fields=["owning_leader", "state"], name="case_leader_state"),
            models.Index(fields=["handler", "state"], name="case_handler_state"),
            # Foreign keys without an index of their own are covered by these, which lead with them:
            # department, handler, owning leader, registered by; the rarely set ones get partial ones.
            models.Index(fields=["repeat_of"], condition=Q(repeat_of__isnull=False), name="case_repeat_of"),
            models.Index(
                fields=["reception_session"], condition=Q(reception_session__isnull=False), name="case_reception"
            ),
            # The queue's category and region filters (with the sort keys, for an index-only choice).
            models.Index(
                fields=["category", "region"],
                include=["due_date", "received_at", "state"],
                name="case_category_region",
            ),
            models.Index(fields=["received_at", "id"], name="case_received"),
            models.Index(fields=["due_date", "id"], name="case_due"),
            models.Index(fields=["department", "received_at"], name="case_dept_received"),
            models.Index(fields=["state", "received_at"], name="case_state_received"),
            # and on PostgreSQL a GIN index on search_vector (migration 0006)
            # The reports count what was accepted, handled and closed in a period.
            models.Index(fields=["accepted_at"], name="case_accepted"),
            models.Index(fields=["handled_at"], name="case_handled"),
            models.Index(fields=["closed_at"], name="case_closed"),
            # The scheduler's auto-close finds handled cases whose review window has passed.
            models.Index(
                fields=["review_request_due"], condition=Q(state=State.HANDLED), name="case_handled_review_due"
            ),
            # The ladder chases the part-deadline of further work (escalation.ladder.chased_deadlines).
            models.Index(fields=["rework_due"], condition=Q(rework_due__isnull=False), name="case_rework_due"),
        ]

    def __str__(self) -> str:
        return self.number

    # --- Transitions. Each only moves the state and sets what belongs to the move, with the deadlines
    # --- the service computed for it (petitions.clocks). Who may take a transition, and when, is
    # --- petitions.policies; the services check it, lock the row, save, log and notify.

    @transition(field=state, source=State.RECEIVED, target=State.ASSIGNED)
    def accept(self, *, department: Department, objection: "Deadline", handling: "Deadline") -> None:
        """受理 and route to the responsible department (归口办理)."""
        now = timezone.now()
        self.department = department
        self.handler = None
        self.accepted_at = self.accepted_at or now
        self.assigned_at = now
        self.set_deadline(objection)
        self.set_deadline(handling)

    @transition(field=state, source=State.RECEIVED, target=State.CLOSED)
    def refuse(self, *, reason: str) -> None:
        """不予受理: the office will not accept the matter; the petitioner is told why."""
        self._close(Closure.NOT_ACCEPTED, reason)

    @transition(field=state, source=State.ASSIGNED, target=State.RECEIVED)
    def return_to_office(self, *, reason: str) -> None:
        """The department objects that the case is not theirs; the office routes it again."""
        self._unroute()

    @transition(field=state, source=State.ASSIGNED, target=State.RECEIVED)
    def withdraw_routing(self, *, reason: str) -> None:
        """撤回交办: the office takes the case back from the department to route it again."""
        self._unroute()

    def _unroute(self) -> None:
        self.department = None
        self.handler = None
        self.assigned_at = None
        self.clear_deadlines(Clock.OBJECTION, Clock.HANDLING)
        self.extension_requested_days = 0
        self.extension_request_reason = ""

    @transition(field=state, source=State.ASSIGNED, target=State.ASSIGNED)
    def extend(self, *, handling: "Deadline", days: int, reason: str) -> None:
        """延期: the handling deadline moves by at most 30 days, once (from the deadline as it stands)."""
        self.set_deadline(handling)
        self.extension_days = days
        self.extension_reason = reason
        self.extension_requested_days = 0
        self.extension_request_reason = ""

    @transition(field=state, source=State.ASSIGNED, target=State.REVIEWING)
    def handle(self, *, outcome: str, outcome_text: str, legal_basis: str) -> None:
        """报结: the department records the outcome and its written opinion (处理意见书), for the office
        to review; the handling clock keeps running until the office accepts it."""
        self.outcome = outcome
        self.outcome_text = outcome_text
        self.legal_basis = legal_basis
        self.result_submitted_at = timezone.now()
        self.handled_at = None
        self.result_reviewed_by = None
        self.outcome_delivered_on = None
        self.clear_deadlines(Clock.REVIEW_REQUEST, Clock.REWORK)

    @transition(field=state, source=State.REVIEWING, target=State.HANDLED)
    def accept_result(self, *, reviewer) -> None:
        """审核通过 (办结): the office accepts the department's outcome; delivery comes next."""
        self.handled_at = timezone.now()
        self.result_reviewed_by = reviewer
        self.in_review = False

    @transition(field=state, source=State.REVIEWING, target=State.ASSIGNED)
    def send_back(self, *, rework: "Deadline") -> None:
        """补办/重办: the office sends the outcome back; the department works on within `rework`."""
        self.set_deadline(rework)

    @transition(field=state, source=State.HANDLED, target=State.ASSIGNED)
    def rehandle(self, *, rehandling: "Deadline") -> None:
        """重新办理: a callback found the petitioner dissatisfied with the handling; the department
        handles the matter again by its own deadline."""
        self.rehandling = True
        self.set_deadline(rehandling)
        self.clear_deadlines(Clock.REVIEW_REQUEST, Clock.REWORK)

    @transition(field=state, source=State.HANDLED, target=State.ASSIGNED)
    def reopen_for_review(self, *, answer: "Deadline") -> None:
        """复查: the petitioner asks for a review of the outcome within 30 days of receiving it."""
        self.in_review = True
        self.review_requested_at = timezone.now()
        self.set_deadline(answer)
        self.clear_deadlines(Clock.REVIEW_REQUEST)

    @transition(field=state, source=State.HANDLED, target=State.CLOSED)
    def close(self, *, note: str = "") -> None:
        """办结归档: the outcome has been delivered; the case is closed."""
        self._close(Closure.COMPLETED, note)

    @transition(field=state, source=State.HANDLED, target=State.CLOSED)
    def auto_close(self) -> None:
        """Closed by the scheduler: no review was requested within the review window."""
        self._close(Closure.COMPLETED, "")

    @transition(field=state, source=OPEN_STATES, target=State.CLOSED)
    def void(self, *, reason: str) -> None:
        """作废: a mistaken registration. Cases are never deleted."""
        self._close(Closure.VOID, reason)

    @transition(field=state, source=OPEN_STATES, target=State.CLOSED)
    def merge_into(self, *, reason: str) -> None:
        """并案: a duplicate of another case is closed into it (the pointer is its CaseMerge row)."""
        self._close(Closure.MERGED, reason)

    def record_delivery(self, *, on: date, review_request: "Deadline") -> None:
        """The written outcome reached the petitioner; the review window starts (T22 35)."""
        self.outcome_delivered_on = on
        self.set_deadline(review_request)

    def set_deadline(self, deadline: "Deadline") -> None:
        """Keep a deadline and what it was computed from (petitions.clocks.deadlines computes, never this)."""
        setattr(self, DUE_FIELDS[deadline.clock], deadline.due)
        self.deadline_basis = {**(self.deadline_basis or {}), deadline.clock: deadline.basis}

    def clear_deadlines(self, *clocks: str) -> None:
        basis = dict(self.deadline_basis or {})
        for clock in clocks:
            setattr(self, DUE_FIELDS[clock], None)
            basis.pop(clock, None)
            if clock == Clock.HANDLING:
                basis.pop(Clock.REVIEW_ANSWER, None)
                basis.pop(Clock.REHANDLING, None)
                # A part-deadline never outlives the deadline it is part of.
                self.rework_due = None
                basis.pop(Clock.REWORK, None)
        self.deadline_basis = basis

    def _close(self, closure: str, reason: str) -> None:
        self.closure = closure
        self.closing_reason = reason
        self.closed_at = timezone.now()


class CasePetitioner(models.Model):
    class Role(models.TextChoices):
        PRIMARY = "primary", _("Primary petitioner")
        REPRESENTATIVE = "representative", _("Representative")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="case_petitioners")
    petitioner = models.ForeignKey("petitions.Petitioner", on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    position = models.PositiveSmallIntegerField(default=0)
    # What this case recorded of the person when it was registered. The person's row (Petitioner) links
    # their cases and holds what is on record now; a later change to it leaves earlier cases as they were.
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Petitioner.Gender.choices, blank=True, default="")
    id_number = models.CharField(_("resident ID number"), max_length=18, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=20, blank=True, default="")
    address = models.CharField(_("address"), max_length=200, blank=True, default="")
    # Where notices to the petitioner go by e-mail (online submissions ask for it; optional).
    email = models.EmailField(_("e-mail"), max_length=254, blank=True, default="", db_default="")

    class Meta:
        ordering = ["case_id", "position"]
        verbose_name = _("petitioner of a case")
        verbose_name_plural = _("petitioners of cases")
        constraints = [
            models.UniqueConstraint(fields=["case", "petitioner"], name="case_petitioner_unique"),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(role="primary"),
                name="case_one_primary_petitioner",
            ),
        ]
        indexes = [
            # Name search matches what the cases recorded, from the start of the name (the surname first).
            models.Index(fields=["name"], name="case_petitioner_name_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.petitioner_id} ({self.role})"


class CaseLog(models.Model):
    """Append-only history of a case: every transition, action and note, with who and when."""

    class Action(models.TextChoices):
        """What petitions writes to the log (through `petitions.services.case_log`, the one writer).
        Other apps register theirs, with their labels, in petitions.extensions."""

        REGISTER = "register", _("Registered")
        ACCEPT = "accept", _("Accepted and routed")
        REFUSE = "refuse", _("Not accepted")
        VOID = "void", _("Voided")
        RETURN = "return", _("Returned by the department")
        WITHDRAW_ROUTING = "withdraw_routing", _("Routing withdrawn by the office")
        ASSIGN_HANDLER = "assign_handler", _("Handler assigned")
        TAKE = "take", _("Taken by handler")
        REQUEST_EXTENSION = "request_extension", _("Extension requested")
        EXTEND = "extend", _("Extension approved")
        DENY_EXTENSION = "deny_extension", _("Extension refused")
        HANDLE = "handle", _("Outcome submitted for review")
        ACCEPT_RESULT = "accept_result", _("Outcome accepted by the office")
        SEND_BACK = "send_back", _("Outcome sent back for further work")
        CALLBACK = "callback", _("Callback recorded")
        REHANDLE = "rehandle", _("Back to the department to handle again")
        DELIVER = "deliver", _("Opinion delivered")
        REOPEN_FOR_REVIEW = "reopen_for_review", _("Review requested")
        CLOSE = "close", _("Closed")
        AUTO_CLOSE = "auto_close", _("Closed automatically (no review requested)")
        FOLLOW_UP = "follow_up", _("Follow-up recorded")
        SET_OWNER = "set_owner", _("Owning leader set")
        NOTE = "note", _("Note")
        ATTACH = "attach", _("File added")
        PETITIONER_MATERIAL = "petitioner_material", _("Material added by the petitioner")
        EVALUATE = "evaluate", _("Evaluated by the petitioner")
        RECOMPUTE_DEADLINES = "recompute_deadlines", _("Deadlines recomputed after a calendar change")
        HANDED_DOWN = "handed_down", _("Handed down by a higher authority")
        INTERIM_REPORT = "interim_report", _("Interim report to the higher authority")
        REPORT_BACK = "report_back", _("Report back issued to the higher authority")
        PART_ASSIGN = "part_assign", _("Co-department given a part (协办)")
        PART_ANSWER = "part_answer", _("Co-department's part recorded")
        PART_WITHDRAW = "part_withdraw", _("Co-department's part withdrawn")
        LINK = "link", _("Linked to another case")
        MERGE = "merge", _("Merged into another case")
        MERGED_IN = "merged_in", _("A duplicate was merged into this case")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="log")
    action = models.CharField(_("action"), max_length=32)
    source_state = models.CharField(_("from"), max_length=16, choices=State.choices)
    target_state = models.CharField(_("to"), max_length=16, choices=State.choices)
    # Null when the system acted (scheduler, escalation sweep).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case log entry")
        verbose_name_plural = _("case log")
        indexes = [
            models.Index(fields=["case", "at"], name="caselog_case_at"),
            # What happened in a period (routings, returns, extensions): the reports' per-department counts.
            models.Index(fields=["action", "at"], name="caselog_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("The case log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The case log is append-only.")

    @property
    def action_label(self) -> str:
        if self.action in self.Action.values:
            return str(self.Action(self.action).label)
        return log_action_label(self.action) or self.action

    @property
    def deadline_changes(self) -> list[dict]:
        """For a recomputation: each deadline that moved, with its label, old and new date."""
        return [
            {**change, "label": Clock(change["clock"]).label}
            for change in (self.data or {}).get("changes", [])
            if change.get("clock") in Clock.values
        ]


class IdentityAccess(models.Model):
    """One row per person each time staff were shown who a petitioner is, in full or as a match.

    Written only by `petitions.services.identity`; append-only in the database too. A look-up at
    intake that found nobody is a row without a person: it is still a search for someone.
    """

    class Purpose(models.TextChoices):
        REVEAL = "reveal", _("Full identity shown on the case page")
        DOCUMENT = "document", _("Printed on a case document")
        RECEIPT = "receipt", _("Printed on the receipt")
        LOOKUP = "lookup", _("Repeat look-up at intake")
        EXPORT = "export", _("Exported")
        API = "api", _("Read through the API")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.PROTECT)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.REVEAL)
    case = models.ForeignKey(
        Case, verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    petitioner = models.ForeignKey(
        "petitions.Petitioner",
        verbose_name=_("petitioner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    detail = models.CharField(
        _("detail"), max_length=100, blank=True, default="", help_text=_("The document, or what a look-up matched.")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("identity access")
        verbose_name_plural = _("identity accesses")
        indexes = [
            models.Index(fields=["case", "at"], name="identity_access_case_at"),
            models.Index(fields=["user", "purpose", "at"], name="identity_access_user_at"),
            models.Index(fields=["petitioner", "at"], name="identity_access_person_at"),
            models.Index(fields=["at"], name="identity_access_at"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.purpose} {self.petitioner_id} case {self.case_id} at {self.at:%Y-%m-%d %H:%M}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Never the uploader's file name on disk: it is kept in original_name. One file per content, which
    # every attachment of that content names (petitions.services.attachments); no date in the path, so
    # that the same content has one place whenever it comes.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}.{instance.extension}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        LETTER = "letter", _("Scanned letter")
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")
        OUTCOME = "outcome", _("Written answer")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DOCUMENT)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="attachment_sha256_hex"),
        ]
        indexes = [
            # A new upload looks for a stored file of the same content.
            models.Index(fields=["sha256"], name="attachment_sha256"),
        ]

    def __str__(self) -> str:
        return self.original_name

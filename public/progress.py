"""What the petitioner's progress page shows: plain words, dates, the department, deadlines, documents
and what they can do next — never a staff name, an internal note or an identity."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions import policies
from petitions.clocks.deadlines import case_deadlines
from petitions.models import Case, CaseLog, Clock, Closure, Evaluation, State
from petitions.services.lifecycle import review_window_error
from reports.documents import petitioner_documents
from reports.models import DocumentKind

Action = CaseLog.Action

# The steps of the log a petitioner is told about, in their words. Returns, withdrawals, handler
# assignments, notes, internal files and recomputations are the office's business.
STEP_WORDS = {
    Action.REGISTER: _("Your petition was received and registered."),
    Action.ACCEPT: _("Your petition was accepted and passed to the department that handles it."),
    Action.REFUSE: _("The office decided not to accept your petition (see the notice)."),
    Action.EXTEND: _("The time for handling was extended (see the notice)."),
    Action.HANDLE: _("The department reported its answer; the office checks it before it is issued."),
    Action.SEND_BACK: _("The office asked the department to look further into your matter."),
    Action.ACCEPT_RESULT: _("The office approved the department's answer (处理意见)."),
    Action.REHANDLE: _("After the office's call to you, the department is handling your matter again."),
    Action.DELIVER: _("The written answer was delivered to you."),
    Action.REOPEN_FOR_REVIEW: _("A review (复查) was requested."),
    Action.CLOSE: _("The matter was closed."),
    Action.AUTO_CLOSE: _("The matter was closed: no review was requested within 30 days."),
    Action.PETITIONER_MATERIAL: _("You added material."),
    Action.EVALUATE: _("You evaluated the handling."),
}

CLOCK_WORDS = {
    Clock.ACCEPT: _("The office decides whether to accept your petition by"),
    Clock.HANDLING: _("The department answers by"),
    Clock.REVIEW_ANSWER: _("The review is answered by"),
    Clock.REHANDLING: _("The department answers again by"),
    Clock.REVIEW_REQUEST: _("You may request a review (复查) until"),
}


def state_words(case: Case) -> str:
    if case.state == State.RECEIVED:
        return str(_("Received: the office is deciding whether to accept it."))
    if case.state == State.ASSIGNED:
        if case.in_review:
            return str(_("Under review (复查): the department is looking at its answer again."))
        if case.rehandling:
            return str(_("Handled again: after the office's call to you, the department is looking at it again."))
        return str(_("Accepted: the department is handling it."))
    if case.state == State.REVIEWING:
        return str(_("Answer being checked: the department has answered and the office checks the answer first."))
    if case.state == State.HANDLED:
        if case.outcome_delivered_on is None:
            return str(_("Answered: the written answer is on its way to you."))
        return str(_("Answered: the written answer was delivered to you."))
    if case.closure == Closure.NOT_ACCEPTED:
        return str(_("Not accepted: the notice tells you why and where to turn."))
    if case.closure == Closure.VOID:
        return str(_("Closed: this registration was made by mistake and is void."))
    return str(_("Closed: the matter has been handled."))


@dataclass(frozen=True)
class Step:
    on: date
    words: str


@dataclass(frozen=True)
class DueDate:
    words: str
    due: date
    explanation: str


@dataclass
class Progress:
    case: Case
    state: str
    department: str
    steps: list[Step]
    deadlines: list[DueDate]
    documents: list[tuple[str, str]]  # (kind, title)
    may_add_material: policies.Decision
    may_evaluate: policies.Decision
    evaluated: Evaluation | None
    may_request_review: policies.Decision
    review_until: date | None = None
    next_steps: list[str] = field(default_factory=list)


def review_decision(case: Case) -> policies.Decision:
    """The review button's decision: the policy, then the 30-day window (the service's own check)."""
    decision = policies.may_petitioner_request_review(case)
    if not decision:
        return decision
    error = review_window_error(case, timezone.localdate())
    return policies.Decision(error is None, error or "")


def _review_window_open(clock: str, case: Case) -> bool:
    return clock == Clock.REVIEW_REQUEST and case.state == State.HANDLED


def case_progress(case: Case, *, case_petitioner_id: int) -> Progress:
    steps = [
        Step(timezone.localtime(at).date(), str(STEP_WORDS[action]))
        for action, at in case.log.filter(action__in=list(STEP_WORDS)).order_by("at", "id").values_list("action", "at")
    ]
    deadlines = [
        DueDate(str(CLOCK_WORDS[row.clock]), row.due, row.explanation)
        for row in case_deadlines(case)
        if row.clock in CLOCK_WORDS
        and (row.running or (row.clock == Clock.REVIEW_REQUEST and case.state == State.HANDLED))
    ]
    evaluated = Evaluation.objects.filter(case=case, case_petitioner_id=case_petitioner_id).first()
    progress = Progress(
        case=case,
        state=state_words(case),
        department=case.department.name if case.department_id and case.closure != Closure.NOT_ACCEPTED else "",
        steps=steps,
        deadlines=deadlines,
        documents=[(kind, str(DocumentKind(kind).label)) for kind in petitioner_documents(case)],
        may_add_material=policies.may_petitioner_add_material(case),
        may_evaluate=policies.may_petitioner_evaluate(case) if evaluated is None else policies.Decision(False),
        evaluated=evaluated,
        may_request_review=review_decision(case),
        review_until=case.review_request_due if case.state == State.HANDLED else None,
    )
    progress.next_steps = _next_steps(progress)
    return progress


def _next_steps(progress: Progress) -> list[str]:
    words = []
    if progress.may_add_material:
        words.append(str(_("You can add material (a message or files) while the matter is open.")))
    if progress.may_evaluate:
        words.append(str(_("You can tell us how satisfied you are with the handling.")))
    if progress.may_request_review:
        words.append(str(_("If you disagree with the answer, you can request a review (复查) within 30 days.")))
    if progress.case.closure == Closure.NOT_ACCEPTED:
        words.append(str(_("The notice of non-acceptance says where the matter can be taken instead.")))
    if not words:
        words.append(str(_("Nothing is needed from you now; come back to see how it goes.")))
    return words

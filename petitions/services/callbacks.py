"""Callbacks 回访 and re-handling: what the caller heard, and what follows a dissatisfied petitioner.

The satisfaction is an `Evaluation` (the one source of the satisfaction figures), entered by the
caller and tied to its callback; 未评价 is a callback without one.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions import policies
from petitions.clocks.deadlines import deadline_for
from petitions.models import Callback, Case, Clock, Evaluation, Satisfaction, Solved, User
from petitions.services.evaluations import evaluation_record
from petitions.services.lifecycle import Action, _check, _enforce, _save_and_log, locked_case
from petitions.services.notifications import department_leads, notify

NOT_EVALUATED = ""  # 未评价: the petitioner gave no verdict


@dataclass(frozen=True)
class CallbackAnswer:
    """What the caller records; satisfaction NOT_EVALUATED and solved "" when not said."""

    reached: bool
    satisfaction: str = NOT_EVALUATED
    solved: str = ""
    follow_up: str = Callback.FollowUp.NONE
    note: str = ""
    source: str = Evaluation.Source.PHONE


def _answer_error(answer: CallbackAnswer):
    """Why the answer is not consistent, or None."""
    if answer.satisfaction not in (NOT_EVALUATED, *Satisfaction.values):
        return _("Choose how satisfied the petitioner is.")
    if answer.solved not in ("", *Solved.values):
        return _("Choose whether the problem was solved.")
    if answer.follow_up not in Callback.FollowUp.values:
        return _("Choose what follows the callback.")
    if answer.source == Evaluation.Source.ONLINE or answer.source not in Evaluation.Source.values:
        return _("Say how the petitioner was reached.")
    if not answer.reached and (answer.satisfaction or answer.solved or answer.follow_up):
        return _("The petitioner was not reached: record no satisfaction, no answer and nothing that follows.")
    if answer.follow_up and answer.satisfaction != Satisfaction.DISSATISFIED:
        return _("Re-handling or an explanation follows only a dissatisfied petitioner.")
    if answer.follow_up and not answer.note.strip():
        return _("Say what the petitioner is dissatisfied with, and why it is handled again or how it was explained.")
    return None


def callback_record(*, case_id: int, actor: User, answer: CallbackAnswer, expected_version: int | None = None) -> Case:
    """回访 done: the caller's record of the open callback; 不满意 for reasons of the handling sends
    the case back to its department to handle again (its own deadline), or an explanation is kept."""
    error = _answer_error(answer)
    _check(error is None, error)
    note = answer.note.strip()
    with locked_case(case_id, expected_version) as case:
        _enforce(policies.may_record_callback(case, actor))
        if answer.follow_up == Callback.FollowUp.REHANDLE:
            _enforce(policies.may_rehandle(case, actor))
        callback = Callback.objects.select_for_update().get(case=case, done_at__isnull=True)
        if answer.satisfaction:
            callback.evaluation = evaluation_record(
                case=case, level=answer.satisfaction, source=answer.source, entered_by=actor, comment=note
            )
        callback.done_at = timezone.now()
        callback.done_by = actor
        callback.reached = answer.reached
        callback.solved = answer.solved
        callback.follow_up = answer.follow_up
        callback.note = note[:2000]
        callback.save()
        data = {
            "round": callback.round,
            "reached": answer.reached,
            "satisfaction": answer.satisfaction,
            "solved": answer.solved,
            "follow_up": answer.follow_up,
            "source": answer.source,
            "department": callback.department_id,
            "department_name": callback.department.name,
        }
        _save_and_log(case, action=Action.CALLBACK, source=case.state, actor=actor, note=note, data=data)
        if answer.follow_up == Callback.FollowUp.REHANDLE:
            _rehandle(case, actor=actor, reason=note, callback=callback)
    return case


def _rehandle(case: Case, *, actor: User, reason: str, callback: Callback) -> None:
    source = case.state
    deadline = deadline_for(Clock.REHANDLING, timezone.localdate())
    case.rehandle(rehandling=deadline)
    _save_and_log(
        case,
        action=Action.REHANDLE,
        source=source,
        actor=actor,
        note=reason,
        data={
            "round": callback.round,
            "department": case.department_id,
            "department_name": case.department.name,
            "due": deadline.due.isoformat(),
        },
    )
    notify(
        users=department_leads(case),
        case=case,
        kind="case_rehandling",
        params={"number": case.number, "due": deadline.due.isoformat(), "reason": reason},
    )


def callback_answer_from_form(data: dict) -> CallbackAnswer:
    """The answer as the case page's form cleaned it."""
    return CallbackAnswer(
        reached=data["reached"] == "yes",
        satisfaction=data.get("satisfaction") or NOT_EVALUATED,
        solved=data.get("solved") or "",
        follow_up=data.get("follow_up") or Callback.FollowUp.NONE,
        note=data.get("note") or "",
        source=data.get("source") or Evaluation.Source.PHONE,
    )

"""One service per change of a case.

Each runs in one transaction: it re-reads the case `select_for_update`, refuses a stale form, checks
state, data, role and department (django-fsm's `permission=` is only advisory), changes the case,
saves it, writes the log row, and leaves notifications to be sent after the commit.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions import policies
from petitions.clocks.date_windows import delivery_date_error, review_request_date_error
from petitions.clocks.deadlines import (
    Statutes,
    deadline_for,
    extend_deadline,
    extension_limit,
    recomputed,
    rework_deadline,
)
from petitions.errors import ActionNotAllowed, StaleCase
from petitions.models import (
    Case,
    CaseLog,
    CasePart,
    CasePetitioner,
    Clock,
    Department,
    Evaluation,
    NoticeEvent,
    Role,
    User,
)
from petitions.selectors.parts_and_links import parts_summary, standing_parts
from petitions.services.callback_schedule import callback_schedule
from petitions.services.case_log import case_log
from petitions.services.evaluations import evaluation_record
from petitions.services.notifications import department_leads, notify, users_with_role
from petitions.services.petitioner_notices import notices_queue

SYSTEM = None  # the actor of what the scheduler does
Action = CaseLog.Action

# Every column a service may change; each save writes only those that changed (see _save_and_log).
_SAVED_FIELDS = tuple(
    field.attname
    for field in Case._meta.concrete_fields
    if not field.primary_key and not getattr(field, "generated", False)
)


def _values(case: Case) -> dict:
    return {name: getattr(case, name) for name in _SAVED_FIELDS}


@contextmanager
def locked_case(case_id: int, expected_version: int | None) -> Iterator[Case]:
    """The case, locked for this transaction; refuses if the form that asked was stale."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if expected_version is not None and case.version != expected_version:
            raise StaleCase(
                _(
                    "Someone else changed this case a moment ago (it is now: %(state)s). "
                    "Nothing was saved; the page shows the case as it is now."
                )
                % {"state": case.get_state_display()}
            )
        case._loaded_values = _values(case)
        yield case


def _enforce(decision: policies.Decision) -> None:
    """The policy's decision, enforced: the same check the case page's button followed."""
    if not decision:
        raise ActionNotAllowed(decision.reason)


def _check(allowed: bool, message) -> None:
    """A check of the input given (not of who may act: that is petitions.policies)."""
    if not allowed:
        raise ActionNotAllowed(message)


def _save_and_log(
    case: Case,
    *,
    action: str,
    source: str,
    actor: User | None,
    note: str = "",
    data: dict | None = None,
) -> CaseLog:
    """Save what the action changed (only that: update_fields) with a new version, and log it."""
    case.version += 1
    before = getattr(case, "_loaded_values", {})
    changed = [name for name, value in _values(case).items() if name not in before or before[name] != value]
    case.save(update_fields=changed)
    case._loaded_values = _values(case)
    return case_log(case, action, actor=actor, source_state=source, note=note, data=data)


def _required(text: str, message) -> str:
    text = (text or "").strip()
    if not text:
        raise ActionNotAllowed(message)
    return text


# --- Office: accept and route, refuse, void ------------------------------------------------------


def case_accept(
    *,
    case_id: int,
    actor: User,
    department: Department,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """受理 and route to `department` (归口办理). A returned case is routed again the same way."""
    with locked_case(case_id, expected_version) as case:
        _enforce(policies.may_accept(case, actor))
        _check(department.is_active, _("This department no longer takes cases."))
        source = case.state
        on, statutes = timezone.localdate(), Statutes.load()
        case.accept(
            department=department,
            objection=deadline_for(Clock.OBJECTION, on, statutes=statutes),
            handling=deadline_for(Clock.HANDLING, on, statutes=statutes),
        )
        _save_and_log(
            case,
            action=Action.ACCEPT,
            source=source,
            actor=actor,
            note=note,
            data={"department": department.pk, "department_name": department.name},
        )
        notify(
            users=users_with_role(Role.DEPARTMENT_HEAD, department_id=department.pk),
            case=case,
            kind="case_routed",
            params={"number": case.number},
        )
        notices_queue(case=case, event=NoticeEvent.ACCEPTED)
    return case


def _close_for_a_reason(
    case_id: int, actor: User, reason: str, expected_version: int | None, *, policy, transition: str, action: str
) -> Case:
    """Refusing and voiding: the policy, a transition that closes the case, the reason as the log's note."""
    with locked_case(case_id, expected_version) as case:
        _enforce(policy(case, actor))
        source = case.state
        getattr(case, transition)(reason=reason)
        _save_and_log(case, action=action, source=source, actor=actor, note=reason)
        if action == Action.REFUSE:
            notices_queue(case=case, event=NoticeEvent.NOT_ACCEPTED)
    return case


def case_refuse(*, case_id: int, actor: User, reason: str, expected_version: int | None = None) -> Case:
    """不予受理, with the reason the petitioner will be told."""
    reason = _required(reason, _("Give the reason the petitioner will be told."))
    return _close_for_a_reason(
        case_id, actor, reason, expected_version, policy=policies.may_refuse, transition="refuse", action=Action.REFUSE
    )


def case_void(*, case_id: int, actor: User, reason: str, expected_version: int | None = None) -> Case:
    """作废: a registration made by mistake is closed, never deleted."""
    reason = _required(reason, _("Say why this registration is void."))
    return _close_for_a_reason(
        case_id, actor, reason, expected_version, policy=policies.may_void, transition="void", action=Action.VOID
    )


# --- Department: return, assign, take --------------------------------------------------------------


def _back_to_office(case: Case, *, transition: str, action: str, actor: User, reason: str) -> Department:
    """Move a routed case back to the office by `transition`, log it as `action`; the department it left."""
    source = case.state
    department = case.department
    getattr(case, transition)(reason=reason)
    _save_and_log(
        case,
        action=action,
        source=source,
        actor=actor,
        note=reason,
        data={"department": department.pk, "department_name": department.name},
    )
    _end_parts(case, actor=actor, reason=reason)
    return department


def _end_parts(case: Case, *, actor: User | None, reason: str) -> None:
    """A case that leaves its lead department ends its co-departments' parts (answered or not): they no
    longer see it, and a new routing gives parts afresh."""
    parts = standing_parts(case, with_files=False)
    if not parts:
        return
    CasePart.objects.filter(pk__in=[part.pk for part in parts]).update(withdrawn_at=timezone.now())
    case_log(case, Action.PART_WITHDRAW, actor=actor, note=reason, data={"parts": parts_summary(parts)})


def case_return(*, case_id: int, actor: User, reason: str, expected_version: int | None = None) -> Case:
    """The department objects that the case is not theirs (T22 23): back to the office to route again."""
    reason = _required(reason, _("Say why the case is not for this department."))
    with locked_case(case_id, expected_version) as case:
        _enforce(policies.may_return(case, actor))
        department = _back_to_office(
            case, transition="return_to_office", action=Action.RETURN, actor=actor, reason=reason
        )
        notify(
            users=users_with_role(Role.SUPERVISOR),
            case=case,
            kind="case_returned",
            params={"number": case.number, "department": department.name},
        )
    return case


def case_withdraw_routing(*, case_id: int, actor: User, reason: str, expected_version: int | None = None) -> Case:
    """撤回交办: the office takes a routed case back from the department, to route it again."""
    reason = _required(reason, _("Say why the routing is withdrawn."))
    with locked_case(case_id, expected_version) as case:
        _enforce(policies.may_withdraw_routing(case, actor))
        told = list(department_leads(case))  # read before the case leaves the department
        department = _back_to_office(
            case, transition="withdraw_routing", action=Action.WITHDRAW_ROUTING, actor=actor, reason=reason
        )
        # No link to the case: once withdrawn, the department can no longer open it.
        notify(
            users=told,
            case=None,
            kind="routing_withdrawn",
            params={"number": case.number, "department": department.name, "reason": reason},
        )
    return case


def case_assign_handler(
    *,
    case_id: int,
    actor: User,
    handler: User,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """The department head gives the case to one of the department's handlers."""
    with locked_case(case_id, expected_version) as case:
        _enforce(policies.may_assign_handler(case, actor))
        _check(
            policies.is_handler_of(handler, case),
            _("%(name)s is not a handler of this department.") % {"name": handler},
        )
        previous = case.handler
        case.handler = handler
        _save_and_log(
            case,
            action=Action.ASSIGN_HANDLER,
            source=case.state,
            actor=actor,
            note=note,
            data={"handler": handler.pk, "handler_name": str(handler), "previous": previous.pk if previous else None},
        )
        if handler != actor:
            notify(users=[handler], case=case, kind="case_assigned_to_you", params={"number": case.number})
    return case


def case_take(*, case_id: int, actor: User, expected_version: int | None = None) -> Case:
    """A handler takes an unassigned case of their own department."""
    with locked_case(case_id, expected_version) as case:
        _enforce(policies.may_take(case, actor))
        case.handler = actor
        _save_and_log(
            case,
            action=Action.TAKE,
            source=case.state,
            actor=actor,
            data={"handler": actor.pk, "handler_name": str(actor)},
        )
    return case


# --- Extension -------------------------------------------------------------------------------------


def _check_extension_days(days: int) -> None:
    limit = extension_limit()
    _check(1 <= days <= limit, _("An extension is 1 to %(max)d days.") % {"max": limit})


def case_request_extension(
    *,
    case_id: int,
    actor: User,
    days: int,
    reason: str,
    expected_version: int | None = None,
) -> Case:
    """The department asks for more time; a supervisor decides."""
    reason = _required(reason, _("Give the reason for the extension; the petitioner will be told."))
    _check_extension_days(days)
    with locked_case(case_id, expected_version) as case:
        _enforce(policies.may_request_extension(case, actor))
        case.extension_requested_days = days
        case.extension_request_reason = reason
        _save_and_log(
            case, action=Action.REQUEST_EXTENSION, source=case.state, actor=actor, note=reason, data={"days": days}
        )
        notify(
            users=users_with_role(Role.SUPERVISOR),
            case=case,
            kind="extension_requested",
            params={"number": case.number, "days": days},
        )
    return case


def case_extend(
    *,
    case_id: int,
    actor: User,
    days: int,
    reason: str,
    expected_version: int | None = None,
) -> Case:
    """延期 approved: the handling deadline moves by `days` (at most 30, once; T22 34)."""
    reason = _required(reason, _("Give the reason for the extension; the petitioner will be told."))
    _check_extension_days(days)
    with locked_case(case_id, expected_version) as case:
        _enforce(policies.may_extend(case, actor))
        source = case.state
        old_due = case.handling_due
        statutes = Statutes.load()
        current = recomputed(case, [Clock.HANDLING], statutes)[Clock.HANDLING]
        case.extend(handling=extend_deadline(current, days, statutes=statutes), days=days, reason=reason)
        _save_and_log(
            case,
            action=Action.EXTEND,
            source=source,
            actor=actor,
            note=reason,
            data={"days": days, "old_due": old_due.isoformat(), "new_due": case.handling_due.isoformat()},
        )
        notify(
            users=department_leads(case),
            case=case,
            kind="extension_granted",
            params={"number": case.number, "due": case.handling_due.isoformat()},
        )
        notices_queue(case=case, event=NoticeEvent.EXTENDED)
    return case


def case_deny_extension(*, case_id: int, actor: User, reason: str, expected_version: int | None = None) -> Case:
    reason = _required(reason, _("Say why the extension is refused."))
    with locked_case(case_id, expected_version) as case:
        _enforce(policies.may_deny_extension(case, actor))
        days = case.extension_requested_days
        case.extension_requested_days = 0
        case.extension_request_reason = ""
        _save_and_log(
            case, action=Action.DENY_EXTENSION, source=case.state, actor=actor, note=reason, data={"days": days}
        )
        notify(users=department_leads(case), case=case, kind="extension_denied", params={"number": case.number})
    return case


# --- Outcome, delivery, review, closing -------------------------------------------------------------


def case_handle(
    *,
    case_id: int,
    actor: User,
    outcome: str,
    outcome_text: str,
    legal_basis: str = "",
    despite_open_parts: bool = False,
    expected_version: int | None = None,
) -> Case:
    """报结: the department records the outcome and the written opinion (处理意见书, T22 32); the office
    reviews it (case_accept_result / case_send_back) before it is issued.

    In a joint case the lead answers once; while a co-department's part is still owed it must say that it
    answers without it (`despite_open_parts`). The log entry lists every part and whether it was given."""
    outcome_text = _required(outcome_text, _("Write the opinion the petitioner will receive."))
    with locked_case(case_id, expected_version) as case:
        _enforce(policies.may_handle(case, actor))
        parts = standing_parts(case, with_files=False)
        owed = [part for part in parts if part.is_open]
        _check(
            not owed or despite_open_parts,
            _(
                "Parts of this case are still owed by %(departments)s. Wait for them, or confirm that you "
                "answer without them."
            )
            % {"departments": "、".join(part.department.name for part in owed)},
        )
        source = case.state
        department = case.department
        case.handle(outcome=outcome, outcome_text=outcome_text, legal_basis=(legal_basis or "").strip())
        data = {"outcome": outcome, "department": department.pk, "department_name": department.name}
        if parts:
            data["parts"] = parts_summary(parts)
        _save_and_log(
            case,
            action=Action.HANDLE,
            source=source,
            actor=actor,
            data=data,
        )
        notify(
            users=users_with_role(Role.SUPERVISOR), case=case, kind="result_to_review", params={"number": case.number}
        )
    return case


def case_accept_result(*, case_id: int, actor: User, note: str = "", expected_version: int | None = None) -> Case:
    """审核通过 (办结): the office accepts the department's outcome; the opinion is issued in the
    department's name and the petitioner told; delivery and closing follow as before."""
    with locked_case(case_id, expected_version) as case:
        _enforce(policies.may_accept_result(case, actor))
        source = case.state
        case.accept_result(reviewer=actor)
        _save_and_log(
            case,
            action=Action.ACCEPT_RESULT,
            source=source,
            actor=actor,
            note=note,
            data={"outcome": case.outcome, "department": case.department_id, "department_name": case.department.name},
        )
        notify(users=department_leads(case), case=case, kind="case_handled", params={"number": case.number})
        notices_queue(
            case=case, event=NoticeEvent.REVIEW_DECIDED if case.review_requested_at else NoticeEvent.OUTCOME_ISSUED
        )
    return case


def case_send_back(*, case_id: int, actor: User, reason: str, expected_version: int | None = None) -> Case:
    """补办/重办: the office sends the outcome back to the department with `reason`; the department
    works on within a part-deadline that never runs past the handling deadline."""
    reason = _required(reason, _("Say what the department must do further."))
    with locked_case(case_id, expected_version) as case:
        _enforce(policies.may_send_back(case, actor))
        source = case.state
        rework = rework_deadline(timezone.localdate(), case.handling_due)
        case.send_back(rework=rework)
        _save_and_log(
            case,
            action=Action.SEND_BACK,
            source=source,
            actor=actor,
            note=reason,
            data={
                "department": case.department_id,
                "department_name": case.department.name,
                "due": rework.due.isoformat(),
                "handling_due": case.handling_due.isoformat(),
            },
        )
        notify(
            users=department_leads(case),
            case=case,
            kind="result_sent_back",
            params={"number": case.number, "due": rework.due.isoformat(), "reason": reason},
        )
    return case


def case_record_delivery(
    *,
    case_id: int,
    actor: User,
    delivered_on: date,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """The written opinion reached the petitioner on `delivered_on`; the 30-day review window opens."""
    with locked_case(case_id, expected_version) as case:
        _enforce(policies.may_record_delivery(case, actor))
        error = delivery_date_error(
            delivered_on, handled_on=timezone.localtime(case.handled_at).date(), today=timezone.localdate()
        )
        _check(error is None, error)
        case.record_delivery(on=delivered_on, review_request=deadline_for(Clock.REVIEW_REQUEST, delivered_on))
        _save_and_log(
            case,
            action=Action.DELIVER,
            source=case.state,
            actor=actor,
            note=note,
            data={"delivered_on": delivered_on.isoformat()},
        )
        callback_schedule(case=case, delivered_on=delivered_on)
    return case


def review_window_error(case: Case, requested_on: date) -> str | None:
    """Why a review cannot be requested on `requested_on` (T22 35's 30 days), or None."""
    error = review_request_date_error(
        requested_on,
        delivered_on=case.outcome_delivered_on,
        request_due=case.review_request_due,
        today=timezone.localdate(),
    )
    return str(error) if error else None


def _reopen(case: Case, *, actor: User | None, requested_on: date, note: str, data: dict) -> None:
    """The review transition, after the caller's policy (delivered, not yet requested): the 30-day
    window, the answer's clock, the log entry, the department told."""
    error = review_window_error(case, requested_on)
    _check(error is None, error)
    source = case.state
    case.reopen_for_review(answer=deadline_for(Clock.REVIEW_ANSWER, requested_on))
    _save_and_log(
        case,
        action=Action.REOPEN_FOR_REVIEW,
        source=source,
        actor=actor,
        note=note,
        data={"requested_on": requested_on.isoformat(), **data},
    )
    notify(users=department_leads(case), case=case, kind="review_requested", params={"number": case.number})


def case_reopen_for_review(
    *,
    case_id: int,
    actor: User,
    requested_on: date,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """复查: the petitioner asks for a review within 30 days of receiving the opinion (T22 35)."""
    with locked_case(case_id, expected_version) as case:
        _enforce(policies.may_reopen_for_review(case, actor))
        _reopen(case, actor=actor, requested_on=requested_on, note=note, data={})
    return case


def case_request_review_online(*, case_id: int, actor: User, reason: str) -> Case:
    """复查 asked by the petitioner on the public site today: the same transition, clock and
    notification as when the office registers it; `actor` is the public site's account."""
    reason = _required(reason, _("Say why you ask for a review."))
    with locked_case(case_id, None) as case:
        _enforce(policies.may_petitioner_request_review(case))
        _reopen(case, actor=actor, requested_on=timezone.localdate(), note=reason, data={"by": "petitioner"})
        notify(
            users=users_with_role(Role.SUPERVISOR), case=case, kind="review_requested", params={"number": case.number}
        )
    return case


def case_close(
    *,
    case_id: int,
    actor: User,
    note: str = "",
    satisfaction: str = "",
    expected_version: int | None = None,
) -> Case:
    """Close a handled case whose opinion was delivered."""
    with locked_case(case_id, expected_version) as case:
        _enforce(policies.may_close(case, actor))
        source = case.state
        case.close(note=note)
        if satisfaction:
            evaluation_record(
                case=case, level=satisfaction, source=Evaluation.Source.OTHER, entered_by=actor, comment=note
            )
        _save_and_log(
            case,
            action=Action.CLOSE,
            source=source,
            actor=actor,
            note=note,
            data={"satisfaction": satisfaction} if satisfaction else {},
        )
    return case


def case_auto_close(*, case_id: int) -> Case | None:
    """Closed by the scheduler: handled, delivered, and the review window has passed. None if not due."""
    with locked_case(case_id, None) as case:
        if not policies.may_auto_close(case):
            return None
        source = case.state
        case.auto_close()
        _save_and_log(
            case,
            action=Action.AUTO_CLOSE,
            source=source,
            actor=SYSTEM,
            data={"review_request_due": case.review_request_due.isoformat()},
        )
    return case


def case_record_follow_up(
    *,
    case_id: int,
    actor: User,
    satisfaction: str,
    note: str = "",
    source: str = Evaluation.Source.PHONE,
    expected_version: int | None = None,
) -> Case:
    """回访: the petitioner's satisfaction (an Evaluation entered by `actor`, asked by `source`: phone,
    visit, letter) and follow-up notes, at or after closing."""
    with locked_case(case_id, expected_version) as case:
        _enforce(policies.may_record_follow_up(case, actor))
        _check(source != Evaluation.Source.ONLINE, _("Only the petitioner evaluates online."))
        evaluation_record(case=case, level=satisfaction, source=source, entered_by=actor, comment=note)
        if note:
            case.follow_up_note = f"{case.follow_up_note}\n{note}".strip()
        _save_and_log(
            case,
            action=Action.FOLLOW_UP,
            source=case.state,
            actor=actor,
            note=note,
            data={"satisfaction": satisfaction, "source": source},
        )
    return case


def case_evaluate_online(*, case_id: int, case_petitioner_id: int, level: str, comment: str, actor: User) -> Evaluation:
    """The petitioner's own evaluation, once per petitioner and case (the database refuses a second).

    `actor` is the public site's account, written on the case log; the evaluation itself has no
    `entered_by` (nobody entered it for the petitioner).
    """
    try:
        with locked_case(case_id, None) as case:
            decision = policies.may_petitioner_evaluate(case)
            if not decision:
                raise ActionNotAllowed(decision.reason)
            person = CasePetitioner.objects.get(pk=case_petitioner_id, case=case)
            if Evaluation.objects.filter(case=case, case_petitioner=person).exists():
                raise ActionNotAllowed(_("You have already evaluated the handling of this matter."))
            with transaction.atomic():
                evaluation = evaluation_record(
                    case=case,
                    level=level,
                    source=Evaluation.Source.ONLINE,
                    entered_by=None,
                    comment=comment,
                    case_petitioner=person,
                )
            case_log(case, Action.EVALUATE, actor=actor, data={"satisfaction": level, "source": "online"})
            notify(users=department_leads(case), case=case, kind="petitioner_evaluated", params={"number": case.number})
    except IntegrityError as error:  # two submits at once: the unique constraint decided
        raise ActionNotAllowed(_("You have already evaluated the handling of this matter.")) from error
    return evaluation


# --- Notes and ownership ------------------------------------------------------------------------------


def case_add_note(*, case_id: int, actor: User, note: str) -> CaseLog:
    """An internal note on the timeline. Never printed on documents for the petitioner."""
    note = _required(note, _("The note is empty."))
    with locked_case(case_id, None) as case:
        _enforce(policies.may_add_note(case, actor))
        return case_log(case, Action.NOTE, actor=actor, note=note)


def case_set_owner(
    *,
    case_id: int,
    actor: User,
    leader: User | None,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """领导包案: a leader takes personal charge of a case (or the ownership is removed)."""
    with locked_case(case_id, expected_version) as case:
        _enforce(policies.may_set_owner(case, actor))
        if leader is not None:
            _check(policies.is_leader(leader), _("%(name)s is not a leader.") % {"name": leader})
        previous = case.owning_leader
        case.owning_leader = leader
        _save_and_log(
            case,
            action=Action.SET_OWNER,
            source=case.state,
            actor=actor,
            note=note,
            data={
                "leader": leader.pk if leader else None,
                "leader_name": str(leader) if leader else "",
                "previous": previous.pk if previous else None,
            },
        )
        if leader is not None and leader != actor:
            notify(users=[leader], case=case, kind="case_owned", params={"number": case.number})
    return case

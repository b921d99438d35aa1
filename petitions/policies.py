"""Who may do what, and why not: every check of an action or a page, each written once.

A case action has one function `may_<action>(case, user) -> Decision`. The case page shows the
action's button when the decision allows it; the service that carries the action out asks the same
function again, inside its transaction and on the locked row, and refuses with the decision's reason:
the services stay the enforcing layer, the buttons follow them. django-fsm's transitions say only
which state a move leaves from and goes to (`_state_allows` reads that); every other condition — data,
role, department, time — is here.

Pages have `may_<page>(user) -> bool`, used by the views and the navigation alike. What a user may
see (cases, identities) is `petitions.selectors.scopes`.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from petitions.models import Callback, Case, CasePart, Closure, HandedDown, Role, State, User
from petitions.selectors.scopes import can_view_case, in_department, is_office_staff


@dataclass(frozen=True)
class Decision:
    """Whether an action may be taken now, and if not, why (translated, fit to show the user)."""

    allowed: bool
    reason: str | Promise = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def _deny(reason: str | Promise) -> Decision:
    return Decision(False, reason)


def _first_refusal(*checks: tuple[bool, str | Promise]) -> Decision:
    """The first check that fails, in order; checks cheap and general first."""
    for passed, reason in checks:
        if not passed:
            return _deny(reason)
    return ALLOW


def _state_allows(case: Case, transition: str) -> tuple[bool, str | Promise]:
    """Whether the case's state has `transition` (its `source` states, declared once, on the model)."""
    return (
        can_proceed(getattr(case, transition), check_conditions=False),
        _("This cannot be done while the case is %(state)s.") % {"state": case.get_state_display()},
    )


def _assigned(case: Case) -> tuple[bool, str | Promise]:
    return case.state == State.ASSIGNED, _("Only a case with a department can have this done.")


def _not_in_review(case: Case) -> tuple[bool, str | Promise]:
    return not case.in_review, _("A case under review stays with its department until the review is answered.")


_OFFICE_ROUTES = _("Only the letters and visits office can do this.")
_OWN_DEPARTMENT = _("Only the case's department can do this.")


def _handles(case: Case, user: User) -> bool:
    """The case's handler, or its department's head."""
    return (
        user.has_perm("petitions.handle_case")
        and in_department(case, user)
        and (case.handler_id == user.pk or user.has_perm("petitions.assign_handler"))
    )


# --- The office: accept and route, refuse, void, withdraw ----------------------------------------------


def may_accept(case: Case, user: User) -> Decision:
    """受理 and route (归口办理); a returned case is routed again the same way."""
    return _first_refusal(_state_allows(case, "accept"), (user.has_perm("petitions.route_case"), _OFFICE_ROUTES))


def may_refuse(case: Case, user: User) -> Decision:
    return _first_refusal(_state_allows(case, "refuse"), (user.has_perm("petitions.route_case"), _OFFICE_ROUTES))


def may_void(case: Case, user: User) -> Decision:
    return _first_refusal(_state_allows(case, "void"), (user.has_perm("petitions.route_case"), _OFFICE_ROUTES))


def may_withdraw_routing(case: Case, user: User) -> Decision:
    """撤回交办: the office takes a routed case back to route it again, at any time before the outcome."""
    return _first_refusal(
        _state_allows(case, "withdraw_routing"),
        _not_in_review(case),
        (user.has_perm("petitions.route_case"), _OFFICE_ROUTES),
    )


# --- The department: return, assign, take -------------------------------------------------------------


def objection_window_open(case: Case) -> bool:
    """A department may object only within its window (T22 art. 23 ¶3: 5 working days from routing)."""
    return case.objection_due is not None and timezone.localdate() <= case.objection_due


def may_return(case: Case, user: User) -> Decision:
    """退回: the department objects that the case is not theirs, within its window."""
    ended = case.objection_due and date_format(case.objection_due, "SHORT_DATE_FORMAT")
    return _first_refusal(
        _state_allows(case, "return_to_office"),
        _not_in_review(case),
        (user.has_perm("petitions.handle_case") and in_department(case, user), _OWN_DEPARTMENT),
        (
            objection_window_open(case),
            _("The time to object ended on %(date)s. Ask the supervisors to route the case again.")
            % {"date": ended or "-"},
        ),
    )


def may_assign_handler(case: Case, user: User) -> Decision:
    return _first_refusal(
        _assigned(case),
        (
            user.has_perm("petitions.assign_handler") and in_department(case, user),
            _("Only the head of the case's department can do this."),
        ),
    )


def may_take(case: Case, user: User) -> Decision:
    """A handler takes an unassigned case of their own department."""
    return _first_refusal(
        _assigned(case),
        (user.has_perm("petitions.handle_case") and in_department(case, user), _OWN_DEPARTMENT),
        (case.handler_id is None, _("Someone already handles this case.")),
    )


def is_handler_of(user: User, case: Case) -> bool:
    """Whether `user` can be given `case` to handle (active, a handler, of its department)."""
    return user.is_active and user.has_perm("petitions.handle_case") and in_department(case, user)


# --- Extension -----------------------------------------------------------------------------------------------


def _not_extended(case: Case) -> tuple[bool, str | Promise]:
    return case.extension_days == 0, _("This case has already been extended once; the law allows one extension.")


def may_request_extension(case: Case, user: User) -> Decision:
    return _first_refusal(
        _assigned(case),
        _not_in_review(case),
        (_handles(case, user), _("Only the case's handler or department head can ask.")),
        _not_extended(case),
        (case.extension_requested_days == 0, _("An extension request is already waiting for a decision.")),
    )


def may_extend(case: Case, user: User) -> Decision:
    """延期 approved: at most 30 days, once (T22 art. 34)."""
    return _first_refusal(
        _state_allows(case, "extend"),
        _not_in_review(case),
        _not_extended(case),
        (user.has_perm("petitions.approve_extension"), _("Only a supervisor decides on extensions.")),
    )


def may_deny_extension(case: Case, user: User) -> Decision:
    return _first_refusal(
        (case.extension_requested_days > 0, _("No extension request is waiting.")),
        (user.has_perm("petitions.approve_extension"), _("Only a supervisor decides on extensions.")),
    )


# --- Outcome, delivery, review, closing ------------------------------------------------------------------


def may_handle(case: Case, user: User) -> Decision:
    """办结: the department records the outcome."""
    return _first_refusal(
        _state_allows(case, "handle"),
        (_handles(case, user), _("Only the case's handler or department head can record the outcome.")),
    )


def _reviews_results(case: Case, user: User) -> tuple[bool, str | Promise]:
    """审核报结 is the office's: a supervisor, never someone of the department whose outcome it is."""
    return (
        user.has_perm("petitions.close_case") and is_office_staff(user) and not in_department(case, user),
        _("Only the letters and visits office reviews a department's outcome; a department cannot accept its own."),
    )


def may_accept_result(case: Case, user: User) -> Decision:
    """审核通过: the office accepts the department's outcome; the case is handled (办结)."""
    return _first_refusal(_state_allows(case, "accept_result"), _reviews_results(case, user))


def may_send_back(case: Case, user: User) -> Decision:
    """补办/重办: the office sends the outcome back to the department with a reason."""
    return _first_refusal(
        _state_allows(case, "send_back"),
        _reviews_results(case, user),
        (case.handling_due is not None, _("This case has no handling deadline to work within.")),
    )


def open_callback(case: Case) -> Callback | None:
    """The case's callback still to be made, or None (one query; at most one is open, a constraint)."""
    return case.callbacks.filter(done_at__isnull=True).first()


def may_make_callbacks(user: User) -> bool:
    """回访: office staff who speak to petitioners (clerks and supervisors); the callback queue too."""
    return is_office_staff(user) and (user.has_perm("petitions.register_case") or user.has_perm("petitions.close_case"))


def may_record_callback(case: Case, user: User) -> Decision:
    if not may_make_callbacks(user):  # first, and alone: no query for those who may not call anyway
        return _deny(_("Only the letters and visits office calls petitioners back."))
    # A callback is made when the outcome is delivered: before that there is none to look for.
    waiting = case.outcome_delivered_on is not None and open_callback(case) is not None
    return _first_refusal((waiting, _("No callback is waiting on this case.")))


def may_rehandle(case: Case, user: User) -> Decision:
    """重新办理 after a dissatisfied callback: while the delivered outcome stands (not closed, no review)."""
    return _first_refusal(
        _state_allows(case, "rehandle"),
        (case.outcome_delivered_on is not None, _("The outcome has not been delivered yet.")),
        (may_make_callbacks(user), _("Only the letters and visits office calls petitioners back.")),
    )


def may_record_delivery(case: Case, user: User) -> Decision:
    return _first_refusal(
        (case.state == State.HANDLED, _("Only a handled case has an opinion to deliver.")),
        (case.outcome_delivered_on is None, _("The delivery of this opinion is already recorded.")),
        (
            _handles(case, user) or user.has_perm("petitions.close_case"),
            _("Your role or department does not allow this step."),
        ),
    )


def _review_request_checks(case: Case) -> tuple[tuple[bool, str | Promise], ...]:
    return (
        _state_allows(case, "reopen_for_review"),
        (
            case.outcome_delivered_on is not None,
            _("A review can be requested only after the opinion was delivered."),
        ),
        (case.review_requested_at is None, _("A review of this case was already requested.")),
    )


def may_reopen_for_review(case: Case, user: User) -> Decision:
    """复查: registered by the office when the petitioner asks for it (T22 art. 35)."""
    return _first_refusal(
        *_review_request_checks(case),
        (
            user.has_perm("petitions.register_case") or user.has_perm("petitions.route_case"),
            _OFFICE_ROUTES,
        ),
    )


def may_petitioner_request_review(case: Case) -> Decision:
    """复查 asked online by the petitioner: the same conditions as the office's (the 30-day window is
    checked by the service, with petitions.clocks.date_windows, as for the office)."""
    return _first_refusal(*_review_request_checks(case))


def may_petitioner_evaluate(case: Case) -> Decision:
    """评价: once the written outcome has reached the petitioner."""
    return _first_refusal(
        (case.closure != Closure.VOID, _("This registration was void; there is nothing to evaluate.")),
        (
            bool(case.outcome) and case.outcome_delivered_on is not None,
            _("You can evaluate the handling once the written opinion has been delivered to you."),
        ),
    )


def may_petitioner_add_material(case: Case) -> Decision:
    """补充材料: to a case still open."""
    return _first_refusal((case.state != State.CLOSED, _("Material cannot be added to a closed case.")))


def may_close(case: Case, user: User) -> Decision:
    return _first_refusal(
        _state_allows(case, "close"),
        (case.outcome_delivered_on is not None, _("Record the delivery of the opinion before closing the case.")),
        (user.has_perm("petitions.close_case"), _("Only a supervisor closes cases.")),
    )


def may_auto_close(case: Case) -> Decision:
    """The scheduler closes a handled, delivered case whose review window has passed."""
    return _first_refusal(
        _state_allows(case, "auto_close"),
        (
            case.review_request_due is not None and case.review_request_due < timezone.localdate(),
            _("The petitioner may still ask for a review."),
        ),
    )


def may_record_follow_up(case: Case, user: User) -> Decision:
    """回访: the petitioner's satisfaction, at or after closing."""
    return _first_refusal(
        (
            case.state in (State.HANDLED, State.CLOSED) and bool(case.outcome),
            _("Follow-up is recorded for a case with an outcome."),
        ),
        (
            user.has_perm("petitions.close_case") or user.has_perm("petitions.register_case"),
            _("Your role does not allow this step."),
        ),
    )


# --- Ownership, notes, files ---------------------------------------------------------------------------------


def may_set_owner(case: Case, user: User) -> Decision:
    """领导包案: supervisors and leaders give a case an owning leader."""
    return _first_refusal(
        (case.state != State.CLOSED, _("A closed case cannot be given an owning leader.")),
        (user.has_perm("petitions.own_case"), _("Only supervisors and leaders can do this.")),
    )


def is_leader(user: User) -> bool:
    return user.is_active and user.has_role(Role.LEADER)


def may_add_note(case: Case, user: User) -> Decision:
    return _first_refusal((can_view_case(user, case), _("You cannot add notes to this case.")))


def may_attach(case: Case, user: User) -> Decision:
    return _first_refusal(
        (can_view_case(user, case), _("You cannot add files to this case.")),
        (case.state != State.CLOSED, _("Files cannot be added to a closed case.")),
    )


def may_lift_tracking_lock(case: Case, user: User) -> Decision:
    """The office lifts the lock of a case's progress look-up for a petitioner who got it locked by
    typing a wrong second factor too often, once it has made sure, by phone or in person, who they are."""
    return _first_refusal(
        (can_view_case(user, case), _("You cannot open this case.")),
        (is_office_staff(user), _("Only the letters-and-visits office lifts a look-up lock.")),
    )


# --- Cases handed down from a higher authority (交办件) --------------------------------------------------


def handed_down_of(case: Case) -> HandedDown | None:
    """The authority's order on the case, or None (read once per case object: Django keeps it)."""
    return getattr(case, "handed_down", None)


def may_record_handed_down(case: Case, user: User) -> Decision:
    """A case is marked as handed down by its clerk when registering it, or by a supervisor later."""
    registering = user.has_perm("petitions.register_case") and case.registered_by_id == user.pk
    return _first_refusal(
        (case.state != State.CLOSED, _("A closed case cannot be marked as handed down.")),
        (
            registering or user.has_perm("petitions.route_case"),
            _("Only the clerk who registered the case or a supervisor can do this."),
        ),
        (handed_down_of(case) is None, _("This case is already recorded as handed down.")),
    )


def may_record_interim_report(case: Case, user: User) -> Decision:
    """阶段性报告: by the case's handler or department head, or by a supervisor, while it is open."""
    return _first_refusal(
        (handed_down_of(case) is not None, _("Only a handed-down case has interim reports.")),
        (case.state != State.CLOSED, _("The case is closed; send the report back instead.")),
        (
            _handles(case, user) or user.has_perm("petitions.route_case"),
            _("Only the case's handler, its department head or a supervisor can record this."),
        ),
    )


def may_issue_report_back(case: Case, user: User) -> Decision:
    """办结报告: issued by a supervisor once the case has its outcome (or was not accepted), once."""
    handed_down = handed_down_of(case)
    return _first_refusal(
        (handed_down is not None, _("Only a handed-down case is reported back.")),
        (handed_down is None or handed_down.report_issued_at is None, _("The report back was already issued.")),
        (
            bool(case.outcome) or case.closure == Closure.NOT_ACCEPTED,
            _("The report back is issued once the outcome is recorded."),
        ),
        (case.closure != Closure.VOID, _("This registration was void; there is nothing to report.")),
        (user.has_perm("petitions.route_case"), _OFFICE_ROUTES),
    )


# --- Joint handling (主办/协办), links and merges ------------------------------------------------------------


def may_assign_part(case: Case, user: User) -> Decision:
    """协办: the office gives a co-department a part of a case routed to its lead department."""
    return _first_refusal(
        _assigned(case),
        _not_in_review(case),
        (user.has_perm("petitions.route_case"), _OFFICE_ROUTES),
    )


def may_record_part(part: CasePart, user: User) -> Decision:
    """The co-department's handler or head records what it did, once, while the case is with the lead."""
    return _first_refusal(
        (part.withdrawn_at is None, _("This part was withdrawn with the routing of the case.")),
        (part.answered_at is None, _("This part has already been recorded.")),
        (part.case.state == State.ASSIGNED, _("The lead department has answered; the case no longer takes parts.")),
        (
            user.has_perm("petitions.handle_case") and user.department_id == part.department_id,
            _("Only the co-department this part was given to can record it."),
        ),
    )


def may_link(case: Case, user: User) -> Decision:
    """Linking cases: the office, which sees both of them."""
    return _first_refusal(
        (user.has_perm("petitions.route_case"), _OFFICE_ROUTES),
        (can_view_case(user, case), _("You cannot open this case.")),
    )


def may_merge(case: Case, user: User) -> Decision:
    """并案: the office closes this case, a duplicate, into a main case (checked by the service too)."""
    return _first_refusal(
        _state_allows(case, "merge_into"),
        (user.has_perm("petitions.route_case"), _OFFICE_ROUTES),
    )


def may_see_handed_down_list(user: User) -> bool:
    """The list of handed-down cases: supervisors and leaders (every case), departments (their own)."""
    return may_see_queue(user) or may_see_department_list(user)


# --- Pages: the views check these, and the navigation shows exactly those -------------------------------------


def may_register(user: User) -> bool:
    """Registration, the repeat look-up, and the list of what the user registered."""
    return user.has_perm("petitions.register_case")


def may_see_queue(user: User) -> bool:
    """The office's queue of every case (and the overdue board)."""
    return user.has_perm("petitions.view_all_cases")


def may_route_in_bulk(user: User) -> bool:
    return user.has_perm("petitions.route_case")


def may_see_callback_queue(user: User) -> bool:
    """The queue of callbacks 回访 to make, with their due dates."""
    return may_make_callbacks(user)


def may_see_department_list(user: User) -> bool:
    return user.has_perm("petitions.handle_case") and user.department_id is not None


def may_assign_in_department(user: User) -> bool:
    """The department head's assigning, in the department list (one case or many)."""
    return user.has_perm("petitions.assign_handler") and user.department_id is not None


def may_see_owned_list(user: User) -> bool:
    """The cases a leader owns (包案); supervisors set owners but own none."""
    return user.has_role(Role.LEADER)


def may_see_reception_sessions(user: User) -> bool:
    return (
        user.has_perm("petitions.register_case")
        or user.has_perm("petitions.hold_reception")
        or user.has_perm("petitions.view_all_cases")
    )


def may_receive_visits(user: User) -> bool:
    """Who meets petitioners on reception days: the clerks who register them and the leaders who hold them."""
    return user.has_perm("petitions.register_case") or user.has_perm("petitions.hold_reception")


def may_plan_reception_sessions(user: User) -> bool:
    return user.has_perm("petitions.hold_reception") or user.has_perm("petitions.route_case")


def may_audit_identity_access(user: User) -> bool:
    """The log of who was shown whose identity: administrators and auditors."""
    return user.has_perm("petitions.view_identityaccess")


def may_see_calendar_warning(user: User) -> bool:
    """Those who must act when next year's official rest days are missing."""
    return user.is_superuser or user.has_role(Role.ADMIN, Role.SUPERVISOR)


# The import adds, changes and removes calendar days and marks the year as entered.
HOLIDAY_NOTICE_IMPORT_PERMISSIONS = (
    "petitions.add_calendaroverride",
    "petitions.change_calendaroverride",
    "petitions.delete_calendaroverride",
    "petitions.add_calendaryear",
    "petitions.change_calendaryear",
)


def may_import_holiday_notice(user: User) -> bool:
    """Importing the State Council's holiday notice: administrators of the calendar, in the admin."""
    return user.is_active and user.is_staff and user.has_perms(HOLIDAY_NOTICE_IMPORT_PERMISSIONS)

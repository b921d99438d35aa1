"""Who may do what to which case: the one place for role and department rules.

The transitions name these functions as their `permission=`; django-fsm only advises, so the
services call `has_transition_perm` themselves, and the views use the same functions to decide
which buttons to show. Case visibility (`case_visibility_filter`) is used by every read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

if TYPE_CHECKING:
    from petitions.models import Case, User


def _in_department(case: Case, user: User) -> bool:
    return case.department_id is not None and case.department_id == user.department_id


def is_office_staff(user: User) -> bool:
    """Staff of the letters-and-visits office itself (not of a department cases are routed to)."""
    return user.has_perm("petitions.view_all_cases") or user.has_perm("petitions.register_case")


def can_route(case: Case, user: User) -> bool:
    return user.has_perm("petitions.route_case")


def can_return(case: Case, user: User) -> bool:
    """The department objects that a case is not theirs (退回); the office withdraws instead."""
    return user.has_perm("petitions.handle_case") and _in_department(case, user)


def objection_window_open(case: Case) -> bool:
    """A department may object only within its window (T22 23 ¶3: 5 working days from routing)."""
    return case.objection_due is not None and timezone.localdate() <= case.objection_due


def can_withdraw_routing(case: Case, user: User) -> bool:
    """The office takes a routed case back (撤回交办) to route it again, at any time before the outcome."""
    return user.has_perm("petitions.route_case")


def can_assign_handler(case: Case, user: User) -> bool:
    return user.has_perm("petitions.assign_handler") and _in_department(case, user)


def can_take(case: Case, user: User) -> bool:
    """A handler may take an unassigned case of their own department."""
    return case.handler_id is None and user.has_perm("petitions.handle_case") and _in_department(case, user)


def can_handle(case: Case, user: User) -> bool:
    return (
        user.has_perm("petitions.handle_case")
        and _in_department(case, user)
        and (case.handler_id == user.pk or user.has_perm("petitions.assign_handler"))
    )


def can_request_extension(case: Case, user: User) -> bool:
    return can_handle(case, user)


def can_approve_extension(case: Case, user: User) -> bool:
    return user.has_perm("petitions.approve_extension")


def can_record_delivery(case: Case, user: User) -> bool:
    return can_handle(case, user) or user.has_perm("petitions.close_case")


def can_register_review(case: Case, user: User) -> bool:
    return user.has_perm("petitions.register_case") or user.has_perm("petitions.route_case")


def can_close(case: Case, user: User) -> bool:
    return user.has_perm("petitions.close_case")


def can_record_follow_up(case: Case, user: User) -> bool:
    return user.has_perm("petitions.close_case") or user.has_perm("petitions.register_case")


def can_set_owner(case: Case, user: User) -> bool:
    return user.has_perm("petitions.own_case")


def can_add_note(case: Case, user: User) -> bool:
    return can_view_case(user, case)


def nobody(case: Case, user: User) -> bool:
    """Only the system takes this transition (the scheduler)."""
    return False


def case_visibility_filter(user: User) -> Q | None:
    """The cases `user` may see, as a filter; None means every case."""
    if user.has_perm("petitions.view_all_cases"):
        return None
    visible = Q(pk__in=[])
    if user.has_perm("petitions.register_case"):
        visible |= Q(registered_by=user)
    if user.has_perm("petitions.handle_case") and user.department_id is not None:
        visible |= Q(department_id=user.department_id)
    return visible


def can_view_case(user: User, case: Case) -> bool:
    if user.has_perm("petitions.view_all_cases"):
        return True
    if user.has_perm("petitions.register_case") and case.registered_by_id == user.pk:
        return True
    return user.has_perm("petitions.handle_case") and _in_department(case, user)


def can_view_identity(user: User, case: Case, *, any_confidential: bool) -> bool:
    """May `user` be shown who the petitioners of `case` are?

    Departments never learn who accused them (T22 30), nor who asked to stay anonymous.
    `identity_visibility_filter` is the same rule as a filter; keep the two in step.
    """
    if not user.has_perm("petitions.view_identity") or not can_view_case(user, case):
        return False
    if is_office_staff(user):
        return True
    from petitions.models import LegalType

    return case.legal_type != LegalType.ACCUSATION and not any_confidential


def may_search_identity(user: User) -> bool:
    """May `user` look cases up by a petitioner's name at all?"""
    return user.has_perm("petitions.view_identity")


def identity_visibility_filter(user: User) -> Q | None:
    """Of the cases `user` can see, those whose petitioners they may be shown (so find by name).

    The rule of `can_view_identity` as a filter, to be combined with `case_visibility_filter`;
    None means every case the user can see.
    """
    if not may_search_identity(user):
        return Q(pk__in=[])
    if is_office_staff(user):
        return None
    from petitions.models import CasePetitioner, LegalType

    confidential = CasePetitioner.objects.filter(case=OuterRef("pk"), petitioner__confidential=True)
    return ~Q(legal_type=LegalType.ACCUSATION) & ~Exists(confidential)


# --- Which pages a user reaches: the views check these, and the navigation shows exactly those -----


def may_register(user: User) -> bool:
    """Registration, and the list of what the user registered."""
    return user.has_perm("petitions.register_case")


def may_see_queue(user: User) -> bool:
    return user.has_perm("petitions.view_all_cases")


def may_see_department_list(user: User) -> bool:
    return user.has_perm("petitions.handle_case") and user.department_id is not None


def may_see_owned_list(user: User) -> bool:
    """The cases a leader owns (包案); supervisors set owners but own none."""
    from petitions.models import Role

    return user.has_role(Role.LEADER)


def may_see_reception_sessions(user: User) -> bool:
    return (
        user.has_perm("petitions.register_case")
        or user.has_perm("petitions.hold_reception")
        or user.has_perm("petitions.view_all_cases")
    )


def may_plan_reception_sessions(user: User) -> bool:
    return user.has_perm("petitions.hold_reception") or user.has_perm("petitions.route_case")


def may_audit_identity_access(user: User) -> bool:
    """The log of who was shown whose identity: administrators and auditors."""
    return user.has_perm("petitions.view_identityaccess")


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

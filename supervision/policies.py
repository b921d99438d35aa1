"""Who may do what with supervision matters and recommendations, and why not (as petitions.policies)."""

from django.utils.translation import gettext_lazy as _

from petitions.models import Closure, User
from petitions.policies import ALLOW, Decision
from supervision.models import Matter, Recommendation

_OFFICE = _("Only the letters and visits office can do this.")
_OWN_DEPARTMENT = _("Only the supervised department can do this.")
_HEAD = _("Only the head of the supervised department can sign this off.")


def _deny(reason) -> Decision:
    return Decision(False, reason)


def is_supervisor(user: User) -> bool:
    return user.has_perm("petitions.route_case")


def is_office(user: User) -> bool:
    return user.has_perm("petitions.view_all_cases")


def of_department(user: User, department_id: int | None) -> bool:
    return department_id is not None and user.department_id == department_id and user.has_perm("petitions.handle_case")


def is_head_of(user: User, department_id: int | None) -> bool:
    return of_department(user, department_id) and user.has_perm("petitions.assign_handler")


def may_see_matters(user: User) -> bool:
    """The list of matters: the office (all), a department's staff (their own)."""
    return is_office(user) or (user.has_perm("petitions.handle_case") and user.department_id is not None)


def may_see_matter(user: User, matter: Matter) -> bool:
    return is_office(user) or of_department(user, matter.department_id)


def may_see_counts(user: User) -> bool:
    """The per-department counts: the office; a department head sees their department's row."""
    return is_office(user) or is_head_of(user, user.department_id)


def may_open_matter(case, user: User) -> Decision:
    if not is_supervisor(user):
        return _deny(_OFFICE)
    if case.department_id is None:
        return _deny(_("A case is supervised once it has a department."))
    if case.closure == Closure.VOID:
        return _deny(_("This registration was void; there is nothing to supervise."))
    return ALLOW


def may_reply(matter: Matter, user: User) -> Decision:
    if not of_department(user, matter.department_id):
        return _deny(_OWN_DEPARTMENT)
    if not matter.is_open:
        return _deny(_("The reply was already signed off."))
    return ALLOW


def may_sign_off(matter: Matter, user: User) -> Decision:
    if not is_head_of(user, matter.department_id):
        return _deny(_HEAD)
    if not matter.is_open:
        return _deny(_("The reply was already signed off."))
    if not matter.reply_written:
        return _deny(_("Write the reply before it is signed off."))
    return ALLOW


def may_assess(matter: Matter, user: User) -> Decision:
    if not is_supervisor(user):
        return _deny(_OFFICE)
    if matter.status != Matter.Status.REPLIED:
        return _deny(_("Only a signed-off reply is assessed, and only once."))
    return ALLOW


def may_issue_recommendation(user: User) -> bool:
    return is_supervisor(user)


def may_see_recommendation(user: User, recommendation: Recommendation) -> bool:
    return is_office(user) or of_department(user, recommendation.department_id)


def may_answer_recommendation(recommendation: Recommendation, user: User) -> Decision:
    if not is_head_of(user, recommendation.department_id):
        return _deny(_("Only the head of the department the recommendation was made to can answer it."))
    if recommendation.answered:
        return _deny(_("The recommendation was already answered."))
    return ALLOW

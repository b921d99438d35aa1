"""The office's side of the public site, on the staff's case page: lifting a look-up lock."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from petitions import policies
from petitions.errors import CaseActionError
from petitions.models import Case, User
from petitions.selectors.cases import case_for_user
from public.lookup import tracking_lock_lift, tracking_locked_until


def tracking_lock_panel_context(case: Case, user: User) -> dict | None:
    """The case page's notice that the petitioner's look-up is locked, with the button that lifts it,
    for office staff; nothing when it is not locked."""
    if not policies.may_lift_tracking_lock(case, user):
        return None
    locked_until = tracking_locked_until(case)
    return None if locked_until is None else {"case": case, "locked_until": locked_until}


@require_POST
def tracking_unlock(request: HttpRequest, number: str) -> HttpResponse:
    case = case_for_user(request.user, number)
    try:
        tracking_lock_lift(case_id=case.pk, actor=request.user)
    except CaseActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The look-up lock is lifted: the petitioner can look the case up again."))
    return redirect("case_detail", number=case.number)

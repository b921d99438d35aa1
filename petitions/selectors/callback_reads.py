"""Reads of callbacks 回访: the office's queue of calls to make, and a case's callbacks."""

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from petitions.models import Callback, Case, User
from petitions.selectors import scopes


class Status:
    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"

    CHOICES = [(OPEN, _("To call")), (OVERDUE, _("Overdue")), (DONE, _("Done"))]


def callback_queue(user: User, *, status: str, today: date) -> QuerySet[Callback]:
    """The callbacks of the cases `user` may see (a supervisor: every case; a clerk: those they registered
    and what came in online, as on every list), by due date; done ones newest first."""
    visibility = scopes.case_visibility_filter(user)
    callbacks = (
        Callback.objects.all()
        if visibility is None
        else Callback.objects.filter(case__in=Case.objects.filter(visibility))
    )
    callbacks = callbacks.select_related("case", "department", "done_by", "evaluation").only(
        "round",
        "due",
        "done_at",
        "reached",
        "solved",
        "follow_up",
        "case__number",
        "case__state",
        "case__summary",
        "department__name",
        "done_by__full_name",
        "done_by__username",
        "evaluation__level",
    )
    if status == Status.DONE:
        return callbacks.filter(done_at__isnull=False).order_by("-done_at", "-id")
    callbacks = callbacks.filter(done_at__isnull=True)
    if status == Status.OVERDUE:
        callbacks = callbacks.filter(due__lt=today)
    return callbacks.order_by("due", "id")


def callbacks_of_case(case: Case) -> list[Callback]:
    return list(case.callbacks.select_related("done_by", "evaluation", "department").order_by("round"))


def case_review_panel_context(case: Case, user) -> dict | None:
    """The case page's panel of the office's review of the outcome (审核报结) and the callbacks (回访):
    nothing to show, no panel."""
    callbacks = callbacks_of_case(case) if case.outcome else []
    if not (case.result_submitted_at or callbacks):
        return None
    return {
        "review": {
            "submitted_at": case.result_submitted_at,
            "accepted_at": case.handled_at if case.result_reviewed_by_id else None,
            "accepted_by": case.result_reviewed_by if case.result_reviewed_by_id else None,
            "waiting": case.state == "reviewing",
            "rework_due": case.rework_due,
        },
        "callbacks": callbacks,
    }

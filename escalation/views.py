"""The overdue board and the printable supervision notice (督办单). Thin: selectors read."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from escalation import selectors


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    if not selectors.may_see_board(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    levels, soon_days = selectors.overdue_levels()
    return render(
        request,
        "escalation/board.html",
        {
            "board": selectors.overdue_board(today, levels, soon_days),
            "most_overdue": selectors.most_overdue(request.user, today, levels),
            "notices": selectors.recent_notices(request.user),
        },
    )


@require_GET
def notice(request: HttpRequest, number: str) -> HttpResponse:
    escalation = selectors.notice_for(request.user, number)
    return render(request, "escalation/notice.html", {"notice": escalation, "case": escalation.case})

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.views.decorators.http import require_POST

from petitions.selectors.cases import inbox_entries
from petitions.services.notifications import mark_read
from petitions.web.forms import record_id


def inbox(request: HttpRequest) -> HttpResponse:
    notifications = request.user.notifications.select_related("case").order_by("-created_at", "-id")
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    return render(request, "petitions/inbox.html", {"page": page, "entries": inbox_entries(request.user, page)})


@require_POST
def inbox_mark_read(request: HttpRequest) -> HttpResponse:
    ids = [pk for pk in map(record_id, request.POST.getlist("ids")) if pk is not None]
    mark_read(user=request.user, notification_ids=ids or None)
    if request.POST.get("next_case"):
        try:
            return redirect("case_detail", number=request.POST["next_case"])
        except NoReverseMatch:
            pass  # not a case number: back to the inbox
    return redirect("inbox")

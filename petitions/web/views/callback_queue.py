"""The callback queue 回访: the calls the office owes petitioners after delivering an outcome."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from petitions import policies
from petitions.selectors import callback_reads as selectors

PAGE_SIZE = 50


@require_GET
def callback_queue(request: HttpRequest) -> HttpResponse:
    if not policies.may_see_callback_queue(request.user):
        raise PermissionDenied
    statuses = dict(selectors.Status.CHOICES)
    status = request.GET.get("status", selectors.Status.OPEN)
    status = status if status in statuses else selectors.Status.OPEN
    today = timezone.localdate()
    page = Paginator(selectors.callback_queue(request.user, status=status, today=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [{"callback": callback, "days_left": (callback.due - today).days} for callback in page]
    context = {"rows": rows, "page": page, "status": status, "statuses": selectors.Status.CHOICES}
    return render(request, "petitions/callback_queue.html", context)

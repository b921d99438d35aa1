"""The list of cases handed down from a higher authority (交办件), with the dates they set."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from petitions import policies
from petitions.clocks import urgency
from petitions.models import Closure
from petitions.selectors import handed_down_list as selectors

PAGE_SIZE = 50


@require_GET
def handed_down_list(request: HttpRequest) -> HttpResponse:
    if not policies.may_see_handed_down_list(request.user):
        raise PermissionDenied
    statuses = dict(selectors.Status.CHOICES)
    status = request.GET.get("status", selectors.Status.OPEN)
    status = status if status in statuses else selectors.Status.OPEN
    authorities = selectors.authorities(request.user)
    authority = request.GET.get("authority", "")
    authority = authority if authority in authorities else ""
    today = timezone.localdate()
    orders = selectors.handed_down_list(
        request.user, selectors.Filters(authority=authority, status=status), today=today
    )
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    soon_days = urgency.due_soon_days()
    rows = [
        {
            "order": order,
            "days_left": (order.due - today).days,
            "days_overdue": urgency.days_overdue(order.due, today),
            "owed": order.report_issued_at is None and order.case.closure != Closure.VOID,
        }
        for order in page
    ]
    context = {
        "rows": rows,
        "page": page,
        "status": status,
        "statuses": selectors.Status.CHOICES,
        "authority": authority,
        "authorities": authorities,
        "soon_days": soon_days,
    }
    return render(request, "petitions/handed_down_list.html", context)

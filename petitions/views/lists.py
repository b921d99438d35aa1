"""Case lists: the supervisors' queue, and each role's own list. Scoped by selectors.visible_cases."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from petitions.filters import CaseFilter
from petitions.models import Case, State
from petitions.selectors import visible_cases

PAGE_SIZE = 50


def _render_list(request: HttpRequest, base: QuerySet[Case], *, title: str, list_name: str) -> HttpResponse:
    case_filter = CaseFilter(request.GET or None, queryset=base, request=request)
    cases = case_filter.qs if case_filter.is_bound and case_filter.is_valid() else base
    if not request.GET.get("sort"):
        cases = cases.order_by("-received_at", "-id")
    counts = dict(base.order_by().values_list("state").annotate(n=Count("id")))
    rows = cases.select_related("category", "department", "handler").only(
        "number",
        "state",
        "channel",
        "received_at",
        "due_date",
        "headcount",
        "is_collective",
        "is_repeat",
        "summary",
        "legal_type",
        "category__name",
        "department__name",
        "handler__full_name",
        "handler__username",
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "petitions/_case_rows.html" if request.htmx else "petitions/case_list.html"
    return render(
        request,
        template,
        {
            "title": title,
            "list_name": list_name,
            "filter": case_filter,
            "page": page,
            "state_counts": [(value, label, counts.get(value, 0)) for value, label in State.choices],
            "query": query.urlencode(),
            "today": timezone.localdate(),
        },
    )


def queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("petitions.view_all_cases"):
        raise PermissionDenied
    return _render_list(request, visible_cases(request.user), title=_("Case queue"), list_name="queue")


def registered(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("petitions.register_case"):
        raise PermissionDenied
    return _render_list(
        request, Case.objects.filter(registered_by=request.user), title=_("Cases I registered"), list_name="registered"
    )


def department(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("petitions.handle_case") or user.department_id is None:
        raise PermissionDenied
    base = Case.objects.filter(department_id=user.department_id)
    if request.GET.get("mine") == "1":
        base = base.filter(handler=user)
    return _render_list(
        request, base, title=_("Cases of %(department)s") % {"department": user.department}, list_name="department"
    )


def owned(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("petitions.own_case"):
        raise PermissionDenied
    return _render_list(
        request, Case.objects.filter(owning_leader=request.user), title=_("Cases I own"), list_name="owned"
    )

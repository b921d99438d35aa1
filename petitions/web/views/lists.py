"""Case lists: the supervisors' queue and each role's own list, their CSV export and bulk actions.

Thin: the lists' cases come from petitions.selectors.queues (scoped by selectors.visible_cases), filters from
petitions.web.filters, bulk actions from petitions.services.bulk_actions.
"""

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from petitions import policies
from petitions.models import Case, User
from petitions.selectors import queues
from petitions.selectors.cases import FilterChoices, filter_choices
from petitions.services.bulk_actions import cases_bulk_accept, cases_bulk_assign_handler
from petitions.web.filters import CaseFilter
from petitions.web.forms import BulkAcceptForm, BulkAssignForm
from petitions.web.row_html import case_rows


@dataclass(frozen=True)
class CaseList:
    name: str
    url_name: str
    export_url_name: str
    allowed: Callable[[User], bool]
    cases: Callable[[HttpRequest], QuerySet[Case]]
    default_sort: str = "due"
    hide: tuple[str, ...] = ()

    def title(self, user: User, choices: FilterChoices) -> str:
        titles = {
            "queue": gettext_lazy("Case queue"),
            "registered": gettext_lazy("Cases I registered"),
            "owned": gettext_lazy("Cases I own"),
        }
        if self.name == "department":
            department = dict(choices.departments).get(user.department_id, "")
            return _("Cases of %(department)s") % {"department": department}
        return str(titles[self.name])


LISTS = {
    spec.name: spec
    for spec in [
        CaseList(
            "queue",
            "case_queue",
            "case_queue_export",
            policies.may_see_queue,
            lambda request: queues.queue_cases(request.user),
        ),
        CaseList(
            "registered",
            "case_registered",
            "case_registered_export",
            policies.may_register,
            lambda request: queues.registered_cases(request.user),
            default_sort="-received",
        ),
        CaseList(
            "department",
            "case_department",
            "case_department_export",
            policies.may_see_department_list,
            lambda request: queues.department_cases(request.user, mine=request.GET.get("mine") == "1"),
            hide=("department",),
        ),
        CaseList(
            "owned",
            "case_owned",
            "case_owned_export",
            policies.may_see_owned_list,
            lambda request: queues.owned_cases(request.user),
        ),
    ]
}


# Shown at the top of the filter form; the others fold away under "More filters".
MAIN_FILTERS = ("q", "name", "sort", "state")


def _filtered(request: HttpRequest, spec: CaseList) -> tuple[CaseFilter, QuerySet[Case], QuerySet[Case]]:
    """The list's filter form, all its cases, and those its filters select (none if a filter is invalid)."""
    user = request.user
    if not spec.allowed(user):
        raise PermissionDenied
    base = spec.cases(request)
    may_assign = spec.name == "department" and policies.may_assign_in_department(user)
    choices = SimpleLazyObject(
        partial(filter_choices, handlers_of_department=user.department_id if may_assign else None)
    )
    case_filter = CaseFilter(
        request.GET or None,
        queryset=base,
        request=request,
        default_sort=spec.default_sort,
        hide=spec.hide,
        choices=choices,
    )
    if case_filter.is_bound and not case_filter.is_valid():
        return case_filter, base, base.none()
    return case_filter, base, case_filter.qs


def _bulk_forms(user: User, list_name: str, case_filter: CaseFilter) -> dict:
    forms = {}
    if list_name == "queue" and policies.may_route_in_bulk(user):
        forms["accept"] = BulkAcceptForm(departments=lambda: case_filter.choices.active_departments)
    if list_name == "department" and policies.may_assign_in_department(user):
        forms["assign_handler"] = BulkAssignForm(handlers=lambda: case_filter.choices.handlers)
    return forms


@require_GET
def case_list(request: HttpRequest, list_name: str) -> HttpResponse:
    spec = LISTS[list_name]
    case_filter, base, cases = _filtered(request, spec)
    counts = queues.list_counts(base, cases, limit=case_filter.count_limit)
    misjudged = case_filter.misjudged if cases.query.order_by else True
    page = queues.list_page(cases, total=counts.total, number=request.GET.get("page"), misjudged=misjudged)
    query = request.GET.copy()
    query.pop("page", None)
    bulk_forms = _bulk_forms(request.user, list_name, case_filter)
    form = case_filter.form
    more_filters = [form[name] for name in form.fields if name not in MAIN_FILTERS]
    today = timezone.localdate()
    template = "petitions/_case_rows.html" if request.htmx and not request.htmx.boosted else "petitions/case_list.html"
    return render(
        request,
        template,
        {
            "title": spec.title(request.user, case_filter.choices),
            "list": spec,
            "list_name": list_name,
            "filter": case_filter,
            "page": page,
            "counts": counts,
            "query": query.urlencode(),
            "mine": request.GET.get("mine") == "1",
            "rows": case_rows(page, selectable=bool(bulk_forms), today=today),
            "bulk_forms": bulk_forms,
            "more_filters": more_filters,
            "more_filters_open": bool(form.errors) or any(request.GET.get(field.name) for field in more_filters),
            "export_url": reverse(spec.export_url_name),
        },
    )


# --- CSV export -------------------------------------------------------------------------------------


class _Echo:
    """csv.writer writes into this; each row's text is handed straight to the response."""

    def write(self, value: str) -> str:
        return value


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A cell Excel shows as text: a value that starts like a formula is prefixed with '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _export_header() -> list[str]:
    return [
        _("Case number"),
        _("State"),
        _("Channel"),
        _("Received at"),
        _("Deadline"),
        _("Purpose"),
        _("Legal type"),
        _("Number of people"),
        _("Collective"),
        _("Repeat"),
        _("Skip-level"),
        _("Summary"),
        _("Request"),
        _("Unit complained about"),
        _("Category"),
        _("Region"),
        _("Department"),
        _("Handler"),
        _("Owning leader"),
        _("Outcome"),
        _("Closure"),
        _("Closed at"),
    ]


def _export_row(case: Case) -> list[str]:
    def moment(value) -> str:
        return date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""

    return [
        case.number,
        case.get_state_display(),
        case.get_channel_display(),
        moment(case.received_at),
        case.due_date.isoformat() if case.due_date else "",
        case.get_purpose_display(),
        case.get_legal_type_display(),
        case.headcount,
        _yes_no(case.is_collective),
        _yes_no(case.is_repeat),
        _yes_no(case.skip_level),
        case.summary,
        case.request,
        case.complained_unit,
        case.category.name,
        case.region.name,
        case.department.name if case.department else "",
        str(case.handler) if case.handler else "",
        str(case.owning_leader) if case.owning_leader else "",
        case.get_outcome_display(),
        case.get_closure_display(),
        moment(case.closed_at),
    ]


def _csv_lines(cases: QuerySet[Case]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # the byte order mark: Excel then reads the file as UTF-8, Chinese included
    yield writer.writerow(_export_header())
    for case in queues.export_cases(cases):
        yield writer.writerow([_cell(value) for value in _export_row(case)])


@require_GET
def case_export(request: HttpRequest, list_name: str) -> HttpResponse:
    """The list as CSV (UTF-8 with BOM), with the list's filters, streamed row by row."""
    spec = LISTS[list_name]
    case_filter, _base, cases = _filtered(request, spec)
    if case_filter.is_bound and not case_filter.is_valid():
        messages.error(request, _("Correct the filters; nothing was exported."))
        return redirect(f"{reverse(spec.url_name)}?{request.GET.urlencode()}")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(_csv_lines(cases), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cases-{list_name}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


# --- Bulk actions -----------------------------------------------------------------------------------


def _back(request: HttpRequest) -> HttpResponseRedirect:
    """To the list the action was taken from: `next`, if it is a path on this site; else the start page.

    Only a path: `redirect()` would take another value ("_", "home") for the name of a URL pattern.
    """
    target = request.POST.get("next", "")
    if not (
        target.startswith("/")
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    ):
        target = reverse("home")
    return HttpResponseRedirect(target)


@require_POST
def case_bulk(request: HttpRequest) -> HttpResponse:
    """Apply one action to the cases ticked in a list; report each case that was refused."""
    user = request.user
    action = request.POST.get("action")
    if action == "accept":
        if not policies.may_route_in_bulk(user):
            raise PermissionDenied
        form = BulkAcceptForm(request.POST, departments=lambda: filter_choices().active_departments)
    elif action == "assign_handler":
        if not policies.may_assign_in_department(user):
            raise PermissionDenied
        form = BulkAssignForm(
            request.POST, handlers=lambda: filter_choices(handlers_of_department=user.department_id).handlers
        )
    else:
        raise PermissionDenied
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(request)
    data = form.cleaned_data
    if action == "accept":
        results = cases_bulk_accept(
            actor=user, selection=data["cases"], department=data["department"], note=data["note"]
        )
    else:
        results = cases_bulk_assign_handler(
            actor=user, selection=data["cases"], handler=data["handler"], note=data["note"]
        )
    done = sum(result.ok for result in results)
    if done and action == "accept":
        message = ngettext("%(n)d case was accepted and routed.", "%(n)d cases were accepted and routed.", done)
        messages.success(request, message % {"n": done})
    elif done:
        message = ngettext("%(n)d case was given to the handler.", "%(n)d cases were given to the handler.", done)
        messages.success(request, message % {"n": done})
    for result in results:
        if not result.ok:
            messages.error(request, f"{result.number or '—'}: {result.message}")
    return _back(request)

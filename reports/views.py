"""The reports pages: archive, request, progress, preview, downloads; and the case documents. Thin."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from petitions import policies
from petitions.errors import CaseActionError
from petitions.selectors import cases as case_selectors
from reports import documents, performance, report_back, selectors, services
from reports.annual import year_period
from reports.forms import MonthForm, ReportRequestForm, YearForm
from reports.kinds import kind_spec
from reports.models import DocumentKind, Report
from reports.rendering import csv_bytes

PAGE_SIZE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _report_for(request: HttpRequest, pk: int) -> Report:
    report = selectors.visible_reports(request.user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


@require_http_methods(["GET", "POST"])
def archive(request: HttpRequest) -> HttpResponse:
    """The reports the user may see, newest period first; supervisors also request new ones here."""
    _require(selectors.can_see_reports(request.user))
    may_request = selectors.may_request_reports(request.user)
    form = None
    if may_request:
        form = ReportRequestForm(request.POST) if request.method == "POST" else ReportRequestForm()
    if request.method == "POST":
        _require(may_request)
        if form.is_valid():
            try:
                report = services.report_request(
                    actor=request.user,
                    start=form.cleaned_data["start"],
                    end=form.cleaned_data["end"],
                    department=form.cleaned_data["department"],
                    language=get_language(),
                )
            except services.ReportError as error:
                form.add_error(None, error.message)
            else:
                return redirect("reports:detail", pk=report.pk)
        messages.error(request, _("Please correct the errors below; nothing was saved."))
    reports = selectors.visible_reports(request.user)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    status = 422 if form is not None and form.is_bound and form.errors else 200
    context = {"page": page, "form": form, "year_form": YearForm(initial={"year": timezone.localdate().year - 1})}
    return render(request, "reports/report_archive.html", context, status=status)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    tables = [{"key": key, "title": title} for key, title in kind_spec(report.kind).tables.items()]
    context = {"report": report, "tables": tables}
    template = "reports/_report_status.html" if request.htmx else "reports/report_detail.html"
    return render(request, template, context)


@require_POST
def regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    try:
        services.report_regenerate(actor=request.user, report_id=report.pk)
    except services.ReportError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report is being made again from the cases as they are now."))
    return redirect("reports:detail", pk=report.pk)


def _ready(report: Report) -> Report:
    if report.status != Report.Status.READY:
        raise Http404
    return report


@require_GET
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as HTML with print CSS, rendered from the same snapshot and template as the PDF."""
    report = _ready(_report_for(request, pk))
    html = kind_spec(report.kind).html(
        report.snapshot,
        language=get_language(),
        preview=True,
        # The print CSS is an inline <style>, drawn for this report: the policy admits it by the nonce.
        extra={"back_url": reverse("reports:detail", args=[report.pk]), "csp_nonce": str(request.csp_nonce)},
    )
    return HttpResponse(html)


@require_GET
def pdf(request: HttpRequest, pk: int) -> FileResponse:
    report = _ready(_report_for(request, pk))
    return FileResponse(
        report.pdf.open("rb"), content_type="application/pdf", filename=f"{report.file_stem}.pdf", as_attachment=True
    )


@require_GET
def table_csv(request: HttpRequest, pk: int, table: str) -> HttpResponse:
    report = _ready(_report_for(request, pk))
    data = kind_spec(report.kind).csv(report.snapshot, table, language=get_language())
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{report.file_stem}-{table}.csv")
    return response


@require_GET
def case_document(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    """A case document as PDF, for whoever may see the case (names only where the rules allow)."""
    case = case_selectors.case_for_user(request.user, number)
    if kind not in DocumentKind.values or kind not in documents.available_documents(case):
        raise Http404
    data = documents.document_pdf(case=case, kind=kind, user=request.user, language=get_language())
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{case.number}-{kind}.pdf")
    return response


@require_POST
def report_back_issue(request: HttpRequest, number: str) -> HttpResponse:
    """Issue the report back (办结报告) to the higher authority that handed the case down."""
    case = case_selectors.case_for_user(request.user, number)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        report_back.report_back_issue(case=case, actor=request.user, expected_version=version)
    except CaseActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report back was issued and is sent to the authority's system."))
    return redirect("case_detail", number=case.number)


@require_GET
def report_back_pdf(request: HttpRequest, number: str) -> FileResponse:
    """The report back as it was issued."""
    case = case_selectors.case_for_user(request.user, number)
    order = policies.handed_down_of(case)
    if order is None or not order.report_issued_at:
        raise Http404
    return FileResponse(
        order.report_file.open("rb"),
        as_attachment=False,
        filename=f"{case.number}-report-back.pdf",
        content_type="application/pdf",
    )


# --- Department performance and the annual report ------------------------------------------------------


def _performance_scope(request: HttpRequest) -> performance.PerformanceScope:
    scope = performance.performance_scope(request.user)
    if scope is None:
        raise PermissionDenied
    return scope


def _month(request: HttpRequest) -> tuple[MonthForm, selectors.Period | None]:
    """The month asked for (default: last month), or None with the form's error."""
    if "month" not in request.GET:
        period = performance.previous_month(timezone.localdate())
        return MonthForm(initial={"month": f"{period.start:%Y-%m}"}), period
    form = MonthForm(request.GET)
    if not form.is_valid():
        return form, None
    first = form.cleaned_data["month"]
    return form, performance.month_period(first.year, first.month)


@require_GET
def performance_page(request: HttpRequest) -> HttpResponse:
    """Per department and month: the registered metrics; a department head sees their own row only."""
    scope = _performance_scope(request)
    form, period = _month(request)
    context = {"form": form, "period": period, "may_request": selectors.may_request_reports(request.user)}
    if period is None:
        return render(request, "reports/performance.html", context, status=400)
    rows = performance.performance_figures(period, scope.department)
    keys = [metric.key for metric in performance.metrics()]
    context.update(
        {
            "columns": performance.table_columns(keys),
            "rows": performance.table_rows(rows, keys),
            "metrics": performance.metrics(),
            "month": f"{period.start:%Y-%m}",
        }
    )
    return render(request, "reports/performance.html", context)


@require_GET
def performance_csv(request: HttpRequest) -> HttpResponse:
    """The page's table as CSV: the same rows, cells and scope."""
    scope = _performance_scope(request)
    _form, period = _month(request)
    if period is None:
        return HttpResponseBadRequest(_("Enter a month as YYYY-MM, e.g. 2026-11."))
    rows = performance.performance_figures(period, scope.department)
    keys = [metric.key for metric in performance.metrics()]
    data = csv_bytes(performance.table_columns(keys), performance.table_rows(rows, keys))
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"performance-{period.start:%Y-%m}.csv")
    return response


def _request_kind(request: HttpRequest, kind: str, start, end, back: str) -> HttpResponse:
    try:
        report = services.report_request(actor=request.user, start=start, end=end, kind=kind, language=get_language())
    except services.ReportError as error:
        messages.error(request, error.message)
        return redirect(back)
    return redirect("reports:detail", pk=report.pk)


@require_POST
def performance_bulletin(request: HttpRequest) -> HttpResponse:
    """Make the month's bulletin (通报) PDF for the office, through the reports' one mechanism."""
    _require(selectors.may_request_reports(request.user))
    form = MonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors.get("month", [])))
        return redirect("reports:performance")
    first = form.cleaned_data["month"]
    period = performance.month_period(first.year, first.month)
    return _request_kind(request, Report.Kind.PERFORMANCE, period.start, period.end, "reports:performance")


@require_POST
def annual_request(request: HttpRequest) -> HttpResponse:
    """One click: the annual report (T22 41) of a calendar year."""
    _require(selectors.may_request_reports(request.user))
    form = YearForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors.get("year", [])))
        return redirect("reports:archive")
    period = year_period(form.cleaned_data["year"])
    return _request_kind(request, Report.Kind.ANNUAL, period.start, period.end, "reports:archive")

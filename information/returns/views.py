"""The returns pages: the unit's returns and zero reports, the office's overview and late list, and the
special-period summaries (page, print, PDF). Thin: forms clean, services write, selectors read."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from information.models import SpecialPeriod
from information.returns import documents, selectors
from information.returns.forms import PeriodFields, ReturnForm, WeekForm
from information.returns.schedule import monday_of
from information.returns.services import ReturnError, return_submit

PAST_RETURNS = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@require_GET
def returns(request: HttpRequest) -> HttpResponse:
    """The returns of the user's units: those due, with a zero report and a return form each; the past ones."""
    if not selectors.answers_for_a_unit(request.user):
        _require(selectors.may_see_all_returns(request.user))
        return redirect("information:office")
    today = timezone.localdate()
    context = {
        "due_rows": selectors.unit_due_rows(request.user, today=today),
        "past": selectors.visible_returns(request.user).filter(unit__responsible=request.user)[:PAST_RETURNS],
        "may_see_all": selectors.may_see_all_returns(request.user),
    }
    return render(request, "information/returns/mine.html", context)


@require_POST
def zero_report(request: HttpRequest) -> HttpResponse:
    _require(selectors.may_see_returns(request.user))
    form = PeriodFields(request.POST)
    if not form.is_valid():
        messages.error(request, _("This return could not be found; nothing was saved."))
        return redirect("information:returns")
    try:
        return_submit(
            actor=request.user,
            unit_id=form.cleaned_data["unit"],
            kind=form.cleaned_data["kind"],
            period_start=form.cleaned_data["period_start"],
            zero=True,
        )
    except ReturnError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Zero report sent: nothing to report for this period."))
    return redirect("information:returns")


@require_http_methods(["GET", "POST"])
def return_new(request: HttpRequest) -> HttpResponse:
    """A return with content for one owed period (the period comes from the page that links here)."""
    _require(selectors.answers_for_a_unit(request.user))
    data = request.POST if request.method == "POST" else request.GET
    form = ReturnForm(data)
    owed = None
    if request.method == "GET":
        period = PeriodFields(request.GET)
        if not period.is_valid():
            raise Http404
        form = ReturnForm(initial=period.cleaned_data)
        owed = period.cleaned_data
    elif form.is_valid():
        try:
            unit_return = return_submit(
                actor=request.user,
                unit_id=form.cleaned_data["unit"],
                kind=form.cleaned_data["kind"],
                period_start=form.cleaned_data["period_start"],
                zero=False,
                content=form.content(),
            )
        except ReturnError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Return sent."))
            return redirect("information:return_detail", pk=unit_return.pk)
    if request.method == "POST":
        owed = {key: form.cleaned_data.get(key) for key in ("unit", "kind", "period_start")} if form.is_bound else None
        messages.error(request, _("Please correct the errors below; nothing was saved."))
    unit = selectors.units_of(request.user).filter(pk=(owed or {}).get("unit")).first()
    if unit is None:
        raise Http404
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request, "information/returns/return_form.html", {"form": form, "unit": unit, "owed": owed}, status=status
    )


@require_GET
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit_return = selectors.visible_returns(request.user).filter(pk=pk).first()
    if unit_return is None:
        raise Http404
    return render(request, "information/returns/return_detail.html", {"unit_return": unit_return})


@require_GET
def office(request: HttpRequest) -> HttpResponse:
    """The office's overview: a week's returns (who reported, who reported nothing, who is late or missing),
    the late and missing list of the last 30 days, and the special periods."""
    _require(selectors.may_see_all_returns(request.user))
    today = timezone.localdate()
    form = WeekForm(request.GET)
    week_day = form.cleaned_data.get("week") if form.is_valid() else None
    monday = monday_of(week_day or today)
    summary = selectors.returns_summary(monday, monday + timedelta(days=6), today=today)
    context = {
        "form": form,
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "summary": summary,
        "figures": [(selectors.FIGURE_LABELS[key], summary["totals"][key]) for key in selectors.FIGURES],
        "figure_labels": selectors.figure_labels(),
        "unit_lines": selectors.unit_lines(summary["units"]),
        "late_rows": selectors.late_and_missing(today=today),
        "special_periods": SpecialPeriod.objects.all()[:20],
        "previous_week": (monday - timedelta(days=7)).isoformat(),
        "next_week": (monday + timedelta(days=7)).isoformat(),
    }
    return render(request, "information/returns/office.html", context)


def _special_period(request: HttpRequest, pk: int) -> SpecialPeriod:
    _require(selectors.may_see_all_returns(request.user))
    period = SpecialPeriod.objects.filter(pk=pk).first()
    if period is None:
        raise Http404
    return period


@require_GET
def special_period(request: HttpRequest, pk: int) -> HttpResponse:
    period = _special_period(request, pk)
    context = documents.special_period_context(period, today=timezone.localdate())
    return render(request, "information/returns/special_period.html", context)


@require_GET
def special_period_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The summary as a printable document (the same template as the PDF)."""
    period = _special_period(request, pk)
    html = documents.special_period_html(
        period,
        today=timezone.localdate(),
        preview=True,
        extra={"back_url": reverse("information:special_period", args=[pk]), "csp_nonce": str(request.csp_nonce)},
    )
    return HttpResponse(html)


@require_GET
def special_period_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    period = _special_period(request, pk)
    data = documents.special_period_pdf(period, today=timezone.localdate())
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"special-period-{period.pk}.pdf")
    return response

"""The petitioner's pages for a case they have: look-up by tracking code, progress, documents, material,
evaluation and review request. Thin: the forms clean, public.lookup / public.progress and petitions'
services do the work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit import ALL
from django_ratelimit.core import get_usage, is_ratelimited

from petitions.errors import ActionNotAllowed
from petitions.services.attachments import case_add_petitioner_material
from petitions.services.lifecycle import case_evaluate_online, case_request_review_online
from public import lookup
from public.progress import case_progress
from public.registrar import online_registrar
from public.tracking_forms import EvaluationForm, LookupForm, MaterialForm, ReviewRequestForm
from public.views import public_render
from reports.documents import document_pdf, petitioner_documents

ADDRESS = "public.client.address"
WRONG_LOOKUPS_PER_ADDRESS = "30/h"
CASE_WRITES_PER_ADDRESS = "20/h"


def _limited(request: HttpRequest, group: str, rate: str, *, increment: bool) -> bool:
    """Counting (`increment`): whether this request went over the limit. Not counting: whether the
    address has used up its allowance already (so the next counted request would be refused)."""
    if increment:
        return is_ratelimited(request, group=group, key=ADDRESS, rate=rate, method=ALL, increment=True)
    usage = get_usage(request, group=group, key=ADDRESS, rate=rate, method=ALL, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def _locked_message() -> str:
    return _("This tracking code is locked after too many wrong attempts. Please try again later.")


@login_not_required
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """查询: the tracking code and the last four digits of the phone or ID number."""
    form = LookupForm(request.POST or None)
    error = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        if _limited(request, "public-track", WRONG_LOOKUPS_PER_ADDRESS, increment=False):
            error, status = _("Too many wrong attempts from your connection. Please try again later."), 429
        else:
            try:
                found = lookup.tracking_lookup(code=form.cleaned_data["code"], factor=form.cleaned_data["factor"])
            except lookup.LookupLocked:
                _limited(request, "public-track", WRONG_LOOKUPS_PER_ADDRESS, increment=True)
                error = _locked_message()
            except lookup.LookupFailed:
                _limited(request, "public-track", WRONG_LOOKUPS_PER_ADDRESS, increment=True)
                error = _("No matter matches this tracking code and these digits. Check both and try again.")
            else:
                lookup.session_remember(request, found, factor=form.cleaned_data["factor"])
                return redirect("public:track_case", code=found.tracking_code)
        form = LookupForm(initial={"code": form.cleaned_data["code"]})
    return public_render(request, "public/track.html", {"form": form, "error": error}, status=status)


def _case_view(view):
    """A page of a case opened in this session. Otherwise the look-up form, as a 404: the same for a
    code that exists and one that does not (the database is not asked)."""

    def wrapped(request: HttpRequest, code: str, *args, **kwargs) -> HttpResponse:
        tracked = lookup.session_case(request, code)
        if tracked is None:
            context = {
                "form": LookupForm(),
                "error": _("Enter your tracking code and digits again to see your matter: %(why)s")
                % {"why": _("this page forgets it after 30 minutes or when the browser closes.")},
            }
            return public_render(request, "public/track.html", context, status=404)
        return view(request, tracked, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return login_not_required(wrapped)


def _context(tracked: lookup.Tracked, **extra) -> dict:
    return {
        "progress": case_progress(tracked.case, case_petitioner_id=tracked.case_petitioner_id),
        "masked_factor": f"····{tracked.factor}",
        "code": tracked.case.tracking_code,
        **extra,
    }


@_case_view
@require_GET
def track_case(request: HttpRequest, tracked: lookup.Tracked) -> HttpResponse:
    """The progress page."""
    return public_render(request, "public/track_case.html", _context(tracked))


@_case_view
@require_GET
def track_document(request: HttpRequest, tracked: lookup.Tracked, kind: str) -> HttpResponse:
    """A document issued to the petitioner, as PDF (their copy: no identity printed)."""
    if kind not in petitioner_documents(tracked.case):
        raise Http404
    pdf = document_pdf(case=tracked.case, kind=kind, user=None)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{tracked.case.number}-{kind}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _write(request, tracked, *, form, template, call, done: str) -> HttpResponse:
    status = 200
    if request.method == "POST" and form.is_valid():
        if _limited(request, "public-track-write", CASE_WRITES_PER_ADDRESS, increment=True):
            form.add_error(None, _("Too many requests from your connection. Please try again later."))
            status = 429
        else:
            try:
                call(form.cleaned_data)
            except ActionNotAllowed as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, done)
                return redirect("public:track_case", code=tracked.case.tracking_code)
    return public_render(request, template, _context(tracked, form=form), status=status)


@_case_view
@require_http_methods(["GET", "POST"])
def track_material(request: HttpRequest, tracked: lookup.Tracked) -> HttpResponse:
    """补充材料: a message and files for an open case."""
    return _write(
        request,
        tracked,
        form=MaterialForm(request.POST or None, request.FILES or None),
        template="public/track_material.html",
        call=lambda data: case_add_petitioner_material(
            case_id=tracked.case.pk, message=data["message"], uploads=data["files"], actor=online_registrar()
        ),
        done=_("Your material was added to the case; the department has been told."),
    )


@_case_view
@require_http_methods(["GET", "POST"])
def track_evaluate(request: HttpRequest, tracked: lookup.Tracked) -> HttpResponse:
    """评价: how satisfied the petitioner is, once the answer was delivered."""
    return _write(
        request,
        tracked,
        form=EvaluationForm(request.POST or None),
        template="public/track_evaluate.html",
        call=lambda data: case_evaluate_online(
            case_id=tracked.case.pk,
            case_petitioner_id=tracked.case_petitioner_id,
            level=data["level"],
            comment=data["comment"],
            actor=online_registrar(),
        ),
        done=_("Thank you: your evaluation was recorded."),
    )


@_case_view
@require_http_methods(["GET", "POST"])
def track_review(request: HttpRequest, tracked: lookup.Tracked) -> HttpResponse:
    """复查: ask for a review within 30 days of receiving the answer; otherwise the page says why not."""
    return _write(
        request,
        tracked,
        form=ReviewRequestForm(request.POST or None),
        template="public/track_review.html",
        call=lambda data: case_request_review_online(
            case_id=tracked.case.pk, actor=online_registrar(), reason=data["reason"]
        ),
        done=_("Your review request was registered; the department will answer within 30 days."),
    )

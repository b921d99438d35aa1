"""Pages of supervision. Thin: forms clean, services write, selectors read (scoped like the cases)."""

import csv
import io
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from petitions.errors import CaseActionError
from petitions.models import Department
from petitions.selectors.cases import case_for_user
from petitions.web.downloads import stored_file_response
from supervision import policies, selectors, services
from supervision.documents import document_pdf
from supervision.forms import AnswerForm, AssessForm, MatterOpenForm, PeriodForm, RecommendationForm, ReplyForm
from supervision.models import DocumentKind, Matter, MatterAttachment

_NOTHING_SAVED = _("Please correct the errors; nothing was saved.")


def _form_errors(request: HttpRequest, form) -> None:
    messages.error(request, " ".join([str(_NOTHING_SAVED), *(e for errors in form.errors.values() for e in errors)]))


def _department_filter(request: HttpRequest) -> int | None:
    value = request.GET.get("department", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@require_GET
def matter_list(request: HttpRequest) -> HttpResponse:
    if not policies.may_see_matters(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "open")
    department_id = _department_filter(request)
    matters = list(selectors.matter_list(request.user, status=status, department_id=department_id)[:500])
    return render(
        request,
        "supervision/matter_list.html",
        {
            "matters": matters,
            "status": status,
            "statuses": [("open", _("Open")), *Matter.Status.choices, ("all", _("All"))],
            "departments": Department.objects.order_by("name") if policies.is_office(request.user) else [],
            "department_id": department_id,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The matter; a POST is one step of it (`step`: reply, sign_off, assess), each a service."""
    matter = selectors.matter_for(request.user, pk)
    if request.method == "POST":
        step = MATTER_STEPS.get(request.POST.get("step", ""))
        if step is None:
            messages.error(request, _("Nothing was saved."))
            return redirect("supervision:matter", pk=matter.pk)
        return step(request, matter)
    user = request.user
    return render(
        request,
        "supervision/matter_detail.html",
        {
            "matter": matter,
            "attachments": list(matter.attachments.all()),
            "reply_form": ReplyForm(initial={"version": matter.version, "text": matter.reply_text})
            if policies.may_reply(matter, user)
            else None,
            "may_sign_off": policies.may_sign_off(matter, user),
            "assess_form": AssessForm(initial={"version": matter.version})
            if policies.may_assess(matter, user)
            else None,
            "may_see_case": user.has_perm("petitions.view_all_cases")
            or matter.case.department_id == user.department_id,
            "today": timezone.localdate(),
        },
    )


def _act(request: HttpRequest, matter: Matter, action) -> HttpResponse:
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join([str(_NOTHING_SAVED), *error.messages]))
    except CaseActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("supervision:matter", pk=matter.pk)


@require_POST
def matter_open(request: HttpRequest, number: str) -> HttpResponse:
    case = case_for_user(request.user, number)
    decision = policies.may_open_matter(case, request.user)
    if not decision:
        messages.error(request, decision.reason)
        return redirect("case_detail", number=case.number)
    form = MatterOpenForm(request.POST, prefix="supervision")
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("case_detail", number=case.number)
    try:
        matter = services.matter_open(case_id=case.pk, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("case_detail", number=case.number)
    except CaseActionError as error:
        messages.error(request, error.message)
        return redirect("case_detail", number=case.number)
    messages.success(request, _("The supervision matter was opened."))
    return redirect("supervision:matter", pk=matter.pk)


def _reply(request: HttpRequest, matter: Matter) -> HttpResponse:
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("supervision:matter", pk=matter.pk)
    data = form.cleaned_data
    return _act(
        request,
        matter,
        lambda: services.matter_reply(
            matter_id=matter.pk,
            actor=request.user,
            text=data["text"],
            uploads=data["files"],
            expected_version=data["version"],
        ),
    )


def _sign_off(request: HttpRequest, matter: Matter) -> HttpResponse:
    version = request.POST.get("version", "")
    expected = int(version) if version.isdigit() and len(version) < 10 else -1
    return _act(
        request,
        matter,
        lambda: services.matter_sign_off(matter_id=matter.pk, actor=request.user, expected_version=expected),
    )


def _assess(request: HttpRequest, matter: Matter) -> HttpResponse:
    form = AssessForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("supervision:matter", pk=matter.pk)
    data = form.cleaned_data
    return _act(
        request,
        matter,
        lambda: services.matter_assess(
            matter_id=matter.pk,
            actor=request.user,
            accepted=data["accepted"],
            reason=data["reason"],
            expected_version=data["version"],
        ),
    )


MATTER_STEPS = {"reply": _reply, "sign_off": _sign_off, "assess": _assess}


@require_GET
def matter_attachment(request: HttpRequest, pk: int) -> FileResponse:
    attachment = MatterAttachment.objects.select_related("matter").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    selectors.matter_for(request.user, attachment.matter_id)  # 404 unless the matter is visible
    return stored_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


# --- Documents -----------------------------------------------------------------------------------------


@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    if not policies.may_see_matters(request.user):
        raise PermissionDenied
    kind = request.GET.get("kind", "")
    department_id = _department_filter(request)
    documents = list(selectors.document_list(request.user, kind=kind, department_id=department_id)[:500])
    return render(
        request,
        "supervision/document_list.html",
        {
            "documents": documents,
            "kind": kind,
            "kinds": DocumentKind.choices,
            "departments": Department.objects.order_by("name") if policies.is_office(request.user) else [],
            "department_id": department_id,
        },
    )


@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_for(request.user, pk)
    response = HttpResponse(document_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.number}.pdf"'
    return response


# --- Counts per department ---------------------------------------------------------------------------


def _period(request: HttpRequest) -> tuple[date, date, PeriodForm]:
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    start, end = today.replace(month=1, day=1), today
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    elif form.is_bound:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return start, end, form


COUNT_HEADERS = [
    _("Department"),
    _("Urging notices"),
    _("Supervision notices"),
    _("Notices of criticism"),
    _("Matters opened"),
    _("Replies late now"),
    _("Recommendations"),
    _("Adopted"),
]


@require_GET
def counts(request: HttpRequest) -> HttpResponse:
    if not policies.may_see_counts(request.user):
        raise PermissionDenied
    start, end, form = _period(request)
    rows = selectors.department_counts(request.user, start, end)
    if request.GET.get("format") == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([str(header) for header in COUNT_HEADERS])
        writer.writerows(row.as_row() for row in rows)
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="supervision-{start}-{end}.csv"'
        return response
    return render(
        request,
        "supervision/counts.html",
        {"rows": rows, "headers": COUNT_HEADERS, "form": form, "start": start, "end": end},
    )


# --- Recommendations ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def recommendation_list(request: HttpRequest) -> HttpResponse:
    if not policies.may_see_matters(request.user):
        raise PermissionDenied
    may_issue = policies.may_issue_recommendation(request.user)
    form = RecommendationForm(request.POST or None) if may_issue else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                recommendation = services.recommendation_issue(
                    department=data["department"],
                    actor=request.user,
                    text=data["text"],
                    grounds=data["grounds"],
                    case_numbers=data["cases"],
                )
            except ValidationError as error:
                messages.error(request, " ".join([str(_NOTHING_SAVED), *error.messages]))
            except CaseActionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The recommendation was issued."))
                return redirect("supervision:recommendation", pk=recommendation.pk)
        else:
            _form_errors(request, form)
    recommendations = list(
        selectors.visible_recommendations(request.user).select_related("department").order_by("-issued_at")[:500]
    )
    return render(
        request,
        "supervision/recommendation_list.html",
        {"recommendations": recommendations, "form": form, "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = selectors.recommendation_for(request.user, pk)
    may_answer = policies.may_answer_recommendation(recommendation, request.user)
    form = AnswerForm(request.POST or None, initial={"version": recommendation.version}) if may_answer else None
    if request.method == "POST":
        if form is None:
            messages.error(request, may_answer.reason)
            return redirect("supervision:recommendation", pk=recommendation.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.recommendation_answer(
                    recommendation_id=recommendation.pk,
                    actor=request.user,
                    text=data["text"],
                    adopted=data["adopted"],
                    expected_version=data["version"],
                )
            except ValidationError as error:
                messages.error(request, " ".join([str(_NOTHING_SAVED), *error.messages]))
            except CaseActionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The answer was recorded."))
            return redirect("supervision:recommendation", pk=recommendation.pk)
        _form_errors(request, form)
    cases = list(recommendation.cases.only("number", "department_id"))
    return render(
        request,
        "supervision/recommendation_detail.html",
        {"recommendation": recommendation, "form": form, "cases": cases, "today": timezone.localdate()},
    )

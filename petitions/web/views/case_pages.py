"""Intake, the case page and what can be done from it. Thin: forms clean, services act."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from petitions import extensions, policies
from petitions.clocks.deadlines import case_deadlines
from petitions.errors import ActionNotAllowed, CaseActionError
from petitions.identifiers import normalise_id_number, normalise_phone
from petitions.models import Attachment, Case, Channel, IdentityAccess
from petitions.selectors import cases as selectors
from petitions.selectors import scopes
from petitions.services.attachments import case_attach
from petitions.services.higher_authority import handed_down_record
from petitions.services.identity import identity_lookup, identity_reveal
from petitions.services.intake import CaseData, PetitionerData, RecordDiffers, case_register
from petitions.services.lifecycle import case_add_note
from petitions.web.case_actions import ACTIONS_BY_NAME, available_actions
from petitions.web.downloads import stored_file_response
from petitions.web.forms import (
    AttachmentForm,
    IntakeForm,
    NoteForm,
    PetitionerFormSet,
    offered_person_pk,
    person_offer,
    record_id,
)
from petitions.web.handed_down_forms import ORDER_FIELDS, IntakeHandedDownForm


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Intake -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    _require(policies.may_register(request.user))
    differences: dict[int, list] = {}
    status = 200
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES)
        people = PetitionerFormSet(request.POST, prefix="person", user=request.user)
        handed = IntakeHandedDownForm(request.POST, prefix="handed")
        if all([form.is_valid(), people.is_valid(), handed.is_valid()]):
            data = _case_data(form, people)
            kind = Attachment.Kind.LETTER if data.channel == Channel.LETTER else Attachment.Kind.DOCUMENT
            try:
                # One transaction: a case handed down from above is never registered without its order.
                with transaction.atomic():
                    case = case_register(
                        actor=request.user,
                        data=data,
                        attachments=[(f, kind) for f in form.cleaned_data["attachments"]],
                    )
                    if handed.handed_down:
                        handed_down_record(case_id=case.pk, actor=request.user, data=handed.order_data())
            except RecordDiffers as error:
                differences = error.differences
                form.add_error(None, error)
            except ValidationError as error:
                _add_errors(handed if _about_order(error) else form, error)
            else:
                messages.success(
                    request,
                    _("Case %(number)s registered. Tracking code: %(code)s")
                    % {"number": case.number, "code": case.tracking_code},
                )
                return redirect("case_detail", number=case.number)
        status = 422
    else:
        initial = {}
        if request.GET.get("session"):
            initial = {"reception_session": request.GET["session"], "channel": Channel.VISIT}
        form = IntakeForm(initial=initial)
        people = PetitionerFormSet(prefix="person", user=request.user)
        handed = IntakeHandedDownForm(prefix="handed")
    context = {
        "form": form,
        "people": people,
        "handed": handed,
        "person_forms": [(person, differences.get(index, [])) for index, person in enumerate(people.forms)],
        **_candidates(request),
    }
    return render(request, "petitions/case_create.html", context, status=status)


def _typed_person(params) -> tuple[str, str]:
    """The main petitioner's ID number and phone as typed, normalised; empty where not (yet) valid."""
    values = []
    for field, normalise in (("id_number", normalise_id_number), ("phone", normalise_phone)):
        raw = params.get(f"person-0-{field}", "").strip()
        try:
            values.append(normalise(raw) if raw else "")
        except ValidationError:
            values.append("")
    return values[0], values[1]


def _candidates(request: HttpRequest) -> dict:
    """The repeat-recognition panel for the ID number and phone in `request` (GET or POST).

    Each person offered carries a signed offer: intake links only a person offered to this clerk.
    An exact ID-number match is the person on record and is picked; a phone match is only a hint.
    """
    params = request.POST if request.method == "POST" else request.GET
    id_number, phone = _typed_person(params)
    searched = bool(id_number or phone)
    context = {"searched": searched, "candidates": [], "lookup_refused": ""}
    if not searched:
        return context
    try:
        found = identity_lookup(user=request.user, id_number=id_number, phone=phone).people
    except ActionNotAllowed as error:
        context["lookup_refused"] = error.message
        return context
    picked = offered_person_pk(user=request.user, offer=params.get("person-0-known_person", ""))
    if picked is None:
        picked = next((person.pk for person in found if person.matched_by == "id_number"), None)
    repeat = params.get("repeat_of", "")
    context["candidates"] = [
        {
            "person": person,
            "offer": person_offer(user=request.user, person_pk=person.pk),
            "picked": person.pk == picked,
            "by_id_number": person.matched_by == "id_number",
        }
        for person in found
    ]
    context["id_number_on_record"] = any(item["by_id_number"] for item in context["candidates"])
    context["picked_any"] = any(item["picked"] for item in context["candidates"])
    context["selected_repeat"] = record_id(repeat)
    return context


def _case_data(form: IntakeForm, people: PetitionerFormSet) -> CaseData:
    cleaned = form.cleaned_data
    persons = [
        PetitionerData(
            name=p["name"].strip(),
            gender=p["gender"],
            id_number=p["id_number"],
            phone=p["phone"],
            address=p["address"].strip(),
            confidential=p["confidential"],
            existing_id=p.get("known_person"),
            record_choice=p.get("record_choice", ""),
        )
        for p in (f.cleaned_data for f in people.forms)
        if p and p.get("name")
    ]
    return CaseData(
        channel=cleaned["channel"],
        received_at=cleaned["received_at"],
        purpose=cleaned["purpose"],
        legal_type=cleaned["legal_type"],
        category=cleaned["category"],
        region=cleaned["region"],
        summary=cleaned["summary"],
        request=cleaned["request"],
        headcount=cleaned["headcount"],
        facts=cleaned["facts"],
        complained_unit=cleaned["complained_unit"],
        skip_level=cleaned["skip_level"],
        letter_date=cleaned["letter_date"],
        reception_session=cleaned["reception_session"],
        repeat_of=cleaned["repeat_of"],
        petitioners=persons,
    )


def _about_order(error: ValidationError) -> bool:
    """Whether the errors are the handed-down order's (shown in its part of the intake page)."""
    return hasattr(error, "error_dict") and set(error.error_dict) <= set(ORDER_FIELDS)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_GET
def repeat_lookup(request: HttpRequest) -> HttpResponse:
    """htmx: people on record with the ID number or phone being typed, and their earlier cases."""
    _require(policies.may_register(request.user))
    context = _candidates(request)
    return render(
        request, "petitions/_repeat_candidates.html", context, status=429 if context["lookup_refused"] else 200
    )


# --- The case page ------------------------------------------------------------------------------


def _case_page_context(request: HttpRequest, case: Case, *, bound: dict | None = None) -> dict:
    actions = available_actions(case, request.user)
    forms = {action.name: action.form(case) for action in actions}
    if bound:
        forms.update(bound)
    attachments, attachments_withheld = selectors.attachments_of_case(request.user, case)
    handed_down = policies.handed_down_of(case)
    return {
        "handed_down": handed_down,
        "interim_reports": selectors.interim_reports_of_case(handed_down) if handed_down else [],
        "case": case,
        "people": selectors.people_of_case(request.user, case),
        "identity_allowed": selectors.identity_allowed(request.user, case),
        "show_repeat_link": selectors.repeat_link_visible(request.user, case),
        "attachments": attachments,
        "evaluations": selectors.evaluations_of_case(case),
        "attachments_withheld": attachments_withheld,
        "deadlines": case_deadlines(case),
        "panels": extensions.render_case_panels(request, case),
        "timeline": selectors.case_timeline(case),
        "actions": [(action, forms[action.name]) for action in actions],
        "note_form": NoteForm(),
        "attachment_form": AttachmentForm(),
        "can_attach": bool(policies.may_attach(case, request.user)),
        "case_links": extensions.case_links_for(case, request.user),
    }


@require_GET
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.case_for_user(request.user, number)
    return render(request, "petitions/case_detail.html", _case_page_context(request, case))


@require_POST
def case_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    case = selectors.case_for_user(request.user, number)
    spec = ACTIONS_BY_NAME.get(action)
    if spec is None:
        raise Http404
    form = spec.form(case, request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below; nothing was saved."))
        context = _case_page_context(request, case, bound={spec.name: form})
        context["open_action"] = spec.name
        return render(request, "petitions/case_detail.html", context, status=422)
    try:
        case = spec.perform(case, request.user, form.cleaned_data)
    except (CaseActionError, ValidationError) as error:
        message = error.message if isinstance(error, CaseActionError) else " ".join(error.messages)
        messages.error(request, message)
    else:
        messages.success(request, spec.done)
        if not scopes.can_view_case(request.user, case):
            # e.g. a department that returned the case: its page is no longer theirs to open.
            return redirect("case_department" if policies.may_see_department_list(request.user) else "home")
    return redirect("case_detail", number=case.number)


@require_POST
def case_note(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.case_for_user(request.user, number)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            case_add_note(case_id=case.pk, actor=request.user, note=form.cleaned_data["note"])
        except CaseActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The note was added."))
    else:
        messages.error(request, _("The note is empty."))
    return redirect("case_detail", number=case.number)


@require_POST
def case_identity(request: HttpRequest, number: str) -> HttpResponse:
    """Show the petitioners' full identity (htmx fragment); every showing is logged."""
    case = selectors.case_for_user(request.user, number)
    try:
        people = identity_reveal(user=request.user, case=case)
    except CaseActionError:
        raise PermissionDenied from None
    return render(
        request,
        "petitions/_petitioners.html",
        {"case": case, "people": people, "identity_allowed": True, "revealed": True},
    )


@require_GET
def case_receipt(request: HttpRequest, number: str) -> HttpResponse:
    """The printable receipt (回执) the petitioner takes home: no internal notes, no staff names.

    It names the main petitioner only for staff who may see identities, and that is logged.
    """
    case = selectors.case_for_user(request.user, number)
    name = ""
    if case.case_petitioners.all():
        if selectors.identity_allowed(request.user, case):
            people = identity_reveal(user=request.user, case=case, purpose=IdentityAccess.Purpose.RECEIPT)
        else:
            people = selectors.people_of_case(request.user, case)
        name = people[0].name
    return render(request, "petitions/case_receipt.html", {"case": case, "primary_name": name})


# --- Attachments ----------------------------------------------------------------------------------


@require_POST
def attachment_upload(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.case_for_user(request.user, number)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("case_detail", number=case.number)
    try:
        case_attach(
            case_id=case.pk, upload=form.cleaned_data["file"], kind=form.cleaned_data["kind"], actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except CaseActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The file was added."))
    return redirect("case_detail", number=case.number)


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("case", "uploaded_by"), pk=pk)
    case = attachment.case
    if not scopes.can_view_case(request.user, case) or not selectors.attachment_visible(
        request.user, attachment, identity=selectors.identity_allowed(request.user, case)
    ):
        raise Http404
    return stored_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )

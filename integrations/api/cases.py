"""The case endpoints: intake, read, list, and the department's writes. Parsing and shaping only:
every rule is in petitions' services and policies, which see the integration's system user."""

from datetime import datetime

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import File, Header, Query, Router, Schema, Status
from ninja.files import UploadedFile

from integrations.api.auth import require_scope
from integrations.api.errors import ERROR_STATUSES, ApiError, ErrorOut, not_found
from integrations.api.schemas import (
    AttachmentOut,
    CaseIn,
    CaseOut,
    CasePageOut,
    ExtensionRequestIn,
    IntakeOut,
    Moment,
    OutcomeIn,
    ReturnIn,
    StateCode,
    Text,
)
from integrations.intake import api_intake, request_digest
from integrations.models import Scope
from integrations.selectors import BadCursor, CaseFilters, Position, case_of_integration, case_page
from petitions.identifiers import normalise_id_number, normalise_phone
from petitions.models import Attachment, Case, CasePetitioner, Category, IdentityAccess, Region
from petitions.selectors.cases import attachments_of_case, identity_allowed
from petitions.services import lifecycle
from petitions.services.attachments import case_attach
from petitions.services.identity import identity_reveal
from petitions.services.intake import CaseData, PetitionerData, RecordChoice

router = Router(tags=["cases"])
ERRORS = dict.fromkeys(ERROR_STATUSES, ErrorOut)
READ_SCOPES = (Scope.READ_OFFICE, Scope.READ_DEPARTMENT)


# --- Shaping a case --------------------------------------------------------------------------------------


def _coded(obj) -> dict | None:
    return None if obj is None else {"code": obj.code, "name": obj.name}


def _people(request: HttpRequest, case: Case) -> tuple[str, list[dict]]:
    """Who the petitioners are, where the integration may know it: each such read a logged identity access."""
    if not request.integration.has_scope(Scope.IDENTITY):
        return "not_requested", []
    prefetch_related_objects(
        [case], Prefetch("case_petitioners", queryset=CasePetitioner.objects.select_related("petitioner"))
    )
    if not identity_allowed(request.actor, case):
        return "withheld", []
    identity_reveal(
        user=request.actor, case=case, purpose=IdentityAccess.Purpose.API, detail=f"{request.method} {request.path}"
    )
    return "shown", [
        {
            "role": link.role,
            "name": link.name,
            "gender": link.gender,
            "id_number": link.id_number,
            "phone": link.phone,
            "address": link.address,
            "confidential": link.petitioner.confidential,
        }
        for link in case.case_petitioners.all()
    ]


def _attachment(attachment: Attachment) -> dict:
    return {
        "id": attachment.pk,
        "name": attachment.original_name,
        "kind": attachment.kind,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }


_SHAPED = ("category", "region", "department", "external_reference", "identity", "petitioners", "attachments")
_PLAIN = tuple(name for name in CaseOut.model_fields if name not in _SHAPED)


def _case_fields(case: Case) -> dict:
    return {
        **{name: getattr(case, name) for name in _PLAIN},
        "category": _coded(case.category),
        "region": _coded(case.region),
        "department": _coded(case.department),
    }


def case_out(request: HttpRequest, case: Case, *, new: bool = False) -> dict:
    """A case as the integration may see it (the case itself already checked visible); `new`: just
    registered by this request, so without files."""
    identity, people = _people(request, case)
    files = [] if new else attachments_of_case(request.actor, case)[0]
    intake = getattr(case, "intake_request", None)
    own = intake is not None and intake.integration_id == request.integration.pk
    request.api_case_id = case.pk
    return {
        **_case_fields(case),
        "external_reference": intake.external_reference if own else "",
        "identity": identity,
        "petitioners": people,
        "attachments": [_attachment(attachment) for attachment in files],
    }


def _visible_case(request: HttpRequest, number: str) -> Case:
    # No case number is longer than 20 characters or holds a NUL (which PostgreSQL cannot even compare).
    case = case_of_integration(request.actor, number) if len(number) <= 20 and "\x00" not in number else None
    if case is None:
        raise not_found()
    request.api_case_id = case.pk
    return case


# --- Intake ------------------------------------------------------------------------------------------------


def _code_error(field: str, message) -> ApiError:
    return ApiError(400, "invalid_request", _("The request is not valid; see “fields”."), {field: [str(message)]})


def _petitioner(person, position: int) -> PetitionerData:
    from django.core.exceptions import ValidationError

    try:
        id_number = normalise_id_number(person.id_number) if person.id_number.strip() else ""
        phone = normalise_phone(person.phone) if person.phone.strip() else ""
    except ValidationError as error:
        raise _code_error(f"petitioners.{position}", " ".join(error.messages)) from None
    return PetitionerData(
        name=person.name.strip(),
        id_number=id_number,
        phone=phone,
        gender=person.gender,
        address=person.address.strip(),
        email=person.email.strip(),
        confidential=person.confidential,
        # What another system sends never rewrites a person's record: the case records what was sent.
        record_choice=RecordChoice.KEEP,
    )


def _case_data(payload: CaseIn) -> CaseData:
    category = Category.objects.filter(code=payload.category).first()
    if category is None:
        raise _code_error("category", _("No category has this code."))
    region = Region.objects.filter(code=payload.region).first()
    if region is None:
        raise _code_error("region", _("No region has this code."))
    received_at = payload.received_at or timezone.now()
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    if not payload.summary.strip() or not payload.request.strip():
        raise _code_error("summary" if not payload.summary.strip() else "request", _("This field cannot be blank."))
    return CaseData(
        channel=payload.channel,
        received_at=received_at,
        letter_date=payload.letter_date,
        purpose=payload.purpose,
        legal_type=payload.legal_type,
        category=category,
        region=region,
        summary=payload.summary,
        request=payload.request,
        facts=payload.facts,
        complained_unit=payload.complained_unit,
        headcount=payload.headcount,
        skip_level=payload.skip_level,
        petitioners=[_petitioner(person, position) for position, person in enumerate(payload.petitioners)],
    )


@router.post(
    "/cases",
    response={200: IntakeOut, 201: IntakeOut, **ERRORS},
    summary="Register a case (intake)",
    description="Registered by the same intake service as a clerk's registration, with this integration's system "
    "user as registrar. Idempotent: the same `Idempotency-Key` header, or the same `external_reference`, returns "
    "the first request's case (200, `replayed`: true) instead of making another; reused for a different request, "
    "409 `not_allowed`. Needs the `intake` scope.",
)
def case_create(
    request: HttpRequest,
    payload: CaseIn,
    idempotency_key: Text(200) = Header("", alias="Idempotency-Key"),  # noqa: B008 - how ninja declares a header
):
    require_scope(request, Scope.INTAKE)
    data = _case_data(payload)
    digest = request_digest(payload.model_dump_json())
    registered = api_intake(
        integration=request.integration,
        data=data,
        key=idempotency_key.strip(),
        reference=payload.external_reference.strip(),
        digest=digest,
    )
    # A new case is answered as it was saved; a replayed one is read again, as it is now (if still visible).
    case = registered.case if not registered.replayed else case_of_integration(request.actor, registered.case.number)
    if case is None:
        raise not_found()
    body = {
        "case": case_out(request, case, new=not registered.replayed),
        "tracking_code": case.tracking_code,
        "replayed": registered.replayed,
    }
    return Status(200 if registered.replayed else 201, body)


@router.post(
    "/cases/{number}/attachments",
    response={201: AttachmentOut, **ERRORS},
    summary="Add a file to a case",
    description="Multipart, one file in `file`; checked as staff uploads are (type by content, size). For a case this "
    "integration registered (`intake` scope) or of its department (`write_outcomes`).",
)
def attachment_create(request: HttpRequest, number: str, file: File[UploadedFile]):
    require_scope(request, Scope.INTAKE, Scope.WRITE_OUTCOMES)
    case = _visible_case(request, number)
    intake = getattr(case, "intake_request", None)
    registered_here = intake is not None and intake.integration_id == request.integration.pk
    if not registered_here and not request.integration.has_scope(Scope.WRITE_OUTCOMES):
        raise not_found()
    attachment = case_attach(case_id=case.pk, upload=file, kind=Attachment.Kind.DOCUMENT, actor=request.actor)
    return Status(201, _attachment(attachment))


# --- Reading -------------------------------------------------------------------------------------------------


@router.get(
    "/cases/{number}",
    response={200: CaseOut, **ERRORS},
    summary="Read a case by its number",
    description="Scoped as the browser is: a department's integration sees its department's cases only (404 for "
    "any other). Petitioners are shown only with the `identity` scope and where the rules allow; each such read "
    "is logged as an identity access.",
)
def case_read(request: HttpRequest, number: str):
    require_scope(request, *READ_SCOPES)
    return Status(200, case_out(request, _visible_case(request, number)))


class CaseListQuery(Schema):
    state: StateCode | None = None
    department: Text(20) | None = None
    category: Text(6) | None = None
    region: Text(12) | None = None
    received_since: Moment | None = None
    updated_since: Moment | None = None
    cursor: Text(200) | None = None
    limit: int = 50


@router.get(
    "/cases",
    response={200: CasePageOut, **ERRORS},
    summary="List cases",
    description="Newest received first, 1–100 per page (default 50). Continue with `cursor` = the page's "
    "`next_cursor`. Only the cases this integration may see.",
)
def case_list(request: HttpRequest, query: Query[CaseListQuery]):
    require_scope(request, *READ_SCOPES)
    if not 1 <= query.limit <= 100:
        raise _code_error("limit", _("Ask for 1 to 100 cases per page."))
    try:
        after = Position.decode(query.cursor) if query.cursor else None
    except BadCursor:
        raise _code_error("cursor", _("This cursor is not one the API gave out.")) from None
    filters = CaseFilters(
        state=query.state,
        department=query.department,
        category=query.category,
        region=query.region,
        received_since=_aware(query.received_since),
        updated_since=_aware(query.updated_since),
    )
    rows, following = case_page(request.actor, filters, after=after, limit=query.limit)
    items = [
        {
            "number": row["number"],
            "version": row["version"],
            "state": row["state"],
            "channel": row["channel"],
            "received_at": row["received_at"],
            "category": row["category__code"],
            "region": row["region__code"],
            "department": row["department__code"],
            "summary": row["summary"],
            "due_date": row["due_date"],
        }
        for row in rows
    ]
    return Status(200, {"items": items, "next_cursor": following.encode() if following else None})


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


# --- Writes from a department's system ---------------------------------------------------------------------


def _written(request: HttpRequest, number: str) -> CaseOut:
    return case_out(request, _visible_case(request, number))


@router.post(
    "/cases/{number}/outcome",
    response={200: CaseOut, **ERRORS},
    summary="Submit the outcome (报结) for the office's review",
    description="Needs `write_outcomes`. The case moves to `reviewing`; the office accepts it (then it is "
    "`handled`, event `case.handled`) or sends it back (`assigned` with `rework_due`, event `case.sent_back`). "
    "Refused with 409 `stale_version` when the case changed since `version`, "
    "409 `not_allowed` with the reason when the rules do not allow it now.",
)
def case_record_outcome(request: HttpRequest, number: str, payload: OutcomeIn):
    require_scope(request, Scope.WRITE_OUTCOMES)
    case = _visible_case(request, number)
    lifecycle.case_handle(
        case_id=case.pk,
        actor=request.actor,
        outcome=payload.outcome,
        outcome_text=payload.outcome_text,
        legal_basis=payload.legal_basis,
        expected_version=payload.version,
    )
    return Status(200, _written(request, number))


@router.post(
    "/cases/{number}/extension-request",
    response={200: CaseOut, **ERRORS},
    summary="Ask for an extension (延期)",
    description="Needs `write_outcomes`; a supervisor decides. Errors as for the outcome.",
)
def case_request_extension(request: HttpRequest, number: str, payload: ExtensionRequestIn):
    require_scope(request, Scope.WRITE_OUTCOMES)
    case = _visible_case(request, number)
    lifecycle.case_request_extension(
        case_id=case.pk, actor=request.actor, days=payload.days, reason=payload.reason, expected_version=payload.version
    )
    return Status(200, _written(request, number))


@router.post(
    "/cases/{number}/return",
    response={200: CaseOut, **ERRORS},
    summary="Return the case to the office (退回)",
    description="Needs `write_outcomes`: the department objects that the case is not theirs, within its window, "
    "with the reason. Afterwards the case is no longer the department's: it is not visible to this integration.",
)
def case_return(request: HttpRequest, number: str, payload: ReturnIn):
    require_scope(request, Scope.WRITE_OUTCOMES)
    case = _visible_case(request, number)
    returned = lifecycle.case_return(
        case_id=case.pk, actor=request.actor, reason=payload.reason, expected_version=payload.version
    )
    # The case went back to the office: the department may no longer see it, nor who brought it.
    fresh = Case.objects.select_related("category", "region", "department").get(pk=returned.pk)
    body = {
        **_case_fields(fresh),
        "external_reference": "",
        "identity": "withheld",
        "petitioners": [],
        "attachments": [],
    }
    return Status(200, body)

"""What the public site writes: an online submission, through the staff's own intake service.

A submission is registered by the system user "online" (public.registrar) with channel online, so
numbering, repeat recognition, the first deadline and the notifications are intake's. A person whose
ID number is on record is linked to the case (intake's exact-ID rule; nothing else can pick a person
from a public form), and their record is kept as it is: the case records what was typed. The one
change intake makes to a record is its own rule: a request for confidentiality is never dropped and
then holds for the person's other cases too.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.contrib.sessions.backends.base import SessionBase
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError
from django.utils import timezone

from petitions.models import Attachment, Case, Category, Channel, Region
from petitions.services.intake import CaseData, PetitionerData, RecordChoice, case_register
from public.models import SubmissionToken
from public.registrar import online_registrar

TOKEN_SALT = "public.submission-token"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = 24 * 60 * 60  # seconds a submission form stays good


def submission_token_issue() -> str:
    """The hidden value a new submission form carries: a random token, signed so that only the forms we
    issued can name one."""
    return signing.dumps(secrets.token_urlsafe(24), salt=TOKEN_SALT)


def submission_token_key(value: str) -> str | None:
    """The token a form's hidden value carries, if we issued it within TOKEN_MAX_AGE; else None."""
    try:
        token = signing.loads(value, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return token if isinstance(token, str) and 0 < len(token) <= 64 else None


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""
    email: str = ""
    confidential: bool = False


@dataclass(frozen=True)
class Submission:
    """What the petitioner typed, cleaned by public.forms."""

    petitioner: Person
    co_petitioners: list[Person]
    purpose: str
    legal_type: str
    category: Category
    region: Region
    summary: str
    request: str
    facts: str = ""
    complained_unit: str = ""
    headcount: int = 1
    language: str = ""  # the site's language the petitioner wrote in: notices to them are written in it


@dataclass(frozen=True)
class Submitted:
    case: Case
    again: bool  # the same form sent a second time: the case its first sending made


def _petitioner_data(person: Person, *, confidential: bool) -> PetitionerData:
    return PetitionerData(
        name=person.name.strip(),
        id_number=person.id_number,
        phone=person.phone,
        address=person.address.strip(),
        email=person.email,
        # One request covers the whole submission: the representatives are not shown either.
        confidential=confidential,
        # Typed details never rewrite a record an online petitioner cannot see: the case records them.
        record_choice=RecordChoice.KEEP,
    )


def case_data(submission: Submission, *, received_at: datetime) -> CaseData:
    confidential = submission.petitioner.confidential
    people = [submission.petitioner, *submission.co_petitioners]
    return CaseData(
        channel=Channel.ONLINE,
        received_at=received_at,
        purpose=submission.purpose,
        legal_type=submission.legal_type,
        category=submission.category,
        region=submission.region,
        summary=submission.summary,
        request=submission.request,
        facts=submission.facts,
        complained_unit=submission.complained_unit,
        headcount=max(submission.headcount, len(people)),
        petitioners=[_petitioner_data(person, confidential=confidential) for person in people],
        submission_language=submission.language,
    )


def submission_case(token: str) -> Case | None:
    """The case a token's form already made, if it made one."""
    case_id = SubmissionToken.objects.filter(token=token).values_list("case_id", flat=True).first()
    return Case.objects.get(pk=case_id) if case_id is not None else None


def online_submit(*, token: str, submission: Submission, attachments: list[UploadedFile] = ()) -> Submitted:
    """Register `submission` as a case (channel online, by "online") once per form token.

    The token's row is written with the case, last in intake's transaction: the same form sent again
    (later, or at the same moment: numbering queues them) finds the token taken, which undoes that
    second registration, and gets the first sending's case. A refusal (ValidationError from intake)
    writes no row, so the corrected form can be sent with the same token.
    """
    try:
        case = case_register(
            actor=online_registrar(),
            data=case_data(submission, received_at=timezone.now()),
            attachments=[(upload, Attachment.Kind.DOCUMENT) for upload in attachments],
            also=lambda case: SubmissionToken.objects.create(token=token, case=case),
        )
    except IntegrityError:
        earlier = submission_case(token)
        if earlier is None:
            raise
        return Submitted(earlier, again=True)
    return Submitted(case, again=False)


# --- Acknowledgement ------------------------------------------------------------------------------

ACK_SESSION_KEY = "public.acknowledgement"


def acknowledgement_keep(session: SessionBase, *, case: Case, typed: dict) -> None:
    """Keep for the acknowledgement page, shown once after the redirect: the case's number and
    tracking code and what the petitioner typed in this request — nothing read from the record."""
    session[ACK_SESSION_KEY] = {
        "number": case.number,
        "tracking_code": case.tracking_code,
        "received_at": timezone.localtime(case.received_at).strftime("%Y-%m-%d %H:%M"),
        **typed,
    }


def acknowledgement_take(session: SessionBase) -> dict | None:
    """The acknowledgement kept by the submission, removed: a reload or a second visit has none."""
    return session.pop(ACK_SESSION_KEY, None)

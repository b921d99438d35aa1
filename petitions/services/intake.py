"""Registering a case (登记): numbering, tracking code, petitioners, first deadline, attachments."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions.date_windows import letter_date_error, received_at_error
from petitions.deadlines import Clock, deadline_for
from petitions.models import (
    COLLECTIVE_HEADCOUNT,
    MAX_REPRESENTATIVES,
    Case,
    CaseLog,
    CasePetitioner,
    CaseSequence,
    Category,
    Channel,
    Petitioner,
    ReceptionSession,
    Region,
    Role,
    State,
    User,
)
from petitions.services.attachments import attachment_add, files_removed_on_failure, validate_upload
from petitions.services.notifications import notify, users_with_role

# Unambiguous when read aloud or copied by hand: no 0/O, 1/I/L, U.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_CODE_LENGTH = 12  # 30**12 ≈ 5e17 codes: not guessable


@dataclass(frozen=True)
class PetitionerData:
    name: str
    id_number: str = ""  # already normalised (petitions.identity.normalise_id_number)
    phone: str = ""  # already normalised
    gender: str = ""
    address: str = ""
    confidential: bool = False
    existing_id: int | None = None  # a known person the clerk picked from repeat recognition


@dataclass(frozen=True)
class CaseData:
    channel: str
    received_at: datetime
    purpose: str
    legal_type: str
    category: Category
    region: Region
    summary: str
    request: str
    headcount: int = 1
    facts: str = ""
    complained_unit: str = ""
    skip_level: bool = False
    letter_date: date | None = None
    reception_session: ReceptionSession | None = None
    repeat_of: Case | None = None
    petitioners: list[PetitionerData] = field(default_factory=list)


def validate_case_data(data: CaseData) -> dict[str, list]:
    """Every rule an intake must meet, by field name ("__all__" for the whole form)."""
    errors: dict[str, list] = {}

    def add(name: str, message) -> None:
        errors.setdefault(name, []).append(message)

    received_error = received_at_error(data.received_at)
    if received_error:
        add("received_at", received_error)
    named = len(data.petitioners)
    if named == 0:
        add("__all__", _("Name at least one petitioner."))
    if named > MAX_REPRESENTATIVES:
        add(
            "__all__",
            _("At most %(max)d petitioners or representatives are recorded (T22 art. 20).")
            % {"max": MAX_REPRESENTATIVES},
        )
    if data.headcount < 1:
        add("headcount", _("The number of people is at least 1."))
    elif data.headcount < named:
        add(
            "headcount",
            _("The number of people (%(headcount)d) cannot be below the number of people named (%(named)d).")
            % {"headcount": data.headcount, "named": named},
        )
    if received_error is None:  # the other dates are checked against a possible one only
        _check_dates_against_receipt(data, add)
    id_numbers = [p.id_number for p in data.petitioners if p.id_number]
    if len(id_numbers) != len(set(id_numbers)):
        add("__all__", _("The same ID number is given for two people."))
    if data.repeat_of is not None and data.repeat_of.received_at > data.received_at:
        add("repeat_of", _("A case can only repeat an earlier case."))
    return errors


def _check_dates_against_receipt(data: CaseData, add: Callable[[str, object], None]) -> None:
    received_on = timezone.localtime(data.received_at).date()
    if data.reception_session is not None:
        if data.channel != Channel.VISIT:
            add("reception_session", _("Only visits are received at a reception session."))
        elif data.reception_session.date != received_on:
            add("reception_session", _("The reception session is on another day than the visit."))
    if data.letter_date is not None:
        if data.channel != Channel.LETTER:
            add("letter_date", _("Only letters have a date on the letter."))
        elif letter_error := letter_date_error(data.letter_date, received_on=received_on):
            add("letter_date", letter_error)


def next_case_number(year: int) -> int:
    """The next number of `year`, taken under a row lock held until the transaction ends.

    A rolled-back registration gives its number back, so numbers have neither gaps nor duplicates.
    """
    table = CaseSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last) VALUES (%s, 1) "  # noqa: S608 - table name from our own model
            f"ON CONFLICT (year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [year],
        )
        return cursor.fetchone()[0]


def new_tracking_code() -> str:
    """30**12 codes: a collision is so unlikely that it is not looked for; the unique constraint
    refuses one, and case_register then tries again with a new code."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_CODE_LENGTH))


def _petitioner_for(data: PetitionerData) -> Petitioner:
    """The person's row: the one the clerk picked, the one with this ID number, or a new one."""
    person = None
    if data.existing_id is not None:
        person = Petitioner.objects.select_for_update().get(pk=data.existing_id)
        if data.id_number and person.id_number and person.id_number != data.id_number:
            raise ValidationError(
                {
                    "__all__": _("The ID number typed differs from the one on record for %(name)s.")
                    % {"name": person.name}
                }
            )
    elif data.id_number:
        person = Petitioner.objects.select_for_update().filter(id_number=data.id_number).first()
    if person is None:
        return Petitioner.objects.create(
            name=data.name,
            id_number=data.id_number,
            phone=data.phone,
            gender=data.gender,
            address=data.address,
            confidential=data.confidential,
        )
    # What the person tells us now is the freshest; a request for confidentiality is never dropped here.
    person.name = data.name or person.name
    person.id_number = data.id_number or person.id_number
    person.phone = data.phone or person.phone
    person.gender = data.gender or person.gender
    person.address = data.address or person.address
    person.confidential = person.confidential or data.confidential
    person.save()
    return person


def case_register(*, actor: User, data: CaseData, attachments: list[tuple[UploadedFile, str]] = ()) -> Case:
    """登记: a new case in state received, numbered, with its petitioners, deadline and files."""
    if not actor.has_perm("petitions.register_case"):
        raise ValidationError(_("Your role does not allow registering cases."))
    errors = validate_case_data(data)
    for upload, _kind in attachments:
        try:
            validate_upload(upload)
        except ValidationError as error:
            errors.setdefault("attachments", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    received_on = timezone.localtime(data.received_at).date()
    accept = deadline_for(Clock.ACCEPT, received_on)
    for attempt in range(3):
        try:
            with files_removed_on_failure():
                return _register(actor=actor, data=data, attachments=attachments, accept=accept)
        except IntegrityError as error:
            # The one unique value not taken under a lock is the random tracking code.
            if "tracking_code" not in str(error) or attempt == 2:
                raise
    raise AssertionError("unreachable")


def _register(*, actor: User, data: CaseData, attachments, accept) -> Case:
    year = timezone.localdate().year
    case = Case(
        year=year,
        tracking_code=new_tracking_code(),
        channel=data.channel,
        received_at=data.received_at,
        letter_date=data.letter_date,
        registered_by=actor,
        reception_session=data.reception_session,
        headcount=data.headcount,
        purpose=data.purpose,
        legal_type=data.legal_type,
        category=data.category,
        region=data.region,
        summary=data.summary.strip(),
        request=data.request.strip(),
        facts=data.facts.strip(),
        complained_unit=data.complained_unit.strip(),
        skip_level=data.skip_level,
        is_repeat=data.repeat_of is not None,
        repeat_of=data.repeat_of,
        accept_due=accept.due,
        deadline_basis={accept.clock: accept.basis},
    )

    def insert_numbered_case() -> None:
        case.sequence = next_case_number(year)
        case.number = f"XF{year}-{case.sequence:06d}"
        case.save(force_insert=True)

    def insert_rows_of_the_case() -> None:
        CasePetitioner.objects.bulk_create(
            CasePetitioner(
                case=case,
                petitioner=person,
                position=position,
                role=CasePetitioner.Role.PRIMARY if position == 0 else CasePetitioner.Role.REPRESENTATIVE,
            )
            for position, person in enumerate(people)
        )
        for upload, kind in attachments:
            attachment_add(case=case, upload=upload, kind=kind, actor=actor, log=False)
        CaseLog.objects.create(
            case=case,
            action="register",
            source_state=State.RECEIVED,
            target_state=State.RECEIVED,
            actor=actor,
            data={
                "channel": data.channel,
                "headcount": data.headcount,
                "repeat_of": data.repeat_of.number if data.repeat_of else None,
                "attachments": len(attachments),
            },
        )

    with transaction.atomic():
        # The yearly number holds a row lock that queues every other intake until this commit: take
        # it after the work that does not need the case.
        people = [_petitioner_for(person) for person in data.petitioners]
        insert_numbered_case()
        insert_rows_of_the_case()
        if case.headcount >= COLLECTIVE_HEADCOUNT:
            # A collective visit may need the leaders at once (T22 25).
            notify(
                users=users_with_role(Role.SUPERVISOR, Role.LEADER),
                case=case,
                kind="collective_visit",
                params={"number": case.number, "headcount": case.headcount},
            )
    return case

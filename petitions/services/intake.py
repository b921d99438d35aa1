"""Registering a case (登记): numbering, tracking code, petitioners, first deadline, attachments."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions import policies
from petitions.clocks.date_windows import letter_date_error, received_at_error
from petitions.clocks.deadlines import deadline_for
from petitions.identifiers import mask_address, mask_id_number, mask_name, mask_phone
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
    User,
)
from petitions.models.choices import Clock
from petitions.models.notice import NoticeEvent
from petitions.services.attachments import attachment_add, files_removed_on_failure, validate_upload
from petitions.services.case_log import case_log
from petitions.services.notifications import notify, users_with_role
from petitions.services.petitioner_notices import notices_queue

# Unambiguous when read aloud or copied by hand: no 0/O, 1/I/L, U.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_CODE_LENGTH = 12  # 30**12 ≈ 5e17 codes: not guessable


class RecordChoice(models.TextChoices):
    """What to do when what was typed differs from what is on record for the person linked."""

    UPDATE = "update", _("Update the record with what was typed (earlier cases keep what they recorded)")
    KEEP = "keep", _("Keep the record as it is (this case records what was typed)")


@dataclass(frozen=True)
class PetitionerData:
    name: str
    id_number: str = ""  # already normalised (petitions.identifiers.normalise_id_number)
    phone: str = ""  # already normalised
    gender: str = ""
    address: str = ""
    email: str = ""  # where notices to the petitioner go; recorded with the case only
    confidential: bool = False
    # A person on record the repeat look-up offered the clerk; linked only if the ID number or phone
    # typed is theirs. A person whose ID number is typed is linked without being picked.
    existing_id: int | None = None
    record_choice: str = ""  # a RecordChoice, needed when what was typed differs from the record


# What a case records of each person, compared with the record field by field.
RECORDED_FIELDS = ("name", "gender", "id_number", "phone", "address")
_MASKS = {
    "name": mask_name,
    "gender": lambda value: dict(Petitioner.Gender.choices).get(value, ""),
    "id_number": mask_id_number,
    "phone": mask_phone,
    "address": mask_address,
}


@dataclass(frozen=True)
class Difference:
    """One field where what was typed differs from the record; the record's value shown masked only."""

    field: str
    label: str
    typed: str
    on_record: str  # masked


def record_differences(person: Petitioner, data: PetitionerData) -> list[Difference]:
    """The fields typed (not left empty) that differ from what is on record for `person`."""
    differences = []
    for name in RECORDED_FIELDS:
        typed, stored = getattr(data, name), getattr(person, name)
        if typed and stored != typed:
            differences.append(
                Difference(
                    field=name,
                    label=str(Petitioner._meta.get_field(name).verbose_name),
                    typed=_MASKS["gender"](typed) if name == "gender" else typed,
                    on_record=_MASKS[name](stored) if stored else str(_("(none)")),
                )
            )
    return differences


class RecordDiffers(ValidationError):
    """What was typed for people on record differs from their record: the clerk chooses, then saves again."""

    def __init__(self, differences: dict[int, list[Difference]]) -> None:
        self.differences = differences
        super().__init__(
            _(
                "What was typed differs from the record of a person on record: "
                "choose below whether to update their record, then register again."
            ),
            code="record_differs",
        )


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
    submission_language: str = ""  # the site's language when the petitioner submitted online


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


@dataclass
class _Linked:
    person: Petitioner
    recorded: dict  # what the case records of the person (RECORDED_FIELDS)
    log: dict  # how the person was found, for the case log (no identity in it)
    new: bool = False  # made by this intake: no earlier case can be theirs


def _refuse(position: int, message) -> ValidationError:
    return ValidationError({"__all__": [_("Person %(n)d: %(message)s") % {"n": position + 1, "message": message}]})


def _person_on_record(data: PetitionerData, position: int) -> tuple[Petitioner | None, str]:
    """The person's row, locked, and how it was found: picked from the look-up (checked against what
    was typed), or by the ID number typed. Errors never name the person on record."""
    by_id = Petitioner.objects.select_for_update().filter(id_number=data.id_number).first() if data.id_number else None
    if data.existing_id is None:
        return by_id, "id_number" if by_id else ""
    picked = Petitioner.objects.select_for_update().filter(pk=data.existing_id).first()
    if picked is None:
        raise _refuse(position, _("the person picked from the record no longer exists."))
    if by_id is not None and by_id.pk != picked.pk:
        raise _refuse(position, _("the ID number typed is on record for another person than the one picked."))
    if data.id_number and picked.id_number and picked.id_number != data.id_number:
        raise _refuse(position, _("the ID number typed differs from the one on record for the person picked."))
    if data.id_number and data.id_number == picked.id_number:
        return picked, "id_number"
    if data.phone and data.phone == picked.phone:
        return picked, "phone"
    raise _refuse(
        position, _("the person picked does not have the ID number or phone typed: type it, or look them up again.")
    )


def _link_person(data: PetitionerData, position: int, differences: dict[int, list[Difference]]) -> _Linked | None:
    person, matched_by = _person_on_record(data, position)
    typed = {name: getattr(data, name) for name in RECORDED_FIELDS}
    if person is None:
        person = Petitioner.objects.create(**typed, confidential=data.confidential)
        return _Linked(person, {**typed, "email": data.email}, {"position": position, "person": "new"}, new=True)
    found = record_differences(person, data)
    if found and data.record_choice not in RecordChoice.values:
        differences[position] = found
        return None
    changed = [difference.field for difference in found] if data.record_choice == RecordChoice.UPDATE else []
    for name in changed:
        setattr(person, name, typed[name])
    # A request for confidentiality is never dropped, and holds for the person's other cases too.
    if data.confidential and not person.confidential:
        person.confidential = True
        changed.append("confidential")
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
    recorded = {name: typed[name] or getattr(person, name) for name in RECORDED_FIELDS}
    recorded["email"] = data.email
    log = {"position": position, "person": "on_record", "matched_by": matched_by}
    if found:
        log.update(record=data.record_choice, fields=[difference.field for difference in found])
    return _Linked(person, recorded, log)


def _link_people(petitioners: list[PetitionerData]) -> list[_Linked]:
    differences: dict[int, list[Difference]] = {}
    linked = [_link_person(data, position, differences) for position, data in enumerate(petitioners)]
    if differences:
        raise RecordDiffers(differences)
    if len({link.person.pk for link in linked}) != len(linked):
        raise ValidationError({"__all__": [_("The same person is named twice.")]})
    return linked


def _repeat_of(data: CaseData, primary: _Linked) -> Case | None:
    """The earlier case this one repeats: the clerk's pick, which must be the main petitioner's, or
    else their newest earlier case. A person with an earlier case is always a repeat (重复访), so
    the figures do not depend on a click. A person this intake made has no earlier case: not asked."""
    earlier = Case.objects.filter(case_petitioners__petitioner=primary.person, received_at__lte=data.received_at)
    if data.repeat_of is not None:
        if primary.new or not earlier.filter(pk=data.repeat_of.pk).exists():
            raise ValidationError({"repeat_of": [_("A case can only repeat an earlier case of its main petitioner.")]})
        return data.repeat_of
    if primary.new:
        return None
    return earlier.only("pk", "number").order_by("-received_at", "-pk").first()


def case_register(
    *,
    actor: User,
    data: CaseData,
    attachments: list[tuple[UploadedFile, str]] = (),
    also: Callable[[Case], object] | None = None,
) -> Case:
    """登记: a new case in state received, numbered, with its petitioners, deadline and files.

    `also(case)` is the caller's own write that belongs with the registration (the public site's
    submission token): run last in the same transaction, so that its failure undoes the case too
    (and removes the files it stored), and without a transaction of the caller's around this one.
    """
    if not policies.may_register(actor):
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
                return _register(actor=actor, data=data, attachments=attachments, accept=accept, also=also)
        except IntegrityError as error:
            # Two unique values are not taken under a lock: the random tracking code, and the ID number
            # of a new person registered at the same moment by another clerk (found on the next try).
            retry = "tracking_code" in str(error) or "id_number" in str(error)
            if not retry or attempt == 2:
                raise
    raise AssertionError("unreachable")


def _register(*, actor: User, data: CaseData, attachments, accept, also) -> Case:
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
        submission_language=data.submission_language,
        accept_due=accept.due,
        deadline_basis={accept.clock: accept.basis},
    )

    def insert_numbered_case() -> None:
        case.sequence = next_case_number(year)
        case.number = f"XF{year}-{case.sequence:06d}"
        case.save(force_insert=True)

    def insert_rows_of_the_case() -> list[CasePetitioner]:
        links = CasePetitioner.objects.bulk_create(
            CasePetitioner(
                case=case,
                petitioner=link.person,
                position=position,
                role=CasePetitioner.Role.PRIMARY if position == 0 else CasePetitioner.Role.REPRESENTATIVE,
                **link.recorded,
            )
            for position, link in enumerate(people)
        )
        for upload, kind in attachments:
            attachment_add(case=case, upload=upload, kind=kind, actor=actor, log=False)
        case_log(
            case,
            CaseLog.Action.REGISTER,
            actor=actor,
            data={
                "channel": data.channel,
                "headcount": data.headcount,
                "repeat_of": case.repeat_of.number if case.repeat_of else None,
                "attachments": len(attachments),
                "petitioners": [link.log for link in people],
            },
        )
        return links

    with transaction.atomic():
        # The yearly number holds a row lock that queues every other intake until this commit: take
        # it after the work that does not need the case.
        people = _link_people(data.petitioners)
        case.repeat_of = _repeat_of(data, people[0])
        case.is_repeat = case.repeat_of is not None
        insert_numbered_case()
        links = insert_rows_of_the_case()
        notices_queue(case=case, event=NoticeEvent.REGISTERED, links=links)
        if case.headcount >= COLLECTIVE_HEADCOUNT:
            # A collective visit may need the leaders at once (T22 25).
            notify(
                users=users_with_role(Role.SUPERVISOR, Role.LEADER),
                case=case,
                kind="collective_visit",
                params={"number": case.number, "headcount": case.headcount},
            )
        if also is not None:
            also(case)
    return case

"""What the API reads and writes, as pydantic schemas (and so as the OpenAPI document).

Lengths follow the models' columns, so that no input reaches the database that it would refuse.
"""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from petitions.models import MAX_REPRESENTATIVES, Channel, Closure, LegalType, Outcome, Purpose, State


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold U+0000; refused here as bad input rather than failing in the database.
    if "\x00" in value:
        raise ValueError("must not contain the NUL character")
    return value


def Text(max_length: int, min_length: int = 0):
    return Annotated[str, StringConstraints(max_length=max_length, min_length=min_length), AfterValidator(_no_nul)]


def _in_range(value):
    if value is not None and not (2000 <= value.year <= 2100):
        raise ValueError("must be between the years 2000 and 2100")
    return value


Moment = Annotated[datetime, AfterValidator(_in_range)]
Day = Annotated[date, AfterValidator(_in_range)]

ChannelCode = Literal[tuple(Channel.values)]
PurposeCode = Literal[tuple(Purpose.values)]
LegalTypeCode = Literal[tuple(LegalType.values)]
StateCode = Literal[tuple(State.values)]
OutcomeCode = Literal[tuple(Outcome.values)]
Version = Annotated[int, Field(ge=1, le=2_147_483_647)]


# --- Intake -------------------------------------------------------------------------------------------


class PetitionerIn(Schema):
    name: Text(50, 1)
    id_number: Text(30) = Field("", description="Resident ID number (18 characters, or 15 digits of an old card).")
    phone: Text(30) = ""
    gender: Literal["M", "F", ""] = ""
    address: Text(200) = ""
    email: Text(254) = Field("", description="Where notices to the petitioner go (optional).")
    confidential: bool = Field(False, description="The petitioner asked that their identity be withheld.")


class CaseIn(Schema):
    channel: ChannelCode
    received_at: Moment | None = Field(None, description="When the matter reached the caller; now if left out.")
    letter_date: Day | None = None
    purpose: PurposeCode
    legal_type: LegalTypeCode
    category: Text(6, 1) = Field(..., description="Category code (see /categories).")
    region: Text(12, 1) = Field(..., description="Region code (see /regions).")
    summary: Text(2000, 1)
    request: Text(2000, 1)
    facts: Text(10000) = ""
    complained_unit: Text(200) = ""
    headcount: Annotated[int, Field(ge=1, le=32767)] = 1
    skip_level: bool = False
    petitioners: Annotated[list[PetitionerIn], Field(min_length=1, max_length=MAX_REPRESENTATIVES)]
    external_reference: Text(100) = Field(
        "", description="The caller's own reference; a second intake with the same reference returns the first case."
    )


# --- Reading --------------------------------------------------------------------------------------------


class Coded(Schema):
    code: str
    name: str


class PersonOut(Schema):
    role: str
    name: str
    gender: str
    id_number: str
    phone: str
    address: str
    confidential: bool


class AttachmentOut(Schema):
    id: int
    name: str
    kind: str
    content_type: str
    size: int
    sha256: str


class CaseSummaryOut(Schema):
    number: str
    version: int
    state: StateCode
    channel: ChannelCode
    received_at: datetime
    category: str = Field(..., description="Category code.")
    region: str = Field(..., description="Region code.")
    department: str | None = Field(None, description="Department code, once routed.")
    summary: str
    due_date: date | None


class CaseOut(Schema):
    number: str
    version: int = Field(..., description="Send it back with a write: a changed case refuses a stale version (409).")
    state: StateCode
    channel: ChannelCode
    received_at: datetime
    registered_at: datetime
    purpose: PurposeCode
    legal_type: LegalTypeCode
    category: Coded
    region: Coded
    department: Coded | None
    summary: str
    request: str
    facts: str
    complained_unit: str
    headcount: int
    is_collective: bool
    is_repeat: bool
    skip_level: bool
    accept_due: date
    objection_due: date | None
    handling_due: date | None
    due_date: date | None
    extension_days: int
    extension_requested_days: int
    outcome: OutcomeCode | Literal[""]
    outcome_text: str
    legal_basis: str
    result_submitted_at: datetime | None = Field(
        None, description="When the department submitted its outcome for the office's review (state `reviewing`)."
    )
    rework_due: date | None = Field(
        None, description="After the office sent the outcome back: the part-deadline of further work."
    )
    rehandling: bool = Field(False, description="Back with the department after a dissatisfied callback.")
    handled_at: datetime | None = Field(None, description="When the office accepted the outcome (办结).")
    outcome_delivered_on: date | None
    closure: Literal[tuple(Closure.values)] | Literal[""]
    closed_at: datetime | None
    external_reference: str = Field("", description="This integration's reference, if it registered the case.")
    identity: Literal["shown", "withheld", "not_requested"] = Field(
        ...,
        description="shown: `petitioners` holds who they are (the read is logged); withheld: the rules forbid this "
        "integration to know (an accusation, a confidential petitioner); not_requested: no identity scope.",
    )
    petitioners: list[PersonOut] = Field(default_factory=list)
    attachments: list[AttachmentOut] = Field(default_factory=list)


class IntakeOut(Schema):
    case: CaseOut
    tracking_code: str = Field(..., description="The petitioner's code to follow the case on the public site.")
    replayed: bool = Field(..., description="True when this answers a retry: the case the first request made.")


class CasePageOut(Schema):
    items: list[CaseSummaryOut]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


# --- Writes from a department's system -----------------------------------------------------------------


class OutcomeIn(Schema):
    version: Version
    outcome: OutcomeCode
    outcome_text: Text(20000, 1) = Field(..., description="The written opinion (处理意见书) the petitioner receives.")
    legal_basis: Text(5000) = ""


class ExtensionRequestIn(Schema):
    version: Version
    days: Annotated[int, Field(ge=1, le=365)]
    reason: Text(2000, 1)


class ReturnIn(Schema):
    version: Version
    reason: Text(2000, 1)


# --- Reference data -------------------------------------------------------------------------------------


class CategoryOut(Schema):
    code: str
    name: str
    parent: str | None
    default_department: str | None


class RegionOut(Schema):
    code: str
    name: str
    parent: str | None
    level: int


class DepartmentOut(Schema):
    code: str
    name: str
    parent: str | None
    is_active: bool

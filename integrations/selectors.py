"""What the API reads: cases as the integration's system user may see them (petitions' scopes), pages
of them by a cursor, and the reference data."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from petitions.models import Attachment, Case, CaseLog, CasePetitioner, Category, Department, Region, User
from petitions.selectors.scopes import visible_cases

SUMMARY_FIELDS = (
    "id",
    "number",
    "version",
    "state",
    "channel",
    "received_at",
    "summary",
    "due_date",
    "category__code",
    "region__code",
    "department__code",
)


def case_of_integration(user: User, number: str) -> Case | None:
    """The case numbered `number` if the integration's user may see it, with what a read shows."""
    return (
        visible_cases(user)
        .select_related("category", "region", "department", "intake_request")
        .prefetch_related(
            Prefetch("case_petitioners", queryset=CasePetitioner.objects.select_related("petitioner")),
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
        )
        .filter(number=number)
        .first()
    )


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Position:
    """Where a page ended: the last case's (received_at, id), in the list's order (newest first)."""

    received_at: datetime
    pk: int

    def encode(self) -> str:
        raw = json.dumps([self.received_at.isoformat(), self.pk]).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> "Position":
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
            moment, pk = json.loads(raw)
            position = cls(datetime.fromisoformat(moment), int(pk))
        except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as error:
            raise BadCursor(str(error)) from None
        if position.received_at.tzinfo is None or not (0 < position.pk < 2**63):
            raise BadCursor("cursor out of range")
        return position


@dataclass(frozen=True)
class CaseFilters:
    state: str | None = None
    department: str | None = None
    category: str | None = None
    region: str | None = None
    received_since: datetime | None = None
    updated_since: datetime | None = None


def _filtered(user: User, filters: CaseFilters) -> QuerySet[Case]:
    cases = visible_cases(user)
    if filters.state:
        cases = cases.filter(state=filters.state)
    if filters.department:
        cases = cases.filter(department__code=filters.department)
    if filters.category:
        cases = cases.filter(category__code=filters.category)
    if filters.region:
        cases = cases.filter(region__code=filters.region)
    if filters.received_since:
        cases = cases.filter(received_at__gte=filters.received_since)
    if filters.updated_since:
        # Every change of a case is a row of its log (caselog_case_at serves the probe).
        cases = cases.filter(Exists(CaseLog.objects.filter(case=OuterRef("pk"), at__gte=filters.updated_since)))
    return cases


def case_page(
    user: User, filters: CaseFilters, *, after: Position | None, limit: int
) -> tuple[list[dict], Position | None]:
    """One page of the cases `user` may see, newest first, by keyset on (received_at, id) — the index
    case_received — so that page 10,000 costs what page 1 does; and the position to continue from."""
    cases = _filtered(user, filters)
    if after is not None:
        cases = cases.filter(
            Q(received_at__lte=after.received_at),
            Q(received_at__lt=after.received_at) | Q(pk__lt=after.pk),
        )
    rows = list(cases.order_by("-received_at", "-pk").values(*SUMMARY_FIELDS)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    following = Position(rows[-1]["received_at"], rows[-1]["id"]) if more else None
    return rows, following


def categories() -> list[dict]:
    return list(Category.objects.order_by("code").values("code", "name", "parent__code", "default_department__code"))


def regions() -> list[dict]:
    return list(Region.objects.order_by("code").values("code", "name", "parent__code", "level"))


def departments() -> list[dict]:
    return list(Department.objects.order_by("code").values("code", "name", "parent__code", "is_active"))

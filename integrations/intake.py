"""Registering a case through the API: intake's own service, once per Idempotency-Key or reference.

As public's online submission does with its form token: the `IntakeRequest` row is written with the
case, in the transaction that registers it, so a retry with the same key or external reference —
later, or at the same moment — is given the first request's case. A refusal (ValidationError from
intake) writes no row.
"""

import hashlib
from dataclasses import dataclass

from django.db import IntegrityError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from integrations.models import IntakeRequest, Integration
from petitions.errors import ActionNotAllowed
from petitions.models import Case
from petitions.services.intake import CaseData, case_register


class IdempotencyConflict(ActionNotAllowed):
    """A key or reference already used for a different request."""


@dataclass(frozen=True)
class Registered:
    case: Case
    replayed: bool


def request_digest(canonical: str) -> str:
    return hashlib.sha256(canonical.encode()).hexdigest()


def _earlier(integration: Integration, *, key: str, reference: str) -> IntakeRequest | None:
    match = Q(pk__in=[])
    if key:
        match |= Q(idempotency_key=key)
    if reference:
        match |= Q(external_reference=reference)
    return (
        IntakeRequest.objects.filter(match, integration=integration, case__isnull=False)
        .select_related("case")
        .order_by("pk")
        .first()
    )


def _replay(row: IntakeRequest, digest: str) -> Registered:
    if row.request_digest != digest:
        raise IdempotencyConflict(
            _("This Idempotency-Key or external reference was already used for a different request (case %(number)s).")
            % {"number": row.case.number}
        )
    return Registered(row.case, replayed=True)


def api_intake(*, integration: Integration, data: CaseData, key: str, reference: str, digest: str) -> Registered:
    """Register `data` for `integration` by its system user, once per key and per reference.

    The request's row is written with the case, last in intake's transaction: a retry (later, or at
    the same moment: numbering queues them) finds the key or reference taken, which undoes its
    registration, and is given the first request's case."""
    recorded: list[IntakeRequest] = []

    def record(case: Case) -> None:
        recorded.append(
            IntakeRequest.objects.create(
                integration=integration,
                idempotency_key=key,
                external_reference=reference,
                request_digest=digest,
                case=case,
            )
        )

    try:
        case = case_register(actor=integration.user, data=data, also=record)
    except IntegrityError:
        earlier = _earlier(integration, key=key, reference=reference) if key or reference else None
        if earlier is None:
            raise
        return _replay(earlier, digest)
    case.intake_request = recorded[0]
    return Registered(case, replayed=False)

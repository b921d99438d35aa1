"""Who a petitioner is: shown only where the rules allow, and every showing logged.

Every read of identity — the case page's "show full identity", a printed document or receipt, the
repeat look-up at intake, later an export or the API — goes through this module, which writes the
`IdentityAccess` rows. Nothing else writes them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions import policies
from petitions.errors import ActionNotAllowed
from petitions.models import Case, IdentityAccess, User
from petitions.selectors.cases import KnownPerson, PersonView, identity_allowed, person_view, repeat_candidates

Purpose = IdentityAccess.Purpose


def _log(
    *, user: User, purpose: str, case: Case | None, petitioner_ids: Iterable[int | None], detail: str = ""
) -> None:
    now = timezone.now()
    IdentityAccess.objects.bulk_create(
        IdentityAccess(user=user, purpose=purpose, case=case, petitioner_id=pk, detail=detail[:100], at=now)
        for pk in petitioner_ids
    )


def identity_reveal(*, user: User, case: Case, purpose: str = Purpose.REVEAL, detail: str = "") -> list[PersonView]:
    """The case's petitioners in full, as the case recorded them, after logging one row per person shown."""
    if not identity_allowed(user, case):
        raise ActionNotAllowed(_("You may not see who the petitioners of this case are."))
    links = list(case.case_petitioners.all())
    with transaction.atomic():
        _log(
            user=user, purpose=purpose, case=case, petitioner_ids=[link.petitioner_id for link in links], detail=detail
        )
    return [person_view(link, reveal=True) for link in links]


class LookupLimitReached(ActionNotAllowed):
    pass


@dataclass(frozen=True)
class LookupResult:
    people: list[KnownPerson]


def lookups_left(user: User) -> int:
    """How many more people `user` may look up now (REPEAT_LOOKUP_LIMIT per REPEAT_LOOKUP_WINDOW_MINUTES).

    Counted from the access log itself, so the limit holds across processes and without a cache.
    """
    since = timezone.now() - timedelta(minutes=settings.REPEAT_LOOKUP_WINDOW_MINUTES)
    used = IdentityAccess.objects.filter(user=user, purpose=Purpose.LOOKUP, at__gte=since).count()
    return settings.REPEAT_LOOKUP_LIMIT - used


def identity_lookup(*, user: User, id_number: str = "", phone: str = "") -> LookupResult:
    """The repeat look-up at intake: the people on record with this ID number or phone, masked.

    Only for registering staff; limited per user; each person found is one logged access (a search
    that found nobody is logged too, without a person).
    """
    if not policies.may_register(user):
        raise ActionNotAllowed(_("Your role does not allow looking up petitioners."))
    if lookups_left(user) <= 0:
        raise LookupLimitReached(
            _(
                "You have looked up %(limit)d people in the last %(minutes)d minutes, the most allowed. "
                "Register without the look-up, or wait a few minutes."
            )
            % {"limit": settings.REPEAT_LOOKUP_LIMIT, "minutes": settings.REPEAT_LOOKUP_WINDOW_MINUTES}
        )
    people = repeat_candidates(user=user, id_number=id_number, phone=phone)
    matched = "+".join(part for part, value in (("id_number", id_number), ("phone", phone)) if value)
    with transaction.atomic():
        _log(
            user=user,
            purpose=Purpose.LOOKUP,
            case=None,
            petitioner_ids=[person.pk for person in people] or [None],
            detail=matched,
        )
    return LookupResult(people=people)

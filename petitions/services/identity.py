"""Showing a petitioner's full identity: allowed by the rules, and every time logged."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from petitions.errors import ActionNotAllowed
from petitions.models import Case, IdentityAccess, User
from petitions.selectors import PersonView, identity_allowed, person_view


def identity_reveal(*, user: User, case: Case) -> list[PersonView]:
    """The case's petitioners unmasked, after writing one access-log row per person shown."""
    if not identity_allowed(user, case):
        raise ActionNotAllowed(_("You may not see who the petitioners of this case are."))
    links = list(case.case_petitioners.all())
    with transaction.atomic():
        IdentityAccess.objects.bulk_create(
            IdentityAccess(user=user, case=case, petitioner_id=link.petitioner_id) for link in links
        )
    return [person_view(link, reveal=True) for link in links]

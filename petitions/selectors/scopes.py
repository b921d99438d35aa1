"""Which cases a user may see, and on which of them who the petitioners are: each rule twice, once as
a query filter (for lists, counts, searches) and once for one case in hand (for a page) — side by side
here, and proven to agree by a test that enumerates cases and users (tests/petitions/test_scopes.py).
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from petitions.models import Case, CasePart, CasePetitioner, Channel, LegalType, User


def is_office_staff(user: User) -> bool:
    """Staff of the letters-and-visits office itself (not of a department cases are routed to)."""
    return user.has_perm("petitions.view_all_cases") or user.has_perm("petitions.register_case")


def in_department(case: Case, user: User) -> bool:
    return case.department_id is not None and case.department_id == user.department_id


def co_department_filter(department_id: int) -> Exists:
    """The cases in which `department_id` holds a part (协办), answered or not, while it stands."""
    return Exists(CasePart.objects.filter(case=OuterRef("pk"), department_id=department_id, withdrawn_at__isnull=True))


def part_departments(case: Case) -> set[int]:
    """The departments holding a standing part of `case` (read once per case object)."""
    if "_part_departments" not in case.__dict__:
        case._part_departments = set(
            CasePart.objects.filter(case_id=case.pk, withdrawn_at__isnull=True).values_list("department_id", flat=True)
        )
    return case._part_departments


def in_co_department(case: Case, user: User) -> bool:
    """`user`'s department holds a part of `case` (it sees the case; it answers only its part)."""
    return user.department_id is not None and case.pk is not None and user.department_id in part_departments(case)


# --- Cases ------------------------------------------------------------------------------------------


def case_visibility_filter(user: User) -> Q | None:
    """The cases `user` may see, as a filter; None means every case."""
    if user.has_perm("petitions.view_all_cases"):
        return None
    visible = Q(pk__in=[])
    if user.has_perm("petitions.register_case"):
        # What came in online is the intake desk's shared work: no clerk registered it (public site).
        visible |= Q(registered_by=user) | Q(channel=Channel.ONLINE)
    if user.has_perm("petitions.handle_case") and user.department_id is not None:
        visible |= Q(department_id=user.department_id) | co_department_filter(user.department_id)
    return visible


def can_view_case(user: User, case: Case) -> bool:
    """`case_visibility_filter` for one case."""
    if user.has_perm("petitions.view_all_cases"):
        return True
    if user.has_perm("petitions.register_case") and (
        case.registered_by_id == user.pk or case.channel == Channel.ONLINE
    ):
        return True
    return user.has_perm("petitions.handle_case") and (in_department(case, user) or in_co_department(case, user))


def visible_cases(user: User) -> QuerySet[Case]:
    cases = Case.objects.all()
    visibility = case_visibility_filter(user)
    return cases if visibility is None else cases.filter(visibility)


# --- Who the petitioners are -----------------------------------------------------------------------------


def may_search_identity(user: User) -> bool:
    """May `user` look cases up by a petitioner's name at all?"""
    return user.has_perm("petitions.view_identity")


def identity_visibility_filter(user: User) -> Q | None:
    """Of the cases `user` can see, those whose petitioners they may be shown (so find by name).

    Departments never learn who accused them (T22 art. 30), nor who asked to stay anonymous. To be
    combined with `case_visibility_filter`; None means every case the user can see.
    """
    if not may_search_identity(user):
        return Q(pk__in=[])
    if is_office_staff(user):
        return None
    confidential = CasePetitioner.objects.filter(case=OuterRef("pk"), petitioner__confidential=True)
    return ~Q(legal_type=LegalType.ACCUSATION) & ~Exists(confidential)


def can_view_identity(user: User, case: Case, *, any_confidential: bool) -> bool:
    """`case_visibility_filter` and `identity_visibility_filter` for one case."""
    if not may_search_identity(user) or not can_view_case(user, case):
        return False
    if is_office_staff(user):
        return True
    return case.legal_type != LegalType.ACCUSATION and not any_confidential

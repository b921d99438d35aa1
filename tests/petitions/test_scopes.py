"""The two forms of each scope rule agree: the query filter (lists, counts, searches) and the check of
one case (pages) — enumerated over cases of every kind and users of every role."""

import itertools

import pytest

from devdata.factories import UserFactory, advance, petitioner_data, register_case
from petitions.models import Case, Department, LegalType, Role
from petitions.selectors import scopes
from petitions.services.joint_handling import PartData, part_assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_kind_of_case(clerk, supervisor, department, other_department):
    other_clerk = UserFactory(roles=[Role.CLERK])
    made = []
    for registrar, routed_to, legal_type, confidential in itertools.product(
        (clerk, other_clerk),
        (None, department, other_department),
        (LegalType.CLAIM, LegalType.ACCUSATION),
        (False, True),
    ):
        case = register_case(
            clerk=registrar, legal_type=legal_type, petitioners=[petitioner_data(confidential=confidential)]
        )
        if routed_to is not None:
            case = advance(case, "assigned", supervisor=supervisor, department=routed_to)
        if routed_to == department and registrar == clerk:  # a joint case: the other department is 协办
            part_assign(case_id=case.pk, actor=supervisor, part=PartData(other_department, "协办", 5))
        made.append(case)
    return made


@pytest.fixture
def every_role(clerk, supervisor, handler, department_head, other_handler, leader, department):
    return [
        clerk,
        supervisor,
        handler,
        department_head,
        other_handler,
        leader,
        UserFactory(roles=[Role.ADMIN], is_staff=True),
        UserFactory(roles=[Role.AUDITOR]),
        UserFactory(),  # no role
        UserFactory(roles=[Role.HANDLER]),  # a handler not yet given a department
        UserFactory(roles=[Role.CLERK, Role.HANDLER], department=department),
    ]


def test_the_case_filter_and_the_case_check_agree(every_kind_of_case, every_role):
    for user in every_role:
        listed = set(scopes.visible_cases(user).filter(pk__in=[c.pk for c in every_kind_of_case]))
        checked = {case for case in every_kind_of_case if scopes.can_view_case(user, case)}
        assert listed == checked, user.username


def test_the_identity_filter_and_the_identity_check_agree(every_kind_of_case, every_role):
    ids = [case.pk for case in every_kind_of_case]
    for user in every_role:
        identity = scopes.identity_visibility_filter(user)
        cases = scopes.visible_cases(user).filter(pk__in=ids)
        listed = set(cases if identity is None else cases.filter(identity))
        checked = {
            case
            for case in Case.objects.filter(pk__in=ids).prefetch_related("case_petitioners__petitioner")
            if scopes.can_view_identity(
                user, case, any_confidential=any(link.petitioner.confidential for link in case.case_petitioners.all())
            )
        }
        assert listed == checked, user.username
    assert Department.objects.filter(code="ZJJ").exists()

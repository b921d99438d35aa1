"""Reading cases through the API, scoped as the browser is; identity only with the scope, and logged."""

import pytest
from django.utils import timezone

from devdata.factories import advance, petitioner_data, register_case
from petitions.models import IdentityAccess, LegalType, Purpose
from petitions.services import lifecycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(supervisor, department, other_department):
    """A case of `department`, one of `other_department`, one not routed yet."""
    ours = advance(register_case(), "assigned", supervisor=supervisor, department=department)
    theirs = advance(register_case(), "assigned", supervisor=supervisor, department=other_department)
    waiting = register_case()
    return ours, theirs, waiting


def test_a_department_token_reads_its_own_case_only(caller, routed, department):
    ours, theirs, waiting = routed
    system = caller("read_department", department=department)
    assert system.get(f"/api/v1/cases/{ours.number}").status_code == 200
    for case in (theirs, waiting):
        response = system.get(f"/api/v1/cases/{case.number}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_a_department_token_lists_its_own_cases_only_whatever_it_filters(caller, routed, department, other_department):
    ours, theirs, _waiting = routed
    system = caller("read_department", department=department)
    listed = [item["number"] for item in system.get("/api/v1/cases").json()["items"]]
    assert listed == [ours.number]
    asked_for_other = system.get("/api/v1/cases", {"department": other_department.code}).json()
    assert asked_for_other["items"] == []
    by_category = system.get("/api/v1/cases", {"category": theirs.category.code}).json()["items"]
    assert theirs.number not in [item["number"] for item in by_category]


def test_an_office_token_lists_every_case_newest_first_page_by_page(caller, routed):
    system = caller("read_office")
    seen, cursor = [], None
    while True:
        body = system.get("/api/v1/cases", {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [item["number"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(case.number for case in routed)
    assert len(seen) == len(set(seen))


def test_list_filters(caller, routed, department, supervisor):
    ours, theirs, waiting = routed
    system = caller("read_office")

    def numbers(**query):
        response = system.get("/api/v1/cases", query)
        assert response.status_code == 200, response.content
        return {item["number"] for item in response.json()["items"]}

    assert numbers(state="received") == {waiting.number}
    assert numbers(department=department.code) == {ours.number}
    assert numbers(region=ours.region.code) >= {ours.number}
    assert numbers(received_since="2099-01-01T00:00:00+08:00") == set()
    since = timezone.now()
    lifecycle.case_add_note(case_id=theirs.pk, actor=supervisor, note="已电话联系承办单位")
    assert numbers(updated_since=since.isoformat()) == {theirs.number}


@pytest.mark.parametrize(
    "query", [{"cursor": "not-a-cursor"}, {"cursor": "WzEsMl0"}, {"limit": 0}, {"limit": 101}, {"state": "x"}]
)
def test_bad_list_queries_are_400(caller, query):
    response = caller("read_office").get("/api/v1/cases", query)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"


def test_identity_needs_the_identity_scope_and_every_read_is_logged(caller, routed, department):
    ours, _theirs, _waiting = routed
    without = caller("read_department", department=department, name="without")
    body = without.get(f"/api/v1/cases/{ours.number}").json()
    assert body["identity"] == "not_requested" and body["petitioners"] == []
    assert not IdentityAccess.objects.exists()

    with_identity = caller("read_department", "identity", department=department, name="with")
    body = with_identity.get(f"/api/v1/cases/{ours.number}").json()
    assert body["identity"] == "shown"
    person = ours.case_petitioners.get()
    assert body["petitioners"][0]["name"] == person.name
    access = IdentityAccess.objects.get()
    assert access.user == with_identity.integration.user
    assert access.purpose == IdentityAccess.Purpose.API
    assert access.case == ours


@pytest.mark.parametrize("kind", ["accusation", "confidential"])
def test_a_department_never_sees_who_accused_it_or_asked_for_confidentiality(caller, supervisor, department, kind):
    if kind == "accusation":
        case = register_case(purpose=Purpose.DISCLOSURE, legal_type=LegalType.ACCUSATION)
    else:
        case = register_case(petitioners=[petitioner_data(confidential=True)])
    case = advance(case, "assigned", supervisor=supervisor, department=department)
    person = case.case_petitioners.get()
    system = caller("read_department", "identity", "write_outcomes", department=department)
    response = system.get(f"/api/v1/cases/{case.number}")
    assert response.status_code == 200
    assert response.json()["identity"] == "withheld"
    assert person.name not in response.content.decode()
    assert person.phone not in response.content.decode()
    assert not IdentityAccess.objects.exists()
    # the office's integration with the identity scope is shown them (and that is logged)
    office = caller("read_office", "identity")
    assert office.get(f"/api/v1/cases/{case.number}").json()["identity"] == "shown"
    assert IdentityAccess.objects.filter(user=office.integration.user).count() == 1


def test_reading_needs_a_read_scope(caller, routed):
    hotline = caller("intake")
    assert hotline.get(f"/api/v1/cases/{routed[2].number}").json()["error"]["code"] == "scope_missing"
    assert hotline.get("/api/v1/cases").status_code == 403


def test_reference_data_with_codes(caller):
    system = caller("intake")
    categories = system.get("/api/v1/categories").json()
    assert any(row["code"] == "990000" for row in categories)
    assert system.get("/api/v1/regions").status_code == 200
    departments = system.get("/api/v1/departments").json()
    assert {"code": "ZJJ"}.items() <= next(row for row in departments if row["code"] == "ZJJ").items()

"""The identity log: every showing of who a petitioner is, for administrators and auditors to filter."""

import pytest
from django.urls import reverse

from devdata.factories import UserFactory, petitioner_data, register_case
from petitions.models import IdentityAccess, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(db):
    return UserFactory(roles=[Role.AUDITOR])


@pytest.fixture
def accesses(client, clerk, supervisor):
    one = register_case(clerk=clerk, petitioners=[petitioner_data(name="周查阅", id_number="", phone="13811112222")])
    two = register_case(clerk=clerk)
    client.force_login(supervisor)
    client.post(reverse("case_identity", args=[one.number]))
    client.get(reverse("case_receipt", args=[two.number]))
    client.force_login(clerk)
    client.get(reverse("case_repeat_lookup"), {"person-0-phone": "13811112222"})
    client.logout()
    return one, two


def rows(response) -> list[IdentityAccess]:
    return [entry["access"] for entry in response.context["entries"]]


def test_the_auditor_sees_every_showing_newest_first(client, auditor, accesses, clerk, supervisor):
    one, two = accesses
    client.force_login(auditor)
    response = client.get(reverse("identity_audit"))
    assert response.status_code == 200
    assert [(a.user, a.purpose) for a in rows(response)] == [
        (clerk, "lookup"),
        (supervisor, "receipt"),
        (supervisor, "reveal"),
    ]
    html = response.content.decode()
    assert "周查阅" not in html and "周**" in html  # who was looked at, masked
    assert one.number in html and two.number in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"purpose": "reveal"}, ["reveal"]),
        ({"person": "138 1111 2222"}, ["lookup", "reveal"]),
        ({"until": "2000-01-01"}, []),
    ],
)
def test_the_log_filters(client, auditor, accesses, query, expected):
    client.force_login(auditor)
    assert [a.purpose for a in rows(client.get(reverse("identity_audit"), query))] == expected


def test_filters_by_staff_member_and_case(client, auditor, accesses, clerk):
    one, _two = accesses
    client.force_login(auditor)
    assert [a.purpose for a in rows(client.get(reverse("identity_audit"), {"user": clerk.pk}))] == ["lookup"]
    assert [a.purpose for a in rows(client.get(reverse("identity_audit"), {"case": one.number.lower()}))] == ["reveal"]


def test_a_bad_person_filter_says_so_and_lists_nothing(client, auditor, accesses):
    client.force_login(auditor)
    response = client.get(reverse("identity_audit"), {"person": "12345"})
    assert response.status_code == 200 and rows(response) == []
    assert "person" in response.context["filter"].form.errors


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR, Role.HANDLER, Role.LEADER])
def test_only_administrators_and_auditors_read_the_log(client, role, department):
    client.force_login(UserFactory(roles=[role], department=department))
    assert client.get(reverse("identity_audit")).status_code == 403


def test_the_auditor_sees_no_case(client, auditor, accesses):
    one, _two = accesses
    client.force_login(auditor)
    assert client.get(reverse("case_detail", args=[one.number])).status_code == 404
    home = client.get(reverse("home"))
    assert home.status_code == 200 and reverse("identity_audit") in home.content.decode()

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXPECTED = {
    "clerk": {"intake", "registered", "reception"},
    "supervisor": {"intake", "queue", "registered", "reception"},
    "handler": {"department"},
    "department_head": {"department"},
    "leader": {"queue", "owned", "reception"},
    "admin_user": {"intake", "queue", "registered", "reception", "admin"},  # a superuser may do everything
}

PAGES = {
    "intake": "case_create",
    "queue": "case_queue",
    "registered": "case_registered",
    "department": "case_department",
    "owned": "case_owned",
    "reception": "reception_list",
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_navigation_shows_what_the_role_may_do(request, client, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(reverse("home"))
    keys = {item.key for item in response.context["nav_items"]}
    assert EXPECTED[role] <= keys
    forbidden = {"intake", "queue", "registered", "department", "owned", "reception", "admin"} - EXPECTED[role]
    assert not (keys & forbidden), keys & forbidden
    for item in response.context["nav_items"]:
        assert client.get(item.url, follow=True).status_code == 200, item.key  # a role's own page may be one step on
    # ...and the pages it does not show are closed to the role: one rule decides both.
    for key in forbidden - {"admin"}:
        assert client.get(reverse(PAGES[key])).status_code == 403, key


def test_roles_have_their_permissions(clerk, supervisor, handler, department_head, leader):
    assert clerk.has_perm("petitions.register_case") and not clerk.has_perm("petitions.route_case")
    assert supervisor.has_perm("petitions.route_case") and supervisor.has_perm("petitions.approve_extension")
    assert handler.has_perm("petitions.handle_case") and not handler.has_perm("petitions.view_all_cases")
    assert department_head.has_perm("petitions.assign_handler")
    assert leader.has_perm("petitions.hold_reception") and leader.has_perm("petitions.view_all_cases")

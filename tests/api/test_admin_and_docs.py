"""The administrators' pages for integrations and tokens, and the API's documentation page."""

import pytest
from django.urls import reverse

from integrations.models import ApiCall, Integration, IntegrationToken
from integrations.services import token_authenticate

pytestmark = pytest.mark.django_db


def test_an_admin_creates_an_integration_and_its_system_user_follows_the_scopes(client, admin_user, department):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:integrations_integration_add"),
        {
            "name": "住建局业务系统",
            "contact": "王工 0731-1234567",
            "scopes": ["read_department", "identity", "write_outcomes", "webhooks"],
            "department": department.pk,
            "rate_limit": "600/m",
            "is_active": "on",
            "tokens-TOTAL_FORMS": "0",
            "tokens-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    integration = Integration.objects.get(name="住建局业务系统")
    assert integration.has_scope("webhooks")
    assert integration.user.department == department
    assert integration.user.has_perm("petitions.assign_handler")
    assert not integration.user.has_usable_password()


def test_a_department_with_an_office_scope_is_refused_in_the_admin(client, admin_user, department):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:integrations_integration_add"),
        {
            "name": "x",
            "scopes": ["intake"],
            "department": department.pk,
            "rate_limit": "600/m",
            "tokens-TOTAL_FORMS": "0",
            "tokens-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert not Integration.objects.filter(name="x").exists()


def test_issuing_shows_the_token_once_and_keeps_only_its_digest(client, admin_user, caller):
    system = caller("read_office")
    client.force_login(admin_user)
    page = client.post(
        reverse("admin:integrations_integration_changelist"),
        {"action": "issue_token", "_selected_action": [system.integration.pk]},
    )
    html = page.content.decode()
    token = html.split("<code data-token>")[1].split("</code>")[0]
    assert token_authenticate(token) is not None
    issued = IntegrationToken.objects.filter(integration=system.integration).order_by("-pk").first()
    assert token.rsplit("_", 1)[1] not in issued.digest
    change = client.get(reverse("admin:integrations_integration_change", args=[system.integration.pk])).content.decode()
    assert token not in change and issued.prefix in change


def test_rotate_and_revoke_in_the_admin(client, admin_user, caller):
    system = caller("read_office")
    old = IntegrationToken.objects.get(integration=system.integration)
    client.force_login(admin_user)
    page = client.post(
        reverse("admin:integrations_integrationtoken_changelist"),
        {"action": "rotate_now", "_selected_action": [old.pk]},
    )
    new_token = page.content.decode().split("<code data-token>")[1].split("</code>")[0]
    assert token_authenticate(system.token) is None and token_authenticate(new_token) is not None
    new = IntegrationToken.objects.exclude(pk=old.pk).get(integration=system.integration)
    client.post(
        reverse("admin:integrations_integrationtoken_changelist"), {"action": "revoke", "_selected_action": [new.pk]}
    )
    assert token_authenticate(new_token) is None


def test_the_call_log_is_filterable_and_read_only(client, admin_user, caller):
    system = caller("read_office", name="log me")
    system.get("/api/v1/categories")
    system.get("/api/v1/cases/XF0000-000001")
    client.force_login(admin_user)
    listing = client.get(
        reverse("admin:integrations_apicall_changelist"),
        {"integration__id__exact": system.integration.pk, "status": 404},
    )
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == list(ApiCall.objects.filter(status=404))
    assert client.get(reverse("admin:integrations_apicall_add")).status_code == 403


def test_the_documentation_page_is_for_signed_in_staff_and_uses_our_own_files(client, clerk):
    assert client.get("/api/v1/docs/").status_code == 302  # to the login
    client.force_login(clerk)
    page = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui-bundle.js" in page and "/static/" in page
    assert "cdn" not in page.lower() and "https://" not in page
    schema = client.get("/api/v1/schema/").json()
    assert "/api/v1/cases" in schema["paths"]
    assert schema["components"]["securitySchemes"]

"""Tokens: only a valid one is let in; revoked, rotated, expired and inactive ones are refused; each is
rate-limited; its last use is noted at most once a minute; the token is stored only as a digest."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from integrations.models import ApiCall, Integration, IntegrationToken
from integrations.services import integration_save, token_issue, token_revoke, token_rotate

pytestmark = pytest.mark.django_db


def test_no_token_or_a_wrong_one_is_401_in_the_error_shape(caller, client):
    system = caller("read_office")
    assert client.get("/api/v1/categories").status_code == 401
    for header in ("Bearer nope", f"Bearer {system.token}x", f"Basic {system.token}", "Bearer pd_"):
        response = client.get("/api/v1/categories", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        assert response.json()["error"]["code"] == "unauthorized"
        assert response["WWW-Authenticate"] == "Bearer"


def test_the_token_is_kept_as_a_digest_only(caller):
    system = caller("read_office")
    row = IntegrationToken.objects.get(integration=system.integration)
    secret = system.token.rsplit("_", 1)[1]
    assert secret not in row.digest and row.prefix in system.token
    assert system.get("/api/v1/categories").status_code == 200


def test_revoked_token_is_refused(caller):
    system = caller("read_office")
    token_revoke(token=IntegrationToken.objects.get(integration=system.integration))
    assert system.get("/api/v1/categories").status_code == 401


def test_rotation_stops_the_old_token_and_the_new_one_works(caller):
    system = caller("read_office")
    old = IntegrationToken.objects.get(integration=system.integration)
    issued = token_rotate(token=old, actor=None)
    assert system.get("/api/v1/categories").status_code == 401
    system.token = issued.plaintext
    assert system.get("/api/v1/categories").status_code == 200


def test_rotation_with_grace_keeps_the_old_token_until_then(caller, time_machine):
    system = caller("read_office")
    old = IntegrationToken.objects.get(integration=system.integration)
    token_rotate(token=old, actor=None, grace=timedelta(hours=24))
    assert system.get("/api/v1/categories").status_code == 200
    time_machine.move_to(timezone.now() + timedelta(hours=25))
    assert system.get("/api/v1/categories").status_code == 401


def test_an_inactive_integration_is_refused(caller):
    system = caller("read_office")
    system.integration.is_active = False
    integration_save(integration=system.integration)
    assert system.get("/api/v1/categories").status_code == 401


def test_the_scopes_are_the_system_users_permissions(caller, department):
    system = caller("read_department", "identity", department=department)
    user = system.integration.user
    assert not user.has_usable_password()
    assert user.department == department
    assert user.has_perm("petitions.handle_case") and user.has_perm("petitions.view_identity")
    assert not user.has_perm("petitions.view_all_cases") and not user.has_perm("petitions.register_case")
    system.integration.scopes = ["read_department"]
    integration_save(integration=system.integration)
    user = type(user).objects.get(pk=user.pk)
    assert not user.has_perm("petitions.view_identity")


def test_a_department_cannot_hold_office_scopes(department):
    from django.core.exceptions import ValidationError

    for scopes, dept in ((["intake"], department), (["read_office"], department), (["read_department"], None)):
        with pytest.raises(ValidationError):
            Integration(name="x", scopes=scopes, department=dept).full_clean(exclude=["user"])


def test_has_scope(caller):
    system = caller("webhooks", "read_office")
    assert system.integration.has_scope("webhooks") and not system.integration.has_scope("intake")


def test_rate_limit_per_token(caller, redis_only):
    cache.clear()
    system = caller("read_office", rate_limit="3/m")
    statuses = [system.get("/api/v1/categories").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert system.get("/api/v1/categories").json()["error"]["code"] == "rate_limited"
    # another token of the same integration has its own count
    other = token_issue(integration=system.integration, actor=None).plaintext
    system.token = other
    assert system.get("/api/v1/categories").status_code == 200


def test_last_use_is_written_at_most_once_a_minute(caller, django_assert_num_queries, time_machine):
    system = caller("read_office")
    system.get("/api/v1/categories")
    first = IntegrationToken.objects.get(integration=system.integration).last_used_at
    assert first is not None
    system.get("/api/v1/categories")
    assert IntegrationToken.objects.get(integration=system.integration).last_used_at == first
    time_machine.move_to(timezone.now() + timedelta(minutes=2))
    system.get("/api/v1/categories")
    assert IntegrationToken.objects.get(integration=system.integration).last_used_at > first


def test_every_call_is_logged(caller, supervisor, department):
    from devdata.factories import advance, register_case

    case = advance(register_case(), "assigned", supervisor=supervisor, department=department)
    system = caller("read_department", department=department)
    system.get(f"/api/v1/cases/{case.number}")
    system.get("/api/v1/cases/XF0000-000000")
    system.client.get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer wrong")
    calls = list(ApiCall.objects.order_by("pk"))
    assert [(c.method, c.status, c.integration_id, c.case_id) for c in calls] == [
        ("GET", 200, system.integration.pk, case.pk),
        ("GET", 404, system.integration.pk, None),
        ("GET", 401, None, None),
    ]
    assert calls[0].endpoint == "api/v1/cases/<number>"
    assert calls[1].error_code == "not_found"

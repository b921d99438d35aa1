"""Who is calling: the bearer token, its integration, the integration's limit and scopes."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited
from ninja.security import HttpBearer

from integrations.api.errors import ApiError, scope_missing
from integrations.models import Integration, IntegrationToken
from integrations.services import token_authenticate, token_touch
from petitions.models import User


def _token_key(group: str, request: HttpRequest) -> str:
    return request.api_token.prefix


def _token_rate(group: str, request: HttpRequest) -> str:
    return request.api_token.integration.rate_limit


class TokenAuth(HttpBearer):
    """`Authorization: Bearer pd_…`. Sets `request.api_token`, `request.integration` and `request.actor`
    (the integration's system user); refuses a token over its integration's rate limit (429)."""

    def authenticate(self, request: HttpRequest, token: str) -> IntegrationToken | None:
        found = token_authenticate(token)
        if found is None:
            return None
        request.api_token = found
        request.integration = found.integration
        request.actor = found.integration.user
        if is_ratelimited(request, group="integrations.api", key=_token_key, rate=_token_rate, increment=True):
            raise ApiError(429, "rate_limited", _("Too many requests for this token; slow down and try again."))
        token_touch(found)
        return found


def integration_of(request: HttpRequest) -> Integration:
    return request.integration


def actor_of(request: HttpRequest) -> User:
    return request.actor


def require_scope(request: HttpRequest, *scopes: str) -> None:
    """Refuse (403) unless the integration has one of `scopes`."""
    integration = request.integration
    if not any(integration.has_scope(scope) for scope in scopes):
        raise scope_missing(scopes[0])

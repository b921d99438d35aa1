"""`/api/v1/`: the API's operations and its OpenAPI document answer to tokens, not to the staff's login
(LoginRequiredMiddleware lets them through); the documentation page (Swagger UI, served from our own
static files) stays behind the login, for signed-in staff."""

from django.urls import URLPattern, URLResolver

from integrations.api import api


def _open_to_tokens(patterns: list) -> list:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _open_to_tokens(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name != "openapi-view":
            pattern.callback.login_required = False  # the token decides (integrations.api.auth)
    return patterns


patterns, app_name, namespace = api.urls
urlpatterns = _open_to_tokens(list(patterns))

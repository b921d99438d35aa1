"""Around every API request: the language it asks for, and its row in the call log."""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation.trans_real import parse_accept_lang_header

from integrations.models import ApiCall

API_PREFIX = "/api/"
NOT_LOGGED = ("/api/v1/schema/", "/api/v1/docs/")


def requested_language(request: HttpRequest) -> str:
    """The first supported language of Accept-Language; the office's language otherwise."""
    supported = {code for code, _name in settings.LANGUAGES}
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        try:
            variant = translation.get_supported_language_variant(code)
        except LookupError:
            continue
        if variant in supported:
            return variant
    return settings.LANGUAGE_CODE


class ApiRequestMiddleware:
    """For `/api/` only: speak the language of Accept-Language (the staff pages follow the office's),
    and write one `ApiCall` row per call after it was answered (one INSERT, nothing read)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        language = requested_language(request)
        started = time.perf_counter()
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers["Content-Language"] = language
        if not request.path.startswith(NOT_LOGGED):
            _log(request, response, started)
        return response


def _log(request: HttpRequest, response: HttpResponse, started: float) -> None:
    token = getattr(request, "api_token", None)
    match = getattr(request, "resolver_match", None)
    ApiCall.objects.create(
        integration_id=token.integration_id if token else None,
        token_id=token.pk if token else None,
        at=timezone.now(),
        method=request.method[:8],
        endpoint=(match.route if match else "")[:100],
        path=request.path[:300],
        status=response.status_code,
        case_id=getattr(request, "api_case_id", None),
        duration_ms=int((time.perf_counter() - started) * 1000),
        error_code=getattr(request, "api_error_code", "")[:40],
    )

"""Around every API request: the language it asks for, and its row in the call log."""

import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
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
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith("application/json"):
            response = _in_error_shape(request, response)  # Django's own 404 and 405 pages, in the API's shape
        response.headers["Content-Language"] = language
        if not request.path.startswith(NOT_LOGGED):
            _log(request, response, started)
        return response


_PLAIN_ERRORS = {
    404: ("not_found", _("There is no such API address.")),
    405: ("method_not_allowed", _("This API address does not take this method.")),
}


def _in_error_shape(request: HttpRequest, plain: HttpResponse) -> HttpResponse:
    code, message = _PLAIN_ERRORS.get(plain.status_code, ("invalid_request", _("The request is not valid.")))
    request.api_error_code = code
    response = JsonResponse({"error": {"code": code, "message": str(message), "fields": {}}}, status=plain.status_code)
    if "Allow" in plain:
        response["Allow"] = plain["Allow"]
    return response


def _log(request: HttpRequest, response: HttpResponse, started: float) -> None:
    token = getattr(request, "api_token", None)
    match = getattr(request, "resolver_match", None)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The row is committed without waiting for the disk (a reading call writes nothing else): a
            # crash of the database server may lose the last fraction of a second of the log, never
            # corrupt it; what the call itself changed was committed durably by its own transaction.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        _insert(request, response, started, token, match)


def _insert(request: HttpRequest, response: HttpResponse, started: float, token, match) -> None:
    ApiCall.objects.create(
        integration_id=token.integration_id if token else None,
        token_id=token.pk if token else None,
        at=timezone.now(),
        method=request.method[:8],
        endpoint=(match.route if match else "")[:100],
        path=request.path.replace("\x00", "\ufffd")[:300],  # PostgreSQL text cannot hold NUL
        status=response.status_code,
        case_id=getattr(request, "api_case_id", None),
        duration_ms=int((time.perf_counter() - started) * 1000),
        error_code=getattr(request, "api_error_code", "")[:40],
    )

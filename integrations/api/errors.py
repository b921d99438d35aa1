"""The API's one error shape, and the exceptions the endpoints raise to send it.

Every refusal is `{"error": {"code", "message", "fields"}}` with a 4xx status; `message` (and each
field's messages) in the language of the request's Accept-Language (zh-hans unless English is asked).
"""

from django.core.exceptions import SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from petitions.errors import ActionNotAllowed, StaleCase


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


class ErrorOut(Schema):
    """Every 4xx answer of the API."""

    error: ErrorDetail


# The statuses an operation may answer with this shape (each documented on every operation).
ERROR_STATUSES = frozenset({400, 401, 403, 404, 409, 413, 429})


class ApiError(Exception):
    def __init__(self, status: int, code: str, message, fields: dict | None = None) -> None:
        super().__init__(str(message))
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def not_found() -> ApiError:
    return ApiError(404, "not_found", _("No such case, or not one this integration may see."))


def scope_missing(scope: str) -> ApiError:
    return ApiError(403, "scope_missing", _("This integration does not have the “%(scope)s” scope.") % {"scope": scope})


def respond(api: NinjaAPI, request: HttpRequest, status: int, code: str, message, fields: dict | None = None):
    body = {"error": {"code": code, "message": str(message), "fields": fields or {}}}
    response = api.create_response(request, body, status=status)
    request.api_error_code = code  # for the call log
    return response


def _validation_fields(error: DjangoValidationError) -> tuple[str, dict[str, list[str]]]:
    if hasattr(error, "error_dict"):
        fields = {
            name: [str(m) for m in DjangoValidationError(errors).messages] for name, errors in error.error_dict.items()
        }
        general = fields.pop("__all__", [])
        message = " ".join(general) or gettext("Some fields are not valid; see “fields”.")
        return message, fields
    return " ".join(str(m) for m in error.messages), {}


def _location(loc) -> str:
    # ("body", "payload", "petitioners", 0, "name") → "petitioners.0.name"; the source ("body", "query") dropped
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "form", "file"):
        parts = parts[1:]
    if parts and parts[0] in ("payload", "filters", "data"):
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def install(api: NinjaAPI) -> None:
    """Turn every refusal the API can meet into the one shape."""

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError) -> HttpResponse:
        return respond(api, request, exc.status, exc.code, exc.message, exc.fields)

    @api.exception_handler(NinjaValidationError)
    def invalid_input(request, exc: NinjaValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for item in exc.errors:
            fields.setdefault(_location(item.get("loc", ())), []).append(str(item.get("msg", "")))
        return respond(api, request, 400, "invalid_request", _("The request is not valid; see “fields”."), fields)

    @api.exception_handler(DjangoValidationError)
    def refused_by_rules(request, exc: DjangoValidationError) -> HttpResponse:
        message, fields = _validation_fields(exc)
        return respond(api, request, 400, "invalid_request", message, fields)

    @api.exception_handler(StaleCase)
    def stale(request, exc: StaleCase) -> HttpResponse:
        return respond(api, request, 409, "stale_version", exc.message)

    @api.exception_handler(ActionNotAllowed)
    def not_allowed(request, exc: ActionNotAllowed) -> HttpResponse:
        return respond(api, request, 409, "not_allowed", exc.message)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc) -> HttpResponse:
        response = respond(
            api,
            request,
            401,
            "unauthorized",
            _("Send a valid API token: Authorization: Bearer <token>. It may have been revoked or have expired."),
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(Http404)
    def missing(request, exc) -> HttpResponse:
        error = not_found()
        return respond(api, request, error.status, error.code, error.message)

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, exc) -> HttpResponse:  # a body over the size limit, too many fields
        return respond(api, request, 400, "invalid_request", _("The request is too large or malformed."))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError) -> HttpResponse:
        status = exc.status_code if 400 <= exc.status_code < 500 else 400
        return respond(api, request, status, "invalid_request", _("The request is not valid."))

"""The versioned REST API (`/api/v1/`), built with django-ninja: the operations' schemas are the
OpenAPI document (`/api/v1/schema/`), and requests are parsed and validated by pydantic before any
service is called."""

from ninja import NinjaAPI

from integrations.api import cases, errors, reference
from integrations.api.auth import TokenAuth

DESCRIPTION = """
Another system (a 12345 hotline, a higher office, a department's own system) talks to the portal with
a token an administrator issued to its *integration*: `Authorization: Bearer pd_…`.

**Scopes** (given to the integration): `intake` (register cases), `read_office` (read every case) or
`read_department` (the cases of its department), `identity` (petitioners' identity where the rules
allow; every such read is logged), `write_outcomes` (its department's outcome, extension request,
return), `webhooks`.

**Errors**: every refusal is a 4xx with `{"error": {"code", "message", "fields"}}`; `message` in the
language of `Accept-Language` (Chinese unless English is asked). Codes: `invalid_request` (400),
`unauthorized` (401), `scope_missing` (403), `not_found` (404: no such case, or not one this
integration may see), `stale_version` and `not_allowed` (409), `rate_limited` (429).

**Idempotent intake**: send an `Idempotency-Key` header (or an `external_reference`) with
`POST /cases`; a retry gets the first request's case with `replayed: true`.

**Pagination**: `GET /cases` answers `items` and `next_cursor`; pass `cursor=<next_cursor>` for the
next page (newest received first).
"""

api = NinjaAPI(
    title="Petition Desk API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/schema/",
    docs_url="/docs/",
    auth=TokenAuth(),
)
errors.install(api)
api.add_router("", cases.router)
api.add_router("", reference.router)

__all__ = ["api"]

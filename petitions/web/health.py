"""Reachability of what the portal depends on, for /healthz.

Anyone may ask whether the portal is healthy (load balancers, monitors); what it runs on (database
vendor, broker transport, number of workers, error names) is told only to signed-in staff and to a
monitor that sends the HEALTHZ_TOKEN in the X-Healthz-Token header.
"""

import hmac
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from config.celery_app import app as celery_app

TOKEN_HEADER = "X-Healthz-Token"  # noqa: S105 - the name of the header, not a secret


def check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor}


def check_broker() -> dict[str, Any]:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
            transport = conn.transport_cls
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "transport": str(transport)}


def check_workers(timeout: float = 1.5) -> dict[str, Any]:
    try:
        replies = celery_app.control.ping(timeout=timeout)
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": bool(replies), "workers": len(replies)}


def health(*, details: bool = True) -> tuple[bool, dict[str, Any]]:
    """Whether everything answers, and each check; with `details`, also what answered or failed."""
    checks = {"database": check_database(), "broker": check_broker()}
    # Asking workers needs the broker; without it the answer is already known.
    checks["worker"] = check_workers() if checks["broker"]["ok"] else {"ok": False, "error": "broker down"}
    ok = all(check["ok"] for check in checks.values())
    if not details:
        checks = {name: {"ok": check["ok"]} for name, check in checks.items()}
    return ok, checks


def may_see_details(request: HttpRequest) -> bool:
    """Signed-in staff (any role), or a monitor with the configured token."""
    user = request.user
    if user.is_authenticated and (user.is_superuser or user.roles):
        return True
    token = settings.HEALTHZ_TOKEN
    sent = request.headers.get(TOKEN_HEADER, "")
    return bool(token) and hmac.compare_digest(sent.encode(), token.encode())

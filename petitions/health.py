"""Reachability of what the portal depends on, for /healthz."""

from typing import Any

from django.db import connection

from config.celery_app import app as celery_app


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


def health() -> tuple[bool, dict[str, Any]]:
    checks = {"database": check_database(), "broker": check_broker()}
    # Asking workers needs the broker; without it the answer is already known.
    checks["worker"] = check_workers() if checks["broker"]["ok"] else {"ok": False, "error": "broker down"}
    return all(check["ok"] for check in checks.values()), checks

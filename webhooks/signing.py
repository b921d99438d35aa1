"""The signature of a webhook (README "Webhooks"): HMAC-SHA256 over `timestamp + "." + body`.

Headers sent with every POST:
  X-PetitionDesk-Event-Id:   the event's uuid (the same on every attempt and redelivery: de-duplicate on it)
  X-PetitionDesk-Event:      the event type, e.g. case.handled
  X-PetitionDesk-Timestamp:  the attempt's time, Unix seconds
  X-PetitionDesk-Signature:  v1=<hex HMAC-SHA256 of "<timestamp>.<body bytes>" with the subscription's secret>
"""

import hashlib
import hmac
import json
import time

EVENT_ID_HEADER = "X-PetitionDesk-Event-Id"
EVENT_TYPE_HEADER = "X-PetitionDesk-Event"
TIMESTAMP_HEADER = "X-PetitionDesk-Timestamp"
SIGNATURE_HEADER = "X-PetitionDesk-Signature"
SCHEME = "v1"
TOLERANCE_SECONDS = 300  # a receiver refuses a timestamp further than this from its clock (replays)


def body_bytes(body: dict) -> bytes:
    """The body as sent: the same bytes on every attempt."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def verify(secret: str, *, timestamp: str, body: bytes, signature_header: str, now: float | None = None) -> bool:
    """What a receiver does (and the tests do): recompute, compare in constant time, refuse an old timestamp."""
    try:
        moment = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - moment) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, moment, body), signature_header or "")

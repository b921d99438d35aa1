"""Progress look-up 查询: a tracking code and a second factor the petitioner knows, the lock that stops
guessing, and the petitioner's session that remembers which cases they opened.

A wrong pair and a code that does not exist answer alike; a locked code answers alike whether it exists
or not. Six wrong second factors for one code within LOCK_WINDOW lock it for LOCK_DURATION (a
TrackingLock row: it holds through a Redis outage). Per address, django-ratelimit limits the form.
"""

import hashlib
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions import policies
from petitions.errors import CaseActionError
from petitions.models import Case, CasePetitioner, User
from petitions.services.case_log import case_log
from public.models import TrackingLock

MAX_WRONG_FACTORS = 5  # the sixth wrong second factor locks the code
LOCK_WINDOW = timedelta(hours=1)
LOCK_DURATION = timedelta(minutes=30)
TRACKING_UNLOCKED = "tracking_unlocked"  # the case-log action of lifting a lock
SESSION_KEY = "public_tracked_cases"
SESSION_LIFETIME = 30 * 60  # seconds a look-up keeps a case open in the petitioner's session
SESSION_MAX_CASES = 5

_NOT_CODE = re.compile(r"[\s\-_.·—–]+")
_FACTOR = re.compile(r"^[0-9]{3}[0-9X]$")


class LookupFailed(Exception):
    """No case has this code with this second factor (or no case has this code)."""


class LookupLocked(Exception):
    """The code is locked after too many wrong second factors."""


@dataclass(frozen=True)
class Found:
    case_id: int
    tracking_code: str
    case_petitioner_id: int


def normalise_code(raw: str) -> str:
    """Upper case, spaces and dashes dropped: "abcd-efgh 2345" → "ABCDEFGH2345"."""
    return _NOT_CODE.sub("", raw or "").upper()[:32]


def normalise_factor(raw: str) -> str:
    return _NOT_CODE.sub("", raw or "").upper()


def _digest(code: str) -> str:
    return hashlib.sha256(f"tracking:{code}".encode()).hexdigest()


def tracking_locked_until(case: Case) -> datetime | None:
    """Until when look-ups of `case`'s tracking code are locked, if they are now."""
    lock = TrackingLock.objects.filter(code_digest=_digest(case.tracking_code), locked_until__gt=timezone.now()).first()
    return lock.locked_until if lock is not None else None


def tracking_lock_lift(*, case_id: int, actor: User) -> None:
    """Lift the lock of the case's look-up at the office's word, and forget the wrong attempts; logged
    on the case (without the code). Refused (CaseActionError) unless `may_lift_tracking_lock`."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        decision = policies.may_lift_tracking_lock(case, actor)
        if not decision:
            raise CaseActionError(decision.reason)
        lock = TrackingLock.objects.select_for_update().filter(code_digest=_digest(case.tracking_code)).first()
        if lock is None or lock.locked_until is None or lock.locked_until <= timezone.now():
            raise CaseActionError(_("Look-ups of this case are not locked."))
        case_log(case, TRACKING_UNLOCKED, actor=actor, data={"locked_until": lock.locked_until.isoformat()})
        lock.delete()


def tracking_lookup(*, code: str, factor: str) -> Found:
    """The case and the petitioner of it whose phone or ID number ends with `factor`; else LookupFailed,
    or LookupLocked when the code is (or this attempt makes it) locked."""
    code, factor = normalise_code(code), normalise_factor(factor)
    digest, now = _digest(code), timezone.now()
    lock = TrackingLock.objects.filter(code_digest=digest).first()
    if lock is not None and lock.locked_until is not None and lock.locked_until > now:
        raise LookupLocked
    person = None
    if code and _FACTOR.match(factor):
        person = (
            CasePetitioner.objects.filter(case__tracking_code=code)
            .filter(Q(phone__endswith=factor) | Q(id_number__endswith=factor))
            .values("pk", "case_id")
            .order_by("position")
            .first()
        )
    if person is not None:
        if lock is not None:  # typos before the right pair are forgiven
            TrackingLock.objects.filter(code_digest=digest, locked_until__isnull=True).delete()
        return Found(person["case_id"], code, person["pk"])
    with transaction.atomic():
        lock, _created = TrackingLock.objects.select_for_update().get_or_create(
            code_digest=digest, defaults={"first_failure_at": now}
        )
        if lock.locked_until is not None and lock.locked_until > now:
            raise LookupLocked
        if lock.locked_until is not None or now - lock.first_failure_at > LOCK_WINDOW:
            lock.failures, lock.first_failure_at, lock.locked_until = 0, now, None
        lock.failures += 1
        if lock.failures > MAX_WRONG_FACTORS:
            lock.locked_until = now + LOCK_DURATION
        lock.save()
    if lock.locked_until is not None:
        raise LookupLocked
    raise LookupFailed


# --- The petitioner's session ------------------------------------------------------------------------------


def session_remember(request: HttpRequest, found: Found, *, factor: str) -> None:
    """Open the case in this browser's session for SESSION_LIFETIME (the most recent few cases)."""
    tracked = _current(request)
    first = not tracked
    tracked[found.tracking_code] = {
        "case": found.case_id,
        "person": found.case_petitioner_id,
        "factor": normalise_factor(factor)[-4:],
        "at": time.time(),
    }
    newest = sorted(tracked.items(), key=lambda item: item[1]["at"], reverse=True)[:SESSION_MAX_CASES]
    if first:  # a fresh session id once the session starts to hold something worth stealing
        request.session.cycle_key()
    request.session[SESSION_KEY] = dict(newest)


def _current(request: HttpRequest) -> dict:
    tracked = request.session.get(SESSION_KEY)
    if not isinstance(tracked, dict):
        return {}
    cutoff = time.time() - SESSION_LIFETIME
    return {
        code: entry
        for code, entry in tracked.items()
        if isinstance(entry, dict) and isinstance(entry.get("at"), int | float) and entry["at"] >= cutoff
    }


@dataclass(frozen=True)
class Tracked:
    case: Case
    case_petitioner_id: int
    factor: str  # the last 4 digits the petitioner typed (shown masked, nothing more)


def session_case(request: HttpRequest, code: str) -> Tracked | None:
    """The case this session opened with `code` within SESSION_LIFETIME, or None."""
    entry = _current(request).get(normalise_code(code))
    if entry is None:
        return None
    case = (
        Case.objects.select_related("department").filter(pk=entry["case"], tracking_code=normalise_code(code)).first()
    )
    if case is None:
        return None
    return Tracked(case, int(entry["person"]), str(entry.get("factor", "")))

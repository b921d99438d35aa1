"""The one writer of the case log (CaseLog), as pretix's `log_action` is of its log.

Every service that changes a case, adds a note or a file, or moves its deadlines writes its entry
here, in the transaction of the change: `case_log` for one entry, `case_log_many` for a sweep's batch
(one statement). Each entry written is told to the listeners other apps registered
(`petitions.extensions.register_case_log_listener`, e.g. webhooks), in the same transaction.
An action is a `CaseLog.Action` of petitions or one another app registered in
petitions.extensions (`register_log_actions`); an unknown one is a programming error, refused.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from petitions.db.bulk_insert import insert_many
from petitions.extensions import LoggedAction, case_logged, registered_log_actions
from petitions.models import Case, CaseLog, User


def _known(action: str) -> str:
    if action not in CaseLog.Action.values and action not in registered_log_actions():
        raise ValueError(f"{action!r} is no case-log action: add it to CaseLog.Action or register it")
    return action


def case_log(
    case: Case,
    action: str,
    *,
    actor: User | None,
    source_state: str | None = None,
    note: str = "",
    data: dict | None = None,
) -> CaseLog:
    """One entry: `action` on `case` by `actor` (None: the system), from `source_state` (default: the
    case's state, for an action that does not move it) to the case's state now."""
    entry = CaseLog.objects.create(
        case=case,
        action=_known(action),
        source_state=source_state or case.state,
        target_state=case.state,
        actor=actor,
        note=note,
        data=data or {},
    )
    case_logged(
        [LoggedAction(case.pk, entry.action, entry.source_state, entry.target_state, entry.at, entry.data, case)]
    )
    return entry


@dataclass(frozen=True)
class LogEntry:
    """An entry of a batch, for cases not loaded as objects (a sweep's rows)."""

    case_id: int
    action: str
    state: str  # the case's state, before and after: batch entries do not move a case
    note: str = ""
    data: dict = field(default_factory=dict)
    actor_id: int | None = None


def case_log_many(entries: Sequence[LogEntry] | Iterable[LogEntry], *, at: datetime | None = None) -> int:
    """Many entries in one statement, all at `at` (default: now). Returns how many were written."""
    at = at or timezone.now()
    rows = [
        (entry.case_id, _known(entry.action), entry.state, entry.state, entry.actor_id, at, entry.note, entry.data)
        for entry in entries
    ]
    insert_many(CaseLog, ["case_id", "action", "source_state", "target_state", "actor_id", "at", "note", "data"], rows)
    case_logged([LoggedAction(row[0], row[1], row[2], row[3], at, row[7]) for row in rows])
    return len(rows)

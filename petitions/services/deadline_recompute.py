"""Recomputing the deadlines of open cases after the working-day calendar changed.

Triggered after an administrator saves or deletes a calendar day (petitions.admin) or imports the
State Council's holiday notice (petitions.services.holiday_import), and once a day by the scheduler, which
also catches a new calendar package (a new year's official schedule). The run
compares the calendar's fingerprint with the last finished run's and does nothing if it is unchanged.
Each moved deadline is logged on its case. Safe to repeat and to interrupt: a case whose deadlines
already agree with the calendar is left alone, and an interrupted run is finished by the next one.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from petitions.clocks.deadlines import Statutes, recomputed, running_clocks
from petitions.db.locks import single_run
from petitions.models import DUE_FIELDS, OPEN_STATES, Case, CaseLog, DeadlineRecomputation
from petitions.services.case_log import LogEntry, case_log_many
from petitions.services.task_queue import task_enqueue

BATCH_SIZE = 1000
CASE_FIELDS = [
    "id",
    "state",
    "version",
    "received_at",
    "assigned_at",
    "review_requested_at",
    "outcome_delivered_on",
    "in_review",
    "rehandling",
    "extension_days",
    "accept_due",
    "objection_due",
    "handling_due",
    "review_request_due",
    "rework_due",
    "deadline_basis",
]


@dataclass(frozen=True)
class RecomputeResult:
    ran: bool  # False: the calendar had not changed, or another run was in progress
    cases_checked: int = 0
    cases_changed: int = 0


def deadlines_recompute(*, force: bool = False, batch_size: int = BATCH_SIZE) -> RecomputeResult:
    """Bring every open case's running deadlines in line with the current calendar."""
    with single_run("deadlines-recompute") as acquired:
        if not acquired:
            return RecomputeResult(ran=False)
        statutes = Statutes.load()
        fingerprint = statutes.calendar.fingerprint()
        last = DeadlineRecomputation.objects.filter(finished_at__isnull=False).order_by("-finished_at", "-id").first()
        if not force and last is not None and last.fingerprint == fingerprint:
            return RecomputeResult(ran=False)
        run = DeadlineRecomputation.objects.create(fingerprint=fingerprint, started_at=timezone.now())
        after = 0
        while True:
            # Each batch commits on its own (durable), so the row locks of one batch are not held
            # through the whole run.
            with transaction.atomic(durable=True):
                cases = list(
                    Case.objects.select_for_update(of=("self",))
                    .filter(state__in=OPEN_STATES, pk__gt=after)
                    .only(*CASE_FIELDS)
                    .order_by("pk")[:batch_size]
                )
                if not cases:
                    break
                after = cases[-1].pk
                run.cases_checked += len(cases)
                run.cases_changed += _recompute_batch(cases, statutes)
        run.finished_at = timezone.now()
        run.save(update_fields=["cases_checked", "cases_changed", "finished_at"])
        return RecomputeResult(ran=True, cases_checked=run.cases_checked, cases_changed=run.cases_changed)


def deadlines_recompute_after_commit() -> None:
    """After a change of the calendar: once the transaction commits, a worker recomputes the deadlines
    (recorded in the task outbox with the change, so a broker outage does not lose it)."""
    task_enqueue("petitions.tasks.recompute_deadlines")


def _recompute_batch(cases: list[Case], statutes: Statutes) -> int:
    changed, logs = [], []
    now = timezone.now()
    for case in cases:
        changes = []
        for clock, deadline in recomputed(case, running_clocks(case), statutes).items():
            field = DUE_FIELDS[clock]
            old = getattr(case, field)
            if old != deadline.due:
                setattr(case, field, deadline.due)
                changes.append(
                    {"clock": clock, "old": old.isoformat() if old else None, "new": deadline.due.isoformat()}
                )
        if case.rework_due and case.handling_due and case.rework_due > case.handling_due:
            # The handling deadline moved before the part-deadline of further work: it ends with it.
            changes.append(
                {"clock": "rework", "old": case.rework_due.isoformat(), "new": case.handling_due.isoformat()}
            )
            case.rework_due = case.handling_due
        if changes:
            case.version += 1
            changed.append(case)
            logs.append(
                LogEntry(
                    case_id=case.pk,
                    action=CaseLog.Action.RECOMPUTE_DEADLINES,
                    state=case.state,
                    data={"changes": changes},
                )
            )
    if changed:
        Case.objects.bulk_update(
            changed, ["version", "accept_due", "objection_due", "handling_due", "review_request_due", "rework_due"]
        )
        case_log_many(logs, at=now)
    return len(changed)

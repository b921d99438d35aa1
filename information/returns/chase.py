"""Chasing owed returns with the escalation ladder's own rules (escalation.EscalationRule rows).

The ladder's sweep (escalation.ladder) chases deadlines of cases: its escalations are keyed by case.
A return's deadline belongs to a unit, not to a case, so this small chase reads the same rule rows
(`escalation.ladder.active_rules`, `rule_due`: when each rung fires) and records each rung it fires for
a return in ReturnChase, unique per (unit, kind, period, due, level). Whom each rung tells:

- every rung: the unit's responsible person (they alone send the return; the rule's handler and
  department-head flags both mean them here);
- from level 1 on (the due date reached and after): the office's supervisors too;
- a rung that tells "the owning leader": every leader (a unit has no owning leader).

A reminder (level 0) is sent only once the period has begun. The run takes a lock, records the rungs and
writes the notifications in one transaction: a second run, or one after a crash, sends nothing twice.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from escalation.ladder import active_rules, reminder_window, rule_due
from information.models import ReportingUnit, ReturnChase, UnitReturn
from information.returns.schedule import Owed, Schedule
from petitions.db.locks import single_run
from petitions.models import Role, User
from petitions.services.notifications import Message, notify_bulk

LOCK_NAME = "information-returns-chase"


@dataclass(frozen=True)
class ChaseResult:
    skipped: bool = False
    chases: int = 0
    notifications: int = 0


def period_text(owed: Owed) -> str:
    if owed.start == owed.end:
        return owed.start.isoformat()
    return f"{owed.start.isoformat()} – {owed.end.isoformat()}"


def _role_ids(role: str) -> list[int]:
    return list(
        User.objects.filter(is_active=True, groups__name=role).order_by("pk").values_list("pk", flat=True).distinct()
    )


def returns_chase(*, today: date | None = None) -> ChaseResult:
    """Fire every rung of the ladder that is due for an owed return not yet received."""
    today = today or timezone.localdate()
    rules = active_rules()
    if not rules:
        return ChaseResult()
    latest = max(rule.days_from_deadline for rule in rules)
    with single_run(LOCK_NAME) as acquired:
        if not acquired:
            return ChaseResult(skipped=True)
        units = {
            unit.pk: unit
            for unit in ReportingUnit.objects.filter(is_active=True).select_related("department", "region")
        }
        # Periods whose due date may be within the ladder's reach today (a week's due is at most 6 days plus
        # the rest days after its start; 30 days leave room for a long holiday).
        first = today - timedelta(days=latest + 30)
        owed = [
            item
            for item in Schedule(units.values(), first, today + timedelta(days=reminder_window(rules))).owed()
            if item.start <= today
        ]
        if not owed:
            return ChaseResult()
        received = set(
            UnitReturn.objects.filter(period_start__gte=first).values_list("unit_id", "kind", "period_start")
        )
        fired = set(
            ReturnChase.objects.filter(period_start__gte=first).values_list(
                "unit_id", "kind", "period_start", "due", "level"
            )
        )
        due_rungs = [
            (item, rule)
            for item in owed
            if item.key not in received
            for rule in rules
            if rule_due(rule, item.due, today) and (*item.key, item.due, rule.level) not in fired
        ]
        if not due_rungs:
            return ChaseResult()
        supervisors, leaders = _role_ids(Role.SUPERVISOR), _role_ids(Role.LEADER)
        active = set(
            User.objects.filter(is_active=True, pk__in={unit.responsible_id for unit in units.values()}).values_list(
                "pk", flat=True
            )
        )
        chases, messages = [], []
        for item, rule in due_rungs:
            unit = units[item.unit_id]
            recipients: list[int] = []
            if unit.responsible_id in active:
                recipients.append(unit.responsible_id)
            if rule.notify_supervisors or rule.level >= 1:
                recipients += supervisors
            if rule.notify_leaders:
                recipients += leaders
            recipients = list(dict.fromkeys(recipients))
            chases.append(
                ReturnChase(
                    unit_id=unit.pk,
                    kind=item.kind,
                    period_start=item.start,
                    due=item.due,
                    level=rule.level,
                    recipients=recipients,
                )
            )
            params = {"unit": unit.name, "period": period_text(item), "due": item.due.isoformat(), "level": rule.level}
            kind = "return_due_soon" if rule.level == 0 else "return_not_received"
            messages.append(Message(recipients, None, kind, params))
        with transaction.atomic():
            ReturnChase.objects.bulk_create(chases)
            ids = notify_bulk(messages)
        return ChaseResult(chases=len(chases), notifications=len(ids))

"""Which case-log actions are which webhook events, and the body each event carries.

The one place events are made: `on_case_logged` is registered with petitions' case log
(`petitions.extensions.register_case_log_listener`), so every change that is logged — by a service,
the sweep, the scheduler — makes its events in its own transaction. For each subscription that wants
the event, the integration's system user must be allowed to read the case (petitions.selectors.scopes,
as for staff in the browser) after the change; the event row and its delivery task (the task outbox)
are written then, and the worker delivers after the commit.
"""

import base64
import uuid
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from petitions.extensions import LoggedAction
from petitions.models import Case, CaseLog
from petitions.selectors.scopes import can_view_case
from petitions.services.task_queue import tasks_enqueue
from webhooks.models import Event, EventType, Subscription
from webhooks.subscriptions import Subscriptions

A = CaseLog.Action

# Case-log action → the events it is. Escalation's actions are its own names (escalation.services).
ACTION_EVENTS: dict[str, tuple[str, ...]] = {
    A.REGISTER: (EventType.RECEIVED,),
    A.ACCEPT: (EventType.ACCEPTED, EventType.ASSIGNED),
    A.REFUSE: (EventType.NOT_ACCEPTED,),
    A.ASSIGN_HANDLER: (EventType.ASSIGNED,),
    A.TAKE: (EventType.ASSIGNED,),
    A.RETURN: (EventType.RETURNED,),
    A.WITHDRAW_ROUTING: (EventType.RETURNED,),
    A.EXTEND: (EventType.EXTENDED,),
    A.HANDLE: (EventType.OUTCOME_SUBMITTED,),
    A.ACCEPT_RESULT: (EventType.HANDLED,),
    A.SEND_BACK: (EventType.SENT_BACK,),
    A.REHANDLE: (EventType.REHANDLING,),
    A.CALLBACK: (EventType.EVALUATED,),
    A.CLOSE: (EventType.CLOSED,),
    A.AUTO_CLOSE: (EventType.CLOSED,),
    A.VOID: (EventType.CLOSED,),
    A.MERGE: (EventType.CLOSED,),
    "escalate": (EventType.ESCALATED,),
    "supervision_notice": (EventType.ESCALATED,),
    A.EVALUATE: (EventType.EVALUATED,),
    A.FOLLOW_UP: (EventType.EVALUATED,),
    A.REPORT_BACK: (EventType.REPORT_BACK,),
}

# What of a log entry's data an event passes on: facts of the step, never notes or identities.
DATA_KEYS = (
    "department_name",
    "days",
    "level",
    "clock",
    "deadline",
    "notice",
    "satisfaction",
    "source",
    "due",
    "round",
    "reached",
    "solved",
)

DELIVER_TASK = "webhooks.tasks.deliver"


def on_case_logged(entries: list[LoggedAction]) -> None:
    wanted = [(entry, event_type) for entry in entries for event_type in ACTION_EVENTS.get(entry.action, ())]
    if not wanted:
        return
    subscriptions = Subscriptions.load()
    targeted = [
        (entry, event_type, target) for entry, event_type in wanted for target in subscriptions.targets(event_type)
    ]
    if not targeted:
        return
    # The snapshot may be a second old: only subscriptions that still exist and are on (one query).
    live = set(
        Subscription.objects.filter(
            pk__in={target.subscription_id for _entry, _type, target in targeted}, is_active=True
        ).values_list("pk", flat=True)
    )
    targeted = [item for item in targeted if item[2].subscription_id in live]
    cases = {entry.case_id: entry.case for entry, _type, _target in targeted if entry.case is not None}
    missing = {entry.case_id for entry, _type, _target in targeted} - set(cases)
    if missing:
        cases.update(Case.objects.select_related("department", "category", "region").in_bulk(missing))
    now = timezone.now()
    give_up_at = now + timedelta(seconds=settings.WEBHOOK_RETRY_FOR_SECONDS)
    events = []
    for entry, event_type, target in targeted:
        case = cases.get(entry.case_id)
        if case is None or not can_view_case(target.user, case):
            continue  # the integration may not read this case: it is told nothing about it
        event_id = uuid.uuid4()
        events.append(
            Event(
                event_id=event_id,
                subscription_id=target.subscription_id,
                type=event_type,
                case=case,
                body=event_body(event_id, event_type, entry, case),
                created_at=now,
                next_attempt_at=now,
                give_up_at=give_up_at,
            )
        )
    if events:
        Event.objects.bulk_create(events)
        tasks_enqueue(DELIVER_TASK, [[event.pk] for event in events])


def _day(value) -> str | None:
    return value.isoformat() if value else None


def event_body(event_id: uuid.UUID, event_type: str, entry: LoggedAction, case: Case) -> dict:
    department = case.department if case.department_id else None
    body = {
        "id": str(event_id),
        "type": event_type,
        "created_at": entry.at.isoformat() if hasattr(entry.at, "isoformat") else str(entry.at),
        "case": {
            "number": case.number,
            "state": case.state,
            "channel": case.channel,
            "received_at": case.received_at.isoformat(),
            "category": case.category.code,
            "region": case.region.code,
            "department": {"code": department.code, "name": department.name} if department else None,
            "due_date": _day(case.due_date),
            "outcome": case.outcome or None,
            "closure": case.closure or None,
            "version": case.version,
        },
        "data": {key: value for key, value in (entry.data or {}).items() if key in DATA_KEYS},
        "transition": {"from": entry.source_state, "to": entry.target_state},
    }
    if event_type == EventType.REPORT_BACK:
        body["report_back"] = report_back_payload(case)
    return body


def report_back_payload(case: Case) -> dict:
    """The 办结报告 itself, in the body (base64): the authority's system needs nothing else to fetch."""
    order = case.handed_down
    with order.report_file.open("rb") as file:
        content = file.read()
    return {
        "authority": order.authority,
        "reference": order.reference,
        "due": order.due.isoformat(),
        "issued_at": order.report_issued_at.isoformat(),
        "filename": f"{case.number}-report-back.pdf",
        "content_type": "application/pdf",
        "sha256": order.report_sha256,
        "size": len(content),
        "base64": base64.b64encode(content).decode("ascii"),
    }

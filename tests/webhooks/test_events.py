"""Events are made in the transaction of the change, from the case log, only for cases the integration may read."""

import base64
import json
from datetime import date, timedelta

import pytest

from devdata.factories import advance, register_case
from escalation.services import escalation_sweep
from petitions.models import TaskOutbox
from petitions.services import lifecycle
from petitions.services.higher_authority import HandedDownData, handed_down_record
from reports.report_back import report_back_issue
from tests.escalation.conftest import on
from tests.webhooks.conftest import make_integration, subscribe
from webhooks.events import DELIVER_TASK
from webhooks.models import Event, EventType


def types(subscription) -> list[str]:
    return list(Event.objects.filter(subscription=subscription).order_by("pk").values_list("type", flat=True))


def test_each_logged_change_is_an_event_with_its_delivery_task_in_the_same_transaction(
    office_integration, clerk, supervisor, department, handler
):
    subscription = subscribe(office_integration, "http://127.0.0.1:9/hooks")
    case = register_case(clerk=clerk)
    case = lifecycle.case_accept(case_id=case.pk, actor=supervisor, department=department)
    lifecycle.case_take(case_id=case.pk, actor=handler)
    assert types(subscription) == [
        EventType.RECEIVED,
        EventType.ACCEPTED,
        EventType.ASSIGNED,
        EventType.ASSIGNED,
    ]
    event = Event.objects.filter(subscription=subscription).first()
    assert event.body["id"] == str(event.event_id) and event.body["case"]["number"] == case.number
    person = case.case_petitioners.get()
    assert person.name not in json.dumps(event.body, ensure_ascii=False)  # no identity in an event
    assert person.phone not in json.dumps(event.body)
    tasks = TaskOutbox.objects.filter(task=DELIVER_TASK)
    assert sorted(row.args[0] for row in tasks) == sorted(Event.objects.values_list("pk", flat=True))


def test_no_event_for_a_case_the_integration_may_not_read(clerk, supervisor, department, other_department):
    department_system = make_integration(
        "department-system",
        scopes=["read_department", "webhooks"],
        permissions=["petitions.handle_case"],
        department=other_department,
    )
    subscription = subscribe(department_system, "http://127.0.0.1:9/hooks")
    theirs, not_theirs = register_case(clerk=clerk), register_case(clerk=clerk)
    assert types(subscription) == []  # nobody's case yet: the office's
    lifecycle.case_accept(case_id=not_theirs.pk, actor=supervisor, department=department)
    assert types(subscription) == []
    lifecycle.case_accept(case_id=theirs.pk, actor=supervisor, department=other_department)
    assert types(subscription) == [EventType.ACCEPTED, EventType.ASSIGNED]
    assert set(Event.objects.values_list("case", flat=True)) == {theirs.pk}


def test_nothing_for_an_integration_without_the_webhooks_scope_or_an_event_it_did_not_choose(clerk, supervisor):
    reader = make_integration("reader", scopes=["read_office"], permissions=["petitions.view_all_cases"])
    subscribe(reader, "http://127.0.0.1:9/a")
    chooser = make_integration("chooser", scopes=["read_office", "webhooks"], permissions=["petitions.view_all_cases"])
    subscription = subscribe(chooser, "http://127.0.0.1:9/b", events=[EventType.NOT_ACCEPTED])
    case = register_case(clerk=clerk)
    lifecycle.case_refuse(case_id=case.pk, actor=supervisor, reason="属于诉讼程序处理的事项")
    assert list(Event.objects.values_list("subscription", "type")) == [(subscription.pk, EventType.NOT_ACCEPTED)]


def test_the_sweep_s_escalations_are_events_too(office_integration, clerk, supervisor, department):
    subscription = subscribe(office_integration, "http://127.0.0.1:9/hooks", events=[EventType.ESCALATED])
    with on(date(2026, 6, 1)):
        case = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
    with on(date(2026, 7, 31) + timedelta(days=8)):
        escalation_sweep()
    events = Event.objects.filter(subscription=subscription)
    assert events.count() == 2  # level 1 and level 2 (the reminder's day had passed)
    assert {event.body["data"]["level"] for event in events} == {1, 2}
    assert {event.case_id for event in events} == {case.pk}


def test_the_report_back_goes_to_the_authority_in_the_event_itself(
    office_integration, clerk, supervisor, department, handler
):
    subscription = subscribe(office_integration, "http://127.0.0.1:9/hooks", events=[EventType.REPORT_BACK])
    with on(date(2026, 6, 1)):
        case = register_case(clerk=clerk)
        order = HandedDownData(
            authority="省信访局", reference="湘访交〔2026〕50号", handed_down_on=date(2026, 6, 1), due=date(2026, 6, 30)
        )
        handed_down_record(case_id=case.pk, actor=clerk, data=order)
        case = advance(case, "handled", supervisor=supervisor, department=department, handler=handler)
        issued = report_back_issue(case=case, actor=supervisor)
    event = Event.objects.get(subscription=subscription)
    report = event.body["report_back"]
    pdf = base64.b64decode(report["base64"])
    assert pdf.startswith(b"%PDF") and report["sha256"] == issued.report_sha256
    assert report["reference"] == "湘访交〔2026〕50号" and report["content_type"] == "application/pdf"


@pytest.mark.parametrize("secret", ["s3cret", "另一个密钥"])
def test_a_signature_verifies_only_with_its_secret_body_and_fresh_timestamp(secret):
    from webhooks import signing

    body = signing.body_bytes({"id": "x", "type": "case.closed", "text": "已办结"})
    header = signing.signature(secret, 1_800_000_000, body)
    assert signing.verify(secret, timestamp="1800000000", body=body, signature_header=header, now=1_800_000_010)
    assert not signing.verify("wrong", timestamp="1800000000", body=body, signature_header=header, now=1_800_000_010)
    assert not signing.verify(
        secret, timestamp="1800000000", body=body + b" ", signature_header=header, now=1_800_000_010
    )
    assert not signing.verify(secret, timestamp="1800000000", body=body, signature_header=header, now=1_800_001_000)

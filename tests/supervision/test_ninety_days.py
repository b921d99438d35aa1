"""Ninety days of the beat, as tests/escalation/test_ninety_days.py: both sweeps every five minutes, the
cases living their lives in between; each 催办通知书, 督办单 and 通报 is issued exactly once, on its day."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from devdata.factories import advance, register_case
from escalation.services import escalation_sweep
from petitions.models import Notification
from petitions.services import lifecycle
from supervision.ladder import supervision_sweep
from supervision.models import Document, Matter
from tests.escalation.conftest import at

pytestmark = pytest.mark.django_db

START = date(2026, 6, 1)  # a Monday
TICKS_PER_DAY = 24 * 12
KINDS = [
    "supervision_urge",
    "supervision_opened",
    "supervision_criticism",
    "supervision_reply_due_soon",
    "supervision_reply_overdue",
]


def test_ninety_days_of_ticks_issue_each_supervision_document_once(
    clerk, supervisor, department, handler, department_head, leader
):
    cases = {}

    def route(name):
        case = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
        cases[name] = lifecycle.case_take(case_id=case.pk, actor=handler)

    def day_one():
        route("A")  # due 31 July, never done
        cases["B"] = register_case(clerk=clerk)  # never routed: the office's own 15 days, due 16 June
        route("C")  # handled on 20 June, before any deadline
        route("D")  # extended by 20 days on 3 August, after its first deadline passed

    def register_e():
        cases["E"] = register_case(clerk=clerk)

    def route_e():  # routed on 29 June, then due 28 August
        case = lifecycle.case_accept(case_id=cases["E"].pk, actor=supervisor, department=department)
        cases["E"] = lifecycle.case_take(case_id=case.pk, actor=handler)

    def handle_c():
        advance(cases["C"], "handled", supervisor=supervisor, handler=handler)

    def extend_d():
        cases["D"] = lifecycle.case_extend(case_id=cases["D"].pk, actor=supervisor, days=20, reason="需要现场核查")

    def ten_in_the_morning(day: date) -> int:
        return (day - START).days * TICKS_PER_DAY + 10 * 12

    events = {
        ten_in_the_morning(START): day_one,
        ten_in_the_morning(date(2026, 6, 15)): register_e,
        ten_in_the_morning(date(2026, 6, 20)): handle_c,
        ten_in_the_morning(date(2026, 6, 29)): route_e,
        ten_in_the_morning(date(2026, 8, 3)): extend_d,
    }
    with time_machine.travel(at(START, hour=0), tick=False) as traveller:
        for tick in range(90 * TICKS_PER_DAY):
            if tick in events:
                events[tick]()
            escalation_sweep()
            supervision_sweep()
            traveller.shift(timedelta(minutes=5))

    names = {case.pk: name for name, case in cases.items()}
    documents = [
        (names[case_id], kind, issued_on, deadline, number)
        for case_id, kind, issued_on, deadline, number in Document.objects.order_by("number").values_list(
            "case_id", "kind", "issued_on", "deadline", "number"
        )
    ]
    # One yearly sequence for the office's supervision documents, prefixed by kind.
    assert documents == [
        ("B", "notice", date(2026, 6, 23), date(2026, 6, 16), "DB2026-000001"),  # the office's own: no department
        ("A", "urge", date(2026, 8, 1), date(2026, 7, 31), "CB2026-000002"),
        ("D", "urge", date(2026, 8, 1), date(2026, 7, 31), "CB2026-000003"),
        ("A", "notice", date(2026, 8, 7), date(2026, 7, 31), "DB2026-000004"),
        ("A", "criticism", date(2026, 8, 14), date(2026, 7, 31), "TB2026-000005"),  # 5 working days later
        ("D", "urge", date(2026, 8, 21), date(2026, 8, 20), "CB2026-000006"),  # the extended deadline, afresh
        ("D", "notice", date(2026, 8, 27), date(2026, 8, 20), "DB2026-000007"),
        ("E", "urge", date(2026, 8, 29), date(2026, 8, 28), "CB2026-000008"),
    ]
    assert {timezone.localtime(d.issued_at).hour for d in Document.objects.all()} == {0}  # the day's first tick
    # Each 督办单 to a department opened a matter (trigger overdue) with the reply date it printed.
    matters = {names[m.case_id]: (m.trigger.code, m.reply_due, m.notice_number) for m in Matter.objects.all()}
    assert matters == {
        "A": ("overdue", date(2026, 8, 14), "DB2026-000004"),
        "D": ("overdue", date(2026, 9, 3), "DB2026-000007"),
    }
    h, head, sup = handler.username, department_head.username, supervisor.username
    expected = {
        ("A", date(2026, 8, 1), "supervision_urge", h),
        ("A", date(2026, 8, 1), "supervision_urge", head),  # copied to the head
        ("D", date(2026, 8, 1), "supervision_urge", h),
        ("D", date(2026, 8, 1), "supervision_urge", head),
        ("A", date(2026, 8, 7), "supervision_opened", h),
        ("A", date(2026, 8, 7), "supervision_opened", head),
        ("A", date(2026, 8, 11), "supervision_reply_due_soon", h),  # the ladder's 3-day reminder window
        ("A", date(2026, 8, 11), "supervision_reply_due_soon", head),
        ("A", date(2026, 8, 14), "supervision_criticism", head),
        ("A", date(2026, 8, 14), "supervision_criticism", sup),
        ("A", date(2026, 8, 15), "supervision_reply_overdue", head),
        ("A", date(2026, 8, 15), "supervision_reply_overdue", sup),
        ("D", date(2026, 8, 21), "supervision_urge", h),
        ("D", date(2026, 8, 21), "supervision_urge", head),
        ("D", date(2026, 8, 27), "supervision_opened", h),
        ("D", date(2026, 8, 27), "supervision_opened", head),
        ("E", date(2026, 8, 29), "supervision_urge", h),
        ("E", date(2026, 8, 29), "supervision_urge", head),
    }
    sent = [
        (names[case_id], timezone.localtime(created).date(), kind, username)
        for case_id, created, kind, username in Notification.objects.filter(kind__in=KINDS).values_list(
            "case_id", "created_at", "kind", "recipient__username"
        )
    ]
    assert len(sent) == len(expected)  # nothing twice
    assert set(sent) == expected  # nothing missed, each on its day

"""Ninety days of the beat: the overdue sweep every five minutes and the supervision sweep on the hour, cases
living their lives in between."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from devdata.factories import advance, register_case
from escalation.models import Escalation
from escalation.services import escalation_sweep
from petitions.models import Notification
from petitions.services import lifecycle
from supervision.ladder import supervision_sweep
from supervision.models import Document, Matter
from tests.escalation.conftest import at

pytestmark = pytest.mark.django_db

START = date(2026, 6, 1)  # a Monday
TICKS_PER_DAY = 24 * 12
LADDER_KINDS = ["deadline_due_soon", "deadline_reached", "deadline_overdue", "supervision_notice"]
SUPERVISION_KINDS = [
    "supervision_urge",
    "supervision_opened",
    "supervision_criticism",
    "supervision_reply_due_soon",
    "supervision_reply_overdue",
]


@pytest.mark.timeout(900)  # 90 days of ticks with the hourly supervision sweep beside the ladder
def test_ninety_days_of_five_minute_ticks_send_exactly_the_expected_notifications(
    clerk, supervisor, department, handler, department_head, leader, second_leader
):
    cases = {}

    def route(name, *, owner=None):
        case = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
        case = lifecycle.case_take(case_id=case.pk, actor=handler)
        if owner:
            case = lifecycle.case_set_owner(case_id=case.pk, actor=supervisor, leader=owner)
        cases[name] = case

    def day_one():
        route("A", owner=leader)  # due 31 July, never done
        cases["B"] = register_case(clerk=clerk)  # never routed: the office's 15 days, due 16 June
        route("C")  # handled on 20 June, before any rung
        route("D")  # extended by 20 days on 3 August, after level 1

    def register_e():
        cases["E"] = register_case(clerk=clerk)  # due 30 June; routed on 29 June, then due 28 August

    def route_e():
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
    ticks = 90 * TICKS_PER_DAY
    with time_machine.travel(at(START, hour=0), tick=False) as traveller:
        for tick in range(ticks):
            if tick in events:
                events[tick]()
            escalation_sweep()  # every five minutes (ESCALATION_SWEEP_SECONDS)
            if tick % 12 == 0:  # on the hour (its beat schedule)
                supervision_sweep()
            traveller.shift(timedelta(minutes=5))
        assert timezone.localdate() == START + timedelta(days=90)

    assert cases["D"].handling_due == date(2026, 8, 20) and cases["E"].handling_due == date(2026, 8, 28)
    h, head, sup, lead, lead2 = (u.username for u in (handler, department_head, supervisor, leader, second_leader))
    expected = {
        ("A", date(2026, 7, 28), "deadline_due_soon", h),
        ("A", date(2026, 7, 31), "deadline_reached", h),
        ("A", date(2026, 7, 31), "deadline_reached", head),
        ("A", date(2026, 8, 7), "supervision_notice", sup),
        ("A", date(2026, 8, 15), "deadline_overdue", lead),  # the owning leader only
        ("B", date(2026, 6, 13), "deadline_due_soon", sup),  # before routing the office answers
        ("B", date(2026, 6, 16), "deadline_reached", sup),
        ("B", date(2026, 6, 23), "supervision_notice", sup),
        ("B", date(2026, 7, 1), "deadline_overdue", lead),  # no owner: every leader
        ("B", date(2026, 7, 1), "deadline_overdue", lead2),
        ("D", date(2026, 7, 28), "deadline_due_soon", h),
        ("D", date(2026, 7, 31), "deadline_reached", h),
        ("D", date(2026, 7, 31), "deadline_reached", head),
        ("D", date(2026, 8, 17), "deadline_due_soon", h),  # the extended deadline, chased afresh
        ("D", date(2026, 8, 20), "deadline_reached", h),
        ("D", date(2026, 8, 20), "deadline_reached", head),
        ("D", date(2026, 8, 27), "supervision_notice", sup),
        ("E", date(2026, 6, 27), "deadline_due_soon", sup),  # the acceptance deadline, before routing
        ("E", date(2026, 8, 25), "deadline_due_soon", h),
        ("E", date(2026, 8, 28), "deadline_reached", h),
        ("E", date(2026, 8, 28), "deadline_reached", head),
    }
    names = {case.pk: name for name, case in cases.items()}
    sent = [
        (names[case_id], timezone.localtime(created).date(), kind, username)
        for case_id, created, kind, username in Notification.objects.filter(kind__in=LADDER_KINDS).values_list(
            "case_id", "created_at", "kind", "recipient__username"
        )
    ]
    assert len(sent) == len(expected)  # nothing twice
    assert set(sent) == expected  # nothing missed, each on its day
    # Each notice fired at midnight, on the first tick of its day.
    assert {timezone.localtime(e.created_at).time().hour for e in Escalation.objects.all()} == {0}
    notices = list(Escalation.objects.exclude(notice_number="").order_by("created_at").values_list("notice_number"))
    # One yearly sequence for the 督办单 and supervision's 催办通知书 and 通报 (below).
    assert notices == [("DB2026-000001",), ("DB2026-000004",), ("DB2026-000007",)]
    assert_supervision_documents(names, handler, department_head, supervisor)


def assert_supervision_documents(names, handler, department_head, supervisor):
    """The supervision documents of the same ninety days: each once, on its day, at the day's first tick."""
    documents = [
        (names[case_id], kind, issued_on, deadline, number)
        for case_id, kind, issued_on, deadline, number in Document.objects.order_by("issued_at", "number").values_list(
            "case_id", "kind", "issued_on", "deadline", "number"
        )
    ]
    assert documents == [
        ("B", "notice", date(2026, 6, 23), date(2026, 6, 16), "DB2026-000001"),  # the office's own: no department
        ("A", "urge", date(2026, 8, 1), date(2026, 7, 31), "CB2026-000002"),  # the day after the deadline
        ("D", "urge", date(2026, 8, 1), date(2026, 7, 31), "CB2026-000003"),
        ("A", "notice", date(2026, 8, 7), date(2026, 7, 31), "DB2026-000004"),
        ("A", "criticism", date(2026, 8, 14), date(2026, 7, 31), "TB2026-000005"),  # 5 working days after the 督办单
        ("D", "urge", date(2026, 8, 21), date(2026, 8, 20), "CB2026-000006"),  # the extended deadline, afresh
        ("D", "notice", date(2026, 8, 27), date(2026, 8, 20), "DB2026-000007"),
        ("E", "urge", date(2026, 8, 29), date(2026, 8, 28), "CB2026-000008"),
    ]
    assert {timezone.localtime(d.issued_at).hour for d in Document.objects.all()} == {0}
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
        for case_id, created, kind, username in Notification.objects.filter(kind__in=SUPERVISION_KINDS).values_list(
            "case_id", "created_at", "kind", "recipient__username"
        )
    ]
    assert len(sent) == len(expected)  # nothing twice
    assert set(sent) == expected  # nothing missed, each on its day

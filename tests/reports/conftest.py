"""A crafted week of cases, made through the real services on a moved clock.

The week is Monday 2026-11-09 to Sunday 2026-11-15 in Asia/Shanghai; the report is made on Monday
2026-11-16 at 06:00, so open cases are judged overdue as of 2026-11-16.
"""

from dataclasses import dataclass
from datetime import date

import pytest
import time_machine

from devdata.factories import UserFactory, advance, as_recorded, local_datetime, register_case
from petitions.models import Case, Channel, Department, Role, Satisfaction
from petitions.services import lifecycle
from reports.selectors import Period

WEEK = Period(date(2026, 11, 9), date(2026, 11, 15))
REPORT_DAY = date(2026, 11, 16)


@dataclass
class CraftedWeek:
    period: Period
    today: date
    zjj: Department
    jyj: Department
    cases: dict[str, Case]


def at(day: date, hour: int = 9, minute: int = 30):
    return time_machine.travel(local_datetime(day, hour, minute), tick=False)


def received(clerk, day: date, hour: int = 9, minute: int = 30, **fields) -> Case:
    with at(day, hour, minute):
        return register_case(clerk=clerk, received_at=local_datetime(day, hour, minute), **fields)


@pytest.fixture
def crafted_week(db, clerk, supervisor) -> CraftedWeek:
    zjj = Department.objects.get(code="ZJJ")
    jyj = Department.objects.get(code="JYJ")
    zjj_handler = UserFactory(roles=[Role.HANDLER], department=zjj)
    jyj_handler = UserFactory(roles=[Role.HANDLER], department=jyj)
    cases: dict[str, Case] = {}

    # Before the period: handled late (L), handled on time only thanks to its extension (E),
    # overdue in handling (O), overdue for acceptance (U).
    cases["L"] = received(clerk, date(2026, 9, 1), channel=Channel.LETTER)
    with at(date(2026, 9, 1), 10):
        advance(cases["L"], "assigned", supervisor=supervisor, department=zjj)  # due 2026-10-31
    with at(date(2026, 11, 12), 15):
        advance(cases["L"], "delivered", supervisor=supervisor, handler=zjj_handler)  # 12 days late
    with at(date(2026, 11, 13), 11):
        lifecycle.case_close(case_id=cases["L"].pk, actor=supervisor, satisfaction=Satisfaction.SATISFIED)

    cases["E"] = received(clerk, date(2026, 9, 15), channel=Channel.VISIT)
    with at(date(2026, 9, 15), 10):
        advance(cases["E"], "assigned", supervisor=supervisor, department=jyj)  # due 2026-11-14
    with at(date(2026, 11, 9), 16):
        lifecycle.case_extend(case_id=cases["E"].pk, actor=supervisor, days=10, reason="需要现场调查")  # due 11-24
    with at(date(2026, 11, 15), 20):
        advance(cases["E"], "handled", supervisor=supervisor, handler=jyj_handler)  # Sunday: on time

    cases["O"] = received(clerk, date(2026, 9, 10), channel=Channel.PHONE)
    with at(date(2026, 9, 10), 10):
        advance(cases["O"], "assigned", supervisor=supervisor, department=zjj)  # due 2026-11-09

    cases["U"] = received(clerk, date(2026, 10, 20), channel=Channel.ONLINE)  # accept by 2026-11-04

    # In the period.
    cases["P"] = received(clerk, date(2026, 11, 9), 0, 10, channel=Channel.LETTER)  # Sunday 16:10 UTC
    cases["R"] = received(clerk, date(2026, 11, 10), channel=Channel.VISIT)
    with at(date(2026, 11, 10), 11):
        lifecycle.case_accept(case_id=cases["R"].pk, actor=supervisor, department=zjj)
    with at(date(2026, 11, 11), 11):
        lifecycle.case_return(case_id=cases["R"].pk, actor=zjj_handler, reason="不属于本单位职责")
    with at(date(2026, 11, 12), 11):
        lifecycle.case_accept(case_id=cases["R"].pk, actor=supervisor, department=jyj)

    cases["V"] = received(clerk, date(2026, 11, 11), channel=Channel.VISIT)
    with at(date(2026, 11, 11), 12):
        lifecycle.case_void(case_id=cases["V"].pk, actor=supervisor, reason="重复登记")

    cases["N"] = received(clerk, date(2026, 11, 12), channel=Channel.PHONE)
    with at(date(2026, 11, 12), 14):
        lifecycle.case_refuse(case_id=cases["N"].pk, actor=supervisor, reason="属于诉讼程序处理的事项")

    cases["C"] = received(
        clerk,
        date(2026, 11, 13),
        channel=Channel.VISIT,
        headcount=6,
        skip_level=True,
        repeat_of=cases["E"],
        petitioners=[as_recorded(cases["E"])],
    )
    with at(date(2026, 11, 13), 15):
        lifecycle.case_accept(case_id=cases["C"].pk, actor=supervisor, department=zjj)

    cases["S"] = received(clerk, date(2026, 11, 15), 23, 59, channel=Channel.ONLINE)  # Sunday 23:59

    # After the period: Monday 00:30 in Shanghai is still Sunday in UTC.
    cases["M"] = received(clerk, date(2026, 11, 16), 0, 30, channel=Channel.VISIT)

    for case in cases.values():
        case.refresh_from_db()
    return CraftedWeek(period=WEEK, today=REPORT_DAY, zjj=zjj, jyj=jyj, cases=cases)

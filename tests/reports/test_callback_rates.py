"""The weekly report's callback figures (参评率, 满意率, 解决率) and send-backs per department, exactly,
on a week of callbacks made through the real services."""

from datetime import date

import pytest
from django.utils import translation

from devdata.factories import UserFactory, advance, local_datetime, register_case
from petitions.models import Department, Role
from petitions.services import lifecycle
from petitions.services.callbacks import CallbackAnswer, callback_record
from reports.rendering import TABLES, report_html
from reports.selectors import DEFINITIONS, callback_table, report_figures
from tests.reports.conftest import REPORT_DAY, WEEK, at

pytestmark = pytest.mark.django_db


def delivered_case(clerk, supervisor, department, handler, *, day: date, sent_back: bool = False):
    with at(day, 9):
        case = register_case(clerk=clerk, received_at=local_datetime(day, 9))
        case = advance(case, "reviewing", supervisor=supervisor, department=department, handler=handler)
        if sent_back:
            case = lifecycle.case_send_back(case_id=case.pk, actor=supervisor, reason="请补充。")
        return advance(case, "delivered", supervisor=supervisor, handler=handler)


def call(case, clerk, day: date, **answer):
    with at(day, 15):
        return callback_record(case_id=case.pk, actor=clerk, answer=CallbackAnswer(**answer))


@pytest.fixture
def callback_week(clerk, supervisor):
    zjj, jyj = Department.objects.get(code="ZJJ"), Department.objects.get(code="JYJ")
    zjj_handler = UserFactory(roles=[Role.HANDLER], department=zjj)
    jyj_handler = UserFactory(roles=[Role.HANDLER], department=jyj)

    def zjj_case(day, **kwargs):
        return delivered_case(clerk, supervisor, zjj, zjj_handler, day=day, **kwargs)

    # 市住建局: four callbacks in the week — 满意/已解决, 基本满意/部分解决, 不满意/未解决, not reached —
    # two send-backs (one of them before the week: not counted), one callback after the week.
    a = zjj_case(date(2026, 11, 9), sent_back=True)
    call(a, clerk, date(2026, 11, 10), reached=True, satisfaction="satisfied", solved="solved")
    b = zjj_case(date(2026, 11, 9))
    call(b, clerk, date(2026, 11, 11), reached=True, satisfaction="fairly", solved="partly")
    c = zjj_case(date(2026, 11, 2), sent_back=True)
    call(c, clerk, date(2026, 11, 12), reached=True, satisfaction="dissatisfied", solved="unsolved",
         follow_up="explained", note="已解释")  # fmt: skip
    d = zjj_case(date(2026, 11, 12))
    call(d, clerk, date(2026, 11, 13), reached=False)
    e = zjj_case(date(2026, 11, 13), sent_back=True)
    call(e, clerk, date(2026, 11, 16), reached=True, satisfaction="satisfied", solved="solved")
    # 市教育局: one callback, reached, no verdict (未评价), the problem solved.
    f = delivered_case(clerk, supervisor, jyj, jyj_handler, day=date(2026, 11, 10))
    call(f, clerk, date(2026, 11, 11), reached=True, solved="solved")
    return zjj, jyj


def test_callback_rates_per_department_exactly(callback_week):
    zjj, jyj = callback_week
    rows = {row["code"]: row for row in callback_table(WEEK, None)}
    assert rows["ZJJ"] == {
        "code": "ZJJ",
        "name": zjj.name,
        "callbacks": 4,
        "evaluated": 3,
        "satisfied": 2,
        "answered": 3,
        "solved": 1,
        "callback_participation_rate": 0.75,
        "callback_satisfaction_rate": 0.6667,
        "callback_solved_rate": 0.3333,
        "sent_back": 2,  # a (9 Nov) and e (13 Nov); c's send-back on 2 Nov lies before the week
    }
    assert rows["JYJ"] == {
        "code": "JYJ",
        "name": jyj.name,
        "callbacks": 1,
        "evaluated": 0,
        "satisfied": 0,
        "answered": 1,
        "solved": 1,
        "callback_participation_rate": 0.0,
        "callback_satisfaction_rate": None,
        "callback_solved_rate": 1.0,
        "sent_back": 0,
    }
    assert set(rows) == {"ZJJ", "JYJ"}
    assert [row["code"] for row in callback_table(WEEK, jyj)] == ["JYJ"]


def test_the_report_prints_the_rates_and_their_definitions(callback_week):
    snapshot = report_figures(WEEK, None, today=REPORT_DAY)
    with translation.override("en"):
        rows = TABLES["callbacks"].rows(snapshot)
        assert rows[-1][1] == "Total"
        assert rows[-1][2:] == [5, 3, 2, 4, 2, "60.0%", "66.7%", "50.0%", 2]
        zjj = next(row for row in rows if row[0] == "ZJJ")
        assert zjj[2:] == [4, 3, 2, 3, 1, "75.0%", "66.7%", "33.3%", 2]
        jyj = next(row for row in rows if row[0] == "JYJ")
        assert jyj[7:10] == ["0.0%", "—", "100.0%"]
        html = report_html(snapshot, language="en", weekly=True)
    for key in ("callbacks", "callback_participation_rate", "callback_satisfaction_rate", "callback_solved_rate"):
        with translation.override("en"):
            assert str(DEFINITIONS[key].text) in html
    assert "参评率" in html and "满意率" in html and "解决率" in html


def test_a_report_made_before_the_figures_existed_still_renders(callback_week):
    snapshot = report_figures(WEEK, None, today=REPORT_DAY)
    del snapshot["tables"]["callbacks"]
    assert TABLES["callbacks"].rows(snapshot) == []
    assert "<html" in report_html(snapshot, language="zh-hans", weekly=True)


def test_a_case_awaiting_review_past_its_handling_deadline_is_overdue(clerk, supervisor):
    zjj = Department.objects.get(code="ZJJ")
    handler = UserFactory(roles=[Role.HANDLER], department=zjj)
    with at(date(2026, 9, 1), 9):
        case = register_case(clerk=clerk, received_at=local_datetime(date(2026, 9, 1), 9))
        case = advance(case, "assigned", supervisor=supervisor, department=zjj)
    with at(date(2026, 11, 3), 9):
        case = advance(case, "reviewing", supervisor=supervisor, handler=handler)  # the office has not reviewed it
    assert case.handling_due < date(2026, 11, 3)
    snapshot = report_figures(WEEK, None, today=REPORT_DAY)
    assert [(row["number"], row["state"], row["due"]) for row in snapshot["overdue"]] == [
        (case.number, "reviewing", case.handling_due.isoformat())
    ]
    assert snapshot["totals"]["overdue"] == 1

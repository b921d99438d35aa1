"""The case list's rows drawn in Python equal their reference template, templates/petitions/_case_row.html."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template.loader import render_to_string
from django.utils import timezone, translation

from devdata.factories import (
    CategoryFactory,
    DepartmentFactory,
    UserFactory,
    advance,
    as_recorded,
    local_datetime,
    register_case,
)
from petitions.models import Case, Category, Role, State
from petitions.selectors import queues
from petitions.services import lifecycle
from petitions.web.row_html import case_rows

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SPECIAL = """<b>&amp; "引号" 'apostrophe' & <script>alert(1)</script>"""

# Line breaks (and the indentation after them) between two tags are the template's layout; any other
# whitespace, a space between two badges for one, is part of the row.
_LAYOUT = re.compile(r">\s*\n\s*<")


def without_layout(html: str) -> str:
    return _LAYOUT.sub("><", html.strip())


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def varied_cases(clerk, supervisor, department) -> list[Case]:
    """Cases in every state, with every flag and every kind of deadline, with and without a
    department and handler, and with HTML-special characters in every text a row shows."""
    today = timezone.localdate()
    odd_category = CategoryFactory(name=f"分类 {SPECIAL}", parent=Category.objects.filter(parent=None).first())
    odd_department = DepartmentFactory(name=f"部门 {SPECIAL}")
    odd_handler = UserFactory(roles=[Role.HANDLER], department=odd_department, full_name=f"张 {SPECIAL}"[:50])

    def received(days_ago: int, hour: int = 9, **overrides) -> Case:
        day = today - timedelta(days=days_ago)
        return register_case(clerk=clerk, received_at=local_datetime(day, hour), **overrides)

    first = received(40)  # 40 days back, still received: overdue
    with time_machine.travel(local_datetime(today - timedelta(days=70)), tick=False):
        late_review = advance(received(70), "assigned", supervisor=supervisor, department=department)
    late_review = advance(late_review, "reviewing", supervisor=supervisor)  # past its handling deadline
    again = as_recorded(first)
    cases = [
        first,
        received(13),  # due within 3 days
        received(1, summary=f"概况 {SPECIAL}\n第二行", category=odd_category, skip_level=True),
        received(0, headcount=7),  # collective
        received(2, headcount=5, petitioners=[again]),  # collective and repeat
        received(3, hour=0, petitioners=[again]),  # repeat; received on another day in UTC than here
        received(4, channel="online"),  # submitted online
        received(4, hour=11, channel="online", headcount=6, petitioners=[again]),  # online, collective, repeat
        advance(received(5), "assigned", supervisor=supervisor, department=department),  # no handler
        advance(received(6), "assigned", supervisor=supervisor, department=odd_department),
        lifecycle.case_take(
            case_id=advance(received(7), "assigned", supervisor=supervisor, department=odd_department).pk,
            actor=odd_handler,
        ),
        # Awaiting the office's review: the handling deadline shown, once running and once overdue.
        advance(received(11), "reviewing", supervisor=supervisor, department=department),
        late_review,
        advance(received(8), "handled", supervisor=supervisor, department=department),  # no deadline shown
        advance(received(9), "closed", supervisor=supervisor, department=department),
        # Not accepted: closed without a department.
        lifecycle.case_refuse(case_id=received(10).pk, actor=supervisor, reason="不属于信访事项"),
    ]
    # As the list page reads them: only the columns a row shows.
    return list(queues.list_rows(Case.objects.filter(pk__in=[case.pk for case in cases])).order_by("number"))


def drawn_both_ways(cases: list[Case], *, selectable: bool, today) -> list[tuple[str, str]]:
    fast = case_rows(cases, selectable=selectable, today=today)
    reference = [
        render_to_string("petitions/_case_row.html", {"case": case, "selectable": selectable, "today": today})
        for case in cases
    ]
    return list(zip(fast, reference, strict=True))


@pytest.mark.parametrize("selectable", [True, False], ids=["selectable", "read-only"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_python_drawn_rows_equal_the_row_template(varied_cases, selectable, language):
    today = timezone.localdate()
    with translation.override(language):
        # Today, and each deadline's own day (due that day is not yet overdue).
        deadlines = [case.due_date or case.handling_due for case in varied_cases if case.state != State.HANDLED]
        for day in {today, *(deadline for deadline in deadlines if deadline)}:
            for case, (fast, reference) in zip(
                varied_cases, drawn_both_ways(varied_cases, selectable=selectable, today=day), strict=True
            ):
                assert without_layout(fast) == without_layout(reference), (case.number, day)
        rows = "".join(case_rows(varied_cases, selectable=selectable, today=today))

    # The cases are as varied as they are meant to be, so the comparison above covers every branch.
    assert {case.state for case in varied_cases} == set(State.values)
    assert any(case.is_collective and case.is_repeat for case in varied_cases)
    assert any(case.skip_level for case in Case.objects.all())
    assert any(timezone.localtime(case.received_at).date() != case.received_at.date() for case in varied_cases)
    assert "due-overdue" in rows and rows.count('class="flag flag-warn"') == 3
    assert rows.count('class="due-office"') == 1 and rows.count('class="due-office due-overdue"') == 1
    assert rows.count('class="flag flag-online"') == 2  # the online cases are marked as such
    assert any(case.due_date and 0 <= (case.due_date - today).days <= 3 for case in varied_cases)
    assert "—" in rows  # a row without deadline, department or handler
    assert ('name="cases"' in rows) is selectable
    # Every text is escaped; nothing from the data becomes markup.
    assert "<script>" not in rows and "&lt;script&gt;alert(1)&lt;/script&gt;" in rows
    assert "&amp;amp;" in rows and "&quot;引号&quot;" in rows and "&#x27;apostrophe&#x27;" in rows
    assert ("Received" in rows) is (language == "en")

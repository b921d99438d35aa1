"""The overdue board, the printable supervision notice, and the queue the board links to."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from devdata.factories import register_case
from escalation.services import escalation_sweep
from tests.escalation.conftest import DUE, LEVEL_2, ROUTED, on

pytestmark = pytest.mark.django_db


@pytest.fixture
def board_cases(routed, clerk, other_department):
    """On LEVEL_3 (15 August): in the housing bureau one case 15 days overdue, one 8 and one 1 day;
    in the education bureau one 4 days overdue and one due in 2 days; one unrouted case 2 days overdue."""
    cases = {
        "housing_15": routed(),
        "housing_8": routed(day=ROUTED + timedelta(days=7)),  # due 7 Aug
        "housing_1": routed(day=date(2026, 6, 15)),  # due 14 Aug
        "education_4": routed(day=date(2026, 6, 12), department=other_department, handler=None),  # due 11 Aug
        "education_soon": routed(day=date(2026, 6, 18), department=other_department, handler=None),  # due 17 Aug
    }
    with on(date(2026, 7, 29)):
        cases["unrouted_2"] = register_case(clerk=clerk)  # due 13 Aug
    for case in cases.values():
        case.refresh_from_db()
    assert {name: case.due_date for name, case in cases.items()} == {
        "housing_15": date(2026, 7, 31),
        "housing_8": date(2026, 8, 7),
        "housing_1": date(2026, 8, 14),
        "education_4": date(2026, 8, 11),
        "education_soon": date(2026, 8, 17),
        "unrouted_2": date(2026, 8, 13),
    }
    return cases


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_board_counts_by_department_and_level(client, supervisor, board_cases, department, other_department):
    with on(date(2026, 8, 15)):
        response = page(client, supervisor, reverse("escalation:board"))
    assert response.status_code == 200
    board = response.context["board"]
    assert [level.label for level in board.levels] == ["第1级", "第2级", "第3级"]
    rows = {row.department_id: row for row in board.rows}
    housing, education, office = rows[department.pk], rows[other_department.pk], rows[None]
    assert [cell.count for cell in housing.levels] == [1, 1, 1]
    assert (housing.overdue.count, housing.max_days, housing.soon.count) == (3, 15, 0)
    assert [cell.count for cell in education.levels] == [1, 0, 0]
    assert (education.overdue.count, education.max_days, education.soon.count) == (1, 4, 1)
    assert (office.overdue.count, office.max_days) == (1, 2)
    assert [cell.count for cell in board.totals.levels] == [3, 1, 1]
    assert board.rows[0] is housing  # the most overdue department first
    html = response.content.decode()
    assert "市住房和城乡建设局" in html and "尚未交办（本机关）" in html
    assert [case.number for case in response.context["most_overdue"]][:2] == [
        board_cases["housing_15"].number,
        board_cases["housing_8"].number,
    ]


def test_board_cells_link_to_exactly_their_cases_in_the_queue(client, supervisor, board_cases, department):
    with on(date(2026, 8, 15)):
        board = page(client, supervisor, reverse("escalation:board")).context["board"]
        housing = next(row for row in board.rows if row.department_id == department.pk)
        expected = {
            housing.levels[0].url: {"housing_1"},
            housing.levels[1].url: {"housing_8"},
            housing.levels[2].url: {"housing_15"},
            housing.overdue.url: {"housing_1", "housing_8", "housing_15"},
        }
        office = next(row for row in board.rows if row.department_id is None)
        expected[office.overdue.url] = {"unrouted_2"}
        for url, names in expected.items():
            assert url.startswith("/cases/?")
            html = client.get(url).content.decode()
            shown = set(re.findall(r"XF2026-\d{6}", html))
            assert shown == {board_cases[name].number for name in names}, url


def test_board_is_for_those_who_see_every_case(client, handler, leader, clerk):
    assert page(client, handler, reverse("escalation:board")).status_code == 403
    assert page(client, clerk, reverse("escalation:board")).status_code == 403
    assert page(client, leader, reverse("escalation:board")).status_code == 200


def test_board_query_count_does_not_grow_with_cases(client, supervisor, routed, django_assert_max_num_queries):
    for _ in range(2):
        routed()
    client.force_login(supervisor)
    with on(date(2026, 8, 15)):
        escalation_sweep()
        # 7 of them the portal's own (session, user, menu), one the co-department parts' recipients
        with django_assert_max_num_queries(15) as few:
            client.get(reverse("escalation:board"))
        for _ in range(8):
            routed(day=ROUTED)
        escalation_sweep()
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(reverse("escalation:board"))


def test_supervision_notice_prints_for_the_department(client, routed, supervisor, handler, other_handler):
    case = routed()
    with on(LEVEL_2):
        escalation_sweep()
    url = reverse("escalation:notice", args=["DB2026-000001"])
    response = page(client, handler, url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "信访事项督办单" in html and "DB2026-000001" in html
    assert case.number in html and "市住房和城乡建设局" in html
    assert "2026-07-31" in html and "超期7天" in html
    assert "2026-08-14" in html  # reply by: five working days after issue
    assert 'media="print"' in html and "page-print" in html
    petitioner = case.case_petitioners.first().petitioner
    assert petitioner.name not in html  # the notice goes to the department: no identity on it
    assert page(client, other_handler, url).status_code == 404
    assert page(client, supervisor, reverse("escalation:notice", args=["DB2026-999999"])).status_code == 404


def test_the_notice_is_listed_on_the_board_and_the_case(client, routed, supervisor):
    case = routed()
    notice_url = reverse("escalation:notice", args=["DB2026-000001"])
    with on(LEVEL_2):
        escalation_sweep()
        assert notice_url in page(client, supervisor, reverse("escalation:board")).content.decode()
        assert notice_url in client.get(reverse("case_detail", args=[case.number])).content.decode()


@pytest.mark.parametrize("value", ["-5", "abc", "0", "99999999999", "1e9"])
def test_overdue_filters_refuse_bad_input_without_an_error(client, supervisor, value):
    for name in ("overdue_min", "overdue_max"):
        response = page(client, supervisor, f"{reverse('case_queue')}?{name}={value}")
        assert response.status_code == 200


def test_the_board_is_in_the_navigation_of_supervisors(client, supervisor, handler):
    assert 'data-nav="overdue"' in page(client, supervisor, reverse("home")).content.decode()
    assert 'data-nav="overdue"' not in page(client, handler, reverse("home")).content.decode()


def test_board_without_overdue_cases(client, supervisor):
    response = page(client, supervisor, reverse("escalation:board"))
    assert "没有临期或逾期的未办结事项" in response.content.decode()


def test_unrouted_overdue_case_links_to_the_received_queue(client, supervisor, clerk):
    with on(date(2026, 6, 1)):
        register_case(clerk=clerk)
    with on(DUE):
        board = page(client, supervisor, reverse("escalation:board")).context["board"]
    assert board.rows[0].department_id is None
    assert "state=received" in board.rows[0].overdue.url

"""The lists: filters and search on crafted data, counts, sorting, bad input, and the query pins."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from devdata.factories import UserFactory, advance, as_recorded, local_datetime, petitioner_data, register_case
from petitions.models import Case, Category, Channel, Department, LegalType, Purpose, Region, Role, State
from petitions.selectors import queues
from petitions.services import lifecycle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def a_wednesday_morning():
    """The crafted cases' deadlines count working days, so which of them is due soon depends on the
    weekday: the module runs on one Wednesday (ticking), not on whatever day the suite runs."""
    with time_machine.travel(datetime(2026, 12, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


def numbers(response) -> set[str]:
    return {case.number for case in response.context["page"]}


@pytest.fixture
def crafted(clerk, supervisor, leader, department, other_department):
    """Five cases that differ in every way the filters can tell apart."""
    today = timezone.localdate()
    demolition = Category.objects.get(code="010200")  # 城乡建设 › 征地拆迁
    wages = Category.objects.get(code="030100")  # 劳动和社会保障 › 拖欠工资
    school = Category.objects.get(code="040100")
    township = Region.objects.get(code="990102001")  # 东城区 › 东华街道
    county = Region.objects.get(code="990121")  # 南湖县
    cases = {}
    cases["demolition"] = register_case(
        clerk=clerk,
        category=demolition,
        region=township,
        summary="反映旧城改造项目拆迁补偿标准偏低，补偿款至今未结清。",
        request="要求重新核定补偿标准。",
        received_at=local_datetime(today - timedelta(days=20)),  # accept_due 5 days ago: overdue
        petitioners=[petitioner_data(name="王小明")],
    )
    cases["wages"] = register_case(
        clerk=clerk,
        category=wages,
        region=county,
        channel=Channel.LETTER,
        headcount=6,
        summary="反映某建筑工地拖欠农民工工资四万余元。",
        request="要求协调追讨工资。",
        received_at=local_datetime(today - timedelta(days=13)),  # accept_due in 2 days: due soon
        petitioners=[petitioner_data(name="李大山"), petitioner_data(name="王二")],
    )
    cases["repeat"] = register_case(
        clerk=clerk,
        category=demolition,
        region=township,
        purpose=Purpose.DISCLOSURE,
        legal_type=LegalType.ACCUSATION,
        summary="再次反映拆迁中有干部优亲厚友，补偿不公。",
        request="要求调查处理。",
        repeat_of=cases["demolition"],
        received_at=local_datetime(today - timedelta(days=3)),
        petitioners=[as_recorded(cases["demolition"])],  # 王小明 again, now accusing someone
    )
    advance(cases["repeat"], "assigned", supervisor=supervisor, department=department)
    lifecycle.case_set_owner(case_id=cases["repeat"].pk, actor=supervisor, leader=leader)
    cases["school"] = register_case(
        clerk=clerk,
        category=school,
        region=county,
        channel=Channel.ONLINE,
        summary="反映孩子按学区应入读某小学被拒收。",
        request="要求依法安排就近入学。",
        received_at=local_datetime(today - timedelta(days=1)),
        petitioners=[petitioner_data(name="赵敏", confidential=True)],
    )
    advance(cases["school"], "assigned", supervisor=supervisor, department=other_department)
    cases["closed"] = register_case(
        clerk=clerk,
        category=wages,
        region=county,
        summary="反映工伤认定问题。",
        request="要求认定工伤。",
        received_at=local_datetime(today - timedelta(days=2)),
        petitioners=[petitioner_data(name="孙悟")],
    )
    lifecycle.case_void(case_id=cases["closed"].pk, actor=supervisor, reason="重复登记，作废。")
    return {key: Case.objects.get(pk=case.pk) for key, case in cases.items()}


def test_each_filter_selects_exactly_its_cases(client, supervisor, leader, crafted, department):
    client.force_login(supervisor)
    url = reverse("case_queue")
    today = timezone.localdate()
    n = {key: case.number for key, case in crafted.items()}
    expectations = [
        ({}, set(n.values())),
        ({"state": "received"}, {n["demolition"], n["wages"]}),
        ({"state": ["received", "closed"]}, {n["demolition"], n["wages"], n["closed"]}),
        ({"department": department.pk}, {n["repeat"]}),
        ({"category": Category.objects.get(code="010000").pk}, {n["demolition"], n["repeat"]}),  # with sub-categories
        ({"category": Category.objects.get(code="030100").pk}, {n["wages"], n["closed"]}),
        ({"region": Region.objects.get(code="990102").pk}, {n["demolition"], n["repeat"]}),  # county with townships
        ({"region": Region.objects.get(code="990100").pk}, set(n.values())),  # the city: three levels down
        ({"channel": "letter"}, {n["wages"]}),
        ({"legal_type": "accusation"}, {n["repeat"]}),
        ({"owning_leader": leader.pk}, {n["repeat"]}),
        ({"received_from": (today - timedelta(days=13)).isoformat()}, set(n.values()) - {n["demolition"]}),
        ({"received_to": (today - timedelta(days=13)).isoformat()}, {n["demolition"], n["wages"]}),
        (
            {
                "received_from": (today - timedelta(days=3)).isoformat(),
                "received_to": (today - timedelta(days=2)).isoformat(),
            },
            {n["repeat"], n["closed"]},
        ),
        ({"due": "overdue"}, {n["demolition"]}),
        ({"due": "soon"}, {n["wages"]}),
        ({"repeat": "true"}, {n["repeat"]}),
        ({"collective": "true"}, {n["wages"]}),
        ({"collective": "false", "state": "received"}, {n["demolition"]}),
    ]
    for params, expected in expectations:
        response = client.get(url, params)
        assert response.status_code == 200, params
        assert numbers(response) == expected, params


def test_search_by_number_tracking_code_and_chinese_text(client, supervisor, crafted):
    client.force_login(supervisor)
    url = reverse("case_queue")
    n = {key: case.number for key, case in crafted.items()}
    expectations = [
        (crafted["wages"].number, {n["wages"]}),
        (crafted["wages"].number.lower(), {n["wages"]}),
        (crafted["school"].tracking_code.lower(), {n["school"]}),
        ("拆迁补偿", {n["demolition"]}),  # four characters, contiguous
        ("拆迁", {n["demolition"], n["repeat"]}),  # the common two-character word
        ("补偿", {n["demolition"], n["repeat"]}),
        ("欠", {n["wages"]}),  # one character
        ("资", {n["wages"]}),  # one character at the end of a segment
        ("拆迁 不公", {n["repeat"]}),  # every term must match
        ("拆迁，工资", set()),
        ("迁补", {n["demolition"]}),
        ("补偿拆迁", set()),  # both words are there, but not in this order
        ("就近入学", {n["school"]}),  # in the request
        ("工伤", {n["closed"]}),
        ("  ", set(n.values())),
        ("，。！", set(n.values())),  # no term in it: like an empty search box
    ]
    for query, expected in expectations:
        assert numbers(client.get(url, {"q": query})) == expected, query


def test_search_text_with_latin_letters_and_digits(client, supervisor, clerk):
    case = register_case(clerk=clerk, summary="反映ABC物业公司3号楼电梯故障。", request="要求维修。")
    client.force_login(supervisor)
    for query in ("abc", "ABC物业", "3号楼", "c物"):
        assert numbers(client.get(reverse("case_queue"), {"q": query})) == {case.number}, query
    assert numbers(client.get(reverse("case_queue"), {"q": "abd"})) == set()


def test_name_search_for_office_staff(client, supervisor, crafted):
    client.force_login(supervisor)
    n = {key: case.number for key, case in crafted.items()}
    assert numbers(client.get(reverse("case_queue"), {"name": "王小"})) == {n["demolition"], n["repeat"]}
    # A surname alone lists strangers: at least two characters are asked for.
    refused = client.get(reverse("case_queue"), {"name": "王"})
    assert "name" in refused.context["filter"].form.errors and numbers(refused) == set()
    assert numbers(client.get(reverse("case_queue"), {"name": "赵敏"})) == {n["school"]}
    assert numbers(client.get(reverse("case_queue"), {"name": "小明"})) == set()  # from the start of the name


def test_department_cannot_find_accusers_or_confidential_petitioners_by_name(
    client, supervisor, handler, other_handler, crafted, department
):
    visible = register_case(
        petitioners=[petitioner_data(name="王小军")], purpose=Purpose.REQUEST, legal_type=LegalType.CLAIM
    )
    advance(visible, "assigned", supervisor=supervisor, department=department)
    client.force_login(handler)
    url = reverse("case_department")
    # 王小明 accused someone (T22 30): his case is the department's, but not findable by his name.
    assert numbers(client.get(url, {"name": "王小"})) == {visible.number}
    assert numbers(client.get(url, {"name": "王小明"})) == set()
    client.force_login(other_handler)
    # 赵敏 asked for confidentiality: the department sees the case but cannot find it by her name.
    assert crafted["school"].number in numbers(client.get(reverse("case_department")))
    assert numbers(client.get(reverse("case_department"), {"name": "赵敏"})) == set()


def test_no_name_search_without_the_right_to_see_identity(client, crafted):
    admin_role = UserFactory(roles=[Role.ADMIN])  # sees every case, but no identities
    client.force_login(admin_role)
    response = client.get(reverse("case_queue"), {"name": "王小"})
    assert "name" not in response.context["filter"].form.fields
    assert len(numbers(response)) == len(crafted)  # the parameter is ignored, never used


def test_identity_filter_agrees_with_can_view_identity(crafted, supervisor, handler, other_handler, clerk, leader):
    from petitions.selectors import scopes
    from petitions.selectors.scopes import visible_cases

    for user in (supervisor, handler, other_handler, clerk, leader, UserFactory(roles=[Role.ADMIN])):
        allowed = scopes.identity_visibility_filter(user)
        cases = visible_cases(user)
        findable = set((cases if allowed is None else cases.filter(allowed)).values_list("pk", flat=True))
        for case in Case.objects.all():
            confidential = case.case_petitioners.filter(petitioner__confidential=True).exists()
            expected = scopes.can_view_identity(user, case, any_confidential=confidential)
            assert (case.pk in findable) == expected, (user, case.number)


def test_sorting_is_by_the_chosen_key_with_a_stable_tiebreak(client, supervisor, crafted):
    client.force_login(supervisor)
    url = reverse("case_queue")
    by_due = [case.number for case in client.get(url, {"sort": "due"}).context["page"]]
    dues = [Case.objects.get(number=number).due_date for number in by_due]
    known = [d for d in dues if d is not None]
    assert known == sorted(known) and dues[len(known) :] == [None] * (len(dues) - len(known))
    newest = [case.number for case in client.get(url, {"sort": "-received"}).context["page"]]
    assert newest[0] == crafted["school"].number and newest[-1] == crafted["demolition"].number
    by_number = [case.number for case in client.get(url, {"sort": "number"}).context["page"]]
    assert by_number == sorted(by_number)
    # Without a choice the queue is in deadline order, the clerk's list newest first.
    assert [case.number for case in client.get(url).context["page"]] == by_due


def test_bad_filter_input_is_refused_clearly_and_shows_nothing(client, supervisor, crafted):
    client.force_login(supervisor)
    url = reverse("case_queue")
    response = client.get(url, {"received_from": "2026-13-45", "state": "nonsense", "department": "999999"})
    assert response.status_code == 200
    errors = response.context["filter"].form.errors
    assert {"received_from", "state", "department"} <= set(errors)
    assert numbers(response) == set()
    assert 'aria-invalid="true"' in response.content.decode()
    for params in ({"page": "abc"}, {"page": "99999"}, {"sort": "bogus"}, {"q": "%_\\'\""}, {"name": "%"}):
        assert client.get(url, params).status_code == 200, params


def test_received_dates_outside_the_records_are_refused_not_a_server_error(client, supervisor, crafted):
    client.force_login(supervisor)
    response = client.get(reverse("case_queue"), {"received_from": "0001-01-01", "received_to": "9999-12-31"})
    assert response.status_code == 200
    assert {"received_from", "received_to"} <= set(response.context["filter"].form.errors)
    assert numbers(response) == set()
    export = client.get(reverse("case_queue_export"), {"received_to": "9999-12-31"})
    assert export.status_code == 302 and "received_to=9999-12-31" in export.url  # back to the list, nothing exported


def test_counts_stop_at_the_limit_and_say_so(crafted):
    base = Case.objects.all()
    counts = queues.list_counts(base, base.filter(state__in=[State.RECEIVED, State.ASSIGNED]), limit=3, state_limit=3)
    assert counts.total == queues.CappedCount(3, True)
    by_state = {item.state: item.count for item in counts.by_state}
    assert by_state == {
        "received": queues.CappedCount(2, False),
        "assigned": queues.CappedCount(2, False),
        "reviewing": queues.CappedCount(0, False),
        "handled": queues.CappedCount(0, False),
        "closed": queues.CappedCount(1, False),
    }
    exact = queues.list_counts(base, base.filter(state=State.RECEIVED), limit=2, state_limit=1)
    assert exact.total == queues.CappedCount(2, False)
    assert exact.by_state[0].count == queues.CappedCount(1, True)


def test_page_shows_capped_counts_honestly(client, supervisor, crafted, monkeypatch):
    monkeypatch.setattr(queues, "COUNT_LIMIT", 3)
    monkeypatch.setattr(queues, "STATE_COUNT_LIMIT", 1)
    client.force_login(supervisor)
    response = client.get(reverse("case_queue"))
    assert next(item.count for item in response.context["counts"].by_state) == queues.CappedCount(1, True)
    # A list that matches more than the count is read in the order of its sort's index: same rows, same order.
    monkeypatch.setattr(queues, "PAGE_SIZE", 2)
    walked = [case.number for case in client.get(reverse("case_queue")).context["page"]]
    monkeypatch.setattr(queues, "COUNT_LIMIT", 100)
    sorted_ = [case.number for case in client.get(reverse("case_queue")).context["page"]]
    assert walked == sorted_ and len(walked) == 2
    html = response.content.decode()
    assert response.context["counts"].total == queues.CappedCount(3, True)
    assert "3+" in html or "超过 3" in html
    assert 'data-total="3+"' in html


def test_state_counts_cover_the_list_not_other_departments(client, handler, crafted):
    client.force_login(handler)
    counts = {
        item.state: item.count.value for item in client.get(reverse("case_department")).context["counts"].by_state
    }
    assert counts == {"received": 0, "assigned": 1, "reviewing": 0, "handled": 0, "closed": 0}


def test_department_list_mine_and_whole(client, supervisor, handler, department_head, crafted, department):
    other = register_case()
    advance(other, "assigned", supervisor=supervisor, department=department)
    lifecycle.case_take(case_id=other.pk, actor=handler)
    client.force_login(handler)
    assert numbers(client.get(reverse("case_department"))) == {crafted["repeat"].number, other.number}
    assert numbers(client.get(reverse("case_department"), {"mine": "1"})) == {other.number}
    assert numbers(client.get(reverse("case_department"), {"mine": "1", "state": "assigned"})) == {other.number}


def test_clerk_and_leader_lists(client, clerk, leader, crafted):
    someone_else = register_case()
    client.force_login(clerk)
    response = client.get(reverse("case_registered"))
    assert numbers(response) == {case.number for case in crafted.values()}
    assert someone_else.number not in numbers(response)
    # The clerk's list is newest first.
    assert next(iter(response.context["page"])).number == crafted["school"].number
    client.force_login(leader)
    assert numbers(client.get(reverse("case_owned"))) == {crafted["repeat"].number}


def test_htmx_filtering_returns_only_the_rows(client, supervisor, crafted):
    client.force_login(supervisor)
    response = client.get(reverse("case_queue"), {"channel": "letter"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and crafted["wages"].number in html
    assert crafted["demolition"].number not in html


def test_filters_survive_in_the_pagination_and_export_links(client, supervisor, clerk, monkeypatch):
    for _ in range(3):
        register_case(clerk=clerk, channel=Channel.PHONE)
    client.force_login(supervisor)
    monkeypatch.setattr(queues, "PAGE_SIZE", 2)
    html = client.get(reverse("case_queue"), {"channel": "phone"}).content.decode()
    assert "channel=phone&amp;page=2" in html
    assert reverse("case_queue_export") + "?channel=phone" in html


# --- Query counts: constant in the number of rows shown ----------------------------------------------


def _fill(kind: str, count: int, *, clerk, supervisor, leader, department, department_head) -> None:
    for _ in range(count):
        case = register_case(clerk=clerk, summary="反映小区物业擅自提高物业费。")
        if kind in ("department", "owned"):
            advance(case, "assigned", supervisor=supervisor, department=department)
        if kind == "owned":
            lifecycle.case_set_owner(case_id=case.pk, actor=supervisor, leader=leader)


LIST_VIEWERS = {
    "case_queue": ("supervisor", "queue"),
    "case_registered": ("clerk", "registered"),
    "case_department": ("department_head", "department"),
    "case_owned": ("leader", "owned"),
}
MAX_QUERIES = 12


@pytest.mark.parametrize("url_name", list(LIST_VIEWERS))
def test_list_queries_do_not_grow_with_the_rows(
    request, client, django_assert_max_num_queries, url_name, clerk, supervisor, leader, department, department_head
):
    viewer_fixture, kind = LIST_VIEWERS[url_name]
    viewer = request.getfixturevalue(viewer_fixture)
    people = {
        "clerk": clerk,
        "supervisor": supervisor,
        "leader": leader,
        "department": department,
        "department_head": department_head,
    }
    client.force_login(viewer)
    url = reverse(url_name)
    client.get(url)  # the session's first request notes the user's permissions once (see SessionActivityMiddleware)
    filtered = {"q": "反映", "state": ["received", "assigned"], "sort": "-received"}
    seen, filled = [], 0
    for rows in (10, 50):
        _fill(kind, rows - filled, **people)
        filled = rows
        for params in ({}, filtered):
            with django_assert_max_num_queries(MAX_QUERIES) as captured:
                response = client.get(url, params)
            assert response.status_code == 200
            seen.append(len(captured))
        assert len(response.context["page"]) == rows
    assert len(set(seen)) <= 2, seen  # the same counts at 10 and at 50 rows (plain and filtered)
    assert seen[0] == seen[2] and seen[1] == seen[3], seen


def test_department_filter_is_not_offered_in_the_department_list(client, handler):
    client.force_login(handler)
    assert "department" not in client.get(reverse("case_department")).context["filter"].form.fields


def test_handler_without_a_department_has_no_department_list(client):
    loose = UserFactory(roles=[Role.HANDLER], department=None)
    client.force_login(loose)
    assert client.get(reverse("case_department")).status_code == 403
    assert Department.objects.exists()


def test_a_text_search_counts_less_far_and_says_so(client, supervisor, clerk, monkeypatch):
    from petitions.selectors import queues as queue_module

    monkeypatch.setattr(queue_module, "TEXT_COUNT_LIMIT", 3)
    for _ in range(5):
        register_case(clerk=clerk, summary="反映小区电梯长期故障。")
    client.force_login(supervisor)
    response = client.get(reverse("case_queue"), {"q": "电梯"})
    total = response.context["counts"].total
    assert (total.value, total.capped) == (3, True)
    plain = client.get(reverse("case_queue")).context["counts"].total
    assert not plain.capped and plain.value >= 5


def test_state_counts_are_kept_between_views_and_follow_every_change(client, supervisor, clerk, department):
    def by_state() -> dict[str, int]:
        return {item.state: item.count.value for item in client.get(reverse("case_queue")).context["counts"].by_state}

    client.force_login(supervisor)
    before = by_state()
    # A second view, on any page or filter of the list, counts its total but not the states again.
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("case_queue"), {"legal_type": LegalType.CLAIM})
    assert not [query for query in captured.captured_queries if "'received'" in query["sql"]]
    assert by_state() == before

    # Inside the transaction that changed a case, the counts are counted afresh.
    case = register_case(clerk=clerk)
    assert by_state() == {**before, "received": before["received"] + 1}
    lifecycle.case_accept(case_id=case.pk, actor=supervisor, department=department)
    assert by_state() == {**before, "assigned": before["assigned"] + 1}


@pytest.mark.django_db(transaction=True)
def test_kept_state_counts_are_renewed_when_a_change_commits(client, supervisor, clerk, department):
    def by_state() -> dict[str, int]:
        return {item.state: item.count.value for item in client.get(reverse("case_queue")).context["counts"].by_state}

    client.force_login(supervisor)
    before = by_state()
    case = register_case(clerk=clerk)  # committed: another process now counts the new case
    assert by_state() == {**before, "received": before["received"] + 1}
    lifecycle.case_accept(case_id=case.pk, actor=supervisor, department=department)
    assert by_state() == {**before, "assigned": before["assigned"] + 1}


def test_a_row_shows_the_case_and_escapes_what_people_typed(client, supervisor, clerk, crafted, handler):
    typed = register_case(clerk=clerk, summary='反映<script>alert("x")</script>问题。')
    client.force_login(supervisor)
    html = client.get(reverse("case_queue")).content.decode()
    rows = {row.split('href="/cases/')[1].split("/")[0]: row for row in html.split("<tr>")[2:]}
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in rows[typed.number]
    assert "<script>alert" not in html

    wages, repeat, demolition = crafted["wages"], crafted["repeat"], crafted["demolition"]
    assert f'value="{wages.pk}:{wages.version}" form="bulk-form" aria-label="选择 {wages.number}"' in rows[wages.number]
    assert '<span class="flag flag-warn" title="集体访"><span aria-hidden="true">6</span>' in rows[wages.number]
    assert '<span class="state state-received">已登记</span>' in rows[wages.number]
    assert f'<span class="due-overdue">{demolition.due_date.isoformat()}</span>' in rows[demolition.number]
    assert f"<span>{wages.due_date.isoformat()}</span>" in rows[wages.number]
    assert '<span class="flag" title="重复访">' in rows[repeat.number] and repeat.department.name in rows[repeat.number]
    assert timezone.localtime(wages.received_at).date().isoformat() in rows[wages.number]

    client.force_login(handler)  # a handler's department list: no selection column, no bulk form
    department_html = client.get(reverse("case_department")).content.decode()
    assert repeat.number in department_html and 'form="bulk-form"' not in department_html


def _shown_sort(html: str) -> str:
    """The sort a browser shows, and sends with the next filter change: the selected option, else the first."""
    select = re.search(r'<select name="sort".*?</select>', html, re.S).group()
    selected = re.search(r'<option value="([^"]*)" selected>', select) or re.search(r'<option value="([^"]*)"', select)
    return selected.group(1)


@pytest.mark.parametrize("query", [{}, {"state": State.RECEIVED}, {"received_from": "2000-01-01", "page": "1"}])
def test_the_clerks_list_stays_newest_first_when_filtered(client, clerk, supervisor, crafted, query):
    newest_first = sorted(crafted.values(), key=lambda case: case.received_at, reverse=True)
    client.force_login(clerk)
    response = client.get(reverse("case_registered"), query)
    shown = [case.number for case in response.context["page"]]
    assert shown == [case.number for case in newest_first if case.number in shown] and shown
    assert _shown_sort(response.content.decode()) == "-received"
    client.force_login(supervisor)  # the queue keeps its own: deadline first
    assert _shown_sort(client.get(reverse("case_queue"), query).content.decode()) == "due"


def test_the_case_number_stands_alone_in_its_cell_with_the_flags_beside_it(client, supervisor, crafted):
    """Copying the number (or hearing it read) gives the number, not "XF2026-0000026" with a badge glued on."""
    client.force_login(supervisor)
    html = client.get(reverse("case_queue")).content.decode()
    table = parse_html(re.search(r'<table class="data case-table">.*?</table>', html, re.S).group())
    header, *body = _elements(table, "tr")
    headings = [_text(cell) for cell in _elements(header, "th")]
    assert headings[1:3] == ["事项", "标记"]  # after the selection column
    rows = {_text(_elements(row, "td")[1]): _elements(row, "td") for row in body}
    assert set(rows) == {case.number for case in crafted.values()}
    wages, repeat = rows[crafted["wages"].number], rows[crafted["repeat"].number]
    assert _text(wages[2]) == "6集体访 6"  # the mark, then what a screen reader says for it
    assert _text(repeat[2]) == "重重复访"
    assert _text(rows[crafted["school"].number][2]) == "网上网上提交"  # came in online: marked as such


def _elements(node, tag: str) -> list:
    """The `tag` elements under `node`, outermost first (django.test.html's parsed tree)."""
    found = []
    for child in getattr(node, "children", []):
        if isinstance(child, str):
            continue
        if child.name == tag:
            found.append(child)
        else:
            found += _elements(child, tag)
    return found


def _text(node) -> str:
    return "".join(child if isinstance(child, str) else _text(child) for child in node.children).strip()


def test_a_search_of_thousands_of_characters_is_refused_not_a_server_error(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("case_queue"), {"q": "9" * 20_000})
    assert response.status_code < 500

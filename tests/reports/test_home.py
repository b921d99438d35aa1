"""The start page per role: what each sees, scoped like the lists, in at most 12 queries each."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from devdata.factories import advance, local_datetime, register_case
from petitions import caching
from petitions.models import Channel, Region
from petitions.services import lifecycle
from reports.home import supervisor_section
from reports.liaison import leader_units
from reports.models import LeaderLiaison
from screening import services
from tests.reports.test_performance import screen_table
from tests.screening.world import entry_data, screening_objects

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 18)  # a Wednesday
MAX_QUERIES = 12


@pytest.fixture
def office(clerk, supervisor, handler, other_handler, department, other_department):
    """Cases of the last weeks: the handler's three (one overdue), another department's two, a collective visit."""
    made = {}
    with time_machine.travel(local_datetime(date(2026, 8, 3)), tick=False):
        made["late"] = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
    for day, key in [(date(2026, 11, 2), "mine1"), (date(2026, 11, 9), "mine2")]:
        with time_machine.travel(local_datetime(day), tick=False):
            made[key] = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
    for day in (date(2026, 11, 3), date(2026, 11, 10)):
        with time_machine.travel(local_datetime(day), tick=False):
            advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=other_department)
    with time_machine.travel(local_datetime(date(2026, 11, 16)), tick=False):
        made["group"] = register_case(clerk=clerk, channel=Channel.VISIT, headcount=7)
    for key in ("late", "mine1", "mine2"):
        lifecycle.case_take(case_id=made[key].pk, actor=handler)
    with time_machine.travel(local_datetime(TODAY, 10), tick=False):
        yield made


def home(client, user):
    client.force_login(user)
    return client.get(reverse("home"))


@pytest.mark.parametrize("role", ["clerk", "supervisor", "handler", "department_head", "leader", "admin_user"])
def test_each_home_page_costs_at_most_12_queries(request, client, office, role, django_assert_max_num_queries):
    user = request.getfixturevalue(role)
    if role == "leader":
        department = request.getfixturevalue("department")
        LeaderLiaison.objects.create(leader=user, department=department)
        LeaderLiaison.objects.create(leader=user, region=Region.objects.filter(level=Region.Level.COUNTY).first())
        # every section of a leader's page populated: their units' register entries and hot topics
        supervisor = request.getfixturevalue("supervisor")
        screening_objects(supervisor=supervisor, department=department, case=office["mine1"], leader=user)
    client.force_login(user)
    client.get(reverse("home"))  # the session and the per-process caches warm
    # but the office's figures and the leader's units are counted again
    caching.forget(f"home-office-figures:{TODAY.isoformat()}", f"home-leader-units:{user.pk}:{TODAY.isoformat()}")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_a_handler_sees_their_cases_by_deadline(client, office, handler, other_handler):
    rows = screen_table(home(client, handler).content.decode(), "my-cases")
    numbers = [row[0] for row in rows[1:]]
    assert numbers == [office["late"].number, office["mine1"].number, office["mine2"].number]
    assert int(rows[1][3]) < 0  # the late one, with its days past the deadline
    assert screen_table(home(client, other_handler).content.decode(), "my-cases") == []


def test_a_department_head_sees_the_load_and_no_office_trends(client, office, department_head, handler):
    html = home(client, department_head).content.decode()
    rows = screen_table(html, "load")
    assert rows[1:] == [[str(handler.full_name or handler.username), "3", "1", "0"]]
    assert 'data-chart="trend"' not in html  # the office's trends are not the department's


def test_a_supervisor_sees_trends_with_a_table_behind_each_chart(client, office, supervisor, department):
    html = home(client, supervisor).content.decode()
    for key in ("trend", "collective", "categories", "regions", "overdue"):
        assert f'data-chart="{key}"' in html and f'data-table="{key}"' in html
    trend = screen_table(html, "trend")
    assert len(trend) == 1 + 12
    assert sum(int(row[-1]) for row in trend[1:]) == 5  # the four routed in November and the group visit
    collective = screen_table(html, "collective")
    assert collective[-1][1:] == ["1", "7"]  # this week: one group of seven
    overdue = {row[0]: row[1] for row in screen_table(html, "overdue")[1:]}
    assert overdue == {department.name: "1"}
    assert html.count("<svg") >= 5


def test_the_trend_counts_only_what_the_user_may_see(office, supervisor, department_head):
    assert supervisor_section(department_head) is None
    section = supervisor_section(supervisor)
    assert [chart["key"] for chart in section["charts"]] == ["trend", "collective", "categories", "regions", "overdue"]


def test_a_leader_sees_their_linked_units(client, office, leader, department, other_department):
    assert leader_units(leader) is None
    assert 'data-table="liaison"' not in home(client, leader).content.decode()
    LeaderLiaison.objects.create(leader=leader, department=department)
    units = leader_units(leader, today=TODAY)
    assert [(u.name, u.open, u.overdue, u.new_this_month) for u in units.units] == [(department.name, 3, 1, 2)]
    assert [row.number for row in units.overdue] == [office["late"].number]
    html = home(client, leader).content.decode()
    assert screen_table(html, "liaison")[1:] == [[department.name, "3", "1", "2"]]
    assert office["late"].number in html


def test_a_region_link_counts_the_cases_of_every_region_under_it(office, leader):
    case = office["mine1"]
    county = Region.objects.get(pk=case.region_id)
    while county.level > Region.Level.COUNTY:
        county = county.parent
    LeaderLiaison.objects.create(leader=leader, region=county)
    units = leader_units(leader, today=TODAY)
    assert units.units[0].name == county.name
    assert units.units[0].open >= 1


def test_a_leader_sees_the_register_and_hot_topics_of_their_units(
    client, office, leader, supervisor, department, other_department
):
    mine = screening_objects(supervisor=supervisor, department=department, case=office["mine1"])
    theirs = services.entry_create(actor=supervisor, data=entry_data(other_department, title="别的单位的排查事项"))
    closed = services.entry_create(actor=supervisor, data=entry_data(department, title="已化解的排查事项"))
    services.entry_transition(entry_id=closed.pk, actor=supervisor, action="resolve", version=None)
    assert 'data-section="leader-register"' not in home(client, leader).content.decode()  # no link: no section

    LeaderLiaison.objects.create(leader=leader, department=department)
    html = home(client, leader).content.decode()
    assert reverse("screening:entry", args=mine["entry_id"]) in html
    assert reverse("screening:topic", args=mine["topic_id"]) in html
    assert "别的单位的排查事项" not in html and "已化解的排查事项" not in html

    # a region link brings the entries of every region under it, whichever department answers for them
    LeaderLiaison.objects.filter(leader=leader).delete()
    county = Region.objects.get(pk=theirs.region_id)
    LeaderLiaison.objects.create(leader=leader, region=county.parent or county)
    html = home(client, leader).content.decode()
    assert "别的单位的排查事项" in html
    assert reverse("screening:topic", args=mine["topic_id"]) not in html  # topics follow their lead unit

"""The start page: the numbers that say what needs doing, each a link to exactly those cases."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from devdata.factories import advance, register_case

pytestmark = pytest.mark.django_db


def tiles(client) -> dict[str, tuple[int, str]]:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    with translation.override("en"):
        return {
            f"{section.title}/{tile.label}": (tile.count.value, tile.url)
            for section in response.context["sections"]
            for tile in section.tiles
        }


def listed(client, url: str) -> int:
    return client.get(url).context["counts"].total.value


def test_supervisor_sees_the_office_and_each_number_opens_its_list(client, clerk, supervisor, department, handler):
    with time_machine.travel(timezone.now() - timedelta(days=40)):
        late = register_case(clerk=clerk)  # not decided within 15 days: overdue
    waiting = register_case(clerk=clerk)
    handled = advance(
        register_case(clerk=clerk), "handled", supervisor=supervisor, department=department, handler=handler
    )
    client.force_login(supervisor)
    found = tiles(client)
    assert found["The office/Awaiting a decision"][0] == 2
    assert found["The office/Overdue"][0] == 1
    assert found["The office/Handled, to deliver and close"][0] == 1
    for count, url in found.values():
        if url.startswith(reverse("case_queue")):
            assert listed(client, url) == count, url
    assert {late.state, waiting.state, handled.state} == {"received", "handled"}


def test_handler_sees_own_and_department_work(client, clerk, supervisor, department, handler, other_department):
    mine = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
    from petitions.services.lifecycle import case_take

    case_take(case_id=mine.pk, actor=handler)
    advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
    advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=other_department)
    client.force_login(handler)
    found = tiles(client)
    title = department.name
    assert found[f"{title}/Mine, in hand"][0] == 1
    assert found[f"{title}/In hand in the department"][0] == 2  # never the other department's
    assert "The office/Overdue" not in found
    for count, url in found.values():
        if url.startswith(reverse("case_department")):
            assert listed(client, url) == count, url


def test_clerk_sees_today_and_what_still_waits(client, clerk):
    register_case(clerk=clerk)
    client.force_login(clerk)
    with_language = client.get(reverse("home")).content.decode()
    assert "今日接收" in with_language
    found = tiles(client)
    assert found["My registrations/Received today"][0] == 1
    assert found["My registrations/Still awaiting a decision"][0] == 1

"""The register's entries: transitions and their log, who may take which step, the working-day deadline,
progress notes, linked cases within the viewer's scope, and refused input changing nothing."""

from datetime import date, timedelta

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from devdata.factories import UserFactory, advance, register_case
from petitions.clocks.workdays import WorkingCalendar
from petitions.models import Role
from screening import selectors, services
from screening.errors import ScreeningError, StaleRecord
from screening.models import Entry, EntryLog, Status
from tests.screening.world import entry_data

pytestmark = pytest.mark.django_db


def _rest_day_after(day: date) -> date:
    calendar = WorkingCalendar.load()
    while calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def test_an_entry_goes_found_resolving_resolved_closed_and_each_step_is_logged(supervisor, handler, department):
    entry = services.entry_create(actor=supervisor, data=entry_data(department))
    assert entry.status == Status.FOUND
    entry = services.entry_transition(entry_id=entry.pk, actor=handler, action="start", version=1, note="已约谈企业")
    entry = services.entry_transition(entry_id=entry.pk, actor=handler, action="resolve", version=2)
    assert entry.resolved_on == timezone.localdate()
    entry = services.entry_transition(entry_id=entry.pk, actor=supervisor, action="close", version=3)
    assert (entry.status, entry.version) == (Status.CLOSED, 4)
    log = list(EntryLog.objects.filter(entry=entry).values_list("action", "source_status", "target_status", "actor"))
    assert log == [
        ("create", "", "found", supervisor.pk),
        ("start", "found", "resolving", handler.pk),
        ("resolve", "resolving", "resolved", handler.pk),
        ("close", "resolved", "closed", supervisor.pk),
    ]
    assert EntryLog.objects.get(entry=entry, action="start").note == "已约谈企业"


def test_the_unit_may_not_close_nor_may_another_unit_touch_it(supervisor, handler, other_handler, department):
    entry = services.entry_create(actor=supervisor, data=entry_data(department))
    with pytest.raises(ScreeningError):
        services.entry_transition(entry_id=entry.pk, actor=other_handler, action="start", version=1)
    services.entry_transition(entry_id=entry.pk, actor=handler, action="resolve", version=1)
    with pytest.raises(ScreeningError):
        services.entry_transition(entry_id=entry.pk, actor=handler, action="close", version=2)
    with pytest.raises(ScreeningError):  # not from resolved
        services.entry_transition(entry_id=entry.pk, actor=supervisor, action="start", version=2)
    entry.refresh_from_db()
    assert (entry.status, entry.version) == (Status.RESOLVED, 2)
    assert EntryLog.objects.filter(entry=entry).count() == 2


def test_a_stale_form_is_refused_and_changes_nothing(supervisor, handler, department):
    entry = services.entry_create(actor=supervisor, data=entry_data(department))
    services.entry_transition(entry_id=entry.pk, actor=handler, action="start", version=1)
    with pytest.raises(StaleRecord):
        services.entry_transition(entry_id=entry.pk, actor=supervisor, action="resolve", version=1)
    entry.refresh_from_db()
    assert entry.status == Status.RESOLVING


def test_a_deadline_on_a_rest_day_moves_to_the_next_working_day_and_says_so(supervisor, department):
    rest = _rest_day_after(timezone.localdate() + timedelta(days=10))
    entry = services.entry_create(actor=supervisor, data=entry_data(department, deadline=rest))
    assert entry.deadline == WorkingCalendar.load().next_working_day(rest) and entry.deadline > rest
    assert rest.isoformat() in EntryLog.objects.get(entry=entry, action="create").note


def test_the_responsible_leader_must_be_a_leader(supervisor, handler, leader, department):
    with pytest.raises(ScreeningError):
        services.entry_create(actor=supervisor, data=entry_data(department, leader=handler))
    assert services.entry_create(actor=supervisor, data=entry_data(department, leader=leader)).leader == leader
    assert Entry.objects.count() == 1


def test_progress_notes_are_appended_and_never_changed(supervisor, handler, department, postgres_only):
    entry = services.entry_create(actor=supervisor, data=entry_data(department))
    note = services.entry_add_note(entry_id=entry.pk, actor=handler, note="已垫付部分工资")
    with pytest.raises(ScreeningError):
        services.entry_add_note(entry_id=entry.pk, actor=handler, note="   ")
    assert (note.actor, note.action) == (handler, "note")
    with pytest.raises(DatabaseError), transaction.atomic():
        EntryLog.objects.filter(pk=note.pk).update(note="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        EntryLog.objects.filter(pk=note.pk).delete()


def test_a_department_sees_its_own_entries_and_the_office_all(
    supervisor, leader, handler, other_handler, department, other_department
):
    ours = services.entry_create(actor=supervisor, data=entry_data(department))
    theirs = services.entry_create(actor=supervisor, data=entry_data(other_department, title="某小区物业纠纷"))
    today = timezone.localdate()
    mine = selectors.entry_list(handler, selectors.EntryFilters(), today=today)
    assert list(mine) == [ours]
    assert list(selectors.entry_list(other_handler, selectors.EntryFilters(), today=today)) == [theirs]
    assert set(selectors.entry_list(leader, selectors.EntryFilters(), today=today)) == {ours, theirs}
    clerk_only = UserFactory(roles=[Role.CLERK])
    assert not selectors.entry_list(clerk_only, selectors.EntryFilters(), today=today).exists()  # intake only


def test_a_linked_case_never_shows_to_whom_may_not_open_it(
    client, clerk, supervisor, handler, department, other_department
):
    theirs = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=other_department)
    ours = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
    entry = services.entry_create(actor=supervisor, data=entry_data(department))
    services.entry_link_case(entry_id=entry.pk, actor=supervisor, number=theirs.number)
    services.entry_link_case(entry_id=entry.pk, actor=supervisor, number=ours.number)
    client.force_login(handler)
    page = client.get(reverse("screening:entry", kwargs={"entry_id": entry.pk})).content.decode()
    assert ours.number in page and theirs.number not in page
    client.force_login(supervisor)
    page = client.get(reverse("screening:entry", kwargs={"entry_id": entry.pk})).content.decode()
    assert ours.number in page and theirs.number in page


def test_another_department_s_entry_is_not_found(client, supervisor, other_handler, department):
    entry = services.entry_create(actor=supervisor, data=entry_data(department))
    client.force_login(other_handler)
    for name in ("screening:entry",):
        assert client.get(reverse(name, kwargs={"entry_id": entry.pk})).status_code == 404
    response = client.post(
        reverse("screening:entry_step", kwargs={"entry_id": entry.pk}), {"action": "start", "version": 1}
    )
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.status == Status.FOUND


def test_a_deadline_before_the_finding_is_refused_in_chinese_and_nothing_is_saved(client, supervisor, department):
    client.force_login(supervisor)
    data = entry_data(department)
    form = {
        "found_on": data.found_on.isoformat(),
        "region": data.region.pk,
        "kind": data.kind.pk,
        "title": data.title,
        "risk": "high",
        "department": department.pk,
        "deadline": (data.found_on - timedelta(days=3)).isoformat(),
    }
    response = client.post(reverse("screening:entry_create"), form)
    assert response.status_code == 200
    assert Entry.objects.count() == 0
    with translation.override("zh-hans"):
        expected = str(translation.gettext("Please correct the errors below; nothing was saved."))
    assert expected in response.content.decode()
    assert response.context["form"].errors["deadline"]
    form["deadline"] = (data.found_on + timedelta(days=3)).isoformat()
    response = client.post(reverse("screening:entry_create"), form)
    assert response.status_code == 302 and Entry.objects.count() == 1


def test_a_step_with_junk_is_refused_with_a_message(client, supervisor, department):
    entry = services.entry_create(actor=supervisor, data=entry_data(department))
    client.force_login(supervisor)
    url = reverse("screening:entry_step", kwargs={"entry_id": entry.pk})
    for junk in ({"action": "explode", "version": 1}, {"action": "start", "version": "x"}, {}):
        response = client.post(url, junk, follow=True)
        assert response.status_code == 200
        assert any(message.level_tag == "error" for message in response.context["messages"])
    entry.refresh_from_db()
    assert (entry.status, entry.version) == (Status.FOUND, 1)


def test_a_campaign_counts_its_entries_by_status_risk_and_kind(supervisor, handler, department):
    campaign = services.campaign_create(
        actor=supervisor,
        name="春节前大排查",
        starts_on=timezone.localdate() - timedelta(days=3),
        ends_on=timezone.localdate(),
    )
    first = services.entry_create(actor=supervisor, data=entry_data(department, campaign=campaign))
    services.entry_create(actor=supervisor, data=entry_data(department, campaign=campaign, risk="low"))
    services.entry_create(actor=supervisor, data=entry_data(department))  # not in the campaign
    services.entry_transition(entry_id=first.pk, actor=handler, action="start", version=1)
    entries = selectors.entry_list(supervisor, selectors.EntryFilters(campaign=campaign.pk), today=timezone.localdate())
    tally = selectors.entry_tally(entries)
    assert tally.total == 2
    assert [count for _label, count in tally.by_status] == [1, 1, 0, 0]
    assert [count for _label, count in tally.by_risk] == [1, 0, 1]
    assert tally.by_kind == [("欠薪", 2)]

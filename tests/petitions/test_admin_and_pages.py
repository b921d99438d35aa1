"""Admin for reference data and staff; reception days; the error pages."""

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from devdata.factories import reception_session, register_case
from petitions.models import CalendarOverride, Channel, Department, ReceptionSession, User

pytestmark = pytest.mark.django_db


def test_admin_manages_reference_data(client, admin_user):
    client.force_login(admin_user)
    for model in ("department", "category", "region", "user"):
        assert client.get(reverse(f"admin:petitions_{model}_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 200
    response = client.post(
        reverse("admin:petitions_department_add"), {"code": "XFJ", "name": "市信访局", "is_active": "on"}
    )
    assert response.status_code == 302
    assert Department.objects.filter(code="XFJ").exists()


def test_a_handler_without_a_department_is_refused_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    handler_group = Group.objects.get(name="handler")
    response = client.post(
        reverse("admin:petitions_user_add"),
        {
            "username": "newhandler",
            "full_name": "新承办人",
            "groups": [handler_group.pk],
            "password1": "a-long-Passphrase-2026",
            "password2": "a-long-Passphrase-2026",
        },
    )
    assert response.status_code == 200
    assert "department" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="newhandler").exists()
    response = client.post(
        reverse("admin:petitions_user_add"),
        {
            "username": "newhandler",
            "full_name": "新承办人",
            "groups": [handler_group.pk],
            "department": Department.objects.get(code="ZJJ").pk,
            "password1": "a-long-Passphrase-2026",
            "password2": "a-long-Passphrase-2026",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="newhandler").has_role("handler")


def test_admin_refuses_a_calendar_day_outside_the_records(client, admin_user):
    client.force_login(admin_user)
    for day in ("0001-01-01", "1999-12-31", "9999-12-31"):
        response = client.post(reverse("admin:petitions_calendaroverride_add"), {"date": day, "name": "x"})
        assert response.status_code == 200, day
        assert "date" in response.context["adminform"].form.errors, day
    assert not CalendarOverride.objects.exists()


def test_the_dates_the_system_records_about_staff_are_not_edited_in_the_admin(client, admin_user, clerk):
    client.force_login(admin_user)
    form = client.get(reverse("admin:petitions_user_change", args=[clerk.pk])).context["adminform"].form
    assert "last_login" not in form.fields and "date_joined" not in form.fields


def test_admin_forms_with_text_where_an_id_belongs_show_the_form_again(client, admin_user):
    client.force_login(admin_user)
    department = Department.objects.get(code="ZJJ")
    # The department's parent is chosen with an autocomplete widget, which looked the text up.
    response = client.post(
        reverse("admin:petitions_department_change", args=[department.pk]),
        {"code": department.code, "name": department.name, "parent": "信访", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    # A list action on ticked rows that are no ids: the list again, with a message.
    response = client.post(
        reverse("admin:petitions_department_changelist"),
        {"action": "delete_selected", "_selected_action": ["信访", "1"]},
    )
    assert response.status_code == 302
    assert Department.objects.filter(pk=department.pk).exists()


def test_a_reception_day_outside_the_window_is_refused(client, leader):
    client.force_login(leader)
    for day in ("0001-01-01", "1990-05-01", "9999-12-31"):
        response = client.post(reverse("reception_list"), {"leader": leader.pk, "date": day, "place": "接待大厅"})
        assert response.status_code == 200, day
        assert "date" in response.context["form"].errors, day
    assert not ReceptionSession.objects.exists()


def test_leader_plans_a_reception_day_and_a_clerk_registers_a_visit_for_it(client, leader, clerk):
    client.force_login(leader)
    today = timezone.localdate()
    response = client.post(
        reverse("reception_list"),
        {"leader": leader.pk, "date": today.isoformat(), "place": "一楼接待室", "topic": "征地拆迁"},
    )
    session = ReceptionSession.objects.get()
    assert response.url == reverse("reception_detail", args=[session.pk])
    duplicate = client.post(
        reverse("reception_list"), {"leader": leader.pk, "date": today.isoformat(), "place": "一楼接待室"}
    )
    assert duplicate.status_code == 200 and ReceptionSession.objects.count() == 1
    case = register_case(clerk=clerk, channel=Channel.VISIT, reception_session=session)
    client.force_login(clerk)
    page = client.get(reverse("reception_detail", args=[session.pk])).content.decode()
    assert case.number in page
    intake = client.get(reverse("case_create"), {"session": session.pk})
    assert intake.context["form"].initial["reception_session"] == str(session.pk)


def test_reception_days_are_not_for_department_staff(client, handler, leader):
    session = reception_session(leader=leader)
    client.force_login(handler)
    assert client.get(reverse("reception_list")).status_code == 403
    assert client.get(reverse("reception_detail", args=[session.pk])).status_code == 403


def test_clerks_may_not_plan_reception_days(client, clerk, leader):
    client.force_login(clerk)
    assert client.get(reverse("reception_list")).context["form"] is None
    response = client.post(reverse("reception_list"), {"leader": leader.pk, "date": "2026-12-01", "place": "x"})
    assert response.status_code == 403


def test_error_pages_are_the_portals(client, clerk, handler):
    client.force_login(handler)
    forbidden = client.get(reverse("case_queue"))
    assert forbidden.status_code == 403
    assert "无权访问" in forbidden.content.decode()
    missing = client.get("/cases/XF1999-000001/")
    assert missing.status_code == 404 and "<html" in missing.content.decode()


@override_settings(DEBUG=False)
def test_server_error_page_needs_nothing_that_could_fail_again(client):
    from petitions.web.views.error_pages import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "服务器错误" in response.content.decode() and "Server error" in response.content.decode()

"""What pages keep in the cache (petitions.caching): the session, the user, the choice lists, the unread
count. Each page then costs few queries; a change shows at once; no one sees another's copy; an
outage of Redis costs no page, and what changed during it is not served from an old copy afterwards."""

import time

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from config.cache import redis_caches
from devdata.factories import UserFactory, advance, register_case
from petitions.models import Category, Department, Notification, Role, State
from petitions.services.notifications import mark_read, notify

pytestmark = pytest.mark.django_db


def _sql(captured) -> str:
    return "\n".join(query["sql"] for query in captured.captured_queries)


def test_filtered_queue_costs_at_most_six_queries_and_reads_no_session_user_or_choices(
    client, supervisor, clerk, department, django_assert_max_num_queries
):
    for _ in range(3):
        advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
    client.force_login(supervisor)
    url = reverse("case_queue")
    params = {"state": State.ASSIGNED, "department": department.pk, "sort": "due"}
    client.get(url, params)  # the session's first request notes the permissions; the lists are read once
    with django_assert_max_num_queries(6) as captured:
        response = client.get(url, params)
    assert response.status_code == 200 and len(response.context["page"]) == 3
    sql = _sql(captured)
    for table in ("django_session", "petitions_user", "petitions_department", "petitions_notification"):
        assert f'FROM "{table}"' not in sql, table


def test_the_choice_lists_are_read_once_per_request(client, supervisor, django_assert_max_num_queries):
    client.force_login(supervisor)
    client.get(reverse("home"))
    cache.clear()  # nothing kept: the lists are read, once, though the form and the title both use them
    with django_assert_max_num_queries(12) as captured:
        assert client.get(reverse("case_queue"), {"department": "1"}).status_code == 200
    assert _sql(captured).count('FROM "petitions_department"') == 1


def test_case_page_query_count_is_pinned(client, supervisor, clerk, department, django_assert_max_num_queries):
    case = register_case(clerk=clerk)
    advance(case, "assigned", supervisor=supervisor, department=department)
    client.force_login(supervisor)
    url = reverse("case_detail", args=[case.number])
    client.get(url)
    # 10, and the supervision panel's (matters, documents, the triggers of its form) for a supervisor
    with django_assert_max_num_queries(13) as captured:
        assert client.get(url).status_code == 200
    assert "django_session" not in _sql(captured)


@pytest.mark.parametrize("role", ["supervisor", "leader", "clerk", "department_head", "handler"])
def test_each_start_page_costs_at_most_twelve_queries(request, client, role, django_assert_max_num_queries):
    user = request.getfixturevalue(role)
    client.force_login(user)
    client.get(reverse("home"))
    with django_assert_max_num_queries(12) as captured:
        assert client.get(reverse("home")).status_code == 200
    assert "django_session" not in _sql(captured)


def test_a_new_department_and_a_renamed_category_show_at_once(client, supervisor):
    client.force_login(supervisor)
    form = client.get(reverse("case_queue")).content.decode()
    assert "新设立的办公室" not in form
    Department.objects.create(code="NEW", name="新设立的办公室")
    category = Category.objects.filter(parent__isnull=False).first()
    category.name = "改过名的分类"
    category.save()
    form = client.get(reverse("case_queue")).content.decode()
    assert "新设立的办公室" in form and "改过名的分类" in form


def test_a_new_leader_shows_at_once_in_the_owner_filter(client, supervisor):
    client.force_login(supervisor)
    assert "新来的领导" not in client.get(reverse("case_queue")).content.decode()
    newcomer = UserFactory(full_name="新来的领导")
    newcomer.groups.add(Group.objects.get(name=Role.LEADER))
    assert "新来的领导" in client.get(reverse("case_queue")).content.decode()


def test_unread_counts_are_each_users_own_and_change_at_once(client, supervisor, leader):
    def unread(user) -> int:
        client.force_login(user)
        return client.get(reverse("home")).context["unread_count"]

    assert (unread(supervisor), unread(leader)) == (0, 0)
    notify(users=[supervisor], case=None, kind="collective_visit", params={"number": "XF2026-000001"})
    assert (unread(supervisor), unread(leader)) == (1, 0)
    notify(users=[supervisor, leader], case=None, kind="collective_visit", params={"number": "XF2026-000002"})
    assert (unread(supervisor), unread(leader)) == (2, 1)
    mark_read(user=supervisor)
    assert (unread(supervisor), unread(leader)) == (0, 1)
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_a_deactivated_user_is_signed_out_at_once(client, supervisor):
    client.force_login(supervisor)
    assert client.get(reverse("case_queue")).status_code == 200
    supervisor.is_active = False
    supervisor.save()
    response = client.get(reverse("case_queue"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_changed_password_ends_other_sessions_at_once(client, supervisor):
    client.force_login(supervisor)
    assert client.get(reverse("inbox")).status_code == 200
    supervisor.set_password("another-pass-2026")
    supervisor.save()
    assert client.get(reverse("inbox")).status_code == 302


def test_two_users_get_their_own_user_and_session(client, supervisor, clerk):
    from django.test import Client

    other = Client()
    client.force_login(supervisor)
    other.force_login(clerk)
    for _ in range(2):
        assert client.get(reverse("home")).context["user"] == supervisor
        assert other.get(reverse("home")).context["user"] == clerk


def test_pages_work_on_the_embedded_file_cache(client, supervisor, tmp_path, django_assert_max_num_queries):
    caches = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}}
    with override_settings(CACHES=caches):
        client.force_login(supervisor)
        for name in ("home", "case_queue", "inbox"):
            assert client.get(reverse(name)).status_code == 200, name
        with django_assert_max_num_queries(6) as captured:
            assert client.get(reverse("case_queue")).status_code == 200
        assert "django_session" not in _sql(captured)


@pytest.mark.django_db(transaction=True)
def test_a_logout_and_a_deactivation_during_a_redis_outage_hold_after_it(client, own_redis):
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    clerk = UserFactory(roles=[Role.CLERK])
    with override_settings(CACHES=redis_caches(own_redis.url)):
        from django.test import Client

        other = Client()
        client.force_login(supervisor)
        other.force_login(clerk)
        for browser in (client, other):
            assert browser.get(reverse("inbox")).status_code == 200  # session and user now in Redis
        stolen, clerk_session = client.cookies["sessionid"].value, other.cookies["sessionid"].value

        own_redis.stop()
        assert client.get(reverse("case_queue")).status_code == 200  # from the database
        client.logout()  # the session row goes; its copy in Redis could not be dropped
        clerk.is_active = False
        clerk.save()
        assert other.get(reverse("inbox")).status_code == 302
        response = client.post(reverse("login"), {"username": clerk.username, "password": "demo-pass-2026"})
        assert response.status_code == 200  # refused (inactive), and no 500 while Redis is away

        own_redis.start()  # with the old copies
        time.sleep(1.1)  # the cache leaves a failed server alone for a second
        client.cookies["sessionid"] = stolen
        assert client.get(reverse("case_queue")).status_code == 302  # the logged-out session stays out
        other.cookies["sessionid"] = clerk_session
        assert other.get(reverse("inbox")).status_code == 302  # the deactivated user stays out
        client.force_login(supervisor)
        assert client.get(reverse("case_queue")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_filtered_total_is_counted_once_until_a_case_changes(client, django_assert_max_num_queries):
    clerk = UserFactory(roles=[Role.CLERK])
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    for _ in range(2):
        register_case(clerk=clerk, summary="反映小区电梯长期故障。")
    client.force_login(supervisor)
    params = {"q": "电梯", "state": State.RECEIVED}
    assert client.get(reverse("case_queue"), params).context["counts"].total.value == 2
    with django_assert_max_num_queries(6) as captured:
        again = client.get(reverse("case_queue"), params)
    assert again.context["counts"].total.value == 2
    assert "COUNT(*)" not in _sql(captured)  # the total and the badges from the cache
    register_case(clerk=clerk, summary="反映电梯困人。")
    assert client.get(reverse("case_queue"), params).context["counts"].total.value == 3  # at once

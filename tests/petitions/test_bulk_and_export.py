"""Bulk actions on selected cases (partial failures reported case by case) and the CSV export."""

import csv
import io

import pytest
from django.urls import reverse

from devdata.factories import UserFactory, advance, register_case
from petitions.models import Case, CaseLog, Category, Department, Notification, Role, State
from petitions.services import lifecycle
from petitions.services.bulk_actions import Selected, cases_bulk_accept, cases_bulk_assign_handler

pytestmark = pytest.mark.django_db


def selection(*cases: Case) -> list[str]:
    return [f"{case.pk}:{case.version}" for case in cases]


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_bulk_accept_routes_each_case_and_reports_the_ones_refused(
    client, clerk, supervisor, department, department_head, django_capture_on_commit_callbacks
):
    ok1, ok2, voided, stale = (register_case(clerk=clerk) for _ in range(4))
    lifecycle.case_void(case_id=voided.pk, actor=supervisor, reason="重复登记。")
    shown_version = stale.version
    lifecycle.case_set_owner(case_id=stale.pk, actor=supervisor, leader=None)  # changed since the list was shown
    client.force_login(supervisor)
    queue = reverse("case_queue") + "?state=received"
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("case_bulk"),
            {
                "action": "accept",
                "department": department.pk,
                "note": "请依法办理。",
                "cases": [*selection(ok1, ok2, voided), f"{stale.pk}:{shown_version}"],
                "next": queue,
            },
            follow=True,
        )
    assert response.redirect_chain[-1][0] == queue
    for case in (ok1, ok2):
        case.refresh_from_db()
        assert case.state == State.ASSIGNED and case.department == department
        log = CaseLog.objects.get(case=case, action="accept")
        assert (log.actor, log.note) == (supervisor, "请依法办理。")
    # Each routed case told the department's head on its own.
    routed = Notification.objects.filter(kind="case_routed", recipient=department_head)
    assert sorted(routed.values_list("case_id", flat=True)) == sorted([ok1.pk, ok2.pk])
    stale.refresh_from_db()
    assert stale.state == State.RECEIVED and not CaseLog.objects.filter(case__in=[voided, stale], action="accept")
    shown = messages_of(response)
    assert any("2" in m for m in shown)
    assert any(m.startswith(voided.number) for m in shown)
    assert any(m.startswith(stale.number) for m in shown)


def test_bulk_accept_to_each_category_default_department(clerk, supervisor):
    demolition = Category.objects.get(code="010200")
    school = Category.objects.get(code="040100")
    first = register_case(clerk=clerk, category=demolition)
    second = register_case(clerk=clerk, category=school)
    results = cases_bulk_accept(actor=supervisor, selection=[Selected(first.pk), Selected(second.pk)], department=None)
    assert all(result.ok for result in results)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.department.code == "ZJJ" and second.department.code == "JYJ"


def test_bulk_accept_without_a_default_department_says_which(clerk, supervisor):
    other = Category.objects.get(code="990000")
    other.default_department = None
    other.save()
    case = register_case(clerk=clerk, category=other)
    [result] = cases_bulk_accept(actor=supervisor, selection=[Selected(case.pk)], department=None)
    assert not result.ok and other.name in result.message


def test_bulk_assign_handler_by_the_department_head(
    client, clerk, supervisor, department, department_head, handler, other_department
):
    mine = [advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department) for _ in "ab"]
    elsewhere = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=other_department)
    client.force_login(department_head)
    response = client.post(
        reverse("case_bulk"),
        {
            "action": "assign_handler",
            "handler": handler.pk,
            "cases": selection(*mine, elsewhere),
            "next": reverse("case_department"),
        },
        follow=True,
    )
    for case in mine:
        case.refresh_from_db()
        assert case.handler == handler
        assert CaseLog.objects.filter(case=case, action="assign_handler", actor=department_head).count() == 1
    elsewhere.refresh_from_db()
    assert elsewhere.handler is None
    # Another department's case is "not found", as its page would be: nothing about it is revealed.
    assert any("—" in m for m in messages_of(response))
    assert not any(elsewhere.number in m for m in messages_of(response))


def test_bulk_assign_refuses_a_handler_of_another_department(clerk, supervisor, department, department_head):
    case = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
    stranger = UserFactory(roles=[Role.HANDLER], department=Department.objects.get(code="NYJ"))
    [result] = cases_bulk_assign_handler(actor=department_head, selection=[Selected(case.pk)], handler=stranger)
    assert not result.ok and str(stranger) in result.message


def test_bulk_needs_the_right_role_and_a_readable_selection(client, clerk, handler, supervisor, department):
    case = register_case(clerk=clerk)
    client.force_login(clerk)
    assert client.post(reverse("case_bulk"), {"action": "accept", "cases": selection(case)}).status_code == 403
    client.force_login(handler)
    post = {"action": "assign_handler", "handler": handler.pk, "cases": selection(case)}
    assert client.post(reverse("case_bulk"), post).status_code == 403
    client.force_login(supervisor)
    assert client.post(reverse("case_bulk"), {"action": "explode"}).status_code == 403
    for bad in ([], ["abc"], ["1:x"]):
        response = client.post(
            reverse("case_bulk"),
            {"action": "accept", "department": department.pk, "cases": bad, "next": "https://evil.example/"},
            follow=True,
        )
        assert response.status_code == 200 and messages_of(response)
        assert response.redirect_chain[-1][0] == reverse("home")  # never to another site
    case.refresh_from_db()
    assert case.state == State.RECEIVED
    assert client.get(reverse("case_bulk")).status_code == 405


def test_queue_shows_the_bulk_form_only_to_those_who_may_use_it(client, supervisor, leader, department_head):
    register_case()
    client.force_login(supervisor)
    html = client.get(reverse("case_queue")).content.decode()
    assert 'id="bulk-form"' in html and 'name="cases"' in html
    client.force_login(leader)
    assert 'id="bulk-form"' not in client.get(reverse("case_queue")).content.decode()
    client.force_login(department_head)
    assert 'value="assign_handler"' in client.get(reverse("case_department")).content.decode()


# --- CSV export ---------------------------------------------------------------------------------------


def read_csv(response) -> tuple[bytes, list[list[str]]]:
    raw = b"".join(response.streaming_content)
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_export_is_utf8_with_bom_in_the_users_language_with_the_filters(client, clerk, supervisor):
    letter = register_case(clerk=clerk, channel="letter", summary="反映拖欠工资问题。")
    register_case(clerk=clerk, channel="phone")
    client.force_login(supervisor)
    response = client.get(reverse("case_queue_export"), {"channel": "letter"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="cases-queue-')
    raw, rows = read_csv(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    header, *body = rows
    assert header[:5] == ["事项编号", "状态", "信访形式", "接收时间", "期限"]
    assert len(body) == 1 and body[0][0] == letter.number
    row = dict(zip(header, body[0], strict=True))
    assert (row["信访形式"], row["状态"]) == ("来信", "已登记")
    assert row["反映问题概况"] == "反映拖欠工资问题。"
    assert "tracking" not in " ".join(header).lower() and letter.tracking_code not in raw.decode("utf-8-sig")


def test_export_header_in_english_for_an_english_user(client, supervisor):
    register_case()
    client.force_login(supervisor)
    client.post(reverse("set_language"), {"language": "en"})
    _raw, rows = read_csv(client.get(reverse("case_queue_export")))
    assert rows[0][:4] == ["Case number", "State", "Channel", "Received at"]


def test_export_neutralises_formulas(client, clerk, supervisor):
    register_case(clerk=clerk, summary='=HYPERLINK("http://x")反映问题', request="+1 要求")
    client.force_login(supervisor)
    _raw, rows = read_csv(client.get(reverse("case_queue_export")))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["反映问题概况"].startswith("'=") and row["诉求"].startswith("'+")


def test_export_is_scoped_like_the_list(client, clerk, supervisor, handler, department, other_department):
    ours = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
    theirs = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=other_department)
    client.force_login(handler)
    raw, rows = read_csv(client.get(reverse("case_department_export")))
    assert [row[0] for row in rows[1:]] == [ours.number]
    assert theirs.number not in raw.decode("utf-8-sig")
    assert client.get(reverse("case_queue_export")).status_code == 403


def test_export_with_invalid_filters_goes_back_to_the_list(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("case_queue_export"), {"received_from": "not-a-date"})
    assert response.status_code == 302 and response.url.startswith(reverse("case_queue"))


def test_export_reads_in_chunks_with_constant_queries(clerk, django_assert_max_num_queries):
    from petitions.selectors import queues

    for _ in range(5):
        register_case(clerk=clerk)
    with django_assert_max_num_queries(5):  # one cursor, however many rows
        rows = list(queues.export_cases(Case.objects.all(), chunk_size=2))
    assert len(rows) == 5 and all(row.category.name for row in rows)

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from devdata.factories import UserFactory, advance, petitioner_data, register_case
from petitions.models import IdentityAccess, LegalType, Purpose, Role
from petitions.services import lifecycle
from reports.documents import SPECS, available_documents, document_html, document_template
from reports.models import DocumentTemplate, Report
from reports.rendering import html_to_pdf
from reports.services import report_generate
from tests.reports.conftest import REPORT_DAY, WEEK
from tests.reports.pdf_tools import pdf_text

pytestmark = pytest.mark.django_db


def make_report(department=None, *, ready=True) -> Report:
    report = Report.objects.create(
        period_start=WEEK.start, period_end=WEEK.end, department=department, kind=Report.Kind.WEEKLY
    )
    if ready:
        report_generate(report_id=report.pk, today=REPORT_DAY)
        report.refresh_from_db()
    return report


def test_the_archive_shows_department_users_their_department_only(
    client, supervisor, leader, department_head, department, other_department
):
    office, own, other = (
        make_report(ready=False),
        make_report(department, ready=False),
        make_report(other_department, ready=False),
    )
    for user, expected in [
        (supervisor, {office, own, other}),
        (leader, {office, own, other}),
        (department_head, {own}),
    ]:
        client.force_login(user)
        response = client.get(reverse("reports:archive"))
        assert response.status_code == 200
        assert set(response.context["page"].object_list) == expected, user
        for report in {office, own, other} - expected:
            assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
            assert client.get(reverse("reports:csv", args=[report.pk, "summary"])).status_code == 404


@pytest.mark.parametrize("role", ["clerk", "handler", "other_handler"])
def test_staff_without_report_rights_are_refused(request, client, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("reports:archive")).status_code == 403


def test_only_those_who_may_request_see_the_form(client, supervisor, leader):
    client.force_login(leader)
    assert client.get(reverse("reports:archive")).context["form"] is None
    assert client.post(reverse("reports:archive"), {"start": "2026-11-09", "end": "2026-11-15"}).status_code == 403
    client.force_login(supervisor)
    assert client.get(reverse("reports:archive")).context["form"] is not None


def test_requesting_a_report_returns_at_once_to_a_page_that_polls_until_ready(
    client, supervisor, django_capture_on_commit_callbacks
):
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("reports:archive"), {"start": "2026-11-09", "end": "2026-11-15", "department": ""}
        )
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", args=[report.pk])
    assert len(callbacks) == 1 and report.status == Report.Status.PENDING
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page and "<progress" in page
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert fragment.templates[0].name == "reports/_report_status.html"
    report_generate(report_id=report.pk, today=REPORT_DAY)
    done = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in done and reverse("reports:pdf", args=[report.pk]) in done


@pytest.mark.parametrize(
    "data",
    [
        {"start": "2026-11-15", "end": "2026-11-09"},
        {"start": "not a date", "end": "2026-11-09"},
        {"start": "2099-01-01", "end": "2099-01-07"},
        {"start": "0001-01-01", "end": "0001-01-07"},
        {"start": "2026-11-09", "end": "2026-11-15", "department": "999999"},
        {},
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(client, supervisor, data):
    client.force_login(supervisor)
    response = client.post(reverse("reports:archive"), data)
    assert response.status_code == 422
    assert response.context["form"].errors
    assert not Report.objects.exists()


def test_a_ready_report_downloads_as_pdf_csv_and_previews_as_html(crafted_week, client, supervisor):
    report = make_report()
    client.force_login(supervisor)
    pdf = client.get(reverse("reports:pdf", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
    csv = client.get(reverse("reports:csv", args=[report.pk, "channel"]))
    assert csv["Content-Type"] == "text/csv; charset=utf-8" and csv.content.startswith(b"\xef\xbb\xbf")
    assert "attachment" in csv["Content-Disposition"]
    assert client.get(reverse("reports:csv", args=[report.pk, "nope"])).status_code == 404
    preview = client.get(reverse("reports:preview", args=[report.pk])).content.decode()
    assert "信访工作周报" in preview and "@page" in preview and "@media print" in preview
    assert crafted_week.cases["O"].number in preview


def test_a_report_not_yet_made_has_nothing_to_download(client, supervisor):
    report = make_report(ready=False)
    client.force_login(supervisor)
    for name in ("reports:pdf", "reports:preview"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 404


def test_regenerating_needs_the_right_and_starts_over(client, supervisor, leader):
    report = make_report()
    client.force_login(leader)
    client.post(reverse("reports:regenerate", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.READY and report.generation == 1
    client.force_login(supervisor)
    response = client.post(reverse("reports:regenerate", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.PENDING and report.generation == 2


# --- Case documents ---------------------------------------------------------------------------------


def test_the_case_page_links_the_documents_the_case_has(client, clerk, supervisor, department):
    case = register_case(clerk=clerk)
    client.force_login(supervisor)
    page = client.get(reverse("case_detail", args=[case.number])).content.decode()
    assert reverse("reports:case_document", args=[case.number, "registration"]) in page
    assert reverse("reports:case_document", args=[case.number, "receipt"]) in page
    assert reverse("reports:case_document", args=[case.number, "opinion"]) not in page
    assert client.get(reverse("reports:case_document", args=[case.number, "opinion"])).status_code == 404
    assert client.get(reverse("reports:case_document", args=[case.number, "nonsense"])).status_code == 404


def test_each_notice_reads_back_with_what_the_petitioner_is_told(client, clerk, supervisor, department, tmp_path):
    case = register_case(clerk=clerk)
    lifecycle.case_add_note(case_id=case.pk, actor=supervisor, note="内部意见：此人多次来访")
    advance(case, "assigned", supervisor=supervisor, department=department)
    lifecycle.case_extend(case_id=case.pk, actor=supervisor, days=15, reason="需要补充调查材料")
    case = advance(case, "handled", supervisor=supervisor)
    client.force_login(supervisor)

    def read(kind: str) -> str:
        response = client.get(reverse("reports:case_document", args=[case.number, kind]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", kind
        return "".join(pdf_text(response.content, tmp_path).split())

    name = case.case_petitioners.get(role="primary").petitioner.name
    receipt = read("receipt")
    assert case.tracking_code in receipt and name in receipt
    acceptance = read("acceptance")
    assert "受理告知书" in acceptance and department.name in acceptance
    extension = read("extension")
    assert "延长15日" in extension and "需要补充调查材料" in extension
    opinion = read("opinion")
    assert "处理意见书" in opinion and "经调查核实" in opinion and "第三十五条" in opinion
    for text in (receipt, acceptance, extension, opinion):
        assert "内部意见" not in text and supervisor.full_name not in text
        assert "第1页共1页" in text
    assert "信访事项登记表" in read("registration")


def test_the_opinion_is_issued_in_the_handling_departments_name(client, clerk, supervisor, department, tmp_path):
    case = advance(register_case(clerk=clerk), "handled", supervisor=supervisor, department=department)
    client.force_login(supervisor)
    pdf = client.get(reverse("reports:case_document", args=[case.number, "opinion"])).content
    lines = [line.strip() for line in pdf_text(pdf, tmp_path).splitlines() if line.strip()]
    office = "信访局"  # the portal's office name (OFFICE_NAME is empty in the tests)
    running_header, letterhead, signature = lines[0], lines[1], lines[-3]  # the last two: date, page number
    assert running_header.startswith(department.name) and letterhead == department.name, lines
    assert signature == department.name, lines
    # The office appears once: as the reviewer of the department's outcome (审核报结), with the day.
    text = "".join(lines)
    assert text.count(office) == 1, lines
    assert timezone.localtime(case.handled_at).date().isoformat() in text.split(office)[1], lines


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_registration_sheet_keeps_the_petitioner_table_readable(clerk, tmp_path, language):
    long_address = "示范省示范市东华区东华街道人民路幸福里小区18栋2单元1502室（靠近东华路与人民路交叉口）"
    names = ["王芳", "欧阳建国", "李", "司马相如", "张伟"]
    people = [petitioner_data(name=name, address=f"{long_address}{n}号") for n, name in enumerate(names)]
    case = register_case(clerk=clerk, petitioners=people, headcount=5)
    html = document_html(case=case, kind="registration", user=clerk, language=language)
    lines = pdf_text(html_to_pdf(html), tmp_path).splitlines()

    def on_one_line(*words: str) -> bool:
        return any(all(word in line for word in words) for line in lines)

    # Every header whole on one line (a two-word English header may not split either); the table's on one.
    headers = [unescape(header) for header in re.findall(r"<th[^>]*>([^<]+)</th>", html)]
    assert len(headers) >= 20
    assert [header for header in headers if not on_one_line(header)] == []
    table_headers = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    assert on_one_line(*re.findall(r"<th[^>]*>([^<]+)</th>", table_headers))
    # Short values whole too: each name, gender, ID number and phone on the line of its row.
    for person in case.case_petitioners.select_related("petitioner"):
        petitioner = person.petitioner
        with translation.override(language):
            gender = petitioner.get_gender_display()
        assert on_one_line(petitioner.name, gender, petitioner.id_number, petitioner.phone)
    if language == "zh-hans":
        assert on_one_line("主信访人", "王芳") and on_one_line("姓名", "性别")


def test_petitioner_documents_address_the_petitioner_as_ni_never_nin(client, clerk, supervisor, department, tmp_path):
    """One form of address, that of the official notices (你), in every document the petitioner gets."""
    handled = register_case(clerk=clerk)
    advance(handled, "assigned", supervisor=supervisor, department=department)
    lifecycle.case_extend(case_id=handled.pk, actor=supervisor, days=15, reason="需要补充调查材料")
    handled = advance(handled, "handled", supervisor=supervisor)
    refused = register_case(clerk=clerk)
    refused = lifecycle.case_refuse(case_id=refused.pk, actor=supervisor, reason="该事项已进入诉讼程序")
    client.force_login(supervisor)
    kinds = [kind for kind, spec in SPECS.items() if spec.for_petitioner]
    read = []
    for case in (handled, refused):
        for kind in available_documents(case):
            if kind in kinds:
                html = document_html(case=case, kind=kind, user=supervisor, language="zh-hans")
                read += [(kind, html), (f"{kind}.pdf", pdf_text(html_to_pdf(html), tmp_path))]
        page = client.get(reverse("case_receipt", args=[case.number])).content.decode()
        read.append(("receipt page", re.search(r'<article class="document receipt">.*?</article>', page, re.S).group()))
    assert {name for name, _ in read} >= {*kinds, *(f"{kind}.pdf" for kind in kinds), "receipt page"}
    assert [name for name, text in read if "您" in text] == []
    assert all("你" in text for name, text in read if "receipt" in name)


def test_non_acceptance_notice_gives_the_reason(client, clerk, supervisor, tmp_path):
    case = register_case(clerk=clerk)
    lifecycle.case_refuse(case_id=case.pk, actor=supervisor, reason="该事项已进入诉讼程序")
    client.force_login(supervisor)
    response = client.get(reverse("reports:case_document", args=[case.number, "non_acceptance"]))
    text = pdf_text(response.content, tmp_path)
    assert "不予受理告知书" in text and "该事项已进入诉讼程序" in text


def test_the_admin_edited_sender_contact_and_closing_are_printed(client, clerk, supervisor, tmp_path):
    DocumentTemplate.objects.update_or_create(
        kind="receipt",
        defaults={
            "office_name": "示范市信访局",
            "contact": "地址：示范市人民路1号 电话：12345",
            "closing_lines": "特此回执。",
        },
    )
    case = register_case(clerk=clerk)
    client.force_login(clerk)
    text = pdf_text(client.get(reverse("reports:case_document", args=[case.number, "receipt"])).content, tmp_path)
    assert "示范市信访局" in text and "人民路1号" in text and "特此回执。" in text


def test_documents_never_reveal_an_accuser_to_the_department_and_log_every_showing(
    client, clerk, supervisor, department, tmp_path
):
    case = register_case(clerk=clerk, purpose=Purpose.DISCLOSURE, legal_type=LegalType.ACCUSATION)
    advance(case, "assigned", supervisor=supervisor, department=department)
    person = case.case_petitioners.get(role="primary").petitioner
    handler = UserFactory(roles=[Role.HANDLER], department=department)
    client.force_login(handler)
    sheet = pdf_text(client.get(reverse("reports:case_document", args=[case.number, "registration"])).content, tmp_path)
    assert person.name not in sheet and person.id_number not in sheet and "身份信息已隐去" in sheet
    assert not IdentityAccess.objects.filter(user=handler).exists()
    client.force_login(supervisor)
    sheet = pdf_text(client.get(reverse("reports:case_document", args=[case.number, "registration"])).content, tmp_path)
    assert person.name in sheet and person.id_number in sheet
    assert IdentityAccess.objects.filter(user=supervisor, case=case, petitioner=person).count() == 1


def test_documents_of_a_case_the_user_may_not_see_are_not_found(client, clerk, supervisor, other_handler, department):
    case = register_case(clerk=clerk)
    advance(case, "assigned", supervisor=supervisor, department=department)
    client.force_login(other_handler)
    assert client.get(reverse("reports:case_document", args=[case.number, "receipt"])).status_code == 404


@pytest.mark.parametrize(
    ("role", "shown"),
    [("clerk", False), ("handler", False), ("supervisor", True), ("leader", True), ("department_head", True)],
)
def test_the_reports_entry_is_in_the_header_of_those_who_may_see_reports(request, client, role, shown):
    client.force_login(request.getfixturevalue(role))
    keys = {item.key for item in client.get(reverse("home")).context["nav_items"]}
    assert ("reports" in keys) is shown


def test_admins_edit_document_templates_and_see_reports_read_only(client, admin_user):
    make_report(ready=False)
    client.force_login(admin_user)
    template = document_template("acceptance")  # made by migration 0002; a flush in the test run removes it
    assert client.get(reverse("admin:reports_report_changelist")).status_code == 200
    assert client.get(reverse("admin:reports_documenttemplate_changelist")).status_code == 200
    response = client.post(
        reverse("admin:reports_documenttemplate_change", args=[template.pk]),
        {"office_name": "示范市信访局", "contact": "电话：12345", "closing_lines": "特此告知。"},
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.office_name == "示范市信访局" and template.kind == "acceptance"
    # The opinion is issued by the handling department: no sender to choose.
    opinion = document_template("opinion")
    form = client.get(reverse("admin:reports_documenttemplate_change", args=[opinion.pk])).context["adminform"].form
    assert "office_name" not in form.fields and "contact" in form.fields
    assert client.get(reverse("admin:reports_report_add")).status_code == 403

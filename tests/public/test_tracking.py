"""The petitioner's tracking pages: look-up, lock, progress, documents, material, evaluation, review."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from devdata.factories import UserFactory, advance, petitioner_data, register_case
from petitions.models import CaseLog, Channel, Department, Evaluation, Notification, Role, Satisfaction, State
from petitions.services import lifecycle
from public.lookup import MAX_WRONG_FACTORS
from public.models import TrackingLock
from reports.selectors import Period, satisfaction_table
from tests.reports.pdf_tools import pdf_text
from tests.samples import PNG

PHONE = "13912345678"


@pytest.fixture
def person():
    return petitioner_data(phone=PHONE, name="李秀英")


@pytest.fixture
def case(db, clerk, person):
    return register_case(clerk=clerk, channel=Channel.ONLINE, petitioners=[person])


def look_up(client, code: str, factor: str):
    return client.post(reverse("public:track"), {"code": code, "factor": factor})


def dashed(code: str) -> str:
    return f" {code[:4].lower()}-{code[4:8]} {code[8:].lower()} "


def opened(client, case, factor: str = PHONE[-4:]):
    response = look_up(client, case.tracking_code, factor)
    assert response.status_code == 302
    return client.get(response["Location"])


def error_of(response) -> str:
    html = response.content.decode()
    start = html.index('id="lookup-error"')
    return html[start : html.index("</p>", start)]


def test_right_pair_shows_the_case_and_nothing_of_the_person(client, case, person):
    response = look_up(client, dashed(case.tracking_code), PHONE[-4:])
    assert response.status_code == 302
    assert response["Location"] == reverse("public:track_case", args=[case.tracking_code])
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and case.number in html
    assert page["Cache-Control"] == "private, no-store"
    assert "Content-Security-Policy" in page
    for secret in (person.name, PHONE, person.id_number, person.address, case.registered_by.username):
        assert secret not in html
    assert "····" + PHONE[-4:] in html


def test_the_last_four_of_the_id_number_open_the_case_too(client, case, person):
    response = look_up(client, case.tracking_code, person.id_number[-4:].lower())
    assert response.status_code == 302


def test_the_case_page_needs_the_session(client, case):
    response = client.get(reverse("public:track_case", args=[case.tracking_code]))
    assert response.status_code == 404 and 'name="factor"' in response.content.decode()
    assert case.number not in response.content.decode()


def test_another_cases_code_with_this_cases_factor_fails(client, clerk, case):
    other = register_case(clerk=clerk, petitioners=[petitioner_data(phone="13800001111")])
    response = look_up(client, other.tracking_code, PHONE[-4:])
    assert response.status_code == 200
    # and this case's session does not open the other case's page
    opened(client, case)
    assert client.get(reverse("public:track_case", args=[other.tracking_code])).status_code == 404


def test_six_wrong_factors_lock_the_code_even_for_the_right_one(client, case):
    answers = [error_of(look_up(client, case.tracking_code, "0000")) for _ in range(MAX_WRONG_FACTORS)]
    assert len(set(answers)) == 1
    locked = error_of(look_up(client, case.tracking_code, "0000"))
    assert locked != answers[0]
    assert error_of(look_up(client, case.tracking_code, PHONE[-4:])) == locked
    assert TrackingLock.objects.get().locked_until > timezone.now()
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert look_up(client, case.tracking_code, PHONE[-4:]).status_code == 302


def test_the_office_lifts_a_lock_from_the_case_page_and_a_department_cannot(client, clerk, supervisor, handler, case):
    staff = Client()
    for _attempt in range(MAX_WRONG_FACTORS + 1):
        look_up(client, case.tracking_code, "0000")
    case = advance(case, "assigned", supervisor=supervisor, department=handler.department)
    lift = reverse("tracking_unlock", kwargs={"number": case.number})
    # The department sees the case, not the lock, and cannot lift it.
    staff.force_login(handler)
    assert "tracking-lock" not in staff.get(reverse("case_detail", kwargs={"number": case.number})).content.decode()
    staff.post(lift)
    assert TrackingLock.objects.get().locked_until > timezone.now()
    # The clerk who registered it does: the notice on the case page, the button, the log.
    staff.force_login(clerk)
    with translation.override("zh-hans"):
        page = staff.get(reverse("case_detail", kwargs={"number": case.number})).content.decode()
        assert "查询已锁定" in page and lift in page
        response = staff.post(lift, follow=True)
    assert "已解除" in response.content.decode()
    assert not TrackingLock.objects.exists()
    entry = CaseLog.objects.get(case=case, action="tracking_unlocked")
    assert entry.actor == clerk and case.tracking_code not in str(entry.data)
    assert look_up(client, case.tracking_code, PHONE[-4:]).status_code == 302
    # Nothing to lift any more: said so, nothing logged.
    staff.post(lift)
    assert CaseLog.objects.filter(case=case, action="tracking_unlocked").count() == 1


def test_a_code_that_does_not_exist_answers_like_a_wrong_factor_and_locks_alike(client, case):
    wrong = [error_of(look_up(client, case.tracking_code, "0000")) for _ in range(MAX_WRONG_FACTORS + 1)]
    missing = [error_of(look_up(client, "ZZZZ-ZZZZ-ZZZZ", "0000")) for _ in range(MAX_WRONG_FACTORS + 1)]
    assert wrong == missing


def test_wrong_pairs_are_limited_per_address(client, clerk):
    codes = [f"AAAA{n:08d}" for n in range(31)]
    answers = [look_up(client, code, "1234").status_code for code in codes]
    assert answers[:30] == [200] * 30 and answers[30] == 429


def test_only_petitioner_facing_documents_of_the_case_in_the_session(client, clerk, supervisor, case, tmp_path):
    advance(case, "assigned", supervisor=supervisor)
    html = opened(client, case).content.decode()
    url = reverse("public:track_document", args=[case.tracking_code, "acceptance"])
    assert url in html
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path).replace(" ", "")
    assert "受理告知书" in text and case.number in text and "李秀英" not in text
    assert client.get(reverse("public:track_document", args=[case.tracking_code, "registration"])).status_code == 404
    assert client.get(reverse("public:track_document", args=[case.tracking_code, "opinion"])).status_code == 404
    other = register_case(clerk=clerk)
    advance(other, "assigned", supervisor=supervisor)
    assert client.get(reverse("public:track_document", args=[other.tracking_code, "acceptance"])).status_code == 404


def test_material_is_logged_and_the_handler_told(client, supervisor, case):
    handler = UserFactory(roles=[Role.HANDLER], department=Department.objects.get(code="ZJJ"))
    advance(case, "assigned", supervisor=supervisor, department=handler.department)
    lifecycle.case_take(case_id=case.pk, actor=handler)
    opened(client, case)
    upload = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    response = client.post(
        reverse("public:track_material", args=[case.tracking_code]), {"message": "补充现场照片。", "files": [upload]}
    )
    assert response.status_code == 302
    entry = case.log.get(action=CaseLog.Action.PETITIONER_MATERIAL)
    assert entry.note == "补充现场照片。" and entry.data["by"] == "petitioner" and len(entry.data["attachments"]) == 1
    assert case.attachments.get().original_name == "photo.png"
    assert Notification.objects.filter(recipient=handler, case=case, kind="petitioner_material").exists()


def test_material_of_a_disguised_file_is_refused(client, case):
    opened(client, case)
    upload = SimpleUploadedFile("letter.pdf", PNG, content_type="application/pdf")
    response = client.post(reverse("public:track_material", args=[case.tracking_code]), {"files": [upload]})
    assert response.status_code == 200 and not case.attachments.exists()


def test_evaluation_once_shown_to_staff_and_counted(client, supervisor, case):
    opened(client, case)
    evaluate = reverse("public:track_evaluate", args=[case.tracking_code])
    client.post(evaluate, {"level": Satisfaction.SATISFIED})
    assert not Evaluation.objects.exists()  # nothing to evaluate before the answer is delivered
    advance(case, "delivered", supervisor=supervisor)
    assert client.post(evaluate, {"level": Satisfaction.DISSATISFIED, "comment": "太慢"}).status_code == 302
    assert client.post(evaluate, {"level": Satisfaction.SATISFIED}).status_code == 200
    evaluation = Evaluation.objects.get()
    assert (evaluation.level, evaluation.source, evaluation.entered_by) == ("dissatisfied", "online", None)
    client.force_login(supervisor)
    staff_page = client.get(reverse("case_detail", args=[case.number])).content.decode()
    assert "太慢" in staff_page
    advance(case, "closed", supervisor=supervisor)
    today = timezone.localdate()
    counts = {row["key"]: row["count"] for row in satisfaction_table(Period(today, today), None)}
    assert counts == {"satisfied": 0, "fairly": 0, "dissatisfied": 1, "": 0}


def test_staff_follow_up_writes_an_evaluation_counted_over_the_petitioners(client, supervisor, case):
    advance(case, "closed", supervisor=supervisor)
    lifecycle.case_record_follow_up(
        case_id=case.pk, actor=supervisor, satisfaction=Satisfaction.FAIRLY, note="电话回访", source="visit"
    )
    evaluation = Evaluation.objects.get()
    assert (evaluation.level, evaluation.source, evaluation.entered_by) == ("fairly", "visit", supervisor)
    today = timezone.localdate()
    counts = {row["key"]: row["count"] for row in satisfaction_table(Period(today, today), None)}
    assert counts["fairly"] == 1


def test_review_request_inside_the_window(client, supervisor, case):
    advance(case, "delivered", supervisor=supervisor)
    opened(client, case)
    review = reverse("public:track_review", args=[case.tracking_code])
    assert client.post(review, {"reason": ""}).status_code == 200
    assert client.post(review, {"reason": "处理意见与事实不符。"}).status_code == 302
    case.refresh_from_db()
    assert case.state == State.ASSIGNED and case.in_review
    entry = case.log.get(action=CaseLog.Action.REOPEN_FOR_REVIEW)
    assert entry.data["by"] == "petitioner" and entry.note == "处理意见与事实不符。"


def test_review_request_outside_the_window_says_why_not(client, supervisor, case):
    case = advance(case, "delivered", supervisor=supervisor)
    with time_machine.travel(timezone.now() + timedelta(days=45)):
        opened(client, case)
        review = reverse("public:track_review", args=[case.tracking_code])
        page = client.get(review).content.decode()
        assert 'id="review-refusal"' in page
        assert str(lifecycle.review_window_error(case, timezone.localdate())) in page
        assert client.post(review, {"reason": "不服"}).status_code == 200
    case.refresh_from_db()
    assert case.state == State.HANDLED


def test_material_before_routing_tells_the_office(client, supervisor, case):
    opened(client, case)
    response = client.post(reverse("public:track_material", args=[case.tracking_code]), {"message": "补充说明。"})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=supervisor, case=case, kind="petitioner_material").exists()


def test_no_material_on_a_closed_case(client, supervisor, case):
    advance(case, "closed", supervisor=supervisor)
    opened(client, case)
    response = client.post(reverse("public:track_material", args=[case.tracking_code]), {"message": "补充说明。"})
    assert response.status_code == 200
    assert not case.log.filter(action=CaseLog.Action.PETITIONER_MATERIAL).exists()


def test_the_progress_page_shows_no_internal_note_or_staff_name(client, supervisor, case):
    handler = UserFactory(roles=[Role.HANDLER], department=Department.objects.get(code="ZJJ"))
    advance(case, "handled", supervisor=supervisor, department=handler.department, handler=handler)
    lifecycle.case_add_note(case_id=case.pk, actor=supervisor, note="内部意见：暂缓答复")
    html = opened(client, case).content.decode()
    assert handler.department.name in html
    for secret in ("内部意见", str(handler), str(supervisor), handler.username, supervisor.username):
        assert secret not in html

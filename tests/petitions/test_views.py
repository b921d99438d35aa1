"""The pages of a case: intake, the case page, its actions, identity, attachments, receipt."""

import io
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from devdata.factories import advance, petitioner_data, register_case, valid_id_number
from petitions.models import (
    Attachment,
    Case,
    CaseLog,
    Channel,
    IdentityAccess,
    LegalType,
    Petitioner,
    State,
)
from petitions.services import lifecycle
from petitions.services.attachments import attachment_add, files_removed_on_failure
from tests.intake import intake_post, offered_people
from tests.samples import PDF, PNG

pytestmark = pytest.mark.django_db


def test_clerk_registers_a_visit_and_lands_on_the_case_page(client, clerk):
    client.force_login(clerk)
    response = client.post(reverse("case_create"), intake_post())
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("case_detail", args=[case.number])
    page = client.get(response.url).content.decode()
    assert case.number in page and case.tracking_code in page
    assert "王*" in page and "王小明" not in page  # masked until asked for
    assert case.case_petitioners.get().petitioner.phone == "13800138000"


def test_intake_errors_are_shown_beside_the_field_and_nothing_is_saved(client, clerk):
    client.force_login(clerk)
    data = intake_post(**{"person-0-id_number": "110105194912310021", "headcount": "0"})
    response = client.post(reverse("case_create"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_person-0-id_number_error"' in html
    assert 'aria-invalid="true"' in html
    assert "身份证号码" in html or "身份" in html  # the message is in the user's language
    assert not Case.objects.exists() and not Petitioner.objects.exists()


def test_intake_error_in_english_for_an_english_user(client, clerk):
    client.force_login(clerk)
    client.post(reverse("set_language"), {"language": "en"})
    response = client.post(reverse("case_create"), intake_post(**{"person-0-id_number": "110105194912310021"}))
    assert "does not match the others" in response.content.decode()


def test_intake_refuses_a_future_time_and_too_small_a_headcount(client, clerk):
    client.force_login(clerk)
    future = (timezone.localtime() + timezone.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    data = intake_post(received_at=future, headcount="1", **{"person-1-name": "李四"})
    response = client.post(reverse("case_create"), data)
    form = response.context["form"]
    assert "received_at" in form.errors and "headcount" in form.errors
    assert not Case.objects.exists()


@pytest.mark.parametrize("received_at", ["0001-01-01T00:00", "1900-01-01T09:00", "1990-06-01T09:00"])
def test_intake_refuses_a_received_time_decades_back_beside_the_field(client, clerk, received_at):
    client.force_login(clerk)
    response = client.post(reverse("case_create"), intake_post(received_at=received_at))
    assert response.status_code == 422
    assert "不能早于" in str(response.context["form"].errors["received_at"])
    assert not Case.objects.exists() and not Petitioner.objects.exists()


def test_html_in_text_fields_is_shown_as_text(client, clerk):
    client.force_login(clerk)
    client.post(reverse("case_create"), intake_post(summary="<script>alert('x')</script>反映问题"))
    case = Case.objects.get()
    html = client.get(reverse("case_detail", args=[case.number])).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_repeat_recognition_lists_earlier_cases_and_links_the_new_one(client, clerk):
    id_number = valid_id_number()
    earlier = register_case(clerk=clerk, petitioners=[petitioner_data(id_number=id_number, name="赵大")])
    client.force_login(clerk)
    panel = client.get(reverse("case_repeat_lookup"), {"person-0-id_number": id_number}, HTTP_HX_REQUEST="true")
    html = panel.content.decode()
    assert earlier.number in html and "赵*" in html and "赵大" not in html
    person = Petitioner.objects.get(id_number=id_number)
    data = intake_post(
        **{
            "person-0-name": "赵大",
            "person-0-gender": person.gender,
            "person-0-address": person.address,
            "person-0-phone": person.phone,
            "person-0-id_number": id_number,
            "person-0-known_person": offered_people(html)[0],
            "repeat_of": earlier.pk,
        }
    )
    response = client.post(reverse("case_create"), data)
    assert response.status_code == 302
    new = Case.objects.exclude(pk=earlier.pk).get()
    assert new.is_repeat and new.repeat_of == earlier
    assert new.case_petitioners.get().petitioner == person


def test_repeat_lookup_by_phone_and_a_first_visit(client, clerk):
    client.force_login(clerk)
    register_case(clerk=clerk, petitioners=[petitioner_data(phone="13912345678")])
    found = client.get(reverse("case_repeat_lookup"), {"person-0-phone": "139 1234 5678"}).content.decode()
    assert "139****5678" in found
    first = client.get(reverse("case_repeat_lookup"), {"person-0-phone": "13700000000"}).content.decode()
    assert "first visit" in first or "初次信访" in first


def test_case_page_offers_the_actions_the_viewer_may_take(client, clerk, supervisor, handler):
    case = register_case(clerk=clerk)
    client.force_login(supervisor)
    actions = {action.name for action, _ in client.get(reverse("case_detail", args=[case.number])).context["actions"]}
    assert {"accept", "refuse", "void"} <= actions and "handle" not in actions
    client.force_login(clerk)
    actions = {action.name for action, _ in client.get(reverse("case_detail", args=[case.number])).context["actions"]}
    assert "accept" not in actions


def test_action_through_the_page_and_a_stale_form(client, clerk, supervisor, department):
    case = register_case(clerk=clerk)
    client.force_login(supervisor)
    url = reverse("case_action", args=[case.number, "accept"])
    post = {"accept-department": department.pk, "accept-note": "", "accept-version": case.version}
    assert client.post(url, post).status_code == 302
    case.refresh_from_db()
    assert case.state == State.ASSIGNED
    # The same form sent again (a second tab, a double click): refused with a clear message.
    response = client.post(url, post, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("刚刚" in m or "a moment ago" in m or "不能" in m for m in messages), messages
    assert CaseLog.objects.filter(case=case, action="accept").count() == 1


def test_invalid_action_form_changes_nothing_and_says_why(client, clerk, supervisor):
    case = register_case(clerk=clerk)
    client.force_login(supervisor)
    response = client.post(
        reverse("case_action", args=[case.number, "refuse"]), {"refuse-reason": "", "refuse-version": case.version}
    )
    assert response.status_code == 422
    assert response.context["open_action"] == "refuse"
    case.refresh_from_db()
    assert case.state == State.RECEIVED


def test_unknown_action_is_404_and_an_action_not_allowed_is_refused(client, clerk, handler):
    case = register_case(clerk=clerk)
    client.force_login(clerk)
    assert client.post(reverse("case_action", args=[case.number, "explode"])).status_code == 404
    response = client.post(
        reverse("case_action", args=[case.number, "accept"]),
        {"accept-department": handler.department.pk, "accept-version": case.version},
        follow=True,
    )
    case.refresh_from_db()
    assert case.state == State.RECEIVED
    assert response.context["messages"]


def _action_buttons(client, case) -> dict[str, str]:
    response = client.get(reverse("case_detail", args=[case.number]))
    return {action.name: str(action.label) for action, _ in response.context["actions"]}


def _post_reason_action(client, case, action: str, reason: str):
    return client.post(
        reverse("case_action", args=[case.number, action]),
        {f"{action}-reason": reason, f"{action}-version": case.version},
        follow=True,
    )


def test_handler_who_returns_a_case_lands_on_the_department_list(client, clerk, supervisor, handler, department):
    case = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
    client.force_login(handler)
    response = _post_reason_action(client, case, "return", "不属于本单位职责")
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("case_department"), 302)]
    assert [str(m) for m in response.context["messages"]] == ["信访事项已退回信访部门。"]
    case.refresh_from_db()
    assert case.state == State.RECEIVED


def test_supervisor_is_offered_withdrawal_and_the_department_its_return(client, clerk, supervisor, handler, department):
    case = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
    client.force_login(supervisor)
    offered = _action_buttons(client, case)
    assert offered.get("withdraw_routing") == "撤回交办" and "return" not in offered
    client.force_login(handler)
    offered = _action_buttons(client, case)
    assert offered.get("return") == "退回：非本单位职责" and "withdraw_routing" not in offered


def test_withdrawal_through_the_page_is_logged_as_such(client, clerk, supervisor, department):
    case = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
    client.force_login(supervisor)
    response = _post_reason_action(client, case, "withdraw_routing", "交办有误")
    assert response.redirect_chain == [(reverse("case_detail", args=[case.number]), 302)]
    html = response.content.decode()
    assert "信访部门撤回交办" in html and "交办有误" in html and "承办单位退回" not in html
    log = CaseLog.objects.filter(case=case).latest("at", "id")
    assert log.action == "withdraw_routing" and log.actor == supervisor


# --- identity --------------------------------------------------------------------------------------


def test_revealing_identity_is_logged(client, clerk):
    case = register_case(clerk=clerk, petitioners=[petitioner_data(name="钱多多")])
    client.force_login(clerk)
    response = client.post(reverse("case_identity", args=[case.number]), HTTP_HX_REQUEST="true")
    assert "钱多多" in response.content.decode()
    access = IdentityAccess.objects.get()
    assert (access.user, access.case) == (clerk, case)


def test_department_never_sees_who_accused_it(client, clerk, supervisor, handler, department):
    case = register_case(clerk=clerk, legal_type=LegalType.ACCUSATION, petitioners=[petitioner_data(name="孙举报")])
    advance(case, "assigned", supervisor=supervisor, department=department)
    client.force_login(handler)
    page = client.get(reverse("case_detail", args=[case.number]))
    html = page.content.decode()
    assert page.status_code == 200 and "孙举报" not in html
    assert not page.context["identity_allowed"]
    assert client.post(reverse("case_identity", args=[case.number])).status_code == 403
    assert not IdentityAccess.objects.exists()
    client.force_login(supervisor)
    assert "孙举报" in client.post(reverse("case_identity", args=[case.number])).content.decode()


def test_confidential_petitioner_is_withheld_from_departments(client, clerk, supervisor, handler, department):
    case = register_case(clerk=clerk, petitioners=[petitioner_data(name="周保密", confidential=True)])
    advance(case, "assigned", supervisor=supervisor, department=department)
    client.force_login(handler)
    assert client.post(reverse("case_identity", args=[case.number])).status_code == 403


def test_other_department_gets_404_for_the_case_and_its_files(client, clerk, supervisor, department, other_handler):
    case = register_case(clerk=clerk, attachments=[(SimpleUploadedFile("scan.png", PNG), "letter")])
    advance(case, "assigned", supervisor=supervisor, department=department)
    client.force_login(other_handler)
    attachment = Attachment.objects.get()
    for url in (
        reverse("case_detail", args=[case.number]),
        reverse("case_receipt", args=[case.number]),
        reverse("attachment_download", args=[attachment.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("case_identity", args=[case.number])).status_code == 404


# --- attachments --------------------------------------------------------------------------------------


def test_upload_and_download_with_checksum(client, clerk):
    import hashlib

    case = register_case(clerk=clerk)
    client.force_login(clerk)
    response = client.post(
        reverse("attachment_upload", args=[case.number]),
        {"kind": "document", "file": SimpleUploadedFile("决定书.pdf", PDF)},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    download = client.get(reverse("attachment_download", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert CaseLog.objects.filter(case=case, action="attach").exists()


def test_disguised_upload_is_refused(client, clerk):
    case = register_case(clerk=clerk)
    client.force_login(clerk)
    response = client.post(
        reverse("attachment_upload", args=[case.number]),
        {"kind": "document", "file": SimpleUploadedFile("report.pdf", PNG)},
        follow=True,
    )
    messages = " ".join(str(m) for m in response.context["messages"])
    assert "png" in messages
    executable = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    client.post(reverse("attachment_upload", args=[case.number]), {"kind": "document", "file": executable})
    assert not Attachment.objects.exists()


@override_settings(ATTACHMENT_MAX_BYTES=1000)
def test_oversized_upload_is_refused_with_the_limit(client, clerk):
    case = register_case(clerk=clerk)
    client.force_login(clerk)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 2000)
    response = client.post(
        reverse("attachment_upload", args=[case.number]), {"kind": "document", "file": big}, follow=True
    )
    messages = " ".join(str(m) for m in response.context["messages"])
    assert "1000" in messages or "1,000" in messages or "1000\xa0" in messages or "字节" in messages
    assert not Attachment.objects.exists()


def test_files_stored_by_a_failed_transaction_are_removed_with_its_rows(clerk):
    case = register_case(clerk=clerk)
    storage = Attachment._meta.get_field("file").storage
    names = []

    def store_then_fail() -> None:
        with files_removed_on_failure(), transaction.atomic():
            stored = attachment_add(case=case, upload=SimpleUploadedFile("a.pdf", PDF), kind="document", actor=clerk)
            names.append(stored.file.name)
            assert storage.exists(stored.file.name)
            raise RuntimeError("the transaction fails after the file was stored")

    with pytest.raises(RuntimeError, match="after the file was stored"):
        store_then_fail()
    assert names and not storage.exists(names[0])
    assert not Attachment.objects.exists()

    with files_removed_on_failure():
        kept = attachment_add(case=case, upload=SimpleUploadedFile("a.pdf", PDF), kind="document", actor=clerk)
    assert storage.exists(kept.file.name) and Attachment.objects.get() == kept


def _unique_pdf() -> bytes:
    """A PDF no earlier test run stored (files are named by their content)."""
    return PDF + f"% {uuid.uuid4()}\n".encode()


def _files_of(attachment) -> list[Path]:
    """The files on disk holding this attachment's content."""
    storage = Attachment._meta.get_field("file").storage
    return sorted(Path(storage.location).rglob(f"{attachment.sha256}*"))


def test_the_same_content_is_stored_once_and_both_attachments_download_it(postgres_only, client, clerk):
    content = _unique_pdf()
    first_case, second_case = register_case(clerk=clerk), register_case(clerk=clerk)
    client.force_login(clerk)
    for case, name in ((first_case, "决定书.pdf"), (second_case, "决定书（复印件）.pdf")):
        response = client.post(
            reverse("attachment_upload", args=[case.number]),
            {"kind": "document", "file": SimpleUploadedFile(name, content)},
        )
        assert response.status_code == 302
    first, second = Attachment.objects.order_by("id")
    assert (first.case, second.case) == (first_case, second_case)
    assert first.file.name == second.file.name and first.original_name != second.original_name
    assert len(_files_of(first)) == 1
    for attachment in (first, second):
        download = client.get(reverse("attachment_download", args=[attachment.pk]))
        assert b"".join(download.streaming_content) == content
        assert (
            attachment.original_name in download["Content-Disposition"]
            or "filename*" in download["Content-Disposition"]
        )


def test_a_failed_transaction_never_removes_a_file_a_committed_attachment_uses(postgres_only, client, clerk):
    content = _unique_pdf()
    case = register_case(clerk=clerk)
    with files_removed_on_failure():
        kept = attachment_add(case=case, upload=SimpleUploadedFile("a.pdf", content), kind="document", actor=clerk)

    def upload_again_then_fail() -> None:
        with files_removed_on_failure(), transaction.atomic():
            again = attachment_add(case=case, upload=SimpleUploadedFile("b.pdf", content), kind="document", actor=clerk)
            assert again.file.name == kept.file.name
            raise RuntimeError("the transaction fails after the second upload")

    with pytest.raises(RuntimeError, match="after the second upload"):
        upload_again_then_fail()

    assert Attachment.objects.get() == kept
    assert _files_of(kept) == [Path(kept.file.path)]
    client.force_login(clerk)
    download = client.get(reverse("attachment_download", args=[kept.pk]))
    assert b"".join(download.streaming_content) == content


def test_no_file_is_added_to_a_closed_case(client, clerk, supervisor):
    case = register_case(clerk=clerk)
    lifecycle.case_void(case_id=case.pk, actor=supervisor, reason="重复登记，作废。")
    client.force_login(clerk)
    response = client.post(
        reverse("attachment_upload", args=[case.number]),
        {"kind": "document", "file": SimpleUploadedFile("决定书.pdf", PDF)},
        follow=True,
    )
    assert "已办结的信访事项不能添加附件。" in " ".join(str(m) for m in response.context["messages"])
    assert not Attachment.objects.exists()


def test_letter_intake_with_a_scan(client, clerk):
    client.force_login(clerk)
    data = intake_post(
        channel=Channel.LETTER, letter_date=timezone.localdate().isoformat(), attachments=[io.BytesIO(PDF)]
    )
    data["attachments"] = SimpleUploadedFile("来信扫描.pdf", PDF)
    response = client.post(reverse("case_create"), data)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.kind == "letter" and attachment.original_name == "来信扫描.pdf"


def test_receipt_shows_tracking_code_and_no_internal_notes(client, clerk, supervisor):
    from petitions.services.lifecycle import case_add_note

    case = register_case(clerk=clerk)
    case_add_note(case_id=case.pk, actor=supervisor, note="内部意见：此人反复来访")
    client.force_login(clerk)
    html = client.get(reverse("case_receipt", args=[case.number])).content.decode()
    assert case.tracking_code in html and case.number in html
    assert "内部意见" not in html
    assert 'media="print"' in html


def test_receipt_names_the_petitioner_only_for_those_who_may_see_it(client, clerk, supervisor, handler, department):
    case = register_case(clerk=clerk, legal_type=LegalType.ACCUSATION, petitioners=[petitioner_data(name="吴检举")])
    advance(case, "assigned", supervisor=supervisor, department=department)
    client.force_login(handler)
    html = client.get(reverse("case_receipt", args=[case.number])).content.decode()
    assert "吴检举" not in html and "吴*" not in html  # the accused department sees not even the surname
    assert not IdentityAccess.objects.exists()
    client.force_login(clerk)
    assert "吴检举" in client.get(reverse("case_receipt", args=[case.number])).content.decode()
    assert IdentityAccess.objects.filter(user=clerk, case=case).count() == 1

"""The pages of supervision: the PDFs read back, scoping, counts and the forms' refusals."""

import csv
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from supervision.models import Document, DocumentKind, Matter, MatterAttachment, Trigger
from supervision.services import matter_reply
from tests.reports.pdf_tools import embedded_cjk_fonts, pdf_text
from tests.samples import PNG
from tests.supervision.conftest import PETITIONER

pytestmark = pytest.mark.django_db


def test_each_document_is_a_pdf_with_its_number_and_an_embedded_cjk_font(client, supervisor, chased, tmp_path):
    client.force_login(supervisor)
    documents = {document.kind: document for document in Document.objects.filter(case=chased)}
    assert set(documents) == {DocumentKind.URGE, DocumentKind.NOTICE, DocumentKind.CRITICISM}
    for kind, title in (("urge", "催办通知书"), ("notice", "督办单"), ("criticism", "通报")):
        document = documents[kind]
        response = client.get(reverse("supervision:document_pdf", args=[document.pk]))
        assert response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content, tmp_path)
        assert document.number in text and chased.number in text and title in text
        assert "2026-07-31" in text and PETITIONER not in text  # the deadline; no petitioner's name
        assert chased.department.name in text
        assert embedded_cjk_fonts(response.content, tmp_path)
    notice = pdf_text(client.get(reverse("supervision:document_pdf", args=[documents["notice"].pk])).content, tmp_path)
    assert "2026-08-14" in notice  # the reply date


def test_a_department_sees_its_own_matters_and_documents_only(client, chased, handler, other_handler):
    matter = Matter.objects.get(case=chased)
    document = Document.objects.filter(case=chased).first()
    client.force_login(other_handler)
    assert client.get(reverse("supervision:matter", args=[matter.pk])).status_code == 404
    assert client.get(reverse("supervision:document_pdf", args=[document.pk])).status_code == 404
    assert chased.number not in client.get(reverse("supervision:matters")).content.decode()
    assert chased.number not in client.get(reverse("supervision:documents")).content.decode()
    assert client.get(reverse("supervision:counts")).status_code == 403  # a handler: no counts
    client.force_login(handler)
    page = client.get(reverse("supervision:matters")).content.decode()
    assert chased.number in page and "2026-08-14" in page
    assert chased.number in client.get(reverse("supervision:documents")).content.decode()
    detail = client.get(reverse("supervision:matter", args=[matter.pk])).content.decode()
    assert PETITIONER not in detail and chased.summary not in detail


def test_counts_per_department_for_the_office_and_as_csv(client, chased, supervisor, department_head, department):
    client.force_login(supervisor)
    response = client.get(reverse("supervision:counts"), {"start": "2026-08-01", "end": "2026-08-31", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    # Department, 催办, 督办单, 通报, matters opened, replies late now, recommendations, adopted.
    assert rows[1:] == [[department.name, "1", "1", "1", "1", "1", "0", "0"]]
    july = client.get(reverse("supervision:counts"), {"start": "2026-07-01", "end": "2026-07-31"})
    assert july.context["rows"] == []
    client.force_login(department_head)
    assert [row.department_id for row in client.get(reverse("supervision:counts")).context["rows"]] in (
        [],
        [department.pk],
    )


def test_a_supervisor_opens_a_matter_from_the_case_page_and_bad_input_changes_nothing(client, chased, supervisor):
    client.force_login(supervisor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the messages are matched in English
    page = client.get(reverse("case_detail", args=[chased.number])).content.decode()
    assert reverse("supervision:matter_open", args=[chased.number]) in page
    before = Matter.objects.count()
    response = client.post(
        reverse("supervision:matter_open", args=[chased.number]),
        {"supervision-trigger": "999999", "supervision-mode": "fax"},
        follow=True,
    )
    assert response.status_code == 200 and Matter.objects.count() == before
    assert any("nothing was saved" in str(message) for message in response.context["messages"])
    trigger = Trigger.objects.get(code="not_carried_out")
    response = client.post(
        reverse("supervision:matter_open", args=[chased.number]),
        {"supervision-trigger": trigger.pk, "supervision-mode": "on_site", "supervision-instructions": "实地督查"},
    )
    matter = Matter.objects.get(case=chased, trigger=trigger)
    assert response.status_code == 302 and response["Location"] == reverse("supervision:matter", args=[matter.pk])
    assert matter.mode == "on_site" and matter.supervisor == supervisor


def test_a_stale_reply_form_is_refused(client, chased, handler):
    matter = Matter.objects.get(case=chased)
    client.force_login(handler)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the message is matched in English
    response = client.post(
        reverse("supervision:matter", args=[matter.pk]),
        {"step": "reply", "text": "答复", "version": matter.version + 1},
        follow=True,
    )
    assert any("changed this a moment ago" in str(message) for message in response.context["messages"])
    assert Matter.objects.get(pk=matter.pk).reply_text == ""


def test_a_reply_file_downloads_as_its_checked_type_never_sniffed_and_only_where_the_matter_is_seen(
    client, chased, handler, other_handler
):
    matter = Matter.objects.get(case=chased)
    matter_reply(matter_id=matter.pk, actor=handler, text="已整改。", uploads=[SimpleUploadedFile("照片.png", PNG)])
    url = reverse("supervision:matter_attachment", args=[MatterAttachment.objects.get(matter=matter).pk])
    client.force_login(other_handler)
    assert client.get(url).status_code == 404
    client.force_login(handler)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff" and b"".join(response.streaming_content) == PNG

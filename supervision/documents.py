"""The PDFs of the ladder's supervision documents (催办通知书, 督办单, 通报), rendered like the case documents
(reports.rendering: WeasyPrint, embedded CJK font, page numbers). They name no petitioner: they go to the
department, which may be the one complained about."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from reports.rendering import css_string, html_to_pdf, office_name, page_counter_content
from supervision.models import Document, DocumentKind, Matter


def document_context(document: Document) -> dict:
    case = document.case
    title = str(DocumentKind(document.kind).label)
    matter = Matter.objects.filter(notice_number=document.number).only("reply_due").first()
    return {
        "document": document,
        "case": case,
        "title": title,
        "office_name": office_name(),
        "department": document.department.name if document.department_id else "",
        "days_overdue": max(0, (document.issued_on - document.deadline).days),
        "reply_due": document.reply_due or (matter.reply_due if matter else None),
        "header_left": css_string(office_name()),
        "header_right": css_string(f"{title} {document.number}"),
        "page_counter": page_counter_content(),
        # For the case documents' frame (reports/documents/_base.html): dated the day of issue, no closing.
        "today": document.issued_on,
        "closing_paragraphs": [],
        "contact": "",
    }


def document_html(document: Document, *, language: str | None = None) -> str:
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        return render_to_string("supervision/documents/document.html", document_context(document))


def document_pdf(document: Document, *, language: str | None = None) -> bytes:
    return html_to_pdf(document_html(document, language=language))

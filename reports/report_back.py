"""The report back (办结报告) on a case handed down from a higher authority: issued once, kept as sent.

The PDF is rendered here (the document is reports'), in the office's language, before petitions'
service takes the case's lock, records the file and the issue, and writes the case log; that log entry
is what tells the authority's integration (webhooks, `handed_down.report`).
"""

from django.conf import settings

from petitions import policies
from petitions.errors import ActionNotAllowed
from petitions.models import Case, HandedDown, User
from petitions.services.higher_authority import report_back_record
from reports.documents import document_pdf
from reports.models import DocumentKind


def report_back_issue(*, case: Case, actor: User, expected_version: int | None = None) -> HandedDown:
    decision = policies.may_issue_report_back(case, actor)
    if not decision:  # asked again under the lock by report_back_record; here to spare the rendering
        raise ActionNotAllowed(decision.reason)
    pdf = document_pdf(case=case, kind=DocumentKind.REPORT_BACK, user=actor, language=settings.LANGUAGE_CODE)
    return report_back_record(case_id=case.pk, actor=actor, pdf=pdf, expected_version=expected_version)


def report_back_panel_context(case: Case, user: User) -> dict | None:
    """The case page's panel: the button to issue it, and the issued PDF."""
    order = policies.handed_down_of(case)
    if order is None:
        return None
    may_issue = bool(policies.may_issue_report_back(case, user))
    if not may_issue and not order.report_issued_at:
        return None
    return {"order": order, "may_issue": may_issue}

"""The printable documents of a case (登记表, 回执, 受理告知书, 不予受理告知书, 延期告知书, 处理意见书).

Each is an HTML template rendered to PDF. The sender's name, the contact lines and the closing come
from the kind's DocumentTemplate, which an admin edits; the 处理意见书 is the handling department's,
so it carries that department's name as sender. The documents for the petitioner show what the
petitioner may know and nothing internal: no notes, no staff names, no timeline.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from petitions import policies
from petitions.clocks.deadlines import deadline_for
from petitions.extensions import CaseLink
from petitions.models import Case, CaseLog, Closure, IdentityAccess, User
from petitions.models.choices import Clock
from petitions.selectors.cases import identity_allowed, people_of_case, repeat_link_visible
from petitions.services.identity import identity_reveal
from reports.models import DocumentKind, DocumentTemplate
from reports.rendering import css_string, html_to_pdf, page_counter_content


@dataclass(frozen=True)
class DocumentSpec:
    kind: str
    available: Callable[[Case], bool]
    for_petitioner: bool = True
    # Issued in the handling department's name (letterhead and signature), not the office's.
    from_department: bool = False
    # Names the petitioners (where the reader may see them, and logged). The report back names none:
    # the authority knows the case by its reference, and identities leave the office only as needed.
    names_people: bool = True


SPECS: dict[str, DocumentSpec] = {
    spec.kind: spec
    for spec in [
        DocumentSpec(DocumentKind.REGISTRATION, lambda case: True, for_petitioner=False),
        DocumentSpec(DocumentKind.RECEIPT, lambda case: case.closure != Closure.VOID),
        DocumentSpec(
            DocumentKind.ACCEPTANCE,
            lambda case: (
                case.accepted_at is not None and case.department_id is not None and case.closure != Closure.VOID
            ),
        ),
        DocumentSpec(DocumentKind.NON_ACCEPTANCE, lambda case: case.closure == Closure.NOT_ACCEPTED),
        DocumentSpec(
            DocumentKind.EXTENSION,
            lambda case: case.extension_days > 0 and case.handling_due is not None and case.closure != Closure.VOID,
        ),
        DocumentSpec(
            DocumentKind.OPINION,
            # Issued once the office accepted the outcome (审核报结): handled_at is set then.
            lambda case: bool(case.outcome) and case.handled_at is not None and case.closure != Closure.VOID,
            from_department=True,
        ),
        DocumentSpec(
            DocumentKind.REPORT_BACK,
            lambda case: (
                policies.handed_down_of(case) is not None
                and (bool(case.outcome) or case.closure == Closure.NOT_ACCEPTED)
                and case.closure != Closure.VOID
            ),
            for_petitioner=False,
            names_people=False,
        ),
    ]
}


def available_documents(case: Case) -> list[str]:
    return [kind for kind, spec in SPECS.items() if spec.available(case)]


def petitioner_documents(case: Case) -> list[str]:
    """The documents issued to the petitioner that the case has now (never the internal 登记表)."""
    return [kind for kind in available_documents(case) if SPECS[kind].for_petitioner]


def document_template(kind: str) -> DocumentTemplate:
    template, _created = DocumentTemplate.objects.get_or_create(kind=kind)
    return template


def office_name(template: DocumentTemplate) -> str:
    return template.office_name or settings.OFFICE_NAME or _("Letters and Visits Office")


def document_sender(case: Case, kind: str, template: DocumentTemplate) -> str:
    """Who issues the document: the handling department for its opinion, otherwise the office."""
    if SPECS[kind].from_department and case.department_id is not None:
        return case.department.name
    return office_name(template)


def result_review(case: Case, template: DocumentTemplate) -> dict | None:
    """The office's review of the department's outcome (审核报结) as the opinion records it: the office
    and the day. Who reviewed it is on the case page and its log; a document the petitioner receives
    names no staff."""
    if case.handled_at is None:
        return None
    return {"office": office_name(template), "on": _local_date(case.handled_at)}


def _local_date(moment):
    return timezone.localtime(moment).date() if moment else None


def document_context(*, case: Case, kind: str, user: User | None) -> dict:
    """What the document shows. Full names only where the user may see them, and then logged.

    `user` None: the petitioner's own copy from the public site — only a kind issued to the
    petitioner, addressed "Dear petitioner" with no name, ID or phone (the public site prints no
    identity it was not given in the same request), and no link to other cases.
    """
    if user is None:
        if not SPECS[kind].for_petitioner:
            raise ValueError(f"{kind} is not issued to the petitioner")
        people = []
    elif not SPECS[kind].names_people:
        people = []
    elif identity_allowed(user, case):
        people = identity_reveal(user=user, case=case, purpose=IdentityAccess.Purpose.DOCUMENT, detail=kind)
    else:
        people = people_of_case(user, case)
    template = document_template(kind)
    office = document_sender(case, kind, template)
    assigned_on = _local_date(case.assigned_at)
    return {
        "case": case,
        "kind": kind,
        "title": str(DocumentKind(kind).label),
        "people": people,
        "addressee": people[0] if people and not people[0].withheld else None,
        "show_repeat_link": user is not None and repeat_link_visible(user, case),
        "office_name": office,
        "contact": template.contact,
        "closing_paragraphs": template.closing_paragraphs,
        "today": timezone.localdate(),
        "received_on": _local_date(case.received_at),
        "accepted_on": _local_date(case.accepted_at),
        "handling_due_first": deadline_for(Clock.HANDLING, assigned_on).due if assigned_on else None,
        "handled_on": _local_date(case.handled_at),
        "closed_on": _local_date(case.closed_at),
        "header_left": css_string(office),
        "header_right": css_string(f"{DocumentKind(kind).label} {case.number}"),
        "page_counter": page_counter_content(),
        **(report_back_context(case) if kind == DocumentKind.REPORT_BACK else {}),
        **({"result_review": result_review(case, template)} if kind == DocumentKind.OPINION else {}),
    }


# The steps of a case the report back lists (what happened and when; never notes, never staff names).
REPORTED_STEPS = (
    CaseLog.Action.REGISTER,
    CaseLog.Action.HANDED_DOWN,
    CaseLog.Action.ACCEPT,
    CaseLog.Action.REFUSE,
    CaseLog.Action.RETURN,
    CaseLog.Action.WITHDRAW_ROUTING,
    CaseLog.Action.EXTEND,
    CaseLog.Action.INTERIM_REPORT,
    CaseLog.Action.HANDLE,
    CaseLog.Action.DELIVER,
    CaseLog.Action.REOPEN_FOR_REVIEW,
    CaseLog.Action.CLOSE,
    CaseLog.Action.AUTO_CLOSE,
)


def report_back_context(case: Case) -> dict:
    """The report back (办结报告): the authority's order, the steps with their dates and departments,
    the interim reports, and the petitioners' evaluations (level, source, date; no comment, no name)."""
    steps = [
        {
            "on": _local_date(entry.at),
            "label": entry.action_label,
            "department": (entry.data or {}).get("department_name", ""),
        }
        for entry in case.log.filter(action__in=REPORTED_STEPS).only("action", "at", "data").order_by("at", "id")
    ]
    evaluations = [
        {
            "level": evaluation.get_level_display(),
            "source": evaluation.get_source_display(),
            "on": _local_date(evaluation.at),
        }
        for evaluation in case.evaluations.order_by("at", "id")
    ]
    order = policies.handed_down_of(case)
    return {
        "order": order,
        "steps": steps,
        "interim_reports": list(order.interim_reports.order_by("reported_on", "id")) if order else [],
        "evaluations": evaluations,
    }


def document_html(*, case: Case, kind: str, user: User | None, language: str | None = None) -> str:
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        context = document_context(case=case, kind=kind, user=user)
        return render_to_string(f"reports/documents/{kind}.html", context)


def document_pdf(*, case: Case, kind: str, user: User | None, language: str | None = None) -> bytes:
    """The PDF as `user` may see it; `user` None: the petitioner's copy (see document_context)."""
    return html_to_pdf(document_html(case=case, kind=kind, user=user, language=language))


def document_links(case: Case, user: User) -> list[CaseLink]:
    """The case page's links to the PDFs (registered in ReportsConfig.ready())."""
    from django.urls import reverse

    return [
        CaseLink(
            label=_("%(document)s (PDF)") % {"document": DocumentKind(kind).label},
            url=reverse("reports:case_document", args=[case.number, kind]),
        )
        for kind in available_documents(case)
    ]

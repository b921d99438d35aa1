"""Reads of joint handling, links and merges, scoped like the lists: a link or a merge never shows a
case the viewer cannot open."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from petitions.models import Case, CaseLink, CaseMerge, CasePart, User
from petitions.selectors.scopes import visible_cases


@dataclass(frozen=True)
class JointFacts:
    has_parts: bool
    has_links: bool
    has_merges: bool

    def __bool__(self) -> bool:
        return self.has_parts or self.has_links or self.has_merges


def joint_annotations() -> dict[str, Exists]:
    """Whether a case has parts, links or merges, as annotations: the case page reads them with the case."""
    return {
        "has_parts": Exists(CasePart.objects.filter(case=OuterRef("pk"), withdrawn_at__isnull=True)),
        "has_links": Exists(CaseLink.objects.filter(Q(case_a=OuterRef("pk")) | Q(case_b=OuterRef("pk")))),
        "has_merges": Exists(CaseMerge.objects.filter(Q(duplicate=OuterRef("pk")) | Q(main=OuterRef("pk")))),
    }


def joint_facts(case: Case) -> JointFacts:
    """Whether `case` has parts, links or merges at all, so that a case without any (nearly every case)
    costs its page nothing more: read with the case (`joint_annotations`), else in one query."""
    names = ("has_parts", "has_links", "has_merges")
    if all(hasattr(case, name) for name in names):
        return JointFacts(*(bool(getattr(case, name)) for name in names))
    row = Case.objects.filter(pk=case.pk).annotate(**joint_annotations()).values_list(*names).first()
    return JointFacts(*(row or (False, False, False)))


def standing_parts(case: Case, *, with_files: bool = True) -> list[CasePart]:
    """The parts of `case` not withdrawn, with their departments (and files, for a page)."""
    parts = CasePart.objects.filter(case_id=case.pk, withdrawn_at__isnull=True).select_related("department")
    if with_files:
        parts = parts.select_related("answered_by").prefetch_related("attachments__uploaded_by")
    return list(parts.order_by("due", "pk"))


def open_parts(case: Case) -> list[CasePart]:
    """The parts still owed: the lead is warned of them before it answers."""
    return list(
        CasePart.objects.filter(case_id=case.pk, withdrawn_at__isnull=True, answered_at__isnull=True)
        .select_related("department")
        .order_by("due", "pk")
    )


def parts_summary(parts: list[CasePart]) -> list[dict]:
    """The parts as the outcome's log entry records them."""
    return [
        {
            "part": part.pk,
            "department": part.department_id,
            "department_name": part.department.name,
            "due": part.due.isoformat(),
            "answered": part.answered_at is not None,
        }
        for part in parts
    ]


@dataclass(frozen=True)
class LinkedCase:
    number: str
    state: str
    summary: str
    kind: str
    role: str  # "parent", "child" or "" (symmetric kinds)


def links_of_case(user: User, case: Case) -> list[LinkedCase]:
    """The cases linked to `case` that `user` may open (the others are not even counted)."""
    links = list(CaseLink.objects.filter(Q(case_a_id=case.pk) | Q(case_b_id=case.pk)).order_by("created_at", "pk"))
    others = {link.case_b_id if link.case_a_id == case.pk else link.case_a_id: link for link in links}
    visible = visible_cases(user).filter(pk__in=list(others)).only("number", "state", "summary")
    rows = []
    for other in visible:
        link = others[other.pk]
        role = ""
        if link.kind == CaseLink.Kind.PARENT_CHILD:
            role = "child" if link.case_a_id == case.pk else "parent"
        rows.append(LinkedCase(other.number, other.state, other.summary, link.kind, role))
    return sorted(rows, key=lambda row: row.number)


def merged_into(user: User, case: Case) -> tuple[CaseMerge | None, str]:
    """The merge record of a duplicate and its main case's number, if `user` may open the main case."""
    record = CaseMerge.objects.filter(duplicate_id=case.pk).first()
    if record is None:
        return None, ""
    number = visible_cases(user).filter(pk=record.main_id).values_list("number", flat=True).first()
    return record, number or ""


def merged_duplicates(user: User, case: Case) -> list[str]:
    """The numbers of the duplicates merged into `case` that `user` may open."""
    ids = CaseMerge.objects.filter(main_id=case.pk).values("duplicate_id")
    return list(visible_cases(user).filter(pk__in=ids).order_by("number").values_list("number", flat=True))

"""Reads of supervision: matters and documents scoped like the cases (the office sees all, a department
its own), the per-department counts, and the recommendation figures for the annual report."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from petitions.models import Department, User
from supervision import policies
from supervision.models import Document, DocumentKind, Matter, Recommendation


def _scoped(queryset: QuerySet, user: User) -> QuerySet:
    if policies.is_office(user):
        return queryset
    if user.has_perm("petitions.handle_case") and user.department_id is not None:
        return queryset.filter(department_id=user.department_id)
    return queryset.none()


def visible_matters(user: User) -> QuerySet[Matter]:
    return _scoped(Matter.objects.all(), user)


def matter_list(user: User, *, status: str = "", department_id: int | None = None) -> QuerySet[Matter]:
    matters = visible_matters(user).select_related("case", "department", "trigger", "supervisor")
    if status == "open":
        matters = matters.filter(status__in=[Matter.Status.OPEN, Matter.Status.REPLIED])
    elif status in Matter.Status.values:
        matters = matters.filter(status=status)
    if department_id:
        matters = matters.filter(department_id=department_id)
    return matters.order_by("reply_due", "pk")


def matter_for(user: User, pk: int) -> Matter:
    """The matter, or 404 for one the user may not see (whether or not it exists)."""
    matter = (
        visible_matters(user)
        .select_related("case", "case__category", "department", "trigger", "supervisor", "replied_by")
        .select_related("signed_off_by", "assessed_by", "follows")
        .filter(pk=pk)
        .first()
    )
    if matter is None:
        raise Http404
    return matter


def case_matters(case, user: User) -> list[Matter]:
    return list(visible_matters(user).filter(case=case).select_related("trigger", "supervisor").order_by("opened_at"))


def visible_documents(user: User) -> QuerySet[Document]:
    return _scoped(Document.objects.all(), user)


def document_list(user: User, *, kind: str = "", department_id: int | None = None) -> QuerySet[Document]:
    documents = visible_documents(user).select_related("case", "department")
    if kind in DocumentKind.values:
        documents = documents.filter(kind=kind)
    if department_id:
        documents = documents.filter(department_id=department_id)
    return documents


def document_for(user: User, pk: int) -> Document:
    document = (
        visible_documents(user)
        .select_related("case", "case__category", "case__region", "department")
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise Http404
    return document


def case_documents(case, user: User) -> list[Document]:
    return list(visible_documents(user).filter(case=case).order_by("issued_at", "pk"))


def visible_recommendations(user: User) -> QuerySet[Recommendation]:
    return _scoped(Recommendation.objects.all(), user)


def recommendation_for(user: User, pk: int) -> Recommendation:
    recommendation = visible_recommendations(user).select_related("department", "issued_by").filter(pk=pk).first()
    if recommendation is None:
        raise Http404
    return recommendation


# --- Figures -------------------------------------------------------------------------------------------


def _moments(start: date, end: date) -> tuple[datetime, datetime]:
    """[start, end] as office-time moments (end inclusive)."""
    zone = timezone.get_current_timezone()
    return datetime.combine(start, time.min, zone), datetime.combine(end + timedelta(days=1), time.min, zone)


def recommendation_counts(start: date, end: date) -> dict:
    """Recommendations for improvement 改进工作建议 (T22 art. 40) made from `start` to `end` (inclusive):
    made; answered in writing (by now); adopted (of those answered)."""
    since, until = _moments(start, end)
    figures = Recommendation.objects.filter(issued_at__gte=since, issued_at__lt=until).aggregate(
        made=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        adopted=Count("pk", filter=Q(adopted=True)),
    )
    return {"made": figures["made"], "answered": figures["answered"], "adopted": figures["adopted"]}


@dataclass
class DepartmentCounts:
    department: str
    department_id: int | None
    urge: int = 0
    notice: int = 0
    criticism: int = 0
    matters: int = 0
    matters_overdue: int = 0
    recommendations: int = 0
    recommendations_adopted: int = 0

    def as_row(self) -> list:
        return [
            self.department,
            self.urge,
            self.notice,
            self.criticism,
            self.matters,
            self.matters_overdue,
            self.recommendations,
            self.recommendations_adopted,
        ]


def department_counts(user: User, start: date, end: date) -> list[DepartmentCounts]:
    """Per department, in [start, end]: 催办通知书, 督办单, 通报 issued; matters opened and those whose reply
    is late now; recommendations made and adopted. Scoped: a department head sees their own row."""
    since, until = _moments(start, end)
    today = timezone.localdate()
    rows: dict[int | None, DepartmentCounts] = {}
    names = dict(Department.objects.values_list("pk", "name"))

    def row(pk: int | None) -> DepartmentCounts:
        if pk not in rows:
            rows[pk] = DepartmentCounts(names.get(pk, ""), pk)
        return rows[pk]

    documents = visible_documents(user).filter(issued_on__gte=start, issued_on__lte=end, department__isnull=False)
    for pk, kind, count in documents.values_list("department_id", "kind").annotate(n=Count("pk")).order_by():
        setattr(row(pk), kind, count)
    matters = visible_matters(user).filter(opened_at__gte=since, opened_at__lt=until)
    for pk, count, late in (
        matters.values_list("department_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(status=Matter.Status.OPEN, reply_due__lt=today)))
        .values_list("department_id", "n", "late")
        .order_by()
    ):
        row(pk).matters, row(pk).matters_overdue = count, late
    recommendations = visible_recommendations(user).filter(issued_at__gte=since, issued_at__lt=until)
    for pk, count, adopted in (
        recommendations.values_list("department_id")
        .annotate(n=Count("pk"), adopted=Count("pk", filter=Q(adopted=True)))
        .values_list("department_id", "n", "adopted")
        .order_by()
    ):
        row(pk).recommendations, row(pk).recommendations_adopted = count, adopted
    return sorted(rows.values(), key=lambda counts: counts.department)


def weekly_report_figures(*, start: date, end: date, department_id: int | None) -> dict[str, int]:
    """The periodic reports' supervision figures for [start, end] and the scope (None: the whole office);
    their definitions are REPORT_FIGURES (registered in SupervisionConfig.ready())."""
    since, until = _moments(start, end)
    documents = Document.objects.filter(issued_on__gte=start, issued_on__lte=end)
    matters = Matter.objects.all()
    recommendations = Recommendation.objects.filter(issued_at__gte=since, issued_at__lt=until)
    if department_id is not None:
        documents = documents.filter(department_id=department_id)
        matters = matters.filter(department_id=department_id)
        recommendations = recommendations.filter(department_id=department_id)
    issued = dict(documents.values_list("kind").annotate(n=Count("pk")).order_by())
    matter_figures = matters.aggregate(
        opened=Count("pk", filter=Q(opened_at__gte=since, opened_at__lt=until)),
        late=Count("pk", filter=Q(status=Matter.Status.OPEN, reply_due__lte=end)),
    )
    recommendation_figures = recommendations.aggregate(made=Count("pk"), adopted=Count("pk", filter=Q(adopted=True)))
    return {
        "supervision_urge": issued.get(DocumentKind.URGE, 0),
        "supervision_notice": issued.get(DocumentKind.NOTICE, 0),
        "supervision_criticism": issued.get(DocumentKind.CRITICISM, 0),
        "supervision_matters": matter_figures["opened"],
        "supervision_replies_late": matter_figures["late"],
        "supervision_recommendations": recommendation_figures["made"],
        "supervision_recommendations_adopted": recommendation_figures["adopted"],
    }

"""Reads. Each fetches exactly what its page shows, scoped to what the user may see."""

from dataclasses import dataclass, replace

from django.db.models import BooleanField, CharField, F, Prefetch, QuerySet, Value, When
from django.db.models import Case as When_
from django.db.models.functions import Coalesce, Concat, NullIf, Repeat
from django.http import Http404
from django.utils.translation import gettext

from petitions import caching
from petitions.identifiers import mask_address, mask_id_number, mask_name, mask_phone
from petitions.models import (
    Attachment,
    Case,
    CaseLog,
    CasePetitioner,
    Category,
    Department,
    Petitioner,
    Region,
    Role,
    User,
)
from petitions.selectors import scopes
from petitions.selectors.parts_and_links import joint_annotations
from petitions.selectors.scopes import visible_cases

STAFF_OF_A_CASE = ("handler", "owning_leader", "registered_by")


def case_for_user(user: User, number: str) -> Case:
    """The case page's case, with what the page shows; 404 when it does not exist or is not the user's to see.

    The three staff members come in one query of their own: joining the staff table three times
    more made PostgreSQL spend 3–5 ms planning a query that runs in 0.2 ms. The reception session
    and the earlier case are read only for the few cases that have one.
    """
    case = (
        visible_cases(user)
        .select_related("category", "region", "department", "handed_down")
        .prefetch_related(
            Prefetch("case_petitioners", queryset=CasePetitioner.objects.select_related("petitioner")),
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
        )
        .annotate(**joint_annotations())
        .filter(number=number)
        .first()
    )
    if case is None:
        raise Http404
    staff_ids = {getattr(case, f"{name}_id") for name in STAFF_OF_A_CASE} - {None}
    staff = {member.pk: member for member in User.objects.filter(pk__in=staff_ids)}
    for name in STAFF_OF_A_CASE:
        member_id = getattr(case, f"{name}_id")
        if member_id is not None:
            Case._meta.get_field(name).set_cached_value(case, staff[member_id])
    return case


def case_timeline(case: Case) -> QuerySet[CaseLog]:
    return case.log.select_related("actor").order_by("at", "id")


@dataclass(frozen=True)
class PersonView:
    """A petitioner of a case as a page shows them: what the case recorded, masked or withheld.

    `masked`: shown in part until the viewer asks for the full identity (and that is logged).
    `withheld`: the viewer may not know who the person is (an accusation routed to a department, a
    confidential petitioner): not one character of name, number, phone or address is shown, since
    fragments put together with another case identify the person.
    """

    pk: int
    role: str
    name: str
    id_number: str
    phone: str
    address: str
    gender: str
    confidential: bool
    masked: bool
    withheld: bool = False


def person_view(link: CasePetitioner, *, reveal: bool) -> PersonView:
    """Full (`reveal`) or masked: for a viewer allowed to see identity on this case."""
    return PersonView(
        pk=link.petitioner_id,
        role=link.get_role_display(),
        name=link.name if reveal else mask_name(link.name),
        id_number=link.id_number if reveal else mask_id_number(link.id_number),
        phone=link.phone if reveal else mask_phone(link.phone),
        address=link.address if reveal else mask_address(link.address),
        gender=link.get_gender_display(),
        confidential=link.petitioner.confidential,
        masked=not reveal,
    )


def withheld_person_view(link: CasePetitioner) -> PersonView:
    return PersonView(
        pk=0,
        role=link.get_role_display(),
        name=gettext("(identity withheld)"),
        id_number="",
        phone="",
        address="",
        gender="",
        confidential=False,
        masked=True,
        withheld=True,
    )


def identity_allowed(user: User, case: Case) -> bool:
    links = case.case_petitioners.all()
    return scopes.can_view_identity(user, case, any_confidential=any(link.petitioner.confidential for link in links))


def people_of_case(user: User, case: Case) -> list[PersonView]:
    """The case's petitioners for a page or a document that does not reveal: masked where the viewer may
    see identity, withheld entirely where they may not."""
    links = list(case.case_petitioners.all())
    if identity_allowed(user, case):
        return [person_view(link, reveal=False) for link in links]
    return [withheld_person_view(link) for link in links]


def repeat_link_visible(user: User, case: Case) -> bool:
    """The earlier case a case repeats names the same person: shown only where identity may be."""
    return case.repeat_of_id is not None and identity_allowed(user, case)


def attachment_visible(user: User, attachment: Attachment, *, identity: bool) -> bool:
    """Files that came with the petition (a signed letter, a scan of an ID card) show who the petitioner
    is: where `user` may not know that (`identity` False), they see only the files their own department
    added."""
    return identity or (
        attachment.uploaded_by.department_id is not None and attachment.uploaded_by.department_id == user.department_id
    )


def attachments_of_case(user: User, case: Case) -> tuple[list[Attachment], bool]:
    """The case's files `user` may open, and whether some were withheld."""
    identity = identity_allowed(user, case)
    files = list(case.attachments.all())
    shown = [attachment for attachment in files if attachment_visible(user, attachment, identity=identity)]
    return shown, len(shown) < len(files)


@dataclass(frozen=True)
class EarlierCase:
    """An earlier case of a person on record, as the intake panel shows it: that it exists, its number,
    state and date; what it is about only to a clerk who may open it."""

    pk: int
    number: str
    received_at: object
    state: str
    category: str  # empty when the clerk may not open the case
    summary: str  # empty when the clerk may not open the case


@dataclass(frozen=True)
class KnownPerson:
    pk: int
    name: str
    id_number: str
    phone: str
    matched_by: str  # "id_number" or "phone"
    cases: list[EarlierCase]


def repeat_candidates(*, user: User, id_number: str = "", phone: str = "", limit: int = 5) -> list[KnownPerson]:
    """People on record with this ID number or phone, masked, with their cases (newest first).

    Used only to link a person's cases so that they need not start over. Callers log the look-up
    (`services.identity.identity_lookup`); this only reads.
    """
    people: list[tuple[Petitioner, str]] = []
    if id_number:
        people += [(p, "id_number") for p in Petitioner.objects.filter(id_number=id_number)]
    if phone:
        seen = {p.pk for p, _ in people}
        people += [(p, "phone") for p in Petitioner.objects.filter(phone=phone).exclude(pk__in=seen)[:limit]]
    result = []
    for person, matched_by in people[:limit]:
        cases = list(
            Case.objects.filter(case_petitioners__petitioner=person)
            .select_related("category")
            .only(
                "pk", "number", "received_at", "state", "summary", "category__name", "registered_by_id", "department_id"
            )
            .order_by("-received_at")[:10]
        )
        openable = set(visible_cases(user).filter(pk__in=[c.pk for c in cases]).values_list("pk", flat=True))
        result.append(
            KnownPerson(
                pk=person.pk,
                name=mask_name(person.name),
                id_number=mask_id_number(person.id_number),
                phone=mask_phone(person.phone),
                matched_by=matched_by,
                cases=[
                    EarlierCase(
                        pk=c.pk,
                        number=c.number,
                        received_at=c.received_at,
                        state=c.get_state_display(),
                        category=c.category.name if c.pk in openable else "",
                        summary=c.summary[:60] if c.pk in openable else "",
                    )
                    for c in cases
                ],
            )
        )
    return result


@dataclass(frozen=True)
class InboxEntry:
    """A notification as the inbox shows it. About a case the reader can no longer open (returned,
    re-routed), it shows nothing of the case: not its number, not what the message said of it."""

    pk: int
    created_at: object
    read_at: object
    message: str
    case_number: str  # empty when there is no case or the reader may not open it


def inbox_entries(user: User, notifications) -> list[InboxEntry]:
    notifications = list(notifications)
    case_ids = {n.case_id for n in notifications if n.case_id is not None}
    openable = set(visible_cases(user).filter(pk__in=case_ids).values_list("pk", flat=True)) if case_ids else set()
    entries = []
    for notification in notifications:
        hidden = notification.case_id is not None and notification.case_id not in openable
        entries.append(
            InboxEntry(
                pk=notification.pk,
                created_at=notification.created_at,
                read_at=notification.read_at,
                message=gettext("A case that is no longer yours to see.") if hidden else notification.message,
                case_number="" if hidden or notification.case is None else notification.case.number,
            )
        )
    return entries


def handlers_of(department: Department | None) -> QuerySet[User]:
    if department is None:
        return User.objects.none()
    return User.objects.filter(is_active=True, department=department, groups__name=Role.HANDLER).distinct()


def leaders() -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=Role.LEADER).distinct()


def default_department_for(category: Category) -> Department | None:
    """谁主管谁负责: the department a case of `category` goes to unless someone decides otherwise."""
    if category.default_department_id is not None:
        return category.default_department
    return category.parent.default_department if category.parent_id else None


@dataclass(frozen=True)
class FilterChoices:
    """The option lists of the queue filters and bulk actions: (id, label) pairs."""

    departments: list[tuple[int, str]]
    active_departments: list[tuple[int, str]]
    categories: list[tuple[int, str]]
    regions: list[tuple[int, str]]
    leaders: list[tuple[int, str]]
    handlers: list[tuple[int, str]]  # of the department asked for
    version: str = ""  # of the lists (caching.reference_version): empty when they were not kept


_KEPT_CHOICES: dict[tuple[str, int | None], FilterChoices] = {}  # this process's copies, by version


def filter_choices(*, handlers_of_department: int | None = None) -> FilterChoices:
    """The lists, kept until reference data or staff change (`caching.reference_version`): in this
    process for the current version, else in the cache, else read in one query."""
    version = caching.reference_version()
    if not version:  # the cache does not answer
        return _read_filter_choices(handlers_of_department)
    memo_key = (version, handlers_of_department)
    choices = _KEPT_CHOICES.get(memo_key)
    if choices is None:
        choices = caching.kept(
            f"filter-choices:{version}:{handlers_of_department}",
            lambda: _read_filter_choices(handlers_of_department),
            timeout=24 * 60 * 60,
        )
        choices = replace(choices, version=version)  # the copy drawn from it is kept under this version
        if len(_KEPT_CHOICES) > 100:  # old versions, departments' handlers
            _KEPT_CHOICES.clear()
        _KEPT_CHOICES[memo_key] = choices
    return choices


def _read_filter_choices(handlers_of_department: int | None) -> FilterChoices:
    """All of them in one query (a list page should not spend a query per drop-down)."""
    text = CharField()
    departments = Department.objects.order_by().values_list(
        Value("department", output_field=text), "pk", F("name"), "is_active", F("code")
    )
    categories = Category.objects.order_by().values_list(
        Value("category", output_field=text),
        "pk",
        Concat(
            "code",
            Value(" "),
            When_(When(parent__isnull=False, then=Value("　")), default=Value("")),
            "name",
            output_field=text,
        ),
        "is_active",
        F("code"),
    )
    regions = Region.objects.order_by().values_list(
        Value("region", output_field=text),
        "pk",
        Concat(Repeat(Value("　"), F("level") - 1), "name", output_field=text),
        Value(True, output_field=BooleanField()),
        F("code"),
    )

    def staff(kind: str, role: str, **conditions) -> QuerySet:
        with_role = User.groups.through.objects.filter(group__name=role).values("user_id")
        return (
            User.objects.filter(is_active=True, pk__in=with_role, **conditions)
            .order_by()
            .values_list(
                Value(kind, output_field=text),
                "pk",
                Coalesce(NullIf("full_name", Value("")), "username", output_field=text),
                "is_active",
                F("username"),
            )
        )

    parts = [categories, regions, staff("leader", Role.LEADER)]
    if handlers_of_department is not None:
        parts.append(staff("handler", Role.HANDLER, department_id=handlers_of_department))
    options: dict[str, list[tuple[str, int, str, bool]]] = {
        "department": [],
        "category": [],
        "region": [],
        "leader": [],
        "handler": [],
    }
    for kind, pk, label, active, sort_key in departments.union(*parts, all=True):
        options[kind].append((sort_key, pk, label, active))
    for rows in options.values():
        rows.sort()
    return FilterChoices(
        departments=[(pk, label) for _key, pk, label, _active in options["department"]],
        active_departments=[(pk, label) for _key, pk, label, active in options["department"] if active],
        categories=[(pk, label) for _key, pk, label, _active in options["category"]],
        regions=[(pk, label) for _key, pk, label, _active in options["region"]],
        leaders=[(pk, label) for _key, pk, label, _active in options["leader"]],
        handlers=[(pk, label) for _key, pk, label, _active in options["handler"]],
    )


def evaluations_of_case(case: Case) -> list:
    """The case page's evaluations, newest first, with who entered each (none: the petitioner online)."""
    return list(case.evaluations.select_related("entered_by").order_by("-at", "-id"))


def interim_reports_of_case(handed_down) -> list:
    """The interim reports (阶段性报告) sent to the higher authority, oldest first, with who recorded each."""
    return list(handed_down.interim_reports.select_related("recorded_by").order_by("reported_on", "id"))

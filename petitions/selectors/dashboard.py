"""The start page: for each role, the few numbers that say what needs doing, each a link to the
list that shows those cases. All counted in one query, each count stopping at DASHBOARD_LIMIT."""

from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from petitions import policies
from petitions.clocks import urgency
from petitions.models import OPEN_STATES, Case, ReceptionSession, State, User
from petitions.selectors.queues import CappedCount, capped_counts, department_cases, owned_cases, registered_cases
from petitions.selectors.scopes import visible_cases

DASHBOARD_LIMIT = 9_999


@dataclass(frozen=True)
class Tile:
    label: str | Promise
    count: CappedCount
    url: str
    tone: str = ""  # "danger" or "warn" when the number means something is late


@dataclass(frozen=True)
class Section:
    title: str | Promise
    tiles: list[Tile]


def _link(url_name: str, **params) -> str:
    query = urlencode(params, doseq=True)
    return reverse(url_name) + (f"?{query}" if query else "")


def dashboard(user: User) -> list[Section]:
    today = timezone.localdate()
    midnight = timezone.make_aware(datetime.combine(today, time.min))
    overdue, soon, soon_label = urgency.overdue(today), urgency.due_soon(today), urgency.due_soon_label()
    plan: list[tuple[str | Promise, list[tuple[str | Promise, QuerySet[Case], str, str]]]] = []
    if policies.may_see_queue(user):
        cases = visible_cases(user)
        plan.append(
            (
                _("The office"),
                [
                    (
                        _("Awaiting a decision"),
                        cases.filter(state=State.RECEIVED),
                        _link("case_queue", state=State.RECEIVED),
                        "",
                    ),
                    (_("Overdue"), cases.filter(overdue), _link("case_queue", due="overdue"), "danger"),
                    (soon_label, cases.filter(soon), _link("case_queue", due="soon"), "warn"),
                    (
                        _("Outcomes to review"),
                        cases.filter(state=State.REVIEWING),
                        _link("case_queue", state=State.REVIEWING),
                        "",
                    ),
                    (
                        _("Handled, to deliver and close"),
                        cases.filter(state=State.HANDLED),
                        _link("case_queue", state=State.HANDLED),
                        "",
                    ),
                ],
            )
        )
    if policies.may_see_department_list(user):
        cases = department_cases(user)
        plan.append(
            (
                user.department.name,
                [
                    (
                        _("Mine, in hand"),
                        cases.filter(handler=user, state=State.ASSIGNED),
                        _link("case_department", mine=1, state=State.ASSIGNED),
                        "",
                    ),
                    (
                        _("In hand in the department"),
                        cases.filter(state=State.ASSIGNED),
                        _link("case_department", state=State.ASSIGNED),
                        "",
                    ),
                    (_("Overdue"), cases.filter(overdue), _link("case_department", due="overdue"), "danger"),
                    (soon_label, cases.filter(soon), _link("case_department", due="soon"), "warn"),
                ],
            )
        )
    if policies.may_see_owned_list(user):
        cases = owned_cases(user)
        open_states = list(OPEN_STATES)
        plan.append(
            (
                _("Cases I own"),
                [
                    (_("Open"), cases.filter(state__in=open_states), _link("case_owned", state=open_states), ""),
                    (_("Overdue"), cases.filter(overdue), _link("case_owned", due="overdue"), "danger"),
                ],
            )
        )
    if policies.may_register(user) and not policies.may_see_queue(user):
        cases = registered_cases(user)
        plan.append(
            (
                _("My registrations"),
                [
                    (
                        _("Received today"),
                        cases.filter(received_at__gte=midnight),
                        _link("case_registered", received_from=today.isoformat()),
                        "",
                    ),
                    (
                        _("Still awaiting a decision"),
                        cases.filter(state=State.RECEIVED),
                        _link("case_registered", state=State.RECEIVED),
                        "",
                    ),
                ],
            )
        )
    counts = iter(capped_counts([queryset for _, tiles in plan for _, queryset, _, _ in tiles], limit=DASHBOARD_LIMIT))
    sections = [
        Section(title, [Tile(label, next(counts), url, tone) for label, _queryset, url, tone in tiles])
        for title, tiles in plan
    ]
    if policies.may_receive_visits(user):
        sessions = ReceptionSession.objects.filter(date=today).count()
        sections.append(
            Section(
                _("Today"),
                [
                    Tile(_("Reception sessions today"), CappedCount(sessions, False), reverse("reception_list")),
                ],
            )
        )
    return sections


# --- Lists and tables of the start page, per role -----------------------------------------------------------

MY_CASES_LIMIT = 15


@dataclass(frozen=True)
class DeadlineRow:
    number: str
    summary: str
    state: str
    due: object  # date
    days_left: int


def my_cases_by_deadline(user: User, *, limit: int = MY_CASES_LIMIT) -> list[DeadlineRow]:
    """A handler's cases in hand, the nearest deadline first (one query on the handler's index)."""
    if not policies.may_see_department_list(user):
        return []
    today = timezone.localdate()
    rows = (
        department_cases(user, mine=True)
        .filter(state=State.ASSIGNED)
        .order_by("due_date", "pk")
        .values_list("number", "summary", "state", "due_date")[:limit]
    )
    return [
        DeadlineRow(number, summary[:80], state, due, (due - today).days if due else 0)
        for number, summary, state, due in rows
    ]


@dataclass(frozen=True)
class LoadRow:
    handler: str
    in_hand: int
    overdue: int
    due_soon: int


def department_load(user: User) -> list[LoadRow]:
    """A department head's department: cases in hand per handler (unassigned first), with overdue and due soon,
    one grouped query."""
    if not policies.may_assign_in_department(user):
        return []
    today = timezone.localdate()
    rows = (
        department_cases(user)
        .filter(state=State.ASSIGNED)
        .order_by()
        .values_list("handler__full_name", "handler__username")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=urgency.overdue(today)),
            soon=Count("pk", filter=urgency.due_soon(today)),
        )
    )
    load = [LoadRow(name or username or "", n, late, soon) for name, username, n, late, soon in rows]
    return sorted(load, key=lambda row: (row.handler != "", -row.overdue, -row.in_hand, row.handler))

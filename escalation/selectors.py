"""Reads: the overdue board, a case's escalations, the supervision notices."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db import models
from django.db.models import Count, Min, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse

from escalation.ladder import CHASED_STATES, active_rules, reminder_window
from escalation.models import Escalation, level_label
from petitions import policies
from petitions.clocks import urgency
from petitions.models import Case, Department, User
from petitions.selectors import scopes
from petitions.selectors.scopes import visible_cases


def may_see_board(user: User) -> bool:
    """The board shows every department's cases: for those who see every case (supervisors, leaders)."""
    return policies.may_see_queue(user)


@dataclass(frozen=True)
class Level:
    level: int
    label: str
    from_days: int  # days overdue at which a case is at this level
    to_days: int | None  # last day at this level; None: no upper end


def overdue_levels() -> tuple[list[Level], int]:
    """The ladder's levels as bands of days overdue, and the reminder's window in days (0 if none)."""
    rules = active_rules()
    soon = reminder_window(rules)
    past = [rule for rule in rules if rule.days_from_deadline >= 0]
    levels = []
    for index, rule in enumerate(past):
        start = max(rule.days_from_deadline, 1)  # overdue means at least one day past the deadline
        following = past[index + 1].days_from_deadline if index + 1 < len(past) else None
        levels.append(Level(rule.level, level_label(rule.level), start, following - 1 if following else None))
    if levels and levels[0].from_days > 1:
        levels.insert(0, Level(0, "", 1, levels[0].from_days - 1))  # overdue, no rung reached yet
    return levels, soon


@dataclass
class Cell:
    count: int = 0
    url: str = ""


@dataclass
class BoardRow:
    department: str
    department_id: int | None
    soon: Cell = field(default_factory=Cell)
    levels: list[Cell] = field(default_factory=list)
    overdue: Cell = field(default_factory=Cell)
    max_days: int = 0


@dataclass
class Board:
    today: date
    levels: list[Level]
    soon_days: int
    rows: list[BoardRow]
    totals: BoardRow


def _queue_url(department_id: int | None, **params) -> str:
    query = {"department": department_id} if department_id else {"state": "received"}
    query.update({key: value for key, value in params.items() if value is not None})
    return f"{reverse('case_queue')}?{urlencode(query)}"


def overdue_board(today: date, levels: list[Level], soon_days: int) -> Board:
    """Counts of overdue cases by department and level, and of cases due soon: one grouped query."""
    bands = [When(due_date__gte=today, then=Value(-1))]
    for index in range(len(levels) - 1, -1, -1):
        level = levels[index]
        bands.append(When(due_date__lte=today - timedelta(days=level.from_days), then=Value(index)))
    grouped = (
        Case.objects.filter(state__in=CHASED_STATES, due_date__lte=today + timedelta(days=soon_days))
        .annotate(band=models.Case(*bands, default=Value(-2)))
        .values("department_id", "band")
        .annotate(n=Count("id"), oldest=Min("due_date"))
        .order_by()
    )
    names = dict(Department.objects.values_list("pk", "name"))
    rows: dict[int | None, BoardRow] = {}
    totals = BoardRow("", None, levels=[Cell() for _ in levels])
    for entry in grouped:
        department_id = entry["department_id"]
        row = rows.get(department_id)
        if row is None:
            row = rows[department_id] = BoardRow(
                names.get(department_id, "") if department_id else "",
                department_id,
                levels=[
                    Cell(url=_queue_url(department_id, overdue_min=level.from_days, overdue_max=level.to_days))
                    for level in levels
                ],
            )
            row.soon.url = _queue_url(department_id, due="soon")
            row.overdue.url = _queue_url(department_id, due="overdue")
        band = entry["band"]
        if band == -1:
            row.soon.count += entry["n"]
            totals.soon.count += entry["n"]
        elif band >= 0:
            row.levels[band].count += entry["n"]
            totals.levels[band].count += entry["n"]
            row.overdue.count += entry["n"]
            totals.overdue.count += entry["n"]
            days = (today - entry["oldest"]).days
            row.max_days = max(row.max_days, days)
            totals.max_days = max(totals.max_days, days)
    ordered = sorted(rows.values(), key=lambda row: (-row.overdue.count, -row.max_days, row.department))
    return Board(today=today, levels=levels, soon_days=soon_days, rows=ordered, totals=totals)


@dataclass(frozen=True)
class OverdueCase:
    number: str
    state: str
    department: str
    handler: str
    owning_leader: str
    due: date
    days: int
    level: str


def most_overdue(user: User, today: date, levels: list[Level], *, limit: int = 25) -> list[OverdueCase]:
    cases = (
        visible_cases(user)
        .filter(urgency.overdue(today), state__in=CHASED_STATES)
        .select_related("department", "handler", "owning_leader")
        .only(
            "number",
            "state",
            "due_date",
            "department__name",
            "handler__full_name",
            "handler__username",
            "owning_leader__full_name",
            "owning_leader__username",
        )
        .order_by("due_date", "pk")[:limit]
    )
    result = []
    for case in cases:
        days = (today - case.due_date).days
        level = next((lvl.label for lvl in reversed(levels) if days >= lvl.from_days), "")
        result.append(
            OverdueCase(
                number=case.number,
                state=case.get_state_display(),
                department=case.department.name if case.department else "",
                handler=str(case.handler) if case.handler else "",
                owning_leader=str(case.owning_leader) if case.owning_leader else "",
                due=case.due_date,
                days=days,
                level=level,
            )
        )
    return result


def recent_notices(user: User, *, limit: int = 20) -> QuerySet[Escalation]:
    notices = Escalation.objects.exclude(notice_number="").select_related("case", "case__department")
    visibility = scopes.case_visibility_filter(user)
    if visibility is not None:
        notices = notices.filter(case__in=Case.objects.filter(visibility))
    return notices.order_by("-created_at", "-id")[:limit]


def notice_for(user: User, number: str) -> Escalation:
    """A supervision notice, for whoever may see its case; 404 otherwise."""
    notice = (
        Escalation.objects.exclude(notice_number="")
        .select_related(
            "case", "case__department", "case__category", "case__region", "case__owning_leader", "part__department"
        )
        .filter(notice_number=number)
        .first()
    )
    if notice is None or not scopes.can_view_case(user, notice.case):
        raise Http404
    return notice


def case_panel_context(case: Case, user: User) -> dict | None:
    """The case page's ladder panel: every reminder and escalation of the case, newest first."""
    escalations = list(case.escalations.order_by("-created_at", "-id"))
    if not escalations:
        return None
    return {"escalations": escalations}

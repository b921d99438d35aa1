"""Leaders' liaison units (定点联系): the directory the escalation ladder asks, and a leader's unit figures.

A region link covers the region and every region under it; the tree (a few thousand rows at most) is
walked in Python once per call, the cases are counted by the database, one grouped query per kind of unit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Q
from django.utils import timezone

from petitions.clocks import urgency
from petitions.extensions import LiaisonDirectory
from petitions.models import Closure, Region, State, User
from petitions.selectors.reference_rows import kept_rows
from petitions.selectors.scopes import visible_cases
from reports.models import LeaderLiaison
from reports.selectors import office_zone

OPEN_STATES = [State.RECEIVED, State.ASSIGNED, State.HANDLED]
OVERDUE_STATES = [State.RECEIVED, State.ASSIGNED]
OVERDUE_LIST_LIMIT = 10


def _subtrees(roots: set[int]) -> dict[int, int]:
    """Every region under (and including) each root → that root (the nearest linked ancestor wins)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for region in kept_rows(Region).values():
        children[region.parent_id].append(region.pk)
    owner: dict[int, int] = {}

    def walk(pk: int, root: int) -> None:
        stack = [pk]
        while stack:
            node = stack.pop()
            owner[node] = root
            stack.extend(child for child in children.get(node, []) if child not in roots)

    for root in roots:
        walk(root, root)
    return owner


@dataclass(frozen=True)
class LinkedUnits:
    """A leader's linked departments and regions (each region with every region under it): one query."""

    department_ids: list[int]
    region_ids: list[int]

    def q(self, *, department: str = "department_id", region: str = "region_id") -> Q:
        """The rows of these units: their department is linked, or their region is under a linked one."""
        return Q(**{f"{department}__in": self.department_ids}) | Q(**{f"{region}__in": self.region_ids})


def linked_units(user: User) -> LinkedUnits | None:
    """What other apps (the register, the returns) list on a leader's start page; None: no link."""
    links = list(LeaderLiaison.objects.filter(leader=user).values_list("department_id", "region_id"))
    if not links:
        return None
    regions = {region for _department, region in links if region}
    return LinkedUnits(
        department_ids=sorted({department for department, _region in links if department}),
        region_ids=sorted(_subtrees(regions)) if regions else [],
    )


def liaison_directory() -> LiaisonDirectory:
    """For the escalation ladder's top rung (registered in petitions.extensions): one query, two with regions."""
    departments: dict[int, list[int]] = defaultdict(list)
    region_leaders: dict[int, list[int]] = defaultdict(list)
    for leader_id, department_id, region_id in LeaderLiaison.objects.order_by("pk").values_list(
        "leader_id", "department_id", "region_id"
    ):
        if department_id is not None:
            departments[department_id].append(leader_id)
        else:
            region_leaders[region_id].append(leader_id)
    regions: dict[int, list[int]] = {}
    if region_leaders:
        # A region linked to no one takes the leaders of its nearest linked ancestor.
        for node, root in _subtrees(set(region_leaders)).items():
            regions[node] = region_leaders[root]
    return LiaisonDirectory(dict(departments), regions)


@dataclass(frozen=True)
class UnitRow:
    kind: str  # "department" or "region"
    name: str
    open: int
    overdue: int
    new_this_month: int


@dataclass(frozen=True)
class OverdueRow:
    number: str
    unit: str
    due: date
    days_overdue: int


@dataclass(frozen=True)
class LeaderUnits:
    units: list[UnitRow]
    overdue: list[OverdueRow]


def _figures(cases, key: str, today: date) -> dict[int, tuple[int, int, int]]:
    month_start = datetime.combine(today.replace(day=1), time.min, tzinfo=office_zone())
    rows = (
        cases.exclude(closure=Closure.VOID)
        .filter(Q(state__in=OPEN_STATES) | Q(received_at__gte=month_start))
        .order_by()
        .values_list(key)
        .annotate(
            open=Count("pk", filter=Q(state__in=OPEN_STATES)),
            overdue=Count("pk", filter=Q(state__in=OVERDUE_STATES) & urgency.overdue(today)),
            new=Count("pk", filter=Q(received_at__gte=month_start)),
        )
    )
    return {pk: (n_open, n_overdue, n_new) for pk, n_open, n_overdue, n_new in rows}


def leader_units(user: User, *, today: date | None = None) -> LeaderUnits | None:
    """A leader's linked units with their open, overdue and this month's new cases, and the longest overdue
    cases of those units; None for a user with no link. Scoped like the lists (visible_cases)."""
    today = today or timezone.localdate()
    links = list(
        LeaderLiaison.objects.filter(leader=user)
        .select_related("department", "region")
        .order_by("department__code", "region__code")
    )
    if not links:
        return None
    cases = visible_cases(user)
    units: list[UnitRow] = []
    unit_filter = Q(pk__in=[])
    department_links = [link.department for link in links if link.department_id]
    region_links = [link.region for link in links if link.region_id]
    if department_links:
        ids = [department.pk for department in department_links]
        counts = _figures(cases.filter(department_id__in=ids), "department_id", today)
        units += [UnitRow("department", d.name, *counts.get(d.pk, (0, 0, 0))) for d in department_links]
        unit_filter |= Q(department_id__in=ids)
    owner: dict[int, int] = {}
    if region_links:
        owner = _subtrees({region.pk for region in region_links})
        per_region = _figures(cases.filter(region_id__in=list(owner)), "region_id", today)
        totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        for region_id, figures in per_region.items():
            for i, n in enumerate(figures):
                totals[owner[region_id]][i] += n
        units += [UnitRow("region", r.name, *totals.get(r.pk, [0, 0, 0])) for r in region_links]
        unit_filter |= Q(region_id__in=list(owner))
    overdue_rows = (
        cases.filter(unit_filter, urgency.overdue(today), state__in=OVERDUE_STATES)
        .exclude(closure=Closure.VOID)
        .order_by("due_date", "pk")
        .values_list("number", "department__name", "region__name", "due_date")[:OVERDUE_LIST_LIMIT]
    )
    overdue = [
        OverdueRow(number, department or region or "", due, urgency.days_overdue(due, today))
        for number, department, region, due in overdue_rows
    ]
    return LeaderUnits(units, overdue)

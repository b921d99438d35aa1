"""Every read of the register, the topics and the meetings, scoped by screening.policies."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from petitions.models import Case, Category, Closure, Region, User
from petitions.policies import is_leader
from petitions.selectors.scopes import visible_cases
from reports.liaison import linked_units
from screening import policies
from screening.models import Campaign, Decision, Entry, Meeting, Risk, Status, Topic


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """From the start of `start` to the start of the day after `end`, in the office's time zone."""
    zone = timezone.get_current_timezone()
    return datetime.combine(start, time.min, zone), datetime.combine(end + timedelta(days=1), time.min, zone)


def _scoped(queryset: QuerySet, condition: Q | None) -> QuerySet:
    return queryset if condition is None else queryset.filter(condition)


# --- The register -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryFilters:
    status: str = ""
    risk: str = ""
    kind: int | None = None
    campaign: int | None = None
    overdue: bool = False


def entry_list(user: User, filters: EntryFilters, *, today: date) -> QuerySet[Entry]:
    entries = _scoped(Entry.objects.all(), policies.entry_filter(user))
    if filters.status:
        entries = entries.filter(status=filters.status)
    if filters.risk:
        entries = entries.filter(risk=filters.risk)
    if filters.kind:
        entries = entries.filter(kind_id=filters.kind)
    if filters.campaign:
        entries = entries.filter(campaign_id=filters.campaign)
    if filters.overdue:
        entries = entries.filter(status__in=[Status.FOUND, Status.RESOLVING], deadline__lt=today)
    return entries.select_related("region", "kind", "department", "leader", "campaign").order_by("deadline", "pk")


def entry_for(user: User, entry_id: int) -> Entry | None:
    entry = (
        Entry.objects.select_related("region", "kind", "department", "leader", "campaign", "created_by")
        .filter(pk=entry_id)
        .first()
    )
    return entry if entry is not None and policies.can_view_entry(user, entry) else None


def linked_cases(user: User, links) -> list[Case]:
    """The linked cases `user` may open; a link never shows a case they cannot see."""
    return list(
        visible_cases(user)
        .filter(pk__in=links.values("case_id"))
        .only("pk", "number", "state", "received_at", "summary")
        .order_by("-received_at")
    )


@dataclass(frozen=True)
class Tally:
    by_status: list[tuple[str, int]]
    by_risk: list[tuple[str, int]]
    by_kind: list[tuple[str, int]]
    total: int


def entry_tally(entries: QuerySet[Entry]) -> Tally:
    """Counts per status, risk level and kind, from one grouped query."""
    rows = list(entries.order_by().values("status", "risk", "kind__name").annotate(n=Count("id")))
    status, risk, kind = {}, {}, {}
    for row in rows:
        status[row["status"]] = status.get(row["status"], 0) + row["n"]
        risk[row["risk"]] = risk.get(row["risk"], 0) + row["n"]
        kind[row["kind__name"]] = kind.get(row["kind__name"], 0) + row["n"]
    return Tally(
        by_status=[(label, status.get(value, 0)) for value, label in Status.choices],
        by_risk=[(label, risk.get(value, 0)) for value, label in Risk.choices],
        by_kind=sorted(kind.items(), key=lambda item: (-item[1], item[0])),
        total=sum(row["n"] for row in rows),
    )


def campaign_list(user: User) -> list[Campaign]:
    return list(_scoped(Campaign.objects.all(), policies.campaign_filter(user))[:200])


# --- Hot topics --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cluster:
    category: Category
    region: Region
    cases: int
    repeats: int
    topic: Topic | None

    @property
    def repeat_rate(self) -> float:
        return self.repeats / self.cases if self.cases else 0.0


def clusters(start: date, end: date, *, min_cases: int = 3, limit: int = 30) -> list[Cluster]:
    """The category × region pairs with the most cases received in the period, and their repeat rate
    (a repeat: the petitioner had earlier cases, as intake recognised it). One aggregate query over the
    cases (the received-at index bounds it), then the names of the few rows shown."""
    since, until = period_bounds(start, end)
    rows = list(
        Case.objects.filter(received_at__gte=since, received_at__lt=until)
        .exclude(closure=Closure.VOID)
        .order_by()
        .values("category_id", "region_id")
        .annotate(cases=Count("id"), repeats=Count("id", filter=Q(is_repeat=True)))
        .filter(cases__gte=min_cases)
        .order_by("-cases", "-repeats", "category_id", "region_id")[:limit]
    )
    categories = Category.objects.in_bulk({row["category_id"] for row in rows})
    regions = Region.objects.in_bulk({row["region_id"] for row in rows})
    topics = {
        (topic.category_id, topic.region_id): topic
        for topic in Topic.objects.filter(
            period_start=start, period_end=end, category_id__in=categories, region_id__in=regions
        )
    }
    return [
        Cluster(
            categories[row["category_id"]],
            regions[row["region_id"]],
            row["cases"],
            row["repeats"],
            topics.get((row["category_id"], row["region_id"])),
        )
        for row in rows
    ]


LEADER_HOME_ROWS = 10


def leader_home(user: User) -> dict | None:
    """A leader's start page: the open register entries of their linked regions and departments, and the hot
    topics their linked departments lead — scoped like the lists; three queries, none for others."""
    if not user.is_authenticated or not is_leader(user):
        return None
    units = linked_units(user)
    if units is None:
        return None
    entries = _scoped(Entry.objects.all(), policies.entry_filter(user)).filter(
        units.q(), status__in=[Status.FOUND, Status.RESOLVING]
    )
    topics = topic_list(user).filter(department_id__in=units.department_ids)
    return {
        "entries": list(entries.select_related("region", "department").order_by("deadline", "pk")[:LEADER_HOME_ROWS]),
        "topics": list(topics.order_by("-period_end", "pk")[:LEADER_HOME_ROWS]),
        "today": timezone.localdate(),
    }


def topic_list(user: User) -> QuerySet[Topic]:
    return _scoped(Topic.objects.all(), policies.topic_filter(user)).select_related("category", "region", "department")


def topic_for(user: User, topic_id: int) -> Topic | None:
    topic = Topic.objects.select_related("category", "region", "department", "created_by").filter(pk=topic_id).first()
    return topic if topic is not None and policies.can_view_topic(user, topic) else None


# --- Joint meetings ---------------------------------------------------------------------------------------


def meeting_list(user: User) -> QuerySet[Meeting]:
    meetings = _scoped(Meeting.objects.all(), policies.meeting_filter(user))
    return (
        meetings.select_related("convener")
        .annotate(
            decision_count=Count("decisions", distinct=True),
            open_count=Count("decisions", filter=~Q(decisions__status="done"), distinct=True),
        )
        .order_by("-held_on", "-pk")
    )


def meeting_for(user: User, meeting_id: int) -> Meeting | None:
    meeting = Meeting.objects.select_related("convener", "created_by").filter(pk=meeting_id).first()
    return meeting if meeting is not None and policies.can_view_meeting(user, meeting) else None


def meeting_decisions(user: User, meeting: Meeting) -> list[Decision]:
    decisions = _scoped(meeting.decisions.all(), policies.decision_filter(user))
    return list(decisions.select_related("department").prefetch_related("notes__actor").order_by("deadline", "pk"))


def meeting_items(user: User, meeting: Meeting) -> list[dict]:
    """The matters referred to the meeting that `user` may see: cases, topics and entries by their scopes."""
    items = list(meeting.items.select_related("topic", "entry"))
    cases = {case.pk: case for case in linked_cases(user, meeting.items.filter(case__isnull=False))}
    shown = []
    for item in items:
        if item.case_id is not None and item.case_id in cases:
            shown.append({"kind": "case", "case": cases[item.case_id]})
        elif item.topic_id is not None and policies.can_view_topic(user, item.topic):
            shown.append({"kind": "topic", "topic": item.topic})
        elif item.entry_id is not None and policies.can_view_entry(user, item.entry):
            shown.append({"kind": "entry", "entry": item.entry})
    return shown


def decision_list(user: User, *, today: date, overdue_only: bool = False) -> QuerySet[Decision]:
    decisions = _scoped(Decision.objects.all(), policies.decision_filter(user))
    if overdue_only:
        decisions = decisions.exclude(status="done").filter(deadline__lt=today)
    return decisions.select_related("meeting", "department").order_by("deadline", "pk")


def leaders() -> QuerySet[User]:
    from petitions.models import Role

    return User.objects.filter(is_active=True, groups__name=Role.LEADER).order_by("username").distinct()


def overdue_days(deadline: date, today: date) -> int:
    return max(0, (today - deadline).days)

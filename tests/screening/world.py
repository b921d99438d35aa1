"""Register entries, a campaign, a topic and a meeting built through the services, for tests and the URL walks."""

from datetime import timedelta

from django.utils import timezone

from petitions.models import Case, Department, Region, User
from screening import services
from screening.models import IssueKind


def entry_data(department: Department, **overrides) -> services.EntryData:
    today = timezone.localdate()
    values = {
        "found_on": today,
        "region": Region.objects.filter(level__gte=Region.Level.COUNTY).order_by("code").first(),
        "kind": IssueKind.objects.get(code="wage_arrears"),
        "title": "某建筑工地拖欠农民工工资",
        "risk": "high",
        "department": department,
        "deadline": today + timedelta(days=30),
        "organisations": "某建筑劳务公司；某开发公司",
        "households": 40,
    }
    values.update(overrides)
    return services.EntryData(**values)


def screening_objects(
    *, supervisor: User, department: Department, case: Case | None = None, leader=None, topic: bool = True
) -> dict:
    """One of each object a screening URL names, owned by `department`, with `case` linked to the entry and
    referred to the meeting, and (with `topic`) the cluster of `case` promoted to a topic."""
    today = timezone.localdate()
    campaign = services.campaign_create(
        actor=supervisor, name=f"{department.name}大排查", starts_on=today - timedelta(days=7), ends_on=today
    )
    entry = services.entry_create(actor=supervisor, data=entry_data(department, campaign=campaign, leader=leader))
    meeting = services.meeting_create(
        actor=supervisor,
        title=f"{department.name}联席会议",
        held_on=today,
        convener=leader or supervisor,
        units=[department],
        minutes="会议研究了欠薪问题。",
    )
    decision = services.decision_add(
        meeting_id=meeting.pk, actor=supervisor, text="限期清偿拖欠工资", department=department, deadline=today
    )
    services.meeting_refer(meeting_id=meeting.pk, actor=supervisor, entry=entry)
    promoted = None
    if case is not None:
        services.entry_link_case(entry_id=entry.pk, actor=supervisor, number=case.number)
        services.meeting_refer(meeting_id=meeting.pk, actor=supervisor, case_number=case.number)
    if case is not None and topic:
        day = timezone.localtime(case.received_at).date()
        promoted = services.topic_promote(
            actor=supervisor,
            category=case.category,
            region=case.region,
            start=day,
            end=day,
            department=department,
            title=f"{department.name}热点",
        )
        services.meeting_refer(meeting_id=meeting.pk, actor=supervisor, topic=promoted)
    return {
        "entry_id": [entry.pk],
        "campaign_id": [campaign.pk],
        "meeting_id": [meeting.pk],
        "decision_id": [decision.pk],
        "topic_id": [promoted.pk] if promoted else [],
    }

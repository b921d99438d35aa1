"""Who may see and do what in the register, the topics and the meetings (one place per rule).

The office's readers of every case (supervisors, leaders, administrators: `view_all_cases`) see
everything; a department sees the entries and topics it answers for and the meetings it attended or
owes a decision of — and of a meeting only its own decisions. Keeping the register, promoting topics
and recording meetings is the office's (`manage_screening`).
"""

from django.db.models import Q

from petitions.models import Role, User
from screening.models import Campaign, Decision, Entry, Meeting, Status, Topic


def is_office_staff(user: User) -> bool:
    """Those who see every case see every entry, topic and meeting. Clerks do not: a register entry links
    cases, and a clerk sees only the cases of the intake desk."""
    return user.is_authenticated and user.has_perm("petitions.view_all_cases")


def may_manage(user: User) -> bool:
    return user.is_authenticated and user.has_perm("screening.manage_screening")


def _department_of(user: User) -> int | None:
    """The department whose register a department's staff see (None: not department staff)."""
    if user.is_authenticated and user.has_perm("petitions.handle_case"):
        return user.department_id
    return None


def may_see_pages(user: User) -> bool:
    return user.is_authenticated and (is_office_staff(user) or _department_of(user) is not None)


def may_see_clusters(user: User) -> bool:
    """The suggested clusters count every case of the office: only for those who see every case."""
    return user.is_authenticated and user.has_perm("petitions.view_all_cases")


def entry_filter(user: User) -> Q | None:
    """The entries `user` sees; None: all."""
    if is_office_staff(user):
        return None
    department = _department_of(user)
    return Q(department_id=department) if department is not None else Q(pk__in=[])


def topic_filter(user: User) -> Q | None:
    if is_office_staff(user):
        return None
    department = _department_of(user)
    return Q(department_id=department) if department is not None else Q(pk__in=[])


def meeting_filter(user: User) -> Q | None:
    if is_office_staff(user):
        return None
    department = _department_of(user)
    if department is None:
        return Q(pk__in=[])
    attended = Meeting.units.through.objects.filter(department_id=department).values("meeting_id")
    owed = Decision.objects.filter(department_id=department).values("meeting_id")
    return Q(pk__in=attended) | Q(pk__in=owed)


def decision_filter(user: User) -> Q | None:
    if is_office_staff(user):
        return None
    department = _department_of(user)
    return Q(department_id=department) if department is not None else Q(pk__in=[])


def can_view_entry(user: User, entry: Entry) -> bool:
    return is_office_staff(user) or (_department_of(user) or -1) == entry.department_id


def can_view_topic(user: User, topic: Topic) -> bool:
    return is_office_staff(user) or (_department_of(user) or -1) == topic.department_id


def can_view_decision(user: User, decision: Decision) -> bool:
    return is_office_staff(user) or (_department_of(user) or -1) == decision.department_id


def can_view_meeting(user: User, meeting: Meeting) -> bool:
    if is_office_staff(user):
        return True
    department = _department_of(user)
    if department is None:
        return False
    return meeting.units.filter(pk=department).exists() or meeting.decisions.filter(department_id=department).exists()


def campaign_filter(user: User) -> Q | None:
    """A department sees the campaigns that found one of its entries."""
    if is_office_staff(user):
        return None
    department = _department_of(user)
    if department is None:
        return Q(pk__in=[])
    return Q(pk__in=Entry.objects.filter(department_id=department, campaign__isnull=False).values("campaign_id"))


def can_view_campaign(user: User, campaign: Campaign) -> bool:
    if is_office_staff(user):
        return True
    department = _department_of(user)
    return department is not None and campaign.entries.filter(department_id=department).exists()


def _of_unit(user: User, department_id: int) -> bool:
    return _department_of(user) == department_id


# Which transition the responsible unit may make, and which only the office (reopening, closing).
UNIT_TRANSITIONS = {"start", "resolve"}
OFFICE_TRANSITIONS = {"start", "resolve", "reopen", "close"}


def may_transition_entry(entry: Entry, user: User, action: str) -> bool:
    if may_manage(user):
        return action in OFFICE_TRANSITIONS
    return action in UNIT_TRANSITIONS and _of_unit(user, entry.department_id)


def may_note_entry(entry: Entry, user: User) -> bool:
    return entry.status != Status.CLOSED and (may_manage(user) or _of_unit(user, entry.department_id))


def may_follow_up_decision(decision: Decision, user: User) -> bool:
    return may_manage(user) or _of_unit(user, decision.department_id)


def is_leader(user: User) -> bool:
    return user.is_active and user.groups.filter(name=Role.LEADER).exists()

"""Joint meetings: decisions with an owner and a deadline, their follow-through, the chase of overdue
decisions and register entries (each reminder exactly once, on a simulated clock), scoping, and the
printable minutes."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from devdata.factories import UserFactory
from petitions.models import Notification, Role
from screening import selectors, services
from screening.chase import chase_deadlines
from screening.errors import ScreeningError, StaleRecord
from screening.models import ChaseRecord, Decision, DecisionStatus
from tests.reports.pdf_tools import pdf_text
from tests.screening.world import entry_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(supervisor, leader, department, other_department):
    return services.meeting_create(
        actor=supervisor,
        title="欠薪问题联席会议",
        held_on=timezone.localdate(),
        convener=leader,
        units=[department, other_department],
        minutes="会议听取了住建局关于欠薪问题的汇报。",
    )


def _at(day):
    """The clock at ten in the morning of `day`, office time."""
    return time_machine.travel(timezone.make_aware(datetime.combine(day, time(10))))


def test_an_overdue_decision_is_chased_exactly_once(supervisor, department_head, meeting, department):
    decision = services.decision_add(
        meeting_id=meeting.pk,
        actor=supervisor,
        text="限期清偿拖欠工资",
        department=department,
        deadline=timezone.localdate() + timedelta(days=10),
    )
    due = decision.deadline
    kinds = lambda: list(  # noqa: E731
        Notification.objects.filter(recipient=department_head).order_by("pk").values_list("kind", flat=True)
    )
    with _at(due - timedelta(days=8)):
        assert chase_deadlines() == 0  # not yet near
    with _at(due - timedelta(days=2)):
        assert chase_deadlines() == 1
        assert chase_deadlines() == 0
    with _at(due):
        assert chase_deadlines() == 0  # due today: reminded already, not overdue yet
    with _at(due + timedelta(days=1)):
        assert chase_deadlines() == 1
        assert chase_deadlines() == 0
    with _at(due + timedelta(days=9)):
        assert chase_deadlines() == 0
    assert kinds() == ["screening_decision_due_soon", "screening_decision_overdue"]
    assert ChaseRecord.objects.filter(subject="decision", subject_id=decision.pk).count() == 2


def test_a_done_decision_is_not_chased(supervisor, department_head, meeting, department):
    done = services.decision_add(
        meeting_id=meeting.pk,
        actor=supervisor,
        text="落实专项资金",
        department=department,
        deadline=timezone.localdate(),
    )
    services.decision_follow_up(decision_id=done.pk, actor=department_head, version=1, status="done", note="已落实")
    with _at(timezone.localdate() + timedelta(days=5)):
        assert chase_deadlines() == 0
    assert not ChaseRecord.objects.exists()


def test_an_overdue_register_entry_goes_to_the_unit_heads_and_the_leader(
    supervisor, department_head, leader, department
):
    entry = services.entry_create(
        actor=supervisor, data=entry_data(department, leader=leader, deadline=timezone.localdate() + timedelta(days=20))
    )
    with _at(entry.deadline + timedelta(days=1)):
        assert chase_deadlines() == 1
        assert chase_deadlines() == 0
    for user in (department_head, leader):
        assert list(Notification.objects.filter(recipient=user).values_list("kind", flat=True)) == [
            "screening_entry_overdue"
        ]
    services.entry_transition(entry_id=entry.pk, actor=supervisor, action="resolve", version=1)
    with _at(entry.deadline + timedelta(days=3)):
        assert chase_deadlines() == 0


def test_follow_through_is_recorded_by_the_owner_and_refused_to_others(
    supervisor, handler, other_handler, meeting, department
):
    decision = services.decision_add(
        meeting_id=meeting.pk,
        actor=supervisor,
        text="限期清偿拖欠工资",
        department=department,
        deadline=timezone.localdate() + timedelta(days=10),
    )
    with pytest.raises(ScreeningError):
        services.decision_follow_up(decision_id=decision.pk, actor=other_handler, version=1, status="in_progress")
    services.decision_follow_up(decision_id=decision.pk, actor=handler, version=1, status="in_progress", note="已约谈")
    with pytest.raises(StaleRecord):
        services.decision_follow_up(decision_id=decision.pk, actor=handler, version=1, status="done")
    decision.refresh_from_db()
    assert (decision.status, decision.version, decision.done_on) == (DecisionStatus.IN_PROGRESS, 2, None)
    assert list(decision.notes.values_list("status", "note", "actor")) == [
        ("open", "", supervisor.pk),
        ("in_progress", "已约谈", handler.pk),
    ]


def test_a_department_sees_only_its_own_decisions_and_meetings(
    client, supervisor, handler, meeting, department, other_department
):
    ours = services.decision_add(
        meeting_id=meeting.pk, actor=supervisor, text="住建局负责", department=department, deadline=timezone.localdate()
    )
    services.decision_add(
        meeting_id=meeting.pk,
        actor=supervisor,
        text="教育局负责",
        department=other_department,
        deadline=timezone.localdate(),
    )
    assert selectors.meeting_decisions(handler, meeting) == [ours]
    assert len(selectors.meeting_decisions(supervisor, meeting)) == 2
    client.force_login(handler)
    page = client.get(reverse("screening:meeting", kwargs={"meeting_id": meeting.pk})).content.decode()
    assert "住建局负责" in page and "教育局负责" not in page
    elsewhere = services.meeting_create(
        actor=supervisor, title="别处会议", held_on=timezone.localdate(), convener=supervisor, units=[other_department]
    )
    assert client.get(reverse("screening:meeting", kwargs={"meeting_id": elsewhere.pk})).status_code == 404
    assert [m.pk for m in selectors.meeting_list(handler)] == [meeting.pk]
    stranger = UserFactory(roles=[Role.HANDLER], department=None)
    client.force_login(stranger)
    assert client.get(reverse("screening:meetings")).status_code == 403


def test_a_decision_with_bad_input_is_refused_and_nothing_is_saved(client, supervisor, meeting, department):
    client.force_login(supervisor)
    url = reverse("screening:decision_add", kwargs={"meeting_id": meeting.pk})
    for data in (
        {},
        {"text": "x", "department": department.pk, "deadline": "2026-02-31"},
        {"text": "x", "department": "999999999", "deadline": timezone.localdate().isoformat()},
        {"text": "x", "department": department.pk, "deadline": (meeting.held_on - timedelta(days=5)).isoformat()},
    ):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert any(message.level_tag == "error" for message in response.context["messages"]), data
    assert not Decision.objects.exists()


def test_the_minutes_print_with_their_decisions(client, supervisor, meeting, department, tmp_path):
    services.decision_add(
        meeting_id=meeting.pk,
        actor=supervisor,
        text="限期清偿拖欠工资",
        department=department,
        deadline=timezone.localdate(),
    )
    client.force_login(supervisor)
    page = client.get(reverse("screening:meeting_print", kwargs={"meeting_id": meeting.pk})).content.decode()
    assert "@page" in page and "限期清偿拖欠工资" in page
    pdf = client.get(reverse("screening:meeting_pdf", kwargs={"meeting_id": meeting.pk}))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content, tmp_path)
    assert "欠薪问题联席会议" in text and "限期清偿拖欠工资" in text and department.name in text

"""The demo data: lived on one moved clock, with the scheduler's daily work done as its days passed."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from devdata.demo import load_demo_data
from escalation.models import Escalation, EscalationRule
from escalation.services import auto_close_due_cases, escalation_sweep
from petitions.models import Case, CaseLog, Notification, User


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Loaded once for the module (about half a minute), and removed again afterwards."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            loaded_at = timezone.now()
            load_demo_data()
            yield loaded_at
            transaction.set_rollback(True)


@pytest.fixture
def with_demo(demo, db):
    """Each test in its own savepoint on top of the module's demo data."""
    return demo


def test_nothing_in_the_demo_lies_in_the_future(with_demo):
    now = timezone.now()
    assert Case.objects.count() >= 300
    assert not Case.objects.filter(received_at__gt=now).exists()
    assert not CaseLog.objects.filter(at__gt=now).exists()
    assert not Escalation.objects.filter(created_at__gt=now).exists()
    assert not Notification.objects.filter(created_at__gt=now).exists()


# The office's own zone, not the active one: a test that leaves another zone active made the sweep's
# 00:10 local run look a day early (it failed in the whole suite only).
OFFICE_ZONE = ZoneInfo(settings.TIME_ZONE)


def test_each_escalation_carries_the_day_its_rung_was_due(with_demo):
    offsets = dict(EscalationRule.objects.values_list("level", "days_from_deadline"))
    escalations = list(Escalation.objects.all())
    assert {e.level for e in escalations} == set(offsets), "the demo climbs every rung of the ladder"
    late = [
        (e.case_id, e.level, e.deadline, e.created_at)
        for e in escalations
        if timezone.localtime(e.created_at, OFFICE_ZONE).date() != e.deadline + timedelta(days=offsets[e.level])
        or e.days_from_deadline != offsets[e.level]
    ]
    assert late == []
    # A case far overdue shows its levels on the days they came, not in the minute the demo was made.
    climbed = Case.objects.filter(escalations__level=3).first()
    days = {e.level: timezone.localtime(e.created_at, OFFICE_ZONE).date() for e in climbed.escalations.all()}
    assert days[1] < days[2] < days[3]


def test_the_sweep_after_the_demo_finds_nothing_old_to_do(with_demo):
    result = escalation_sweep()
    assert (result.escalations, result.notifications) == (0, 0)
    assert auto_close_due_cases() == 0


def test_the_demo_handler_sees_overdue_and_due_soon_cases_of_the_department(with_demo, client):
    handler = User.objects.get(username="handler")
    today = timezone.localdate()
    department = Case.objects.filter(department=handler.department)
    assert department.filter(due_date__lt=today).count() >= 3
    assert department.filter(due_date__gte=today, due_date__lte=today + timedelta(days=3)).exists()
    assert department.filter(handler=handler, due_date__lt=today).exists()
    client.force_login(handler)
    for due in ("overdue", "soon"):
        listed = client.get(reverse("case_department"), {"due": due}).context["page"]
        assert len(listed) > 0, due

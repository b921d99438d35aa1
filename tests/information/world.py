"""Returns objects for the page walks: a unit with a return due and one sent, and a special period now."""

from datetime import timedelta

from django.utils import timezone

from information.models import ReportingUnit, SpecialPeriod
from information.returns.services import return_submit


def returns_world(head, department):
    """`head` answers for `department`'s returns; a special period runs today; last week's zero report is in."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    unit = ReportingUnit.objects.create(
        department=department, responsible=head, reports_from=monday - timedelta(days=7)
    )
    period = SpecialPeriod.objects.create(name="重大活动期间", starts=today, ends=today + timedelta(days=2))
    sent = return_submit(
        actor=head, unit_id=unit.pk, kind="weekly", period_start=monday - timedelta(days=7), zero=True, today=today
    )
    return sent, period

"""Rows no service would write: the sweep still escalates every other case, and the odd ones too.

A deadline in year 1 is 739,000 days past: once more than a small integer holds, which aborted the
whole sweep (one transaction per batch) and so every escalation of the office.
"""

import logging
from datetime import date

import pytest
from django.db import connection

from escalation.models import Escalation
from escalation.services import escalation_sweep
from petitions.models import Case
from tests.escalation.conftest import LEVEL_3, on

pytestmark = pytest.mark.django_db


def test_a_deadline_in_year_1_does_not_stop_the_sweep(routed, postgres_only, caplog):
    normal = [routed() for _ in range(3)]
    odd = routed()
    beyond = routed()
    # Behind the services' back: with the ORM, and with SQL (a date before year 1, which Python cannot hold).
    Case.objects.filter(pk=odd.pk).update(handling_due=date(1, 1, 1))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE petitions_case SET handling_due = '0001-01-01 BC' WHERE id = %s", [beyond.pk])

    with caplog.at_level(logging.WARNING), on(LEVEL_3):
        result = escalation_sweep(batch_size=2)  # the odd ones share their batches with others

    for case in normal:  # level 1, 2 and 3 (the reminder is only for deadlines still ahead)
        assert sorted(Escalation.objects.filter(case=case).values_list("level", flat=True)) == [1, 2, 3]
    for case in (odd, beyond):
        escalations = Escalation.objects.filter(case=case)
        assert sorted(escalations.values_list("level", flat=True)) == [1, 2, 3]
        assert min(escalations.values_list("days_from_deadline", flat=True)) > 700_000
    assert result.escalations == 15
    assert odd.number in caplog.text and beyond.number in caplog.text  # and someone is told
    with on(LEVEL_3):
        assert escalation_sweep().escalations == 0  # nothing twice, the odd ones neither

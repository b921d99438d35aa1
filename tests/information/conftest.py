"""Three reporting units on a controlled clock: two departments and a township."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from devdata.factories import UserFactory
from information.models import ReportingUnit, SpecialPeriod
from petitions.models import Department, Region, Role

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A special week: Monday 14 to Sunday 20 December 2026 (all working days Monday to Friday).
SPECIAL_FROM, SPECIAL_TO = date(2026, 12, 14), date(2026, 12, 20)
# The week before it, reported weekly: due on Friday 11 December.
ORDINARY_WEEK = date(2026, 12, 7)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


@contextmanager
def on(day: date, hour: int = 10) -> Iterator[None]:
    with time_machine.travel(at(day, hour), tick=False):
        yield


@pytest.fixture
def units(db, department, other_department):
    """{"a": 住建局's unit, "b": 教育局's, "c": 湖滨镇's}, each with its own responsible person, reporting
    from ORDINARY_WEEK."""
    township = Region.objects.get(code="990121101")
    found = {}
    for key, place in (("a", department), ("b", other_department), ("c", township)):
        if isinstance(place, Department):
            person = UserFactory(roles=[Role.DEPARTMENT_HEAD], department=place)
            found[key] = ReportingUnit.objects.create(department=place, responsible=person, reports_from=ORDINARY_WEEK)
        else:
            person = UserFactory(roles=[Role.HANDLER], department=department)
            found[key] = ReportingUnit.objects.create(region=place, responsible=person, reports_from=ORDINARY_WEEK)
    return found


@pytest.fixture
def special_week(db, admin_user):
    return SpecialPeriod.objects.create(
        name="党代会期间", starts=SPECIAL_FROM, ends=SPECIAL_TO, all_units=True, every_day=True, declared_by=admin_user
    )

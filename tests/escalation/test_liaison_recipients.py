"""The top rung (level 3) goes to the owning leader; without one, to the leaders linked to the case's department
or region (定点联系, reports.LeaderLiaison); with no link, to every leader."""

import pytest
from django.db import IntegrityError, transaction

from escalation.services import escalation_sweep
from petitions.models import Region
from reports.models import LeaderLiaison
from tests.escalation.conftest import LEVEL_3, on, sent

pytestmark = pytest.mark.django_db


def level_3_recipients() -> set[str]:
    with on(LEVEL_3):
        escalation_sweep()
    return {username for _number, _kind, username in sent("deadline_overdue")}


def test_a_department_link_takes_the_top_rung_when_no_leader_owns_the_case(routed, leader, second_leader, department):
    LeaderLiaison.objects.create(leader=second_leader, department=department)
    routed()
    assert level_3_recipients() == {second_leader.username}


def test_a_region_link_covers_the_regions_under_it(routed, leader, second_leader, department):
    case = routed()
    county = Region.objects.get(pk=case.region_id)
    while county.level > Region.Level.COUNTY:
        county = county.parent
    LeaderLiaison.objects.create(leader=leader, region=county)
    assert level_3_recipients() == {leader.username}


def test_the_owning_leader_comes_before_the_linked_one(routed, leader, second_leader, department):
    LeaderLiaison.objects.create(leader=second_leader, department=department)
    routed(owner=leader)
    assert level_3_recipients() == {leader.username}


def test_without_a_link_every_leader_is_told(routed, leader, second_leader, other_department):
    LeaderLiaison.objects.create(leader=second_leader, department=other_department)  # another unit's leader
    routed()
    assert level_3_recipients() == {leader.username, second_leader.username}


def test_a_link_to_an_inactive_leader_falls_back_to_every_leader(routed, leader, second_leader, department):
    LeaderLiaison.objects.create(leader=second_leader, department=department)
    second_leader.is_active = False
    second_leader.save(update_fields=["is_active"])
    routed()
    assert level_3_recipients() == {leader.username}


def test_a_link_names_exactly_one_unit_once(leader, department):
    region = Region.objects.first()
    with transaction.atomic(), pytest.raises(IntegrityError):
        LeaderLiaison.objects.create(leader=leader, department=department, region=region)
    with transaction.atomic(), pytest.raises(IntegrityError):
        LeaderLiaison.objects.create(leader=leader)
    LeaderLiaison.objects.create(leader=leader, department=department)
    with transaction.atomic(), pytest.raises(IntegrityError):
        LeaderLiaison.objects.create(leader=leader, department=department)

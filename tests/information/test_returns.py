"""Returns from units across a declared special period on a simulated clock: daily returns due, one unit
late and chased exactly once, zero reports counted, and the weekly report's figures exact."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext

from devdata.factories import UserFactory
from information.models import ReportingUnit, ReturnChase, ReturnKind, SpecialPeriod, UnitReturn
from information.returns.chase import returns_chase
from information.returns.schedule import Schedule
from information.returns.selectors import special_period_summary
from information.returns.services import ReturnError, return_submit
from petitions.models import Notification, Role
from reports.rendering import report_html
from reports.selectors import report_figures, week_of
from tests.information.conftest import ORDINARY_WEEK, SPECIAL_FROM, SPECIAL_TO, on

DAILY, WEEKLY = ReturnKind.DAILY, ReturnKind.WEEKLY


def zero(unit: ReportingUnit, day: date, kind: str = DAILY) -> UnitReturn:
    return return_submit(actor=unit.responsible, unit_id=unit.pk, kind=kind, period_start=day, zero=True)


def report(unit: ReportingUnit, day: date, text: str, kind: str = DAILY) -> UnitReturn:
    return return_submit(
        actor=unit.responsible,
        unit_id=unit.pk,
        kind=kind,
        period_start=day,
        zero=False,
        content={"new_disputes": text, "expected_visitors": 30, "expected_visits": "某小区业主反映停车收费"},
    )


def test_a_special_week_is_reported_daily_one_late_unit_chased_exactly_once(units, special_week, supervisor):
    a, b, c = units["a"], units["b"], units["c"]
    ReportingUnit.objects.update(reports_from=SPECIAL_FROM)  # no weekly return before the special week
    a, b, c = (ReportingUnit.objects.get(pk=unit.pk) for unit in (a, b, c))
    day1, day2, day3 = SPECIAL_FROM, SPECIAL_FROM + timedelta(days=1), SPECIAL_FROM + timedelta(days=2)

    owed = Schedule([a], SPECIAL_FROM, SPECIAL_TO).owed()
    # Every day of the week, the weekend too (the period says so), and no weekly return for a week reported daily.
    assert [(item.kind, item.start, item.due) for item in owed] == [
        (DAILY, SPECIAL_FROM + timedelta(days=n), SPECIAL_FROM + timedelta(days=n)) for n in range(7)
    ]

    with on(day1):
        zero(a, day1)
        report(b, day1, "发现欠薪纠纷一起")
        zero(c, day1)
    with on(day1, 18):
        assert returns_chase().chases == 0
    with on(day2):
        zero(a, day2)
        zero(b, day2)
        with pytest.raises(ReturnError):  # the next day's return cannot be sent before its day
            zero(c, day3)
    with on(day2, 16):
        first = returns_chase()
        again = returns_chase()  # a second run sends nothing twice
    assert (first.chases, again.chases) == (1, 0)
    chase = ReturnChase.objects.get()
    assert (chase.unit_id, chase.kind, chase.period_start, chase.level) == (c.pk, DAILY, day2, 1)
    assert set(chase.recipients) == {c.responsible_id, supervisor.pk}  # the unit's person and the office
    told = Notification.objects.filter(kind="return_not_received")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([c.responsible_id, supervisor.pk])
    assert "湖滨镇" in told.first().message and day2.isoformat() in told.first().message

    with on(day3):
        late = report(c, day2, "补报：村民反映征地补偿")
        zero(c, day3)
        zero(a, day3)
        report(b, day3, "化解信访积案一件")
    with on(day3, 16):
        assert returns_chase().chases == 0
    assert late.is_late and not UnitReturn.objects.exclude(pk=late.pk).filter(is_late=True).exists()
    assert ReturnChase.objects.count() == 1

    summary = special_period_summary(special_week, today=day3)
    assert summary["totals"] == {"owed": 21, "reported": 3, "zero": 6, "late": 1, "missing": 0, "open": 12}
    assert [(day["day"], day["zero"], day["reported"]) for day in summary["days"][:3]] == [
        (day1, 2, 1),
        (day2, 2, 1),
        (day3, 2, 1),
    ]

    # The office's weekly report of that week, made on the Monday after: the days nobody reported are missing.
    snapshot = report_figures(week_of(SPECIAL_FROM), None, today=SPECIAL_TO + timedelta(days=1))
    part = snapshot["parts"]["returns"]
    assert part["totals"] == {"owed": 21, "reported": 3, "zero": 6, "late": 1, "missing": 12, "open": 0}
    assert part["zero_units"] == sorted([a.name, b.name, c.name])
    assert part["reported_units"] == sorted([b.name, c.name])
    assert {(row["unit"], row["start"]) for row in part["late_or_missing"] if row["late"]} == {
        (c.name, day2.isoformat())
    }
    html = report_html(snapshot, language="zh-hans", weekly=True)
    assert 'data-part="returns"' in html and c.name in html


def test_an_ordinary_week_has_one_weekly_return_due_friday_and_the_summary_counts_it(units, supervisor):
    a, b, c = units["a"], units["b"], units["c"]
    friday = ORDINARY_WEEK + timedelta(days=4)
    with on(ORDINARY_WEEK):  # Monday: the reminder rung (3 days before Friday) has not come yet
        assert returns_chase().chases == 0
    with on(ORDINARY_WEEK + timedelta(days=2)):  # Wednesday: 2 days before Friday
        zero(a, ORDINARY_WEEK, WEEKLY)
        reminded = returns_chase()
    assert reminded.chases == 2  # b and c, not a, which has reported
    assert set(ReturnChase.objects.values_list("unit_id", "level", "due")) == {(b.pk, 0, friday), (c.pk, 0, friday)}
    with on(friday + timedelta(days=1)):  # Saturday: b's return is late, c's missing
        report(b, ORDINARY_WEEK, "排查矛盾纠纷三起", WEEKLY)
        chased = returns_chase()
    assert chased.chases == 1  # c, level 1 (its deadline reached); b has reported meanwhile
    snapshot = report_figures(week_of(ORDINARY_WEEK), None, today=ORDINARY_WEEK + timedelta(days=7))
    assert snapshot["parts"]["returns"]["totals"] == {
        "owed": 3,
        "reported": 1,
        "zero": 1,
        "late": 1,
        "missing": 1,
        "open": 0,
    }
    department_report = report_figures(week_of(ORDINARY_WEEK), a.department, today=ORDINARY_WEEK + timedelta(days=7))
    assert department_report["parts"]["returns"]["totals"]["owed"] == 1  # that department's unit only
    assert department_report["parts"]["returns"]["zero_units"] == [a.name]


def test_a_special_period_of_chosen_regions_and_working_days_only(units, admin_user):
    township = units["c"].region
    period = SpecialPeriod.objects.create(
        name="村委会换届", starts=date(2026, 12, 18), ends=date(2026, 12, 21), all_units=False, every_day=False
    )
    period.regions.add(township.parent)  # the county: its townships are in scope
    schedule = Schedule(list(ReportingUnit.objects.all()), date(2026, 12, 14), date(2026, 12, 27))
    daily = {(item.unit_id, item.start) for item in schedule.owed() if item.kind == DAILY}
    # Friday 18 and Monday 21 are working days; the weekend is not (the period does not ask for rest days).
    assert daily == {(units["c"].pk, date(2026, 12, 18)), (units["c"].pk, date(2026, 12, 21))}
    weekly = [(item.unit_id, item.start) for item in schedule.owed() if item.kind == WEEKLY]
    assert len(weekly) == 6  # two weeks, each partly special: still reported weekly by every unit


# --- Bad input: a clear translated error, nothing changed -----------------------------------------------


def test_a_zero_report_with_content_a_second_return_and_another_units_return_are_refused(units):
    a, b = units["a"], units["b"]
    with on(ORDINARY_WEEK + timedelta(days=2)):
        cases = [
            {
                "actor": a.responsible,
                "unit_id": a.pk,
                "kind": WEEKLY,
                "period_start": ORDINARY_WEEK,
                "zero": True,
                "content": {"risks": "有"},
            },
            {
                "actor": a.responsible,
                "unit_id": a.pk,
                "kind": WEEKLY,
                "period_start": ORDINARY_WEEK,
                "zero": False,
                "content": {},
            },
            {"actor": a.responsible, "unit_id": b.pk, "kind": WEEKLY, "period_start": ORDINARY_WEEK, "zero": True},
            {
                "actor": a.responsible,
                "unit_id": a.pk,
                "kind": DAILY,
                "period_start": ORDINARY_WEEK,
                "zero": True,
            },  # not owed
            {
                "actor": a.responsible,
                "unit_id": a.pk,
                "kind": WEEKLY,
                "period_start": ORDINARY_WEEK + timedelta(days=1),
                "zero": True,
            },
        ]
        for arguments in cases:
            with pytest.raises(ReturnError) as refused:
                return_submit(**arguments)
            assert isinstance(refused.value.message, Promise)  # a translated message
        assert not UnitReturn.objects.exists()
        zero(a, ORDINARY_WEEK, WEEKLY)
        with pytest.raises(ReturnError) as refused:
            report(a, ORDINARY_WEEK, "又一份", WEEKLY)
        assert str(refused.value.message) == gettext("This unit has already sent its return for this period.")
    assert UnitReturn.objects.count() == 1 and UnitReturn.objects.get().is_zero


def test_the_database_refuses_a_zero_report_with_content_and_a_second_return(units):
    a = units["a"]
    values = {"unit": a, "kind": WEEKLY, "period_start": ORDINARY_WEEK, "period_end": ORDINARY_WEEK + timedelta(days=6)}
    values.update(due=ORDINARY_WEEK + timedelta(days=4), submitted_by=a.responsible)
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitReturn.objects.create(**values, is_zero=True, risks="有风险")
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitReturn.objects.create(**values, is_zero=False)  # neither zero nor content
    UnitReturn.objects.create(**values, is_zero=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitReturn.objects.create(**values, is_zero=False, risks="第二份")


def test_a_return_has_no_field_for_a_persons_identity():
    names = {field.name for field in UnitReturn._meta.get_fields()}
    personal = {"name", "petitioner", "id_number", "phone", "address", "gender", "petitioners"}
    assert not names & personal
    assert not [name for name in names if "phone" in name or "id_number" in name or name.endswith("_name")]


def test_an_inactive_responsible_person_is_not_notified_but_the_office_is(units, supervisor):
    c = units["c"]
    UserFactory(roles=[Role.SUPERVISOR], is_active=False)
    c.responsible.is_active = False
    c.responsible.save()
    with on(ORDINARY_WEEK + timedelta(days=4), 16):
        returns_chase()
    chase = ReturnChase.objects.get(unit=c, level=1)
    assert chase.recipients == [supervisor.pk]

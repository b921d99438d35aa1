"""The statutory clocks: working-day calendar, deadline rules, explanations, recomputation."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from devdata.factories import advance, register_case
from petitions.checks import calendar_years_check
from petitions.clocks.deadlines import Statutes, case_deadlines, compute, deadline_for, extend_deadline
from petitions.clocks.workdays import WorkingCalendar, missing_schedule_years
from petitions.errors import ActionNotAllowed
from petitions.models import (
    CalendarOverride,
    CalendarYear,
    CaseLog,
    DeadlineRecomputation,
    DeadlineRule,
    State,
    TaskOutbox,
)
from petitions.models.choices import Clock
from petitions.services import lifecycle
from petitions.services.deadline_recompute import deadlines_recompute
from petitions.tasks import recompute_deadlines

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def set_rule(clock: str, days: int) -> None:
    """As the admin does it: through save(), whose signal makes every process reload the rules."""
    rule = DeadlineRule.objects.get(clock=clock)
    rule.days = days
    rule.save()


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=SHANGHAI)


def due(clock: str, start: date) -> date:
    return deadline_for(clock, start).due


# --- Counting -----------------------------------------------------------------------------------------


def test_day_one_is_the_day_after_the_start():
    assert due(Clock.OBJECTION, date(2026, 6, 1)) == date(2026, 6, 8)  # Mon + 5 working days: Tue..Fri, Mon
    calendar = WorkingCalendar.load()
    assert calendar.add_working_days(date(2026, 6, 1), 1) == (date(2026, 6, 2), 0)
    assert calendar.add_days(date(2026, 6, 1), 1) == (date(2026, 6, 2), date(2026, 6, 2))


def test_spring_festival_moves_a_calendar_day_deadline_past_the_holiday():
    with translation.override("en"):
        deadline = deadline_for(Clock.ACCEPT, date(2026, 2, 1))
    # 1 Feb + 15 days = 16 Feb, inside the Spring Festival rest (15–23 Feb 2026): the next working day.
    assert deadline.due == date(2026, 2, 24)
    assert "2026-02-16 is a rest day (Spring Festival)" in deadline.explanation
    assert "2026-02-24" in deadline.explanation
    with translation.override("zh-hans"):
        assert "春节" in deadline_for(Clock.ACCEPT, date(2026, 2, 1)).explanation


def test_spring_festival_adjusted_working_saturday_counts_as_a_working_day():
    # Thu 12 Feb: Fri 13 (1), Sat 14 is an adjusted working day (2), 15–23 rest, Tue 24 (3), 25 (4), 26 (5).
    deadline = deadline_for(Clock.OBJECTION, date(2026, 2, 12))
    assert deadline.due == date(2026, 2, 26)
    assert "9" in deadline.explanation  # nine rest days not counted


def test_national_day_with_its_adjusted_working_saturday():
    # Mon 28 Sep: 29 (1), 30 (2), 1–7 Oct rest, Thu 8 (3), Fri 9 (4), Sat 10 Oct is a working day (5).
    assert due(Clock.OBJECTION, date(2026, 9, 28)) == date(2026, 10, 10)
    # A calendar-day deadline on that Saturday stays there; one inside the holiday moves to 8 October.
    assert due(Clock.ACCEPT, date(2026, 9, 25)) == date(2026, 10, 10)
    assert due(Clock.ACCEPT, date(2026, 9, 20)) == date(2026, 10, 8)


def test_month_ends():
    assert due(Clock.REVIEW_REQUEST, date(2026, 1, 31)) == date(2026, 3, 2)  # 30 days over a 28-day February
    assert due(Clock.HANDLING, date(2026, 3, 31)) == date(2026, 6, 1)  # 30 May is a Saturday
    assert due(Clock.ACCEPT, date(2026, 12, 31)) == date(2027, 1, 15)  # into the next year


def test_leap_day():
    assert due(Clock.REVIEW_REQUEST, date(2024, 1, 30)) == date(2024, 2, 29)
    assert due(Clock.ACCEPT, date(2024, 2, 14)) == date(2024, 2, 29)
    assert due(Clock.REVIEW_REQUEST, date(2026, 1, 30)) == date(2026, 3, 2)  # no 29 Feb; 1 March is a Sunday
    assert due(Clock.OBJECTION, date(2024, 2, 26)) == date(2024, 3, 4)  # 27, 28, 29 Feb, 1 Mar, 4 Mar


def test_extension_counts_from_the_deadline_and_moves_off_a_holiday():
    handling = deadline_for(Clock.HANDLING, date(2026, 7, 23))
    assert handling.due == date(2026, 9, 21)
    with translation.override("en"):
        extended = extend_deadline(handling, 10)
    # 21 Sep + 10 days = 1 Oct, National Day: the next working day is 8 October.
    assert extended.due == date(2026, 10, 8)
    assert extended.basis == {"start": "2026-07-23", "days": 60, "working": False, "extension": 10}
    assert "Extended by 10 days: 2026-09-21 + 10 days = 2026-10-01." in extended.explanation


# --- Overrides and years without an official schedule ------------------------------------------------


def test_an_override_wins_over_the_official_schedule():
    assert due(Clock.ACCEPT, date(2026, 6, 1)) == date(2026, 6, 16)
    CalendarOverride.objects.create(date=date(2026, 6, 16), is_working_day=False, name="防汛")
    with translation.override("en"):
        deadline = deadline_for(Clock.ACCEPT, date(2026, 6, 1))
    assert deadline.due == date(2026, 6, 17)
    assert "2026-06-16 is a rest day (防汛)" in deadline.explanation
    CalendarOverride.objects.create(date=date(2026, 6, 13), is_working_day=True, name="调休上班")  # a Saturday
    # Fri 12 Jun: Sat 13 (1, worked), Mon 15 (2), 16 off, Wed 17 (3), Thu 18 (4), Dragon Boat 19–21, Mon 22 (5).
    assert due(Clock.OBJECTION, date(2026, 6, 12)) == date(2026, 6, 22)


def test_a_year_without_official_schedule_falls_back_to_weekends_and_says_so():
    with translation.override("en"):
        deadline = deadline_for(Clock.ACCEPT, date(2026, 12, 17))
    assert deadline.due == date(2027, 1, 1)  # a Friday; without an official schedule it counts as working
    assert "official rest days of 2027 are not yet in the calendar" in deadline.explanation
    CalendarOverride.objects.create(date=date(2027, 1, 1), is_working_day=False, name="元旦")
    assert due(Clock.ACCEPT, date(2026, 12, 17)) == date(2027, 1, 4)
    CalendarYear.objects.create(year=2027, schedule_entered=True, source="国务院办公厅通知")
    with translation.override("en"):
        assert "not yet in the calendar" not in deadline_for(Clock.ACCEPT, date(2026, 12, 17)).explanation


def test_missing_years_are_reported_from_the_first_of_november():
    assert missing_schedule_years(date(2026, 10, 31)) == []
    assert missing_schedule_years(date(2026, 11, 1)) == [2027]
    assert missing_schedule_years(date(2027, 3, 1)) == [2027]
    CalendarYear.objects.create(year=2027, schedule_entered=True)
    assert missing_schedule_years(date(2026, 11, 1)) == []
    assert missing_schedule_years(date(2027, 11, 1)) == [2028]


def test_system_check_warns_while_next_years_schedule_is_missing():
    with time_machine.travel(at(date(2026, 11, 2))):
        warnings = calendar_years_check(databases=["default"])
        assert [w.id for w in warnings] == ["petitions.W001"] and "2027" in warnings[0].msg
        CalendarYear.objects.create(year=2027, schedule_entered=True)
        assert calendar_years_check(databases=["default"]) == []
    with time_machine.travel(at(date(2026, 10, 2))):
        CalendarYear.objects.all().delete()
        assert calendar_years_check(databases=["default"]) == []


def test_banner_for_admins_and_supervisors_only(client, supervisor, clerk, admin_user):
    with time_machine.travel(at(date(2026, 11, 2))):
        for user, shown in [(supervisor, True), (admin_user, True), (clerk, False)]:
            client.force_login(user)
            html = client.get(reverse("home")).content.decode()
            assert ('data-banner="calendar"' in html) is shown, user
            if shown:
                assert "2027" in html
    with time_machine.travel(at(date(2026, 10, 20))):
        client.force_login(supervisor)
        assert 'data-banner="calendar"' not in client.get(reverse("home")).content.decode()


# --- Rules as data --------------------------------------------------------------------------------------


def test_rules_are_rows_with_the_regulations_defaults():
    rules = {rule.clock: (rule.days, rule.working_days) for rule in DeadlineRule.objects.all()}
    assert rules == {
        "accept": (15, False),
        "objection": (5, True),
        "handling": (60, False),
        "extension": (30, False),
        "review_request": (30, False),
        "review_answer": (30, False),
        # The office's own clocks (审核报结, 回访): rule rows too, from petitions 0017.
        "rework": (10, True),
        "rehandling": (30, False),
        "callback": (1, True),
    }


def test_a_rule_change_applies_to_clocks_started_after_it(clerk):
    with time_machine.travel(at(date(2026, 6, 1)), tick=True):
        before = register_case(clerk=clerk)
        set_rule(Clock.ACCEPT, 10)
        after = register_case(clerk=clerk)
        assert (before.accept_due, after.accept_due) == (date(2026, 6, 16), date(2026, 6, 11))
        with translation.override("en"):
            [row] = case_deadlines(before)
        assert "15 days" in row.explanation and row.due == date(2026, 6, 16)


def test_the_extension_rule_limits_extensions(clerk, supervisor, department):
    with time_machine.travel(at(date(2026, 6, 1)), tick=True):
        case = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
        set_rule(Clock.EXTENSION, 20)
        with translation.override("en"), pytest.raises(ActionNotAllowed, match="1 to 20 days"):
            lifecycle.case_extend(case_id=case.pk, actor=supervisor, days=25, reason="复杂")
        case = lifecycle.case_extend(case_id=case.pk, actor=supervisor, days=20, reason="复杂")
        assert case.handling_due == date(2026, 8, 20)  # 31 July + 20 days


def test_the_database_refuses_an_extension_rule_over_30_days():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        set_rule(Clock.EXTENSION, 31)


# --- A case's deadlines ----------------------------------------------------------------------------------


def test_transitions_keep_what_each_deadline_was_computed_from(clerk, supervisor, department, handler):
    with time_machine.travel(at(date(2026, 7, 23)), tick=True):
        case = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
        assert case.handling_due == date(2026, 9, 21)
        assert case.deadline_basis["handling"] == {"start": "2026-07-23", "days": 60, "working": False}
        assert case.deadline_basis["objection"] == {"start": "2026-07-23", "days": 5, "working": True}
        case = lifecycle.case_extend(case_id=case.pk, actor=supervisor, days=10, reason="需要调查")
        assert case.handling_due == date(2026, 10, 8)
        assert case.deadline_basis["handling"]["extension"] == 10
        with translation.override("en"):
            rows = {row.clock: row for row in case_deadlines(case)}
        assert rows["handling"].due == date(2026, 10, 8) and rows["handling"].running
        assert "Extended by 10 days" in rows["handling"].explanation
        assert "moves to the next working day, 2026-10-08" in rows["handling"].explanation
        case = lifecycle.case_withdraw_routing(case_id=case.pk, actor=supervisor, reason="不属本单位")
        assert set(case.deadline_basis) == {"accept"}


def test_case_page_shows_every_deadline_with_its_explanation(client, clerk, supervisor):
    with time_machine.travel(at(date(2026, 2, 5)), tick=True):
        case = register_case(clerk=clerk, received_at=at(date(2026, 2, 1)))
        client.force_login(supervisor)
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        html = client.get(reverse("case_detail", args=[case.number])).content.decode()
    assert "2026-02-24" in html
    assert "2026-02-16 is a rest day (Spring Festival)" in html
    assert "19 days left" in html


# --- Recomputation after a calendar change ----------------------------------------------------------------


def test_a_calendar_change_recomputes_open_cases_and_logs_each_change(clerk, supervisor, department):
    with time_machine.travel(at(date(2026, 6, 1)), tick=True):
        received = register_case(clerk=clerk)
        assigned = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
        closed = register_case(clerk=clerk)
        lifecycle.case_refuse(case_id=closed.pk, actor=supervisor, reason="不属信访事项")
        assert deadlines_recompute().ran  # the first run records the calendar it used
        assert not deadlines_recompute().ran  # nothing changed since

        CalendarOverride.objects.create(date=date(2026, 6, 16), is_working_day=False, name="临时休息")
        CalendarOverride.objects.create(date=date(2026, 7, 31), is_working_day=False, name="临时休息")
        result = deadlines_recompute()
        assert (result.ran, result.cases_checked, result.cases_changed) == (True, 2, 2)

    received.refresh_from_db()
    assigned.refresh_from_db()
    closed.refresh_from_db()
    assert received.accept_due == date(2026, 6, 17)
    assert assigned.handling_due == date(2026, 8, 3)  # 31 July off, 1–2 August a weekend
    assert closed.accept_due == date(2026, 6, 16)  # a closed case's deadlines are history
    log = CaseLog.objects.get(case=assigned, action="recompute_deadlines")
    assert log.actor is None
    assert log.data == {"changes": [{"clock": "handling", "old": "2026-07-31", "new": "2026-08-03"}]}
    assert [c["label"] for c in log.deadline_changes] == [Clock.HANDLING.label]
    assert not CaseLog.objects.filter(case=closed, action="recompute_deadlines").exists()
    assert assigned.version == 3  # registered 1, accepted 2, recomputed 3: an open form is now stale

    # Deleting the day moves the deadline back; a second run finds nothing to do.
    CalendarOverride.objects.filter(date=date(2026, 7, 31)).delete()
    assert recompute_deadlines.apply().get() == {"ran": True, "checked": 2, "changed": 1}
    assigned.refresh_from_db()
    assert assigned.handling_due == date(2026, 7, 31)
    assert deadlines_recompute().ran is False
    assert DeadlineRecomputation.objects.filter(finished_at__isnull=False).count() == 3


def test_saving_a_calendar_day_in_the_admin_schedules_the_recomputation(
    client, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("admin:petitions_calendaroverride_add"),
            {"date": "2027-01-01", "is_working_day": "", "name": "元旦", "note": "国办发明电〔2026〕1号"},
        )
    assert response.status_code == 302
    override = CalendarOverride.objects.get(date=date(2027, 1, 1))
    assert override.updated_by == admin_user
    # the recomputation is recorded with the change, to be handed to the broker after the commit
    assert TaskOutbox.objects.filter(task="petitions.tasks.recompute_deadlines", handed_over_at=None).count() == 1
    assert any("outbox_hand_over" in repr(callback) for callback in callbacks), callbacks


def test_the_recompute_command_forces_a_run(clerk):
    register_case(clerk=clerk)
    deadlines_recompute()
    call_command("recompute_deadlines")
    assert DeadlineRecomputation.objects.filter(finished_at__isnull=False).count() == 2


def test_rules_and_calendar_load_once_each(clerk, django_assert_num_queries):
    Statutes.changed()
    with django_assert_num_queries(2):  # the rules, the calendar's days; the entered years when asked
        statutes = Statutes.load()
    with django_assert_num_queries(0):
        deadline_for(Clock.HANDLING, date(2026, 2, 1), statutes=statutes)
        compute(Clock.ACCEPT, date(2026, 2, 1), 15, False, calendar=statutes.calendar)
    case = register_case(clerk=clerk)
    with django_assert_num_queries(0):  # the same copy serves every later computation
        case_deadlines(case)


def test_a_handled_case_keeps_its_review_window_in_step_with_the_calendar(clerk, supervisor, department, handler):
    with time_machine.travel(at(date(2026, 6, 1)), tick=True):
        case = advance(
            register_case(clerk=clerk), "delivered", supervisor=supervisor, department=department, handler=handler
        )
        assert (case.state, case.review_request_due) == (State.HANDLED, date(2026, 7, 1))
        CalendarOverride.objects.create(date=date(2026, 7, 1), is_working_day=False)
        deadlines_recompute()
    case.refresh_from_db()
    assert case.review_request_due == date(2026, 7, 2)


@pytest.mark.django_db
def test_statutes_are_loaded_once_and_again_after_a_change(django_assert_num_queries):
    deadline_for(Clock.ACCEPT, date(2026, 6, 1))
    with django_assert_num_queries(0):
        first = deadline_for(Clock.ACCEPT, date(2026, 6, 1))
    rule = DeadlineRule.objects.get(clock=Clock.ACCEPT)
    rule.days = 10
    rule.save()
    with django_assert_num_queries(2):  # rules and calendar, once
        changed = deadline_for(Clock.ACCEPT, date(2026, 6, 1))
    assert (changed.due - first.due).days == -5
    assert Statutes.load() is Statutes.load()

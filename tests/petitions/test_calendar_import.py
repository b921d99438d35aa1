"""Importing the State Council's holiday notice in the admin: paste, preview, confirm; what it changes in
the calendar, who may do it, and texts it refuses without changing anything."""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse

from devdata.factories import UserFactory, advance, register_case
from petitions.clocks.holiday_notice import parse_notice
from petitions.models import (
    CalendarOverride,
    CalendarYear,
    CaseLog,
    DeadlineRecomputation,
    HolidayNoticeImport,
    Role,
)
from petitions.services.holiday_import import NoticeChanged, holiday_notice_import, holiday_notice_plan
from tests.conftest import wait_until

pytestmark = pytest.mark.django_db
NOTICES = Path(__file__).parent / "notices"
# Written for these tests in the notice's form: the State Council had not published 2027's yet.
NOTICE_2027 = (NOTICES / "2027-for-tests.txt").read_text(encoding="utf-8")
SOURCE_2027 = "国务院办公厅关于2027年部分节假日安排的通知"
IMPORT_URL = "admin:petitions_calendaryear_import_notice"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI)


def in_english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def preview(client, text: str, year: str = ""):
    return client.post(reverse(IMPORT_URL), {"text": text, "year": year, "preview": "1"})


def confirm(client, text: str, token: str, year: str = ""):
    return client.post(reverse(IMPORT_URL), {"text": text, "year": year, "token": token, "confirm": "1"})


def import_by_service(text: str, actor, year: int | None = None):
    plan = holiday_notice_plan(text=text, year=year)
    return holiday_notice_import(text=text, year=year, token=plan.token, actor=actor)


def calendar_days(year: int) -> dict[date, tuple[bool, str, str]]:
    return {
        row.date: (row.is_working_day, row.name, row.note)
        for row in CalendarOverride.objects.filter(notice__year=year).order_by("date")
    }


@pytest.fixture
def calendar_admin(db):
    """An administrator by role (the group's permissions), not a superuser."""
    return UserFactory(roles=[Role.ADMIN], is_staff=True)


# --- The whole way, with a real worker recomputing the deadlines --------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_administrator_pastes_previews_and_confirms_and_open_deadlines_follow(
    client, calendar_admin, clerk, supervisor, department, celery_worker_process
):
    # Deadlines that run into 2027, set while its rest days were unknown (weekends only).
    with time_machine.travel(at(date(2026, 12, 17)), tick=True):
        received = register_case(clerk=clerk)  # 15 days: Fri 1 January 2027
    with time_machine.travel(at(date(2026, 12, 10)), tick=True):
        assigned = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
    assert (received.accept_due, assigned.handling_due) == (date(2027, 1, 1), date(2027, 2, 8))
    runs_before = DeadlineRecomputation.objects.count()

    client.force_login(calendar_admin)
    in_english(client)
    case_page = client.get(reverse("case_detail", args=[assigned.number])).content.decode()
    assert "official rest days of 2027 are not yet in the calendar" in case_page
    page = client.get(reverse(IMPORT_URL))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<label for="id_text">' in html and '<label for="id_year">' in html

    response = preview(client, NOTICE_2027)  # no year picked: the title's
    assert response.status_code == 200
    plan = response.context["plan"]
    html = response.content.decode()
    holiday_lines = [line for line in plan.notice.lines if line.kind == "holiday"]
    assert [line.holiday for line in holiday_lines] == [
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
    ]
    for line in holiday_lines:
        assert line.text in html
    assert "2027-02-05 – 2027-02-12" in html and "2027-02-20" in html  # 春节's rest days and working day
    assert html.count('data-change="add"') == len(plan.notice.days()) == 33
    assert 'data-form="confirm"' in html
    assert not CalendarOverride.objects.exists()  # a preview changes nothing

    response = confirm(client, NOTICE_2027, plan.token)
    assert response.status_code == 302 and response.url == reverse("admin:petitions_calendaroverride_changelist")

    days = calendar_days(2027)
    assert len(days) == 33
    assert days[date(2027, 1, 1)] == (False, "元旦", SOURCE_2027)
    assert days[date(2027, 2, 20)] == (True, "春节", SOURCE_2027)
    assert days[date(2027, 10, 9)] == (True, "国庆节", SOURCE_2027)
    year = CalendarYear.objects.get(year=2027)
    assert (year.schedule_entered, year.source, year.updated_by) == (True, SOURCE_2027, calendar_admin)
    record = HolidayNoticeImport.objects.get()
    assert (record.year, record.imported_by, record.days_added, record.text) == (
        2027,
        calendar_admin,
        33,
        NOTICE_2027.strip(),
    )
    assert set(CalendarOverride.objects.values_list("notice", flat=True)) == {record.pk}

    # After the commit a worker recomputes the open deadlines and logs each move on its case.
    wait_until(
        lambda: CaseLog.objects.filter(action="recompute_deadlines").count() == 2, timeout=60, message="recompute"
    )
    received.refresh_from_db()
    assigned.refresh_from_db()
    assert received.accept_due == date(2027, 1, 4)  # 1–3 January rest
    assert assigned.handling_due == date(2027, 2, 15)  # 8 February in the Spring Festival; 13–14 a weekend
    log = CaseLog.objects.get(case=assigned, action="recompute_deadlines")
    assert log.data == {"changes": [{"clock": "handling", "old": "2027-02-08", "new": "2027-02-15"}]}
    run = DeadlineRecomputation.objects.order_by("-id").first()
    assert DeadlineRecomputation.objects.count() == runs_before + 1 and run.finished_at and run.cases_changed == 2
    # and the deadlines no longer say that 2027 was counted without its official rest days
    html = client.get(reverse("case_detail", args=[assigned.number])).content.decode()
    assert "not yet in the calendar" not in html


# --- The preview ----------------------------------------------------------------------------------------


def test_the_preview_shows_each_line_and_what_changes_against_the_calendar_now(client, calendar_admin, admin_user):
    # An administrator had entered New Year's Day by hand, and a local rest day the notice does not have.
    CalendarOverride.objects.create(date=date(2027, 1, 1), name="元旦", note="手工录入", updated_by=admin_user)
    CalendarOverride.objects.create(date=date(2027, 7, 1), name="防汛", updated_by=admin_user)
    client.force_login(calendar_admin)
    in_english(client)
    response = preview(client, NOTICE_2027, year="2027")
    html = response.content.decode()
    plan = response.context["plan"]
    changes = {change.date: change for change in plan.changes}
    assert changes[date(2027, 1, 1)].action == "change" and changes[date(2027, 1, 1)].by_hand
    assert "Replaces a day entered by hand." in html
    assert date(2027, 7, 1) not in changes  # not the notice's day, not imported: left alone
    # 2 January is a Saturday: a rest day already, now with a name; 20 February, a Saturday, becomes a working day.
    assert not changes[date(2027, 1, 2)].status_changes and changes[date(2027, 2, 20)].status_changes
    assert 'data-date="2027-02-20"' in html and "weekdays only" in html
    # The title, the note at the top and the introduction are shown as not part of the schedule.
    assert html.count('data-line="other"') == 5 and "Not part of the schedule" in html


def test_the_preview_speaks_chinese_by_default(client, calendar_admin):
    client.force_login(calendar_admin)
    html = preview(client, NOTICE_2027).content.decode()
    assert "预览" in html and "放假日" in html and "确认" in html


def test_a_year_the_calendar_package_knows_can_be_imported_and_changes_no_deadline(client, calendar_admin):
    text = (NOTICES / "2026.txt").read_text(encoding="utf-8")
    client.force_login(calendar_admin)
    in_english(client)
    response = preview(client, text)
    plan = response.context["plan"]
    assert plan.year_in_package and "already has the official schedule of 2026" in response.content.decode()
    assert not any(change.status_changes for change in plan.changes)  # same days as the package's


# --- Confirming exactly what was previewed ------------------------------------------------------------------


def test_confirming_a_text_other_than_the_previewed_one_is_refused(
    client, calendar_admin, django_capture_on_commit_callbacks
):
    client.force_login(calendar_admin)
    token = preview(client, NOTICE_2027).context["plan"].token
    tampered = NOTICE_2027.replace("2月20日（周六）上班", "2月21日（周日）上班")
    in_english(client)
    with django_capture_on_commit_callbacks() as callbacks:
        response = confirm(client, tampered, token)
        forged = confirm(client, NOTICE_2027, "0" * 64)
    assert response.status_code == forged.status_code == 200
    assert "changed since the preview" in response.content.decode()
    # The page shows the preview of the text that was sent, to be checked and confirmed afresh.
    assert response.context["plan"].notice.days()[date(2027, 2, 21)].working
    assert not CalendarOverride.objects.exists() and not HolidayNoticeImport.objects.exists()
    assert not CalendarYear.objects.filter(schedule_entered=True).exists()
    assert not callbacks  # nothing to recompute


def test_a_calendar_change_after_the_preview_makes_the_confirmation_stale(calendar_admin, admin_user):
    plan = holiday_notice_plan(text=NOTICE_2027)
    CalendarOverride.objects.create(date=date(2027, 10, 9), is_working_day=False, name="调休", updated_by=admin_user)
    with pytest.raises(NoticeChanged) as refused:
        holiday_notice_import(text=NOTICE_2027, year=None, token=plan.token, actor=calendar_admin)
    assert refused.value.plan.token != plan.token
    assert CalendarOverride.objects.count() == 1 and not HolidayNoticeImport.objects.exists()


def test_importing_the_same_notice_again_changes_nothing(client, calendar_admin, django_capture_on_commit_callbacks):
    import_by_service(NOTICE_2027, calendar_admin)
    before = list(CalendarOverride.objects.values_list("id", "date", "is_working_day", "name", "note", "updated_at"))
    client.force_login(calendar_admin)
    in_english(client)
    response = preview(client, NOTICE_2027)
    plan = response.context["plan"]
    assert plan.nothing_to_do and not plan.changes and len(plan.kept) == 33
    assert 'data-form="confirm"' not in response.content.decode()
    assert "nothing to import" in response.content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        response = confirm(client, NOTICE_2027, plan.token, year="2027")
    assert response.status_code == 302
    message = [str(m) for m in response.wsgi_request._messages]
    assert message == ["The calendar already has this notice as it is: nothing was changed."]
    assert not callbacks
    assert HolidayNoticeImport.objects.count() == 1
    after = list(CalendarOverride.objects.values_list("id", "date", "is_working_day", "name", "note", "updated_at"))
    assert after == before


def test_a_corrected_notice_replaces_the_days_of_that_years_earlier_import(calendar_admin, admin_user):
    first = import_by_service(NOTICE_2027, calendar_admin).record
    by_hand = CalendarOverride.objects.create(date=date(2027, 7, 1), name="防汛", updated_by=admin_user)
    corrected = NOTICE_2027.replace(
        "9月26日（周日）、10月9日（周六）上班", "9月25日（周六）、10月10日（周日）上班"
    ).replace("六、中秋节：9月15日（周三）放假1天，不调休。", "")
    result = import_by_service(corrected, calendar_admin)

    assert (result.added, result.changed, result.removed) == (2, 0, 3)
    days = calendar_days(2027)
    assert days.keys() == parse_notice(corrected).days().keys()
    assert date(2027, 9, 15) not in days and date(2027, 10, 9) not in days and days[date(2027, 10, 10)][0]
    assert CalendarOverride.objects.get(pk=by_hand.pk).name == "防汛"  # entered by hand, not the notice's: kept
    record = result.record
    assert record.pk != first.pk and record.days_removed == 3
    assert {row["date"] for row in record.replaced} == {"2027-09-15", "2027-09-26", "2027-10-09"}
    # days the correction did not touch still name the import that entered them
    assert CalendarOverride.objects.get(date=date(2027, 1, 1)).notice_id == first.pk
    assert CalendarOverride.objects.get(date=date(2027, 10, 10)).notice_id == record.pk


def test_a_day_entered_by_hand_is_replaced_and_kept_in_the_record(calendar_admin, admin_user):
    CalendarOverride.objects.create(date=date(2027, 1, 1), name="新年", note="手工录入", updated_by=admin_user)
    result = import_by_service(NOTICE_2027, calendar_admin)
    row = CalendarOverride.objects.get(date=date(2027, 1, 1))
    assert (row.name, row.note, row.notice, row.updated_by) == ("元旦", SOURCE_2027, result.record, calendar_admin)
    [replaced] = result.record.replaced
    assert (replaced["name"], replaced["note"], replaced["notice"]) == ("新年", "手工录入", None)


# --- Who may use it ----------------------------------------------------------------------------------------------


def test_only_administrators_of_the_calendar_may_import(client, clerk, supervisor, calendar_admin):
    url = reverse(IMPORT_URL)
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response.url
    for user in (clerk, supervisor):  # not staff: the admin sends them to log in
        client.force_login(user)
        assert client.get(url).status_code == 302
        assert preview(client, NOTICE_2027).status_code == 302
    staff_without_calendar = UserFactory(is_staff=True)
    client.force_login(staff_without_calendar)
    assert client.get(url).status_code == 403
    assert preview(client, NOTICE_2027).status_code == 403
    assert confirm(client, NOTICE_2027, holiday_notice_plan(text=NOTICE_2027).token).status_code == 403
    assert not CalendarOverride.objects.exists()

    client.force_login(calendar_admin)
    assert client.get(url).status_code == 200
    changelist = client.get(reverse("admin:petitions_calendaryear_changelist")).content.decode()
    assert 'data-link="import-notice"' in changelist
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_calendaryear"))
    client.force_login(viewer)
    changelist = client.get(reverse("admin:petitions_calendaryear_changelist")).content.decode()
    assert 'data-link="import-notice"' not in changelist


# --- Bad input -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "", "year": "2027"}, "This field is required."),
        ({"text": "  \n  ", "year": "2027"}, "This field is required."),
        ({"text": "明年照常放假。", "year": "2027"}, "No numbered holiday line"),
        ({"text": "一、元旦：1月1日放假。", "year": ""}, "Give the year"),
        ({"text": NOTICE_2027, "year": "2026"}, "This is the notice for 2027, not for 2026."),
        ({"text": NOTICE_2027, "year": "1999"}, "greater than or equal to 2000"),
        ({"text": NOTICE_2027, "year": "二〇二七"}, "Enter a whole number."),
        ({"text": NOTICE_2027 * 50, "year": "2027"}, "Ensure this value has at most 20000 characters"),
        (
            {"text": NOTICE_2027.replace("2027年", ""), "year": "2026"},
            "None of the weekdays the notice gives fits 2026",
        ),
    ],
)
def test_a_text_that_cannot_be_imported_says_why_and_changes_nothing(client, calendar_admin, fields, message):
    client.force_login(calendar_admin)
    in_english(client)
    for action in ("preview", "confirm"):
        response = client.post(reverse(IMPORT_URL), {**fields, action: "1", "token": "x"})
        assert response.status_code == 200
        assert message in response.content.decode(), response.content.decode()[-3000:]
        assert response.context["plan"] is None
    assert not CalendarOverride.objects.exists() and not CalendarYear.objects.exists()


def test_a_line_it_cannot_read_blocks_the_confirmation(client, calendar_admin):
    text = NOTICE_2027.replace("二、春节：2月5日", "二、春节：2月30日")
    client.force_login(calendar_admin)
    in_english(client)
    response = preview(client, text)
    html = response.content.decode()
    assert "Could not be read" in html and "2027 has no 2月30日." in html
    assert 'data-blocked="unreadable"' in html and 'data-form="confirm"' not in html
    token = response.context["plan"].token
    refused = confirm(client, text, token)
    assert "Correct or remove the lines that could not be read" in refused.content.decode()
    assert not CalendarOverride.objects.exists() and not CalendarYear.objects.exists()
    # Removing the line it could not read lets the rest be imported.
    without = "\n".join(line for line in text.splitlines() if not line.startswith("二、"))
    token = preview(client, without).context["plan"].token
    assert confirm(client, without, token).status_code == 302
    assert not CalendarOverride.objects.filter(name="春节").exists() and CalendarOverride.objects.count() == 24

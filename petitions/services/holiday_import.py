"""Importing the State Council's holiday notice into the calendar.

`holiday_notice_plan` reads a pasted notice (petitions.clocks.holiday_notice) and says, day by day, what it
would change in the calendar now; its `token` stands for exactly that. `holiday_notice_import` does it
only for the same token: a text, or a calendar, that changed since the preview cannot be confirmed
unseen. In one transaction it enters the notice's days as calendar days (name = the holiday, source
= the notice), replaces the days an earlier import of the same year entered, marks the year as
entered and keeps a record of the import with the days it replaced; after the commit the open cases'
deadlines are recomputed and each moved deadline is logged on its case, as after any calendar change.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from petitions.clocks.deadlines import statutes_changed
from petitions.clocks.holiday_notice import Notice, NoticeError, parse_notice
from petitions.clocks.workdays import OFFICIAL_YEARS, Day, Source, WorkingCalendar
from petitions.models import CalendarOverride, CalendarYear, HolidayNoticeImport, User
from petitions.services.deadline_recompute import deadlines_recompute_after_commit


class Action:
    ADD = "add"  # a new calendar day
    CHANGE = "change"  # a calendar day already there (by hand or by another import) takes the notice's value
    REMOVE = "remove"  # a day an earlier import of the year entered, which this notice does not have
    KEEP = "keep"  # already in the calendar as the notice has it (left as it is)
    ALL = (ADD, CHANGE, REMOVE, KEEP)


@dataclass(frozen=True)
class DayChange:
    date: date
    action: str
    before: Day  # as the calendar counts the day now
    after: Day  # as it will count it
    by_hand: bool = False  # the calendar day changed or removed was entered by hand

    @property
    def status_changes(self) -> bool:
        return self.before.working != self.after.working


@dataclass(frozen=True)
class NoticePlan:
    notice: Notice
    days: tuple[DayChange, ...]
    year_entered: bool  # the year is already marked as entered, from this same source
    token: str = field(repr=False)

    @property
    def changes(self) -> list[DayChange]:
        return [day for day in self.days if day.action != Action.KEEP]

    @property
    def kept(self) -> list[DayChange]:
        return [day for day in self.days if day.action == Action.KEEP]

    @property
    def nothing_to_do(self) -> bool:
        return not self.changes and self.year_entered

    @property
    def year_in_package(self) -> bool:
        """The calendar package already has the year's schedule: the import enters it again, by hand."""
        return self.notice.year in OFFICIAL_YEARS


class NoticeChanged(NoticeError):
    """The text or the calendar changed since the preview; `plan` is the preview as it is now."""

    def __init__(self, message: str, plan: NoticePlan) -> None:
        super().__init__(message)
        self.plan = plan


@dataclass(frozen=True)
class NoticeImportResult:
    record: HolidayNoticeImport | None  # None: the calendar already had the notice as it is
    added: int = 0
    changed: int = 0
    removed: int = 0


def holiday_notice_plan(*, text: str, year: int | None = None) -> NoticePlan:
    """Read the notice and compare it with the calendar now. Raises NoticeError for a text that cannot
    be imported at all; lines it could not read are in the plan's notice, and block the import."""
    return _plan(parse_notice(text, year=year))


def holiday_notice_import(*, text: str, year: int | None, token: str, actor: User) -> NoticeImportResult:
    """Enter the notice's days as previewed (`token` from the preview's plan)."""
    notice = parse_notice(text, year=year)
    if not notice.readable:
        raise NoticeError(gettext("Correct or remove the lines that could not be read, then preview again."))
    with transaction.atomic():
        # One import or calendar-year change of a year at a time: the second waits, then sees the first.
        CalendarYear.objects.get_or_create(year=notice.year)
        calendar_year = CalendarYear.objects.select_for_update().get(year=notice.year)
        plan = _plan(notice)
        if plan.token != token:
            raise NoticeChanged(
                gettext("The text or the calendar changed since the preview: check the preview again, then confirm."),
                plan,
            )
        if plan.nothing_to_do:
            return NoticeImportResult(record=None)
        return _apply(plan, calendar_year, text, actor)


def _plan(notice: Notice) -> NoticePlan:
    days = notice.days()
    rows = {
        row.date: row
        for row in CalendarOverride.objects.filter(Q(date__in=list(days)) | Q(notice__year=notice.year))
        .select_related("notice")
        .order_by("date")
    }
    now = WorkingCalendar.load()
    without_overrides = WorkingCalendar({})
    changes = []
    for day, entry in days.items():
        row = rows.get(day)
        after = Day(day, entry.working, Source.OVERRIDE, entry.holiday)
        if row is None:
            action = Action.ADD
        elif _imported_for(row, notice.year) and (row.is_working_day, row.name, row.note) == (
            entry.working,
            entry.holiday,
            notice.source,
        ):
            action = Action.KEEP
        else:
            action = Action.CHANGE
        changes.append(DayChange(day, action, now.day(day), after, by_hand=row is not None and row.notice_id is None))
    for day, row in rows.items():
        if day not in days and _imported_for(row, notice.year):
            changes.append(DayChange(day, Action.REMOVE, now.day(day), without_overrides.day(day)))
    changes.sort(key=lambda change: change.date)
    year_entered = CalendarYear.objects.filter(year=notice.year, schedule_entered=True, source=notice.source).exists()
    return NoticePlan(notice, tuple(changes), year_entered, _token(notice, changes, rows, year_entered))


def _imported_for(row: CalendarOverride, year: int) -> bool:
    return row.notice is not None and row.notice.year == year


def _token(notice: Notice, changes: list[DayChange], rows: dict[date, CalendarOverride], year_entered: bool) -> str:
    """Stands for the notice as read and for the calendar days it would change, as they are now
    (not for anything said in the reader's language)."""
    payload = {
        "notice": notice.digest,
        "year_entered": year_entered,
        "days": [
            [
                change.date.isoformat(),
                change.action,
                change.after.working,
                change.after.name,
                _row_state(rows.get(change.date)),
            ]
            for change in changes
        ],
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _row_state(row: CalendarOverride | None) -> dict | None:
    if row is None:
        return None
    return {
        "date": row.date.isoformat(),
        "is_working_day": row.is_working_day,
        "name": row.name,
        "note": row.note,
        "notice": row.notice_id,
        "updated_by": row.updated_by_id,
        "updated_at": row.updated_at.isoformat(),
    }


def _apply(plan: NoticePlan, calendar_year: CalendarYear, text: str, actor: User) -> NoticeImportResult:
    notice, now = plan.notice, timezone.now()
    by_action = {action: [change for change in plan.days if change.action == action] for action in Action.ALL}
    dates = [change.date for change in plan.changes]
    rows = {row.date: row for row in CalendarOverride.objects.select_for_update().filter(date__in=dates)}
    replaced = [_row_state(rows[change.date]) for change in plan.changes if change.date in rows]
    record = HolidayNoticeImport.objects.create(
        year=notice.year,
        source=notice.source,
        text=text,
        digest=notice.digest,
        imported_by=actor,
        imported_at=now,
        days_added=len(by_action[Action.ADD]),
        days_changed=len(by_action[Action.CHANGE]),
        days_removed=len(by_action[Action.REMOVE]),
        replaced=replaced,
    )
    CalendarOverride.objects.filter(pk__in=[rows[change.date].pk for change in by_action[Action.REMOVE]]).delete()
    changed = []
    for change in by_action[Action.CHANGE]:
        row = rows[change.date]
        row.is_working_day, row.name, row.note = change.after.working, change.after.name, notice.source
        row.notice, row.updated_by, row.updated_at = record, actor, now
        changed.append(row)
    CalendarOverride.objects.bulk_update(
        changed, ["is_working_day", "name", "note", "notice", "updated_by", "updated_at"]
    )
    CalendarOverride.objects.bulk_create(
        CalendarOverride(
            date=change.date,
            is_working_day=change.after.working,
            name=change.after.name,
            note=notice.source,
            notice=record,
            updated_by=actor,
            updated_at=now,
        )
        for change in by_action[Action.ADD]
    )
    calendar_year.schedule_entered, calendar_year.source, calendar_year.updated_by = True, notice.source, actor
    calendar_year.save(update_fields=["schedule_entered", "source", "updated_by", "updated_at"])
    statutes_changed(sender=CalendarOverride)  # bulk writes send no signals: every process reloads the calendar
    deadlines_recompute_after_commit()
    return NoticeImportResult(record, record.days_added, record.days_changed, record.days_removed)

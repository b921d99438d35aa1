"""The dates the portal accepts (petitions.clocks.date_windows): each window's ends, and the setting that moves one."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone, translation

from petitions.clocks.date_windows import (
    earliest_received,
    letter_date_error,
    received_at_error,
    reception_day_error,
    record_date_error,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@time_machine.travel(NOW, tick=False)
def test_received_at_runs_from_1_january_of_last_year_to_now_and_the_clock_skew():
    assert earliest_received() == date(2025, 1, 1)
    assert received_at_error(local(2025, 1, 1, 0, 0)) is None
    assert received_at_error(NOW + timedelta(minutes=5)) is None
    with translation.override("en"):
        assert received_at_error(local(2024, 12, 31, 23, 59)) == "The received time cannot be before 01/01/2025."
        assert received_at_error(NOW + timedelta(minutes=6)) == "The received time cannot be in the future."


@pytest.mark.parametrize("year", [1, 1900, 1970, 2000, 2024])
@time_machine.travel(NOW, tick=False)
def test_received_at_decades_back_is_refused_in_chinese(year):
    with translation.override("zh-hans"):
        assert "不能早于" in received_at_error(local(year, 1, 1, 0, 0))


@time_machine.travel(NOW, tick=False)
@override_settings(INTAKE_EARLIEST_RECEIVED=date(2026, 3, 1))
def test_the_setting_moves_the_first_day_intake_accepts():
    assert earliest_received() == date(2026, 3, 1)
    assert received_at_error(local(2026, 2, 28, 23, 0)) is not None
    assert received_at_error(local(2026, 3, 1, 0, 0)) is None


@override_settings(INTAKE_EARLIEST_RECEIVED=date(1990, 1, 1))
def test_the_setting_cannot_open_intake_before_2000():
    assert earliest_received() == date(2000, 1, 1)


def test_a_letter_is_dated_at_most_a_year_before_it_arrived_and_not_after():
    received = date(2026, 6, 1)
    assert letter_date_error(date(2025, 5, 31), received_on=received) is None
    assert letter_date_error(date(2025, 5, 30), received_on=received) is not None
    assert letter_date_error(date(1, 1, 1), received_on=received) is not None
    assert letter_date_error(date(2026, 6, 2), received_on=received) is not None


@time_machine.travel(NOW, tick=False)
def test_record_dates_run_from_2000_to_the_end_of_next_year():
    today = timezone.localdate()
    assert record_date_error(date(2000, 1, 1)) is None
    assert record_date_error(date(2027, 12, 31)) is None
    for outside in (date(1, 1, 1), date(1999, 12, 31), date(2028, 1, 1), date(9999, 12, 31)):
        assert record_date_error(outside, today=today) is not None, outside


@time_machine.travel(NOW, tick=False)
def test_reception_days_run_from_the_first_intake_day_to_the_end_of_next_year():
    assert reception_day_error(date(2025, 1, 1)) is None
    assert reception_day_error(date(2024, 12, 31)) is not None
    assert reception_day_error(date(2027, 12, 31)) is None
    assert reception_day_error(date(2028, 1, 1)) is not None

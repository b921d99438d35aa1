"""Reading the State Council's holiday notice: the published notices of 2024–2026 against the calendar
package's data for those years, notices pasted in other shapes, and texts it must refuse."""

from datetime import date
from pathlib import Path

import pytest
from chinese_calendar import constants as official
from django.utils import translation

from petitions.clocks.holiday_notice import LineKind, NoticeError, parse_notice

NOTICES = Path(__file__).parent / "notices"
PUBLISHED = {
    2024: "国办发明电〔2023〕7号",
    2025: "国办发明电〔2024〕12号",
    2026: "国办发明电〔2025〕7号",
}
FULL_TO_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def published(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


def package_names(holiday: str) -> set[str]:
    """The calendar package's (English) names a line's holiday name stands for: 国庆节、中秋节 is two."""
    return {name.value for name in official.Holiday if name.chinese in holiday}


def rest_and_working(notice) -> tuple[dict[date, str], dict[date, str]]:
    days = notice.days()
    return (
        {day: entry.holiday for day, entry in days.items() if not entry.working},
        {day: entry.holiday for day, entry in days.items() if entry.working},
    )


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_a_published_notice_gives_exactly_the_days_of_the_calendar_package(year):
    notice = parse_notice(published(year))  # the year comes from the title

    assert notice.year == year and notice.readable
    assert notice.source == f"国务院办公厅关于{year}年部分节假日安排的通知（{PUBLISHED[year]}）"
    rest, working = rest_and_working(notice)
    assert rest.keys() == {day for day in official.holidays if day.year == year}
    assert working.keys() == {day for day in official.workdays if day.year == year}
    for day, holiday in rest.items():
        assert official.holidays[day] in package_names(holiday), (day, holiday)
    for day, holiday in working.items():
        assert official.workdays[day] in package_names(holiday), (day, holiday)
    holiday_lines = [line for line in notice.lines if line.kind == LineKind.HOLIDAY]
    assert len(holiday_lines) == (6 if year == 2025 else 7)  # 2025: 国庆节、中秋节 share a line
    # Title, introduction, closing and signature are kept as lines too, and give no day.
    assert all(not line.rest_days and not line.working_days for line in notice.lines if line.kind == LineKind.OTHER)
    assert "".join(line.text for line in notice.lines).replace("\n", "") == "".join(published(year).split())


def test_advice_to_rest_on_new_years_eve_is_not_a_rest_day():
    # 2024, 二、春节: "鼓励各单位……安排职工在除夕（2月9日）休息。"
    notice = parse_notice(published(2024))
    spring = next(line for line in notice.lines if line.holiday == "春节")
    assert "除夕（2月9日）" in spring.text and date(2024, 2, 9) not in notice.days()


def test_the_brief_s_one_paragraph_example_and_a_whole_notice_in_one_paragraph():
    example = (
        "一、元旦：1月1日（周三）放假1天，不调休。二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）"
        "放假调休，共8天。1月26日（周日）、2月8日（周六）上班。"
    )
    notice = parse_notice(example, year=2025)
    assert [line.holiday for line in notice.lines] == ["元旦", "春节"]
    assert notice.days().keys() == {
        date(2025, 1, 1),
        *(date(2025, 1, day) for day in range(26, 32) if day != 27),
        *(date(2025, 2, day) for day in (1, 2, 3, 4, 8)),
    }

    one_paragraph = parse_notice(published(2026).replace("\n", ""))
    assert one_paragraph.days() == parse_notice(published(2026)).days()
    # The closing and the signature pasted on after the last line are not part of it.
    last = [line for line in one_paragraph.lines if line.kind == LineKind.HOLIDAY][-1]
    assert last.text.endswith("10月10日（周六）上班。")
    closing = one_paragraph.lines[-1]
    assert closing.kind == LineKind.OTHER and closing.text.endswith("国务院办公厅2025年11月4日")


def test_half_width_punctuation_reads_the_same():
    for year in PUBLISHED:
        half = published(year).translate(FULL_TO_HALF_WIDTH)
        assert "：" not in half and "（" not in half
        assert parse_notice(half).days() == parse_notice(published(year)).days()


@pytest.mark.parametrize(
    ("year", "line"),
    [
        # 国务院办公厅关于2019年部分节假日安排的通知: 元旦 starts in December of the year before.
        (2019, "一、元旦：12月30日至1月1日放假，共3天。 12月29日（星期六）上班。"),
        # ……2012年……: a working day of the year before, with its year.
        (2012, "一、元旦：2012年1月1日至3日放假调休，共3天。2011年12月31日（星期六）上班。"),
        # ……2023年……: a range with a year at each end.
        (2023, "一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。"),
    ],
)
def test_new_year_across_the_year_end_as_the_calendar_package_has_it(year, line):
    notice = parse_notice(line, year=year)
    rest, working = rest_and_working(notice)
    assert rest and all(official.holidays[day] == "New Year's Day" for day in rest)
    assert all(official.workdays[day] == "New Year's Day" for day in working)
    around_new_year = [date(year - 1, 12, day) for day in (29, 30, 31)] + [date(year, 1, day) for day in (1, 2, 3)]
    expected_rest = {day for day in around_new_year if official.holidays.get(day) == "New Year's Day"}
    expected_working = {day for day in around_new_year if official.workdays.get(day) == "New Year's Day"}
    assert (rest.keys(), working.keys()) == (expected_rest, expected_working)
    assert any(day.year == year - 1 for day in [*rest, *working])


def test_the_year_is_the_titles_or_the_one_picked():
    lines = "一、元旦：1月1日（周五）至3日（周日）放假，共3天。"
    assert parse_notice(lines, year=2027).source == "国务院办公厅关于2027年部分节假日安排的通知"
    with translation.override("en"):
        with pytest.raises(NoticeError, match="Give the year"):
            parse_notice(lines)
        with pytest.raises(NoticeError, match="This is the notice for 2026, not for 2027"):
            parse_notice(published(2026), year=2027)
        # Without a title, the weekdays tell a notice of another year.
        untitled_2026 = published(2026).split("各省", 1)[1].replace("2026年", "")
        with pytest.raises(NoticeError, match="None of the weekdays the notice gives fits 2027"):
            parse_notice(untitled_2026, year=2027)
        with pytest.raises(NoticeError, match="between 2000 and 2100"):
            parse_notice(lines, year=1999)


@pytest.mark.parametrize("text", ["", "   \n\t", "　"])
def test_an_empty_text_is_refused(text):
    with translation.override("en"), pytest.raises(NoticeError, match="Paste the text of the notice"):
        parse_notice(text, year=2027)


def test_a_text_without_numbered_holiday_lines_is_refused():
    with translation.override("en"), pytest.raises(NoticeError, match="No numbered holiday line"):
        parse_notice("元旦放假，春节也放假。", year=2027)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("二、春节：2月30日放假。", "2027 has no 2月30日."),
        ("二、春节：2月6日（周五）放假。", "2027-02-06 is a Saturday, but the notice says 周五."),
        ("一、元旦：1月1日至4日放假调休，共3天。", "“1月1日至4日放假调休，共3天” counts 3 days, but its dates give 4."),
        ("三、清明节：4月5日休息。", "“4月5日休息” gives a date but says neither 放假, 补休 nor 上班."),
        ("三、清明节：4月5日放假。4月11日。", "“4月11日” gives a date but says neither 放假, 补休 nor 上班."),
        ("五、端午节：10日放假。", "“10日” has no month."),
        ("五、端午节：6月9日放假，补休。", "“补休” gives no date."),
        ("五、端午节：6月12日至10日放假。", "“6月12日至10日” ends before it starts."),
        ("七、国庆节：10月1日至20日放假。", "“10月1日至20日” is 20 days long, longer than any official holiday."),
        ("一、元旦：2019年1月1日放假。", "2019-01-01 is not in 2027 or next to it."),
        ("六、端午节：6月9日放假，6月9日上班。", "2027-06-09 is given both as a rest day and as a working day."),
        ("八、 1月5日放假。", "No holiday name followed by “：” after the number."),
        ("四、劳动节：与周末连休。", "No rest day or working day could be read from this line."),
    ],
)
def test_a_line_it_cannot_read_says_why_and_blocks_the_import(line, problem):
    text = f"一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n{line}" if not line.startswith("一、") else line
    with translation.override("en"):
        notice = parse_notice(text, year=2027)
    [unreadable] = notice.unreadable_lines
    assert unreadable.text == line.strip() and problem in unreadable.problems, unreadable.problems
    assert not notice.readable


def test_a_day_in_two_lines_and_schedule_text_outside_the_numbered_lines_block_the_import():
    text = "一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n二、春节：1月3日放假。\n另外，2月8日（周一）放假。"
    with translation.override("en"):
        notice = parse_notice(text, year=2027)
    assert [line.kind for line in notice.lines] == [LineKind.HOLIDAY, LineKind.UNREADABLE, LineKind.UNREADABLE]
    assert notice.lines[1].problems == ("2027-01-03 is also in the line of 元旦.",)
    assert "not in a numbered holiday line" in notice.lines[2].problems[0]


def test_problems_are_told_in_chinese_by_default():
    with translation.override("zh-hans"):
        notice = parse_notice("二、春节：2月30日放假。", year=2027)
        assert notice.unreadable_lines[0].problems == ("2027年没有2月30日。",)
        with pytest.raises(NoticeError, match="请粘贴通知的全文"):
            parse_notice("", year=2027)


def test_the_digest_follows_the_text_not_the_language():
    with translation.override("en"):
        english = parse_notice(published(2026)).digest
    with translation.override("zh-hans"):
        chinese = parse_notice(published(2026)).digest
    assert english == chinese
    changed = published(2026).replace("10月10日（周六）上班", "10月11日（周日）上班")
    assert parse_notice(changed).digest != english

"""Reading the State Council's yearly holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知).

Administrators paste the notice as published; `parse_notice` reads its numbered lines, such as
"二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。",
into rest days (放假, 补休) and adjusted working days (上班). Pure: text in, a `Notice` out, no database.

A line it cannot read is kept and says why, and it blocks the import: a rest day read wrongly would
move deadlines without anyone noticing. What catches a misreading or a wrong year: the weekday the
notice gives beside a date (周二, 星期日), the day count (共8天), real dates only (no 2月30日), every
date in or next to the notice's year, and no day in two lines.

Dates without a year belong to the notice's year, except around New Year: a range that runs from
December into January starts in the year before ("元旦：12月30日至1月1日"), and a working day is in
the year that puts it nearest its holiday ("12月29日（星期六）上班" in that same line).
"""

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext

MIN_YEAR, MAX_YEAR = 2000, 2100
LONGEST_HOLIDAY_DAYS = 15  # the longest official rest so far is 9 days; more is a misreading
NEAR_YEAR = timedelta(days=31)  # dates of the notice lie in its year or at most this far outside

# Full-width forms (：（），１２) read as their ASCII twins, one character for one, so that a position
# in the normalised text is the same position in the pasted one.
_HALF_WIDTH: dict[int, int | str] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALF_WIDTH |= {0x3000: " ", ord("\r"): "\n"}

_NUMERALS = "一二三四五六七八九十"
# A numbered line starts a paragraph or follows a full stop (a notice pasted as one paragraph).
_MARKER = re.compile(rf"(?:^|(?<=[。\s]))[{_NUMERALS}]{{1,3}}、")
_HEADER = re.compile(rf"\s*([{_NUMERALS}]{{1,3}})、\s*([^:。\n]{{1,30}}?)\s*:")
# A date: 2019年1月1日, 1月1日 or (in a range or a list) 3日, with the note after it: （农历除夕、周二）.
_DATE = (
    r"(?:(?P<{0}y>\d{{4}})\s*年\s*)?(?:(?P<{0}m>\d{{1,2}})\s*月\s*)?(?P<{0}d>\d{{1,2}})\s*日"
    r"(?:\s*\((?P<{0}note>[^()]*)\))?"
)
_DAYS = re.compile(_DATE.format("a") + r"(?:\s*(?:至|到|~|-|—|–)\s*" + _DATE.format("b") + ")?")
_WEEKDAY = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_COUNT = re.compile(r"(?:共|放假)\s*(\d{1,2})\s*天")
_TITLE_YEAR = re.compile(r"关于\s*(\d{4})\s*年\s*部分节假日安排")
_INTRODUCED_YEAR = re.compile(r"现将\s*(\d{4})\s*年")
_DOCUMENT_NUMBER = re.compile(r"国办发明电\s*[〔\[(]\s*\d{4}\s*[〕\])]\s*\d+\s*号")
REST_WORDS = ("放假", "补休")
WORK_WORDS = ("上班",)
ADVICE_WORD = "鼓励"  # "鼓励各单位……安排职工在除夕（2月9日）休息": advice, not a rest day


class NoticeError(Exception):
    """The text as a whole cannot be imported; the message says why, in the reader's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LineKind:
    HOLIDAY = "holiday"  # a numbered holiday line, read into days
    UNREADABLE = "unreadable"  # could not be read: blocks the import until corrected or removed
    OTHER = "other"  # title, introduction, closing: no days in it


@dataclass(frozen=True)
class NoticeLine:
    text: str  # as pasted
    kind: str
    holiday: str = ""  # the name before "：", e.g. 春节 or 国庆节、中秋节
    rest_days: tuple[date, ...] = ()
    working_days: tuple[date, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def rest_ranges(self) -> list[tuple[date, date]]:
        return day_ranges(self.rest_days)


@dataclass(frozen=True)
class NoticeDay:
    date: date
    working: bool
    holiday: str


@dataclass(frozen=True)
class Notice:
    year: int
    source: str  # the title (and document number): what the calendar days say they come from
    lines: tuple[NoticeLine, ...]

    @property
    def unreadable_lines(self) -> list[NoticeLine]:
        return [line for line in self.lines if line.kind == LineKind.UNREADABLE]

    @property
    def readable(self) -> bool:
        return not self.unreadable_lines

    def days(self) -> dict[date, NoticeDay]:
        """Every day the holiday lines give, rest and working, by date."""
        days = {}
        for line in self.lines:
            if line.kind == LineKind.HOLIDAY:
                days |= {day: NoticeDay(day, False, line.holiday) for day in line.rest_days}
                days |= {day: NoticeDay(day, True, line.holiday) for day in line.working_days}
        return dict(sorted(days.items()))

    @property
    def digest(self) -> str:
        """Changes whenever the text or what was read from it changes (not with the reader's language)."""
        payload = {
            "year": self.year,
            "source": self.source,
            "lines": [
                [line.kind, line.holiday, line.text, _iso(line.rest_days), _iso(line.working_days)]
                for line in self.lines
            ],
        }
        return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _iso(days: tuple[date, ...]) -> list[str]:
    return [day.isoformat() for day in days]


def day_ranges(days: tuple[date, ...] | list[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) pairs."""
    ranges: list[tuple[date, date]] = []
    for day in sorted(days):
        if ranges and day == ranges[-1][1] + timedelta(days=1):
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def notice_source(year: int, document_number: str = "") -> str:
    title = f"国务院办公厅关于{year}年部分节假日安排的通知"
    return f"{title}（{document_number}）" if document_number else title


def parse_notice(text: str, *, year: int | None = None) -> Notice:
    """Read the notice. `year` is the one the administrator picked; without it the title's year.

    Raises NoticeError when the text as a whole cannot be imported (empty, no year, a year other than
    the picked one, no numbered holiday line, weekdays that fit another year); a line that cannot be
    read is returned as UNREADABLE with its problems.
    """
    if not text or not text.strip():
        raise NoticeError(gettext("Paste the text of the notice."))
    normal = text.translate(_HALF_WIDTH)
    stated = _stated_year(normal)
    if year is None:
        if stated is None:
            raise NoticeError(
                gettext("Give the year: the text has no title such as “国务院办公厅关于……年部分节假日安排的通知”.")
            )
        year = stated
    elif stated is not None and stated != year:
        raise NoticeError(
            gettext("This is the notice for %(stated)d, not for %(year)d.") % {"stated": stated, "year": year}
        )
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise NoticeError(gettext("The year must be between %(min)d and %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR})
    reader = _Reader(year)
    lines = reader.read(text, normal)
    if all(line.kind == LineKind.OTHER for line in lines):
        raise NoticeError(gettext("No numbered holiday line such as “一、元旦：1月1日放假” was found in the text."))
    if reader.weekdays_given and not reader.weekdays_fitting:
        raise NoticeError(
            gettext("None of the weekdays the notice gives fits %(year)d: is it the notice for another year?")
            % {"year": year}
        )
    number = _DOCUMENT_NUMBER.search(normal)
    return Notice(year, notice_source(year, re.sub(r"\s", "", number.group()) if number else ""), tuple(lines))


def _stated_year(normal: str) -> int | None:
    found = _TITLE_YEAR.search(normal) or _INTRODUCED_YEAR.search(normal)
    return int(found.group(1)) if found else None


class _LineProblem(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class _Sentence:
    start: int  # in the text it was cut from
    normal: str
    original: str
    kind: str  # "days", "advice", "dated" (a date but no 放假/补休/上班), "remark"


class _Reader:
    """Reads one notice; counts the weekdays it gives and how many fit, to tell a notice of another year."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.weekdays_given = 0
        self.weekdays_fitting = 0

    def read(self, text: str, normal: str) -> list[NoticeLine]:
        segments = list(_segments(normal))
        items = [index for index, (is_item, _start, _end) in enumerate(segments) if is_item]
        lines: list[NoticeLine] = []
        given: dict[date, str] = {}  # each day read so far, and the holiday that gave it
        for index, (is_item, start, end) in enumerate(segments):
            if not text[start:end].strip():
                continue
            if not is_item:
                lines.append(self._other(normal[start:end], text[start:end], check=bool(items) and index > items[0]))
                continue
            line, tail = self._item(normal[start:end], text[start:end], last=index == items[-1])
            lines.append(_not_given_twice(line, given))
            if tail < end - start:
                lines.append(self._other(normal[start + tail : end], text[start + tail : end], check=True))
        return lines

    def _other(self, normal: str, original: str, *, check: bool) -> NoticeLine:
        """Title, introduction and closing say nothing about days. After the first numbered line, text
        that reads like a schedule (a date and 放假, 补休 or 上班) is a holiday line out of place."""
        if check and any(
            sentence.kind == "days" and _DAYS.search(sentence.normal) for sentence in _sentences(normal, original)
        ):
            problem = gettext(
                "This reads like part of the schedule, but it is not in a numbered holiday line "
                "(such as “三、清明节：…”)."
            )
            return NoticeLine(original.strip(), LineKind.UNREADABLE, problems=(problem,))
        return NoticeLine(original.strip(), LineKind.OTHER)

    def _item(self, normal: str, original: str, *, last: bool) -> tuple[NoticeLine, int]:
        """The numbered line, and where the closing text pasted on after the last one starts."""
        header = _HEADER.match(normal)
        if header is None:
            problem = gettext("No holiday name followed by “：” after the number.")
            return NoticeLine(original.strip(), LineKind.UNREADABLE, problems=(problem,)), len(normal)
        sentences = _sentences(normal, original, header.end())
        tail = len(normal)
        if last and any(sentence.kind == "days" for sentence in sentences):
            # A notice pasted as one paragraph: its closing and signature follow the last line.
            while _closing(sentences[-1]):
                tail = sentences.pop().start
        dates = _LineDates(self)
        rest: list[date] = []
        working: list[date] = []
        problems: list[str] = []
        for sentence in sentences:
            if sentence.kind == "dated":
                problems.append(_no_day_word(sentence.original))
            elif sentence.kind == "days":
                try:
                    sentence_rest, sentence_working = _sentence_days(sentence, dates)
                except _LineProblem as problem:
                    problems.append(problem.message)
                    continue
                rest += sentence_rest
                working += sentence_working
        if not problems and not rest and not working:
            problems.append(gettext("No rest day or working day could be read from this line."))
        problems += [
            gettext("%(date)s is given both as a rest day and as a working day.") % {"date": day.isoformat()}
            for day in sorted(set(rest) & set(working))
        ]
        line = NoticeLine(
            text=original[:tail].strip(),
            kind=LineKind.UNREADABLE if problems else LineKind.HOLIDAY,
            holiday=header.group(2).strip(),
            rest_days=tuple(sorted(set(rest))),
            working_days=tuple(sorted(set(working))),
            problems=tuple(problems),
        )
        return line, tail


def _sentence_days(sentence: _Sentence, dates: "_LineDates") -> tuple[list[date], list[date]]:
    """One sentence's rest days and working days; its clauses are separated by commas. Problems quote
    the text as pasted."""
    rest: list[date] = []
    working: list[date] = []
    count = None
    for found in re.finditer(r"[^,;]+", sentence.normal):
        clause, pasted_clause = found.group(), sentence.original[found.start() : found.end()]
        pasted = _quoted(pasted_clause)
        counted = _COUNT.search(clause)
        if counted:
            count = int(counted.group(1))
        days = dates.read(clause, pasted_clause)
        is_rest, is_work = _words(clause, REST_WORDS), _words(clause, WORK_WORDS)
        if days and is_rest and is_work:
            raise _LineProblem(gettext("“%(text)s” says both 放假 and 上班.") % {"text": pasted})
        if days and not (is_rest or is_work):
            raise _LineProblem(_no_day_word(pasted))
        if not days and (is_work or "补休" in clause):
            raise _LineProblem(gettext("“%(text)s” gives no date.") % {"text": pasted})
        (working if is_work else rest).extend(days)
    if count is not None and count != len(rest):
        raise _LineProblem(
            gettext("“%(text)s” counts %(count)d days, but its dates give %(days)d.")
            % {"text": _quoted(sentence.original), "count": count, "days": len(rest)}
        )
    return rest, working


class _LineDates:
    """Turns one line's dates into days, in reading order: a bare "3日" takes the month before it, and a
    date without a year lies in the notice's year or, around New Year, in the one nearest the line's
    first date."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.year = reader.year
        self.first: date | None = None
        self.last: date | None = None

    def read(self, clause: str, pasted: str) -> list[date]:
        """The days of one clause (`pasted` is the clause as pasted, for the problems it may have)."""
        days: list[date] = []
        for found in _DAYS.finditer(clause):
            text = pasted[found.start() : found.end()].strip()
            start = self._start(found, text)
            end = start if found.group("bd") is None else self._end(found, start)
            if end < start or (end == start and found.group("bd") is not None):
                raise _LineProblem(gettext("“%(text)s” ends before it starts.") % {"text": text})
            if (end - start).days >= LONGEST_HOLIDAY_DAYS:
                raise _LineProblem(
                    gettext("“%(text)s” is %(days)d days long, longer than any official holiday.")
                    % {"text": text, "days": (end - start).days + 1}
                )
            days += [start + timedelta(days=n) for n in range((end - start).days + 1)]
            self.last = end
        return days

    def _start(self, found: re.Match, text: str) -> date:
        day = int(found.group("ad"))
        if found.group("am") is None:
            if self.last is None:
                raise _LineProblem(gettext("“%(text)s” has no month.") % {"text": text})
            return self._checked(self.last.year, self.last.month, day, found, "a")
        month = int(found.group("am"))
        if found.group("ay"):
            year = int(found.group("ay"))
        elif self.first is not None:
            year = self._nearest_year(month, day)
        elif found.group("bm") is not None:
            # 元旦：12月30日至1月1日 — a range from December into January ends in the notice's year.
            end_year = int(found.group("by")) if found.group("by") else self.year
            year = end_year - 1 if (int(found.group("bm")), int(found.group("bd"))) < (month, day) else end_year
        else:
            year = self.year
        return self._checked(year, month, day, found, "a")

    def _end(self, found: re.Match, start: date) -> date:
        day = int(found.group("bd"))
        if found.group("by"):
            return self._checked(int(found.group("by")), int(found.group("bm") or start.month), day, found, "b")
        if found.group("bm") is None:  # 至3日: the same month
            return self._checked(start.year, start.month, day, found, "b")
        month = int(found.group("bm"))
        year = start.year + 1 if (month, day) < (start.month, start.day) else start.year  # 12月31日至1月2日
        return self._checked(year, month, day, found, "b")

    def _nearest_year(self, month: int, day: int) -> int:
        """The notice's year, or the one before or after, whichever puts the date nearest the line's first."""
        first = self.first
        if first is None or not 1 <= month <= 12:
            return self.year  # no date to be near yet; or no such month, which the check then says
        # Day 28 stands in for the 29th to 31st, so that 2月29日 is judged in the year chosen, not skipped.
        return min(
            (self.year - 1, self.year, self.year + 1),
            key=lambda year: abs((date(year, month, min(day, 28)) - first).days),
        )

    def _checked(self, year: int, month: int, day: int, found: re.Match, side: str) -> date:
        try:
            result = date(year, month, day)
        except ValueError:
            raise _LineProblem(
                gettext("%(year)d has no %(month)d月%(day)d日.") % {"year": year, "month": month, "day": day}
            ) from None
        if not date(self.year, 1, 1) - NEAR_YEAR <= result <= date(self.year, 12, 31) + NEAR_YEAR:
            raise _LineProblem(
                gettext("%(date)s is not in %(year)d or next to it.") % {"date": result.isoformat(), "year": self.year}
            )
        weekday = _WEEKDAY.search(found.group(f"{side}note") or "")
        if weekday:
            self.reader.weekdays_given += 1
            if _WEEKDAYS[weekday.group(1)] != result.weekday():
                raise _LineProblem(
                    gettext("%(date)s is a %(weekday)s, but the notice says %(said)s.")
                    % {"date": result.isoformat(), "weekday": date_format(result, "l"), "said": weekday.group()}
                )
            self.reader.weekdays_fitting += 1
        if self.first is None:
            self.first = result
        return result


def _not_given_twice(line: NoticeLine, given: dict[date, str]) -> NoticeLine:
    """A day in two lines is a misreading or a misprint: the later line cannot be read."""
    if line.kind != LineKind.HOLIDAY:
        return line
    days = (*line.rest_days, *line.working_days)
    problems = tuple(
        gettext("%(date)s is also in the line of %(holiday)s.") % {"date": day.isoformat(), "holiday": given[day]}
        for day in sorted(days)
        if day in given
    )
    given |= dict.fromkeys(days, line.holiday)
    if not problems:
        return line
    return NoticeLine(line.text, LineKind.UNREADABLE, line.holiday, line.rest_days, line.working_days, problems)


def _segments(normal: str):
    """(is a numbered line, start, end) for each paragraph, split where its numbered lines start."""
    for paragraph in re.finditer(r"[^\n]+", normal):
        start, body = paragraph.start(), paragraph.group()
        marks = [found.start() for found in _MARKER.finditer(body)]
        if not marks:
            yield False, start, paragraph.end()
            continue
        if body[: marks[0]].strip():
            yield False, start, start + marks[0]
        for mark, following in zip(marks, [*marks[1:], len(body)], strict=True):
            yield True, start + mark, start + following


def _sentences(normal: str, original: str, offset: int = 0) -> list[_Sentence]:
    return [
        _Sentence(found.start(), found.group(), original[found.start() : found.end()], _sentence_kind(found.group()))
        for found in re.compile(r"[^。]+。?").finditer(normal, offset)
        if found.group().strip()
    ]


def _closing(sentence: _Sentence) -> bool:
    """Closing words after the last line: advice, remarks, and the signature's date, which has its year
    (国务院办公厅 2025年11月4日); a bare "4月11日。" there is a line's date out of place."""
    if sentence.kind == "dated":
        return all(found.group("ay") for found in _DAYS.finditer(sentence.normal))
    return sentence.kind in ("advice", "remark")


def _sentence_kind(sentence: str) -> str:
    if sentence.strip().startswith(ADVICE_WORD):
        return "advice"
    if _words(sentence, REST_WORDS + WORK_WORDS):
        return "days"
    return "dated" if _DAYS.search(sentence) else "remark"


def _no_day_word(text: str) -> str:
    return gettext("“%(text)s” gives a date but says neither 放假, 补休 nor 上班.") % {"text": _quoted(text)}


def _quoted(text: str) -> str:
    return text.strip().rstrip("。").strip()


def _words(text: str, words: tuple[str, ...]) -> bool:
    return any(word in text for word in words)

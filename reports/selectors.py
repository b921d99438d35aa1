"""The statistics of a period, each figure one database aggregation (no loop over cases).

A figure's definition is written once, beside the query that computes it (`_define`), and the
report prints the same text in its footnotes. Periods are whole days in the office's time zone
(settings.TIME_ZONE), from the first day 00:00 to the day after the last 00:00.

Scope: the office (department None) or one department. For a department, "new cases" are the cases
routed to it in the period; every other figure counts the cases whose department it is now.
Voided registrations (作废, registered by mistake) and duplicates merged into a main case (并案) are left
out of every figure but their own: a merged matter counts once, with its main case. A joint case (主办/协办)
counts once, at its lead department (Case.department); the co-departments' parts are counted apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from petitions.clocks import urgency
from petitions.models import (
    Callback,
    Case,
    CaseLog,
    CasePart,
    Category,
    Channel,
    Closure,
    Department,
    Evaluation,
    HandedDown,
    LegalType,
    Purpose,
    Region,
    Satisfaction,
    Solved,
    State,
    User,
)
from reports.extensions import part_figures, report_figures_of
from reports.models import Report

SNAPSHOT_VERSION = 1
TREND_WEEKS = 8
OVERDUE_STATES = (State.RECEIVED, State.ASSIGNED)


@dataclass(frozen=True)
class Definition:
    key: str
    label: str | Promise
    text: str | Promise


DEFINITIONS: dict[str, Definition] = {}


def _define(key: str, label: str | Promise, text: str | Promise) -> None:
    DEFINITIONS[key] = Definition(key, label, text)


def office_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def begins(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=office_zone())

    @property
    def ends(self) -> datetime:
        """The first moment after the period (exclusive bound)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=office_zone())

    def cutoff(self, today: date) -> date:
        """The day as of which open cases are judged overdue: the day after the period, or today."""
        return min(self.end + timedelta(days=1), today)


def week_of(day: date) -> Period:
    """The Monday-to-Sunday week that holds `day`."""
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6))


def previous_week(today: date) -> Period:
    return week_of(today - timedelta(days=7))


def _within(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.begins, f"{field}__lt": period.ends})


@contextmanager
def consistent_reads() -> Iterator[None]:
    """Every query inside sees the database as of one moment (PostgreSQL: REPEATABLE READ).

    Inside an enclosing transaction (a test's, a caller's) the level cannot be changed any more; that
    transaction already gives one view of the data.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


# --- The cases each figure counts -------------------------------------------------------------------


# Closed without being a matter of their own: left out of every figure but their own.
NOT_COUNTED = (Closure.VOID, Closure.MERGED)


def counted_cases(department: Department | None) -> QuerySet[Case]:
    """Every case of the scope, voided registrations and merged duplicates left out."""
    cases = Case.objects.exclude(closure__in=NOT_COUNTED)
    return cases if department is None else cases.filter(department=department)


def routings(period: Period, department: Department | None = None) -> QuerySet[CaseLog]:
    logs = CaseLog.objects.filter(_within("at", period), action=CaseLog.Action.ACCEPT)
    return logs if department is None else logs.filter(data__department=department.pk)


_define(
    "new",
    _("New cases"),
    _(
        "Office: cases received in the period (by the time of receipt, not of registration). "
        "Department: cases routed to the department in the period, each counted once. "
        "Voided registrations and merged duplicates are not counted."
    ),
)


def new_cases(period: Period, department: Department | None) -> QuerySet[Case]:
    if department is None:
        return counted_cases(None).filter(_within("received_at", period))
    routed = routings(period, department).values("case_id")
    return Case.objects.exclude(closure__in=NOT_COUNTED).filter(pk__in=routed)


_define("collective", _("Collective visits"), _("New cases received as visits of five or more people (集体访)."))
_define("collective_persons", _("People in collective visits"), _("The number of people of those visits."))
_define("repeat", _("Repeat cases"), _("New cases linked to an earlier case of the same matter (重复)."))
_define("skip_level", _("Skip-level cases"), _("New cases marked as skip-level (越级)."))


def new_case_totals(period: Period, department: Department | None) -> dict[str, int]:
    collective = Q(channel=Channel.VISIT, is_collective=True)
    totals = new_cases(period, department).aggregate(
        new=Count("pk"),
        collective=Count("pk", filter=collective),
        collective_persons=Sum("headcount", filter=collective, default=0),
        repeat=Count("pk", filter=Q(is_repeat=True)),
        skip_level=Count("pk", filter=Q(skip_level=True)),
    )
    return {key: int(value or 0) for key, value in totals.items()}


def _by_choice(cases: QuerySet[Case], field: str, choices) -> list[dict]:
    counts = dict(cases.order_by().values_list(field).annotate(n=Count("pk")))
    return [{"key": value, "count": counts.get(value, 0)} for value, _label in choices]


def new_cases_by(period: Period, department: Department | None) -> dict[str, list[dict]]:
    """New cases by channel, purpose, legal type, top-level category and county (or city)."""
    cases = new_cases(period, department)
    tables = {
        "channel": _by_choice(cases, "channel", Channel.choices),
        "purpose": _by_choice(cases, "purpose", Purpose.choices),
        "legal_type": _by_choice(cases, "legal_type", LegalType.choices),
    }
    tables["category"] = _rolled_up(
        dict(cases.order_by().values_list("category_id").annotate(n=Count("pk"))),
        Category.objects.values_list("pk", "parent_id", "code", "name"),
        top=lambda row, rows: row[1] is None,
    )
    tables["region"] = _rolled_up(
        dict(cases.order_by().values_list("region_id").annotate(n=Count("pk"))),
        Region.objects.values_list("pk", "parent_id", "code", "name", "level"),
        top=lambda row, rows: row[4] <= Region.Level.COUNTY,
    )
    return tables


def _rolled_up(counts: dict[int, int], tree_rows, *, top) -> list[dict]:
    """Counts per node added up to each node's nearest ancestor that `top` accepts (a tree of a few
    hundred rows, walked in Python; the cases were counted by the database)."""
    rows = {row[0]: row for row in tree_rows}

    def ancestor(pk: int) -> tuple:
        row = rows[pk]
        while not top(row, rows) and row[1] is not None:
            row = rows[row[1]]
        return row

    totals: dict[int, int] = defaultdict(int)
    for pk, n in counts.items():
        totals[ancestor(pk)[0]] += n
    result = [{"code": rows[pk][2], "name": rows[pk][3], "count": n} for pk, n in totals.items() if n]
    return sorted(result, key=lambda row: (-row["count"], row["code"]))


_define("accepted", _("Accepted"), _("Cases accepted (受理) for the first time in the period."))
_define("not_accepted", _("Not accepted"), _("Cases closed in the period because they were not accepted (不予受理)."))
_define("voided", _("Voided registrations"), _("Registrations voided in the period (作废); counted nowhere else."))
_define(
    "merged",
    _("Merged duplicates"),
    _("Cases closed in the period as duplicates merged into a main case (并案); counted nowhere else."),
)
_define(
    "handled",
    _("Handled"),
    _(
        "Cases whose outcome the office accepted (办结) in the period, after reviewing the department's answer; "
        "a reviewed or re-handled case counts with its latest outcome."
    ),
)
_define(
    "handled_on_time",
    _("Handled on time"),
    _(
        "Handled cases whose outcome the office accepted on or before the deadline in force that day "
        "(the handling deadline with any approved extension, or the review deadline)."
    ),
)
_define("on_time_rate", _("On-time rate"), _("Handled on time ÷ handled in the period."))
_define("closed", _("Closed"), _("Cases closed in the period after an outcome (办结归档), by staff or automatically."))


def flow_totals(period: Period, department: Department | None) -> dict[str, int]:
    """Accepted, not accepted, voided, handled (and on time), closed: one query."""
    zone = office_zone()
    cases = Case.objects.all() if department is None else Case.objects.filter(department=department)
    not_void = ~Q(closure__in=NOT_COUNTED)
    # Every figure below needs one of these; the filter lets the three date indexes find the rows.
    cases = cases.filter(_within("accepted_at", period) | _within("handled_at", period) | _within("closed_at", period))
    totals = cases.alias(handled_on=TruncDate("handled_at", tzinfo=zone)).aggregate(
        accepted=Count("pk", filter=_within("accepted_at", period) & not_void),
        not_accepted=Count("pk", filter=_within("closed_at", period) & Q(closure=Closure.NOT_ACCEPTED)),
        voided=Count("pk", filter=_within("closed_at", period) & Q(closure=Closure.VOID)),
        merged=Count("pk", filter=_within("closed_at", period) & Q(closure=Closure.MERGED)),
        handled=Count("pk", filter=_within("handled_at", period) & not_void),
        handled_on_time=Count(
            "pk", filter=_within("handled_at", period) & not_void & Q(handled_on__lte=F("handling_due"))
        ),
        closed=Count("pk", filter=_within("closed_at", period) & Q(closure=Closure.COMPLETED)),
    )
    return {key: int(value or 0) for key, value in totals.items()}


def on_time_rate(handled: int, on_time: int) -> float | None:
    return round(on_time / handled, 4) if handled else None


_define(
    "overdue",
    _("Overdue"),
    _(
        "Cases still waiting for acceptance, handling or the office's review of the outcome when the report was "
        "made whose deadline in force "
        "ended before the day after the period (or before today, for a period that has not ended). "
        "A case settled later no longer appears when the report is made again; the stored report keeps it."
    ),
)


def overdue_cases(period: Period, department: Department | None, *, today: date) -> QuerySet[Case]:
    cutoff = period.cutoff(today)
    # A case awaiting the office's review has no Case.due_date, but its handling clock runs on.
    in_review = Q(state=State.REVIEWING, handling_due__lt=cutoff)
    return counted_cases(department).filter((urgency.overdue(cutoff) & Q(state__in=OVERDUE_STATES)) | in_review)


def overdue_list(period: Period, department: Department | None, *, today: date) -> list[dict]:
    cutoff = period.cutoff(today)
    rows = (
        overdue_cases(period, department, today=today)
        .annotate(due_in_force=Coalesce("due_date", "handling_due"))
        .order_by("due_in_force", "number")
        .values_list(
            "number",
            "received_at",
            "state",
            "in_review",
            "due_in_force",
            "department__name",
            "category__name",
            "handler__full_name",
            "handler__username",
        )
    )
    zone = office_zone()
    return [
        {
            "number": number,
            "received_on": received_at.astimezone(zone).date().isoformat(),
            "state": "review" if in_review and state == State.ASSIGNED else state,
            "due": due.isoformat(),
            "days_overdue": (cutoff - due).days,
            "department": department_name or "",
            "category": category,
            "handler": handler_name or handler_username or "",
        }
        for (
            number,
            received_at,
            state,
            in_review,
            due,
            department_name,
            category,
            handler_name,
            handler_username,
        ) in rows.iterator(chunk_size=5000)
    ]


_define("extended", _("Extended"), _("Cases whose extension (延期) was approved in the period."))
_define(
    "returned",
    _("Returned"),
    _("Cases a department returned to the office in the period as not theirs, counted for that department."),
)
_define(
    "routed",
    _("Routed"),
    _("Cases routed (交办) to the department in the period, each counted once per department."),
)


def change_totals(period: Period, department: Department | None) -> dict[str, int]:
    extended = CaseLog.objects.filter(_within("at", period), action=CaseLog.Action.EXTEND).exclude(
        case__closure__in=NOT_COUNTED
    )
    returned = CaseLog.objects.filter(_within("at", period), action=CaseLog.Action.RETURN)
    if department is not None:
        extended = extended.filter(case__department=department)
        returned = returned.filter(data__department=department.pk)
    distinct_cases = Count("case_id", distinct=True)
    return {
        "extended": extended.aggregate(n=distinct_cases)["n"],
        "returned": returned.aggregate(n=distinct_cases)["n"],
    }


def _per_department(queryset, key: str, value) -> dict[int | None, int]:
    return dict(queryset.order_by().values_list(key).annotate(n=value))


def department_table(period: Period, department: Department | None, *, today: date) -> list[dict]:
    """One row per department: routed, handled, handled on time, overdue, extended, returned."""
    zone = office_zone()
    logs_department = Cast(KT("data__department"), IntegerField())
    routed = _per_department(
        routings(period).exclude(case__closure=Closure.MERGED).annotate(dept=logs_department),
        "dept",
        Count("case_id", distinct=True),
    )
    returned = _per_department(
        CaseLog.objects.filter(_within("at", period), action=CaseLog.Action.RETURN).annotate(dept=logs_department),
        "dept",
        Count("case_id", distinct=True),
    )
    extended = _per_department(
        CaseLog.objects.filter(_within("at", period), action=CaseLog.Action.EXTEND).exclude(
            case__closure__in=NOT_COUNTED
        ),
        "case__department",
        Count("case_id", distinct=True),
    )
    handled_rows = (
        counted_cases(None)
        .filter(_within("handled_at", period), department__isnull=False)
        .alias(handled_on=TruncDate("handled_at", tzinfo=zone))
        .order_by()
        .values_list("department")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(handled_on__lte=F("handling_due"))))
    )
    handled = {dept: (n, on_time) for dept, n, on_time in handled_rows}
    overdue = _per_department(
        overdue_cases(period, None, today=today).filter(department__isnull=False), "department", Count("pk")
    )
    departments = Department.objects.order_by("code")
    if department is not None:
        departments = departments.filter(pk=department.pk)
    rows = []
    for dept in departments.values("pk", "code", "name", "is_active"):
        pk = dept["pk"]
        row = {
            "code": dept["code"],
            "name": dept["name"],
            "routed": routed.get(pk, 0),
            "handled": handled.get(pk, (0, 0))[0],
            "handled_on_time": handled.get(pk, (0, 0))[1],
            "overdue": overdue.get(pk, 0),
            "extended": extended.get(pk, 0),
            "returned": returned.get(pk, 0),
        }
        row["on_time_rate"] = on_time_rate(row["handled"], row["handled_on_time"])
        if dept["is_active"] or any(row[k] for k in ("routed", "handled", "overdue", "extended", "returned")):
            rows.append(row)
    return rows


_define(
    "satisfaction",
    _("Satisfaction"),
    _(
        "The cases closed in the period, each counted once by its latest evaluation as recorded when the report "
        "was made: the petitioner's own (online) or one staff recorded after asking by phone, at a visit or by "
        "letter (回访); not recorded when there is none."
    ),
)


def satisfaction_table(period: Period, department: Department | None) -> list[dict]:
    latest = Evaluation.objects.filter(case=OuterRef("pk")).order_by("-at", "-id").values("level")[:1]
    closed = (
        counted_cases(department)
        .filter(_within("closed_at", period), closure=Closure.COMPLETED)
        .annotate(satisfaction=Coalesce(Subquery(latest), Value("")))
    )
    return _by_choice(closed, "satisfaction", [*Satisfaction.choices, ("", "")])


_define(
    "callbacks",
    _("Callbacks"),
    _(
        "Callbacks (回访) recorded as made in the period, reached or not, each counted for the department "
        "whose delivered outcome it asked about; voided registrations left out."
    ),
)
_define(
    "callback_participation_rate",
    _("Participation rate"),
    _(
        "参评率: callbacks in which the petitioner gave a verdict (满意, 基本满意 or 不满意) ÷ callbacks made; "
        "a petitioner not reached or giving no verdict (未评价) counts in the divisor only."
    ),
)
_define(
    "callback_satisfaction_rate",
    _("Satisfaction rate"),
    _("满意率: callbacks with the verdict 满意 or 基本满意 ÷ callbacks with a verdict."),
)
_define(
    "callback_solved_rate",
    _("Solved rate"),
    _(
        "解决率: callbacks in which the petitioner said the problem was solved (已解决) ÷ callbacks in which they "
        "answered whether it was (已解决, 部分解决 or 未解决)."
    ),
)
_define(
    "sent_back",
    _("Sent back"),
    _(
        "Outcomes the office sent back to the department for further work (补办/重办) in the period; each "
        "send-back counts, for the department it went back to."
    ),
)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def callback_table(period: Period, department: Department | None) -> list[dict]:
    """One row per department with callbacks or send-backs in the period: callbacks made, with a verdict,
    satisfied (满意 + 基本满意), answered on solving, solved; the three rates; send-backs."""
    callbacks = Callback.objects.filter(_within("done_at", period)).exclude(case__closure=Closure.VOID)
    sent_back = CaseLog.objects.filter(_within("at", period), action=CaseLog.Action.SEND_BACK).exclude(
        case__closure=Closure.VOID
    )
    if department is not None:
        callbacks = callbacks.filter(department=department)
        sent_back = sent_back.filter(data__department=department.pk)

    # One statement: each department with its figures as subqueries (the report's query count stays flat).
    def per_department(rows: QuerySet, key: str, condition: Q | None = None):
        counted = rows.filter(condition) if condition is not None else rows
        return Coalesce(
            Subquery(
                counted.filter(**{key: OuterRef("pk")}).order_by().values(key).annotate(n=Count("pk")).values("n")
            ),
            0,
        )

    sent_back = sent_back.annotate(dept=Cast(KT("data__department"), IntegerField()))
    figures = {
        "made": per_department(callbacks, "department"),
        "evaluated": per_department(callbacks, "department", Q(evaluation__isnull=False)),
        "satisfied": per_department(
            callbacks, "department", Q(evaluation__level__in=[Satisfaction.SATISFIED, Satisfaction.FAIRLY])
        ),
        "answered": per_department(callbacks, "department", ~Q(solved="")),
        "solved": per_department(callbacks, "department", Q(solved=Solved.SOLVED)),
        "sent_back": per_department(sent_back, "dept"),
    }
    departments = (
        Department.objects.annotate(**figures)
        .filter(Q(made__gt=0) | Q(sent_back__gt=0))
        .order_by("code")
        .values("code", "name", *figures)
    )
    rows = []
    for dept in departments:
        made, evaluated, satisfied, answered, solved = (dept[key] for key in list(figures)[:5])
        rows.append(
            {
                "code": dept["code"],
                "name": dept["name"],
                "callbacks": made,
                "evaluated": evaluated,
                "satisfied": satisfied,
                "answered": answered,
                "solved": solved,
                "callback_participation_rate": _rate(evaluated, made),
                "callback_satisfaction_rate": _rate(satisfied, evaluated),
                "callback_solved_rate": _rate(solved, answered),
                "sent_back": dept["sent_back"],
            }
        )
    return rows


_define(
    "trend",
    _("The last eight weeks"),
    _("New and handled cases in each of the eight weeks (Monday to Sunday) up to the week the period ends in."),
)


def _per_day(cases: QuerySet, field: str, count) -> QuerySet:
    """`count` grouped by the office-time-zone day of `field`: (day, n) rows."""
    return cases.annotate(day=TruncDate(field, tzinfo=office_zone())).order_by().values_list("day").annotate(n=count)


def trend(period: Period, department: Department | None) -> list[dict]:
    last = week_of(period.end)
    weeks = [last.start - timedelta(weeks=n) for n in range(TREND_WEEKS - 1, -1, -1)]
    span = Period(weeks[0], last.end)
    if department is None:
        new_by_day = _per_day(counted_cases(None).filter(_within("received_at", span)), "received_at", Count("pk"))
    else:
        routed = routings(span, department).exclude(case__closure__in=NOT_COUNTED)
        new_by_day = _per_day(routed, "at", Count("case_id", distinct=True))
    handled_by_day = _per_day(counted_cases(department).filter(_within("handled_at", span)), "handled_at", Count("pk"))
    buckets = {monday: {"week_start": monday.isoformat(), "new": 0, "handled": 0} for monday in weeks}
    for key, rows in (("new", new_by_day), ("handled", handled_by_day)):
        for day, n in rows:
            buckets[week_of(day).start][key] += n
    return list(buckets.values())


# --- The whole report -------------------------------------------------------------------------------


_define(
    "handed_down",
    _("Handed down: received"),
    _("New cases of the period that a higher authority handed down (交办件)."),
)
_define("handed_down_closed", _("Handed down: closed"), _("Handed-down cases closed in the period (voided left out)."))
_define(
    "handed_down_overdue",
    _("Handed down: overdue"),
    _(
        "Handed-down cases whose report back (办结报告) was still owed when the report was made, past the "
        "authority's date as of the day after the period (or today)."
    ),
)


def handed_down_totals(period: Period, department: Department | None, *, today: date) -> dict[str, int]:
    """Received, closed, and overdue (report back owed past the authority's date): one query."""
    orders = HandedDown.objects.filter(case__in=counted_cases(department))
    totals = orders.aggregate(
        handed_down=Count("pk", filter=_within("case__received_at", period)),
        handed_down_closed=Count("pk", filter=_within("case__closed_at", period)),
        handed_down_overdue=Count("pk", filter=Q(report_issued_at__isnull=True, due__lt=period.cutoff(today))),
    )
    return {key: int(value or 0) for key, value in totals.items()}


_define(
    "co_parts",
    _("Co-department parts given"),
    _(
        "Parts of joint cases (协办) given to co-departments in the period; for a department, the parts given to "
        "it. The case itself counts once, at its lead department (主办)."
    ),
)
_define(
    "co_parts_answered", _("Co-department parts answered"), _("Parts recorded by their co-department in the period.")
)
_define(
    "co_parts_late",
    _("Co-department parts answered late"),
    _("Of the parts answered in the period, those recorded after their due date."),
)
_define(
    "co_parts_overdue",
    _("Co-department parts overdue"),
    _(
        "Parts still owed when the report was made, of cases still with their departments, whose due date ended "
        "before the day after the period (or before today)."
    ),
)


def co_part_totals(period: Period, department: Department | None, *, today: date) -> dict[str, int]:
    """Parts given, answered (and of those late) and overdue: one query."""
    parts = CasePart.objects.filter(case__in=counted_cases(None))
    if department is not None:
        parts = parts.filter(department=department)
    zone = office_zone()
    totals = parts.alias(answered_on=TruncDate("answered_at", tzinfo=zone)).aggregate(
        co_parts=Count("pk", filter=_within("assigned_at", period)),
        co_parts_answered=Count("pk", filter=_within("answered_at", period)),
        co_parts_late=Count("pk", filter=_within("answered_at", period) & Q(answered_on__gt=F("due"))),
        co_parts_overdue=Count(
            "pk",
            filter=Q(
                answered_at__isnull=True,
                withdrawn_at__isnull=True,
                case__state=State.ASSIGNED,
                due__lt=period.cutoff(today),
            ),
        ),
    )
    return {key: int(value or 0) for key, value in totals.items()}


def snapshot_head(period: Period, department: Department | None, *, today: date | None = None) -> dict:
    """What every kind of report's snapshot starts with: the period, the scope, when and as of when."""
    today = today or timezone.localdate()
    return {
        "version": SNAPSHOT_VERSION,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "scope": {
            "department": department.pk if department else None,
            "code": department.code if department else "",
            "name": department.name if department else "",
        },
        "made_at": timezone.now().astimezone(office_zone()).isoformat(),
        "cutoff": period.cutoff(today).isoformat(),
        "time_zone": settings.TIME_ZONE,
    }


def report_figures(period: Period, department: Department | None, *, today: date | None = None) -> dict:
    """Every figure of the report, as plain JSON-ready data (the snapshot a report is rendered from)."""
    today = today or timezone.localdate()
    with consistent_reads():
        totals = new_case_totals(period, department)
        totals.update(flow_totals(period, department))
        overdue = overdue_list(period, department, today=today)
        totals["overdue"] = len(overdue)
        departments = department_table(period, department, today=today)
        totals.update(change_totals(period, department))
        totals.update(handed_down_totals(period, department, today=today))
        totals.update(co_part_totals(period, department, today=today))
        tables = new_cases_by(period, department)
        tables["satisfaction"] = satisfaction_table(period, department)
        tables["callbacks"] = callback_table(period, department)
        tables["departments"] = departments
        weeks = trend(period, department)
        # Figures other apps add (e.g. supervision's documents), kept apart from reports' own totals.
        extra = report_figures_of(
            start=period.start, end=period.end, department_id=department.pk if department else None
        )
        parts = part_figures(period, department, today=today)  # other apps' parts (reports.extensions)
    totals["on_time_rate"] = on_time_rate(totals["handled"], totals["handled_on_time"])
    return {
        **snapshot_head(period, department, today=today),
        "totals": totals,
        "tables": tables,
        "trend": weeks,
        "overdue": overdue,
        "extra_totals": extra,
        "parts": parts,
    }


# --- Who sees which reports -------------------------------------------------------------------------


def can_see_reports(user: User) -> bool:
    return user.has_perm("reports.view_office_reports") or (
        user.has_perm("reports.view_department_reports") and user.department_id is not None
    )


def may_request_reports(user: User) -> bool:
    """Requesting and regenerating reports (supervisors, administrators)."""
    return user.has_perm("reports.request_report")


def visible_reports(user: User) -> QuerySet:
    reports = Report.objects.select_related("department", "requested_by")
    if user.has_perm("reports.view_office_reports"):
        return reports
    if user.has_perm("reports.view_department_reports") and user.department_id is not None:
        return reports.filter(department_id=user.department_id)
    return reports.none()

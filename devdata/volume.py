"""Volume data for benchmarks: a province's worth of cases, written fast with PostgreSQL COPY.

`seed_volume(cases=1_000_000)` adds, on top of whatever is there, staff (`vol-*` logins, password
DEMO_PASSWORD), petitioners (some coming back: repeat cases), cases across every state, department,
category, region, channel and three years of dates, their petitioner links and their logs. The
rows are what the services would have written: deadlines come from petitions.clocks.deadlines, numbers
continue each year's CaseSequence, every state has what the constraints ask of it. About a fifth
of the cases are open, as in DESIGN.md ("1,000,000 on record, 200,000 open"); some are overdue.

Rows are generated in order of receipt and written in chunks, each chunk one transaction of four
COPY statements; foreign keys are not re-checked row by row when the database allows it (the rows
are consistent by construction). Run it on a quiet database: it reserves id ranges up front.
"""

import json
import queue
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from operator import itemgetter

import psycopg
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from devdata.factories import DEMO_PASSWORD, MATTERS, id_check_digit
from petitions.caching import reference_changed
from petitions.clocks.deadlines import Deadline, deadline_for, extend_deadline
from petitions.models import (
    Case,
    CaseLog,
    CasePetitioner,
    CaseSequence,
    Category,
    Channel,
    Closure,
    Department,
    Evaluation,
    LegalType,
    Outcome,
    Petitioner,
    Purpose,
    Region,
    Role,
    Satisfaction,
    State,
    User,
)
from petitions.models.choices import Clock
from petitions.selectors.queues import forget_case_counts
from petitions.services.intake import TRACKING_ALPHABET, TRACKING_CODE_LENGTH

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌辉波宇浩凯鹏飞春梅海燕雪梅晓东晓红丹丹俊杰佳怡子涵欣怡梓萱"  # noqa: E501
PLACES = [
    "幸福里小区", "阳光花园", "锦绣家园", "滨江苑", "翠湖村", "柳树湾村", "东风村", "新华社区", "青年路",
    "人民大道", "工业园区", "火车站片区", "老城区", "开发区", "南湖新村", "金色港湾", "桃源居", "石桥村",
    "红星村", "建设路", "和平街", "光明小区", "枫林苑", "梧桐里", "高新区", "北山矿区", "沿河路", "水岸名都",
]  # fmt: skip
TAILS = ["", "", "", "已多次反映未果。", "涉及多户居民。", "情况紧急。", "此前曾向有关部门反映。", "附有相关材料。"]
CHANNELS = ([Channel.VISIT] * 35 + [Channel.LETTER] * 20 + [Channel.PHONE] * 15 + [Channel.ONLINE] * 26
            + [Channel.LEADER_MAILBOX] * 3 + [Channel.OTHER] * 1)  # fmt: skip
YEARS_BACK = 3
RECENT_DAYS = 120
RECENT_SHARE = 0.2  # a fifth of the cases arrived in the last 120 days (most of them still open)
OUTCOMES = list(Outcome.values)
HEADCOUNTS = [(1, 80), (2, 7), (3, 4), (6, 5), (12, 3), (30, 1)]
SATISFACTION_WEIGHTS = [
    (Satisfaction.SATISFIED.value, 60),
    (Satisfaction.FAIRLY.value, 30),
    (Satisfaction.DISSATISFIED.value, 10),
]


def _pick(rand: Callable[[], float], items):
    """random.choice, several times faster (this runs tens of millions of times)."""
    return items[int(rand() * len(items))]


def _weighted(rand: Callable[[], float], weighted: list[tuple]):
    point = rand() * sum(weight for _value, weight in weighted)
    for value, weight in weighted:
        point -= weight
        if point < 0:
            return value
    return weighted[-1][0]


@dataclass
class SeedReport:
    cases: int = 0
    petitioners: int = 0
    links: int = 0
    logs: int = 0
    open_cases: int = 0
    seconds: float = 0.0
    fk_checks: bool = True


@dataclass(frozen=True)
class ReceivedIn:
    """`count` of the seeded cases are received between `start` and `end` (office days, inclusive)
    instead of anywhere in the three years: a busy week for the weekly report, say."""

    start: date
    end: date
    count: int


@dataclass(frozen=True)
class Staff:
    clerks: list[int]
    supervisors: list[int]
    leaders: list[int]
    handlers: dict[int, list[int]]  # department id → handler ids


def ensure_staff(*, clerks: int = 40, handlers_per_department: int = 6) -> Staff:
    """The `vol-*` logins the volume cases are registered and handled by (created once)."""
    password = make_password(DEMO_PASSWORD)
    groups = {group.name: group for group in Group.objects.all()}
    wanted: list[tuple[str, str, int | None]] = [(f"vol-clerk{n:03d}", Role.CLERK, None) for n in range(clerks)]
    wanted += [(f"vol-supervisor{n}", Role.SUPERVISOR, None) for n in range(4)]
    wanted += [(f"vol-leader{n}", Role.LEADER, None) for n in range(4)]
    for department in Department.objects.filter(is_active=True):
        code = department.code.lower()
        wanted.append((f"vol-{code}-head", Role.DEPARTMENT_HEAD, department.pk))
        wanted += [(f"vol-{code}-handler{n}", Role.HANDLER, department.pk) for n in range(handlers_per_department)]
    existing = set(User.objects.filter(username__startswith="vol-").values_list("username", flat=True))
    with transaction.atomic():
        new = [(name, role, dept) for name, role, dept in wanted if name not in existing]
        created = User.objects.bulk_create(
            User(username=name, full_name=_person_name(random.Random(name)), password=password, department_id=dept)
            for name, _role, dept in new
        )
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=user.pk, group_id=groups[str(role)].pk)
            for user, (_name, role, _dept) in zip(created, new, strict=True)
        )
    by_role: dict[str, list[tuple[int, int | None]]] = {}
    for pk, department_id, role in User.objects.filter(username__startswith="vol-").values_list(
        "pk", "department_id", "groups__name"
    ):
        by_role.setdefault(role, []).append((pk, department_id))
    handlers: dict[int, list[int]] = {}
    for pk, department_id in by_role.get(Role.HANDLER, []):
        handlers.setdefault(department_id, []).append(pk)
    return Staff(
        clerks=[pk for pk, _ in by_role[Role.CLERK]],
        supervisors=[pk for pk, _ in by_role[Role.SUPERVISOR]],
        leaders=[pk for pk, _ in by_role[Role.LEADER]],
        handlers=handlers,
    )


def _person_name(rng: random.Random) -> str:
    rand = rng.random
    return _pick(rand, SURNAMES) + "".join(_pick(rand, GIVEN) for _ in range(1 if rand() < 0.33 else 2))


def _identity(serial: int) -> tuple[str, str, str, str, str]:
    """The name, gender, ID number, phone and address of the `serial`-th person: the same every time, so a
    repeat visitor's later cases record what their first did without keeping every person in memory."""
    rng = random.Random(serial)
    rand = rng.random
    id_number = ""
    if rand() < 0.7:  # unique by construction: birth day and serial follow the person count
        born = date(1940, 1, 1) + timedelta(days=(serial // 1000) * 7 % 23_000)
        first17 = f"99{serial % 10000:04d}{born:%Y%m%d}{serial % 1000:03d}"
        id_number = first17 + id_check_digit(first17)
    return (
        _person_name(rng),
        "M" if rand() < 0.5 else "F",
        id_number,
        f"1{_pick(rand, '3456789')}{int(rand() * 1e9):09d}",
        f"{_pick(rand, PLACES)}{1 + int(rand() * 30)}号",
    )


@lru_cache(maxsize=20_000)
def _deadline(clock: str, start: date) -> Deadline:
    return deadline_for(clock, start)


@lru_cache(maxsize=5_000)
def _extended(deadline: Deadline, days: int) -> Deadline:
    return extend_deadline(deadline, days)


def _reserve_ids(model, count: int) -> int:
    """The first of `count` consecutive ids no one else will be given."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [sequence])
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + count])
    return first


def _columns(model) -> list[str]:
    return [field.column for field in model._meta.concrete_fields if not field.generated]


class _Generator:
    """Makes the rows of one chunk after another, in order of receipt."""

    def __init__(
        self, *, total: int, rng: random.Random, staff: Staff, today: date, received_in: ReceivedIn | None = None
    ) -> None:
        self.rng = rng
        self.rand = rng.random
        self.staff = staff
        self.today = today
        self.now = timezone.now()  # in UTC
        self.zone = timezone.get_current_timezone()
        self.categories = list(
            Category.objects.filter(parent__isnull=False, is_active=True).select_related(
                "parent", "default_department", "parent__default_department"
            )
        ) or list(Category.objects.filter(is_active=True))
        self.regions = list(Region.objects.filter(level__gte=Region.Level.COUNTY).values_list("pk", "name"))
        self.departments = list(Department.objects.filter(is_active=True).values_list("pk", flat=True))
        self.sequences = dict(CaseSequence.objects.values_list("year", "last"))
        self.case_id = _reserve_ids(Case, total)
        self.petitioner_id = _reserve_ids(Petitioner, total)
        self.link_id = _reserve_ids(CasePetitioner, total + total // 10)
        self.log_id = _reserve_ids(CaseLog, total * 8)
        self.people: list[tuple[int, int, int]] = []  # (petitioner id, their first case id, serial)
        self.serial_of: dict[int, int] = {}  # new people of the case being made
        self.latest_case: dict[int, int] = {}  # petitioner id → their latest case id
        self.person_serial = Petitioner.objects.count()
        self.tracking_codes: set[str] = set()
        self.code_rng = random.Random()  # seeded from the system: codes never repeat those of an earlier run
        # Ages in days, oldest first: a fifth recent, the rest over the three years before.
        within = min(received_in.count, total) if received_in else 0
        ages = [
            rng.uniform(0, RECENT_DAYS) if rng.random() < RECENT_SHARE else rng.uniform(RECENT_DAYS, 365 * YEARS_BACK)
            for _ in range(total - within)
        ]
        if within:
            # Ages (in days before now) of the window's first and last moments in the office's zone.
            first = datetime.combine(received_in.start, datetime.min.time(), tzinfo=self.zone)
            last = datetime.combine(received_in.end + timedelta(days=1), datetime.min.time(), tzinfo=self.zone)
            oldest = (self.now - first).total_seconds() / 86400
            youngest = max((self.now - last).total_seconds() / 86400, 0.0)
            if youngest >= oldest:
                raise ValueError("ReceivedIn: the window must end after it starts and start before now")
            # Kept a few hours inside the days, so that moving a case into office hours keeps its day.
            margin = min(0.25, (oldest - youngest) / 4)
            ages += [rng.uniform(youngest + margin, oldest - margin) for _ in range(within)]
        ages.sort(reverse=True)
        self.ages = ages
        self.index = 0
        self.open_cases = 0

    # --- one case ---------------------------------------------------------------------------------

    def _received_at(self, age: float) -> tuple[datetime, date]:
        """When the case came in (in UTC, which is quick to compare) and the office's day of it."""
        local = (self.now - timedelta(days=age)).astimezone(self.zone)
        if not 8 <= local.hour < 18:  # offices receive in office hours
            local = local.replace(hour=8 + int(self.rand() * 10))
        moment = min(local.astimezone(UTC), self.now - timedelta(minutes=5))
        return moment, moment.astimezone(self.zone).date()

    def _state(self, age: float) -> str:
        roll = self.rand()
        if age < 15:
            return State.RECEIVED if roll < 0.55 else State.ASSIGNED
        if age < 75:
            return State.ASSIGNED if roll < 0.7 else State.HANDLED if roll < 0.8 else State.CLOSED
        if age < RECENT_DAYS:
            return State.ASSIGNED if roll < 0.2 else State.HANDLED if roll < 0.35 else State.CLOSED
        return State.ASSIGNED if roll < 0.03 else State.HANDLED if roll < 0.06 else State.CLOSED

    def _tracking_code(self) -> str:
        while True:
            code = "".join(self.code_rng.choices(TRACKING_ALPHABET, k=TRACKING_CODE_LENGTH))
            if code not in self.tracking_codes:
                self.tracking_codes.add(code)
                return code

    def _petitioner(self, rows: list, received_at: datetime) -> tuple[int, bool, tuple]:
        """A new person's row (appended to `rows`), or a person already on record: (id, is new, identity)."""
        rand = self.rand
        if self.people and rand() < 0.12:
            pk, _case, serial = _pick(rand, self.people)
            return pk, False, _identity(serial)
        pk = self.petitioner_id
        self.petitioner_id += 1
        self.person_serial += 1
        self.serial_of[pk] = self.person_serial
        identity = _identity(self.person_serial)
        rows.append((pk, *identity, rand() < 0.02, received_at, received_at))
        return pk, True, identity

    def chunk(self, size: int) -> tuple[list, list, list, list, list]:
        petitioners, cases, links, logs, evaluations = [], [], [], [], []
        end = min(self.index + size, len(self.ages))
        rand = self.rand
        staff = self.staff
        for age in self.ages[self.index : end]:
            case_id = self.case_id
            self.case_id += 1
            received_at, received_on = self._received_at(age)
            year = received_on.year
            sequence = self.sequences.get(year, 0) + 1
            self.sequences[year] = sequence
            category = _pick(rand, self.categories)
            top = category.parent or category
            summary, request = _pick(rand, MATTERS.get(top.name, MATTERS["其他"]))
            place = _pick(rand, PLACES)
            summary = f"{place}{summary}{_pick(rand, TAILS)}"
            purpose = (
                Purpose.DISCLOSURE
                if top.name == "纪检监察"
                else Purpose.SUGGESTION
                if "建议" in summary
                else Purpose.REQUEST
            )
            legal_type = {
                Purpose.DISCLOSURE: LegalType.ACCUSATION,
                Purpose.SUGGESTION: LegalType.SUGGESTION,
            }.get(purpose, LegalType.LITIGATION if top.name == "政法" and rand() < 0.5 else LegalType.CLAIM)
            channel = _pick(rand, CHANNELS)
            headcount = _weighted(rand, HEADCOUNTS) if channel == Channel.VISIT else 1
            clerk = _pick(rand, staff.clerks)
            state = self._state(age)

            # The petitioners: the primary, and up to four more representatives of a collective visit.
            primary, new, identity = self._petitioner(petitioners, received_at)
            repeat_of = None if new else self.latest_case.get(primary)
            people = {primary: identity}
            if headcount >= 5:
                for _ in range(1 + int(rand() * 4)):
                    extra, _new, extra_identity = self._petitioner(petitioners, received_at)
                    people.setdefault(extra, extra_identity)
            for position, (person, recorded) in enumerate(people.items()):
                role = "primary" if position == 0 else "representative"
                links.append((self.link_id, case_id, person, role, position, *recorded))
                self.link_id += 1
            self.latest_case[primary] = case_id
            if new:
                self.people.append((primary, case_id, self.serial_of[primary]))
            self.serial_of.clear()

            department = handler = owner = accepted_at = assigned_at = objection_due = handling_due = None
            extension_days, extension_reason = 0, ""
            outcome = outcome_text = legal_basis = closure = closing_reason = ""
            handled_at = delivered_on = review_due = closed_at = None
            accept = _deadline(Clock.ACCEPT, received_on)
            basis = {Clock.ACCEPT: accept.basis}
            supervisor = _pick(rand, staff.supervisors)

            first_log = len(logs)

            def log(action, source, target, actor, at: datetime, note: str = "", data="{}", case_id=case_id) -> None:
                logs.append((self.log_id, case_id, action, source, target, actor, at, note, data))
                self.log_id += 1

            registered = f'{{"channel": "{channel}", "headcount": {headcount}, "repeat_of": null, "attachments": 0}}'
            log("register", State.RECEIVED, State.RECEIVED, clerk, received_at, data=registered)
            refused = state == State.CLOSED and rand() < 0.08
            if refused:
                closed_at = received_at + timedelta(days=1 + int(rand() * 10), hours=0 + int(rand() * 6))
                void = rand() < 0.35
                closure = Closure.VOID if void else Closure.NOT_ACCEPTED
                closing_reason = "重复登记，作废。" if void else "该事项已通过诉讼途径解决，依法不予受理。"
                log("void" if void else "refuse", State.RECEIVED, State.CLOSED, supervisor, closed_at, closing_reason)
            elif state != State.RECEIVED:
                assigned_at = received_at + timedelta(
                    days=int(rand() * (min(6, int(age)) + 1)), hours=0 + int(rand() * 5)
                )
                assigned_at = min(assigned_at, self.now - timedelta(minutes=1))
                accepted_at = assigned_at
                assigned_on = assigned_at.astimezone(self.zone).date()
                default = category.default_department_id or (top.default_department_id if top is not category else None)
                department = default if default and rand() < 0.9 else _pick(rand, self.departments)
                objection = _deadline(Clock.OBJECTION, assigned_on)
                handling = _deadline(Clock.HANDLING, assigned_on)
                objection_due, handling_due = objection.due, handling.due
                basis[Clock.OBJECTION], basis[Clock.HANDLING] = objection.basis, handling.basis
                log("accept", State.RECEIVED, State.ASSIGNED, supervisor, assigned_at,
                    data=f'{{"department": {department}}}')  # fmt: skip
                if rand() < 0.04:
                    owner = _pick(rand, staff.leaders)
                    log(
                        "set_owner",
                        State.ASSIGNED,
                        State.ASSIGNED,
                        supervisor,
                        assigned_at,
                        data=f'{{"leader": {owner}}}',
                    )
                candidates = staff.handlers.get(department, [])
                if candidates and (state != State.ASSIGNED or rand() < 0.85):
                    handler = _pick(rand, candidates)
                    taken = assigned_at + timedelta(hours=1 + int(rand() * 48))
                    log("take", State.ASSIGNED, State.ASSIGNED, handler, min(taken, self.now),
                        data=f'{{"handler": {handler}}}')  # fmt: skip
                if age > 50 and rand() < 0.08:
                    extension_days, extension_reason = 30, "案情复杂，需进一步调查核实。"
                    handling = _extended(handling, extension_days)
                    handling_due, basis[Clock.HANDLING] = handling.due, handling.basis
                    log("extend", State.ASSIGNED, State.ASSIGNED, supervisor, assigned_at + timedelta(days=45),
                        extension_reason, data='{"days": 30}')  # fmt: skip
                if state in (State.HANDLED, State.CLOSED) and handler is not None:
                    handled_at = assigned_at + timedelta(
                        days=int(self.rng.triangular(5, 60, 30)), hours=0 + int(rand() * 9)
                    )
                    handled_at = min(handled_at, self.now - timedelta(minutes=1))
                    outcome = _pick(rand, OUTCOMES)
                    outcome_text, legal_basis = "经调查核实，已依法依规作出处理。", "《信访工作条例》第三十一条"
                    log(
                        "handle", State.ASSIGNED, State.HANDLED, handler, handled_at, data=f'{{"outcome": "{outcome}"}}'
                    )
                    delivered = handled_at.astimezone(self.zone).date() + timedelta(days=1 + int(rand() * 7))
                    if delivered <= self.today and (state == State.CLOSED or rand() < 0.7):
                        delivered_on = delivered
                        review = _deadline(Clock.REVIEW_REQUEST, delivered_on)
                        review_due, basis[Clock.REVIEW_REQUEST] = review.due, review.basis
                        log("deliver", State.HANDLED, State.HANDLED, supervisor, handled_at + timedelta(days=1),
                            data=f'{{"delivered_on": "{delivered_on.isoformat()}"}}')  # fmt: skip
                    elif state == State.CLOSED:
                        state = State.HANDLED  # not yet delivered, so not closable
                    if state == State.CLOSED:
                        closed_at = min(handled_at + timedelta(days=3 + int(rand() * 38)), self.now)
                        closure = Closure.COMPLETED
                        satisfaction = _weighted(rand, SATISFACTION_WEIGHTS)
                        log("close", State.HANDLED, State.CLOSED, supervisor, closed_at)
                        evaluations.append((case_id, satisfaction, "", "phone", supervisor, closed_at))
                elif state != State.ASSIGNED:
                    state = State.ASSIGNED  # nobody took it: still with the department
            if state != State.CLOSED:
                self.open_cases += 1
            values = {
                "id": case_id,
                "number": f"XF{year}-{sequence:06d}",
                "year": year,
                "sequence": sequence,
                "tracking_code": self._tracking_code(),
                "channel": channel,
                "received_at": received_at,
                "letter_date": received_on - timedelta(days=2 + int(rand() * 9)) if channel == Channel.LETTER else None,
                "registered_by_id": clerk,
                "registered_at": received_at,
                "reception_session_id": None,
                "headcount": headcount,
                "purpose": purpose,
                "legal_type": legal_type,
                "category_id": category.pk,
                "region_id": _pick(rand, self.regions)[0],
                "summary": summary,
                "request": request,
                "facts": "",
                "complained_unit": "",
                "submission_language": "",
                "is_repeat": repeat_of is not None,
                "repeat_of_id": repeat_of,
                "skip_level": rand() < 0.04,
                "state": state,
                "version": len(logs) - first_log,  # each step after registering bumped it once
                "department_id": department,
                "handler_id": handler,
                "owning_leader_id": owner,
                "accepted_at": accepted_at,
                "assigned_at": assigned_at,
                "accept_due": accept.due,
                "deadline_basis": json.dumps(basis),
                "objection_due": objection_due,
                "handling_due": handling_due,
                "review_request_due": review_due,
                "extension_days": extension_days,
                "extension_reason": extension_reason,
                "extension_requested_days": 0,
                "extension_request_reason": "",
                "outcome": outcome,
                "outcome_text": outcome_text,
                "legal_basis": legal_basis,
                "handled_at": handled_at,
                # The seeded outcomes were accepted as they were submitted (no result review step is seeded).
                "result_submitted_at": handled_at,
                "result_reviewed_by_id": None,
                "rework_due": None,
                "rehandling": False,
                "outcome_delivered_on": delivered_on,
                "in_review": False,
                "review_requested_at": None,
                "closure": closure,
                "closing_reason": closing_reason,
                "closed_at": closed_at,
                "follow_up_note": "",
            }
            cases.append(CASE_ROW(values))
        self.index = end
        return petitioners, cases, links, logs, evaluations


CASE_COLUMNS = _columns(Case)
CASE_ROW = itemgetter(*CASE_COLUMNS)  # the values of a case, by column, in COPY's order
PETITIONER_COLUMNS = [
    "id",
    "name",
    "gender",
    "id_number",
    "phone",
    "address",
    "confidential",
    "created_at",
    "updated_at",
]
LINK_COLUMNS = ["id", "case_id", "petitioner_id", "role", "position", "name", "gender", "id_number", "phone", "address"]
LOG_COLUMNS = ["id", "case_id", "action", "source_state", "target_state", "actor_id", "at", "note", "data"]
EVALUATION_COLUMNS = ["case_id", "level", "comment", "source", "entered_by_id", "at"]


def _copy(cursor, model, columns: list[str], rows: list) -> None:
    if not rows:
        return
    table = model._meta.db_table
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


SEEDED = (Petitioner, Case, CasePetitioner, CaseLog)


def _plain_indexes(cursor) -> list[tuple[str, str]]:
    """(name, definition) of the seeded tables' indexes that back no constraint."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        ORDER BY i.tablename, i.indexname
        """,
        [[model._meta.db_table for model in SEEDED]],
    )
    return cursor.fetchall()


def seed_volume(
    *,
    cases: int,
    seed: int = 2026,
    chunk: int = 50_000,
    received_in: ReceivedIn | None = None,
    rebuild_indexes: bool | None = None,
    progress: Callable[[str], None] = print,
) -> SeedReport:
    """Add `cases` cases (with petitioners, links and logs) by COPY, in one transaction; then VACUUM ANALYZE.

    With `rebuild_indexes` (the default when the cases at least double) the seeded tables' plain
    indexes are dropped first and built again at the end, which is several times faster than
    keeping them up to date row by row; being in the same transaction, a failed run leaves them
    as they were. Python makes the next chunk while PostgreSQL takes the last one.
    """
    if connection.vendor != "postgresql":
        raise RuntimeError("seed_volume needs PostgreSQL (it writes with COPY).")
    started = time.monotonic()
    report = SeedReport()
    staff = ensure_staff()
    if rebuild_indexes is None:
        rebuild_indexes = cases >= Case.objects.count()
    generator = _Generator(
        total=cases, rng=random.Random(seed), staff=staff, today=timezone.localdate(), received_in=received_in
    )
    failure: list[BaseException] = []
    chunks: queue.Queue = queue.Queue(maxsize=2)

    def elapsed() -> str:
        return f"{time.monotonic() - started:6.1f} s"

    with transaction.atomic():
        raw = connection.connection  # psycopg itself: COPY goes through the driver
        with raw.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        try:
            with transaction.atomic(), raw.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")  # consistent by construction
            report.fk_checks = False
        except psycopg.errors.InsufficientPrivilege:  # not a superuser: keep the checks, only slower
            report.fk_checks = True
        dropped: list[tuple[str, str]] = []
        if rebuild_indexes:
            with raw.cursor() as cursor:
                dropped = _plain_indexes(cursor)
                for name, _definition in dropped:
                    cursor.execute(f'DROP INDEX "{name}"')
            progress(f"dropped {len(dropped)} indexes; they are built again at the end")

        def write() -> None:
            try:
                with raw.cursor() as cursor:
                    while (rows := chunks.get()) is not None:
                        petitioners, case_rows, links, logs, evaluations = rows
                        _copy(cursor, Petitioner, PETITIONER_COLUMNS, petitioners)
                        _copy(cursor, Case, CASE_COLUMNS, case_rows)
                        _copy(cursor, CasePetitioner, LINK_COLUMNS, links)
                        _copy(cursor, CaseLog, LOG_COLUMNS, logs)
                        _copy(cursor, Evaluation, EVALUATION_COLUMNS, evaluations)
                        report.cases += len(case_rows)
                        report.petitioners += len(petitioners)
                        report.links += len(links)
                        report.logs += len(logs)
                        progress(
                            f"cases {report.cases:>9,}/{cases:,} ({100 * report.cases / cases:5.1f} %)  "
                            f"petitioners {report.petitioners:,}  logs {report.logs:,}  {elapsed()}"
                        )
            except BaseException as error:  # handed to the main thread, which raises it
                failure.append(error)

        writer = threading.Thread(target=write, name="seed-volume-copy")
        writer.start()
        try:
            while generator.index < cases and not failure:
                rows = generator.chunk(chunk)
                while not failure:
                    try:
                        chunks.put(rows, timeout=1)
                        break
                    except queue.Full:
                        continue
        finally:
            while writer.is_alive():
                try:
                    chunks.put(None, timeout=1)
                    break
                except queue.Full:
                    continue
            writer.join()
        if failure:
            raise failure[0]
        with raw.cursor() as cursor:
            for name, definition in dropped:
                cursor.execute(definition)
                progress(f"index {name} built  {elapsed()}")
            if not report.fk_checks:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        for year, last in generator.sequences.items():
            CaseSequence.objects.update_or_create(year=year, defaults={"last": last})
    forget_case_counts()  # written by COPY, past the signal that keeps the lists' counts current
    reference_changed()  # the vol-* staff came by bulk_create, past the signals: the filters' staff lists
    progress(f"committed  {elapsed()}; VACUUM ANALYZE …")
    with connection.cursor() as cursor:
        for model in (*SEEDED, CaseSequence):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    report.open_cases = generator.open_cases
    report.seconds = time.monotonic() - started
    return report

"""Demo data: one login per role, staff for every department, and a few hundred cases that lived
through the real services on a moved clock, side by side, with the scheduler's daily work done as
their days passed — so their logs, deadlines, escalations and notices are genuine, and none lies in
the future.
"""

import heapq
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import time_machine
from django.db import transaction
from django.utils import timezone

from devdata.factories import (
    UserFactory,
    advance,
    case_data,
    local_datetime,
    reception_session,
)
from information.models import ReportingUnit
from information.returns.services import return_submit
from petitions import policies
from petitions.clocks.deadlines import deadline_for
from petitions.extensions import run_daily_jobs
from petitions.models import (
    Callback,
    Case,
    Category,
    Channel,
    Department,
    Outcome,
    Role,
    Satisfaction,
    Solved,
    State,
    User,
)
from petitions.models.choices import Clock
from petitions.services import lifecycle
from petitions.services.callbacks import CallbackAnswer, callback_record
from petitions.services.higher_authority import HandedDownData, handed_down_record
from petitions.services.intake import PetitionerData, case_register
from reports.report_back import report_back_issue

# (username, full name, roles, department code) — the logins the README lists.
DEMO_USERS = [
    ("clerk", "王芳", [Role.CLERK], None),
    ("supervisor", "李强", [Role.SUPERVISOR], None),
    ("handler", "张伟", [Role.HANDLER], "ZJJ"),
    ("depthead", "刘洋", [Role.DEPARTMENT_HEAD], "ZJJ"),
    ("leader", "陈明", [Role.LEADER], None),
    ("admin", "赵敏", [Role.ADMIN], None),
    ("auditor", "吴静", [Role.AUDITOR], None),
]


def create_demo_users() -> dict[str, User]:
    users = {}
    for username, full_name, roles, department_code in DEMO_USERS:
        department = Department.objects.get(code=department_code) if department_code else None
        user = UserFactory(username=username, full_name=full_name, roles=roles, department=department)
        if username == "admin":
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        users[username] = user
    # Every department gets a head and two handlers, so that every routed case has people. They have
    # no e-mail address, so the demo's console does not fill with their copies of notifications.
    for department in Department.objects.all():
        code = department.code.lower()
        UserFactory(username=f"{code}-head", roles=[Role.DEPARTMENT_HEAD], department=department, email="")
        for n in (1, 2):
            UserFactory(username=f"{code}-handler{n}", roles=[Role.HANDLER], department=department, email="")
    UserFactory(username="clerk2", full_name="孙丽", roles=[Role.CLERK], email="")
    UserFactory(username="leader2", full_name="周建国", roles=[Role.LEADER], email="")
    return users


def _handler_for(case: Case, rng: random.Random) -> User:
    return rng.choice(list(User.objects.filter(department=case.department, groups__name=Role.HANDLER)))


# --- One clock for all the cases ------------------------------------------------------------------
# Each case's life is a generator: it yields the day of its next step, and does that step when it is
# resumed, on that day. The loop at the end keeps every life on one clock, the earliest step first,
# and runs each day's scheduled work (the daily jobs of petitions.extensions: the overdue sweep, the
# auto-close) as the days pass, so that escalations, reminders and automatic closings carry the day they would have had.

Life = Iterator[date]


class _Moments:
    """The moments of one case's steps: office hours, in order, and never after the real now."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.last: datetime | None = None

    def at(self, day: date) -> datetime | None:
        """When the step of `day` happens; None if that is still to come (the life stops there)."""
        moment = local_datetime(day, self.rng.randint(8, 17), self.rng.randint(0, 59))
        if self.last is None and moment > self.now:
            # The case came in today, before now: it is registered, at a moment already past.
            moment = self.now - timedelta(minutes=self.rng.randint(1, 30))
        if self.last is not None:
            moment = max(moment, self.last + timedelta(minutes=5))
        if moment > self.now:
            return None
        self.last = moment
        return moment


def _live_on_one_clock(lives: list[tuple[Life, _Moments]], *, first_day: date, now: datetime) -> None:
    queue: list[tuple[datetime, int, Life, _Moments]] = []

    def resume(n: int, life: Life, moments: _Moments) -> None:
        """Run the life's next step (it is due now) and put the one after it in the queue."""
        day = next(life, None)
        moment = moments.at(day) if day is not None else None
        if moment is not None:
            heapq.heappush(queue, (moment, n, life, moments))

    for n, (life, moments) in enumerate(lives):
        resume(n, life, moments)  # a life's first step is only its plan: no clock is needed
    swept = first_day - timedelta(days=1)
    while queue:
        moment, n, life, moments = heapq.heappop(queue)
        swept = _days_pass(swept, timezone.localtime(moment).date(), now)
        with time_machine.travel(moment, tick=False):
            resume(n, life, moments)
    _days_pass(swept, timezone.localtime(now).date(), now)
    run_daily_jobs()  # and once more at the real now: `make demo`'s own sweep finds nothing old


def _days_pass(swept: date, through: date, now: datetime) -> date:
    """Each day after `swept` up to `through`: that day's scheduled work, early in the morning."""
    while swept < through:
        swept += timedelta(days=1)
        with time_machine.travel(min(local_datetime(swept, 0, 10), now), tick=False):
            run_daily_jobs()
    return swept


# --- The cases --------------------------------------------------------------------------------------


@dataclass
class _Office:
    """What every life shares: the people, the reception days, and the cases registered so far."""

    rng: random.Random
    today: date
    clerks: list[User]
    supervisor: User
    leaders: list[User]
    sessions: list
    registered: list[tuple[int, Case, date]] = field(default_factory=list)  # (person, case, received on)

    def register(self, received: date, overrides: dict) -> Case:
        rng = self.rng
        earlier = [(person, case) for person, case, on in self.registered if on < received]
        if earlier and rng.random() < 0.12:
            person_id, repeat_of = rng.choice(earlier)
            overrides["petitioners"] = [PetitionerData(name="", existing_id=person_id)]
            overrides["repeat_of"] = repeat_of
            overrides["category"] = repeat_of.category
        data = case_data(received_at=timezone.now(), rng=rng, **overrides)
        case = case_register(actor=rng.choice(self.clerks), data=_fill_known_name(data), attachments=[])
        self.registered.append((case.case_petitioners.first().petitioner_id, case, received))
        return case


def create_demo_cases(count: int = 300, *, seed: int = 2026) -> int:
    """`count` cases received over the last 120 days, each taken as far as its age makes plausible, and
    the demo handler's department given cases overdue and due soon."""
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    office = _Office(
        rng=rng,
        today=today,
        clerks=list(User.objects.filter(groups__name=Role.CLERK)),
        supervisor=User.objects.get(username="supervisor"),
        leaders=list(User.objects.filter(groups__name=Role.LEADER)),
        sessions=[],
    )
    for weeks_ago in range(0, 17, 2):
        day = today - timedelta(weeks=weeks_ago)
        day -= timedelta(days=(day.weekday() - 2) % 7)  # Wednesdays: reception day
        with time_machine.travel(min(local_datetime(day, 8, 30), now), tick=False):
            office.sessions.append(reception_session(leader=rng.choice(office.leaders), on=day))
    lives = [_life(office, received=today - timedelta(days=int(rng.triangular(0, 120, 10)))) for _ in range(count)]
    lives += _late_lives_of_the_demo_department(office)
    _live_on_one_clock([(life, _Moments(rng, now)) for life in lives], first_day=today - timedelta(days=120), now=now)
    return len(office.registered)


def _fill_known_name(data):
    """A repeat visitor gives the clerk their name and card (or phone) again, as on record."""
    from dataclasses import replace

    from petitions.models import Petitioner

    def as_on_record(person: PetitionerData) -> PetitionerData:
        if not person.existing_id:
            return person
        known = Petitioner.objects.get(pk=person.existing_id)
        return replace(person, name=known.name, id_number=known.id_number, phone=known.phone)

    return replace(data, petitioners=[as_on_record(person) for person in data.petitioners])


SENT_BACK_EVERY = 10  # one outcome in ten is sent back once by the office (补办)
HANDED_DOWN_EVERY = 12  # about one case in twelve came from a higher authority (交办件)


def _hand_down(case: Case, supervisor: User, received: date) -> None:
    order = HandedDownData(
        authority="省信访局",
        reference=f"湘访交〔{received.year}〕{case.sequence}号",
        handed_down_on=received,
        due=received + timedelta(days=45),
        interim_reports_required=True,
        interim_report_due=received + timedelta(days=20),
    )
    handed_down_record(case_id=case.pk, actor=supervisor, data=order)


def _life(office: _Office, *, received: date) -> Life:
    """Take a case through its life: registration, routing, handling, delivery, closing, with side paths."""
    rng, supervisor = office.rng, office.supervisor
    channel = rng.choices(
        [Channel.VISIT, Channel.LETTER, Channel.PHONE, Channel.ONLINE, Channel.LEADER_MAILBOX, Channel.OTHER],
        weights=[35, 20, 15, 25, 4, 1],
    )[0]
    headcount = rng.choices([1, 2, 3, 6, 12, 30], weights=[70, 8, 4, 9, 6, 3])[0] if channel == Channel.VISIT else 1
    overrides: dict = {"channel": channel, "headcount": headcount}
    if channel == Channel.LETTER:
        overrides["letter_date"] = received - timedelta(days=rng.randint(2, 10))
    if channel == Channel.VISIT:
        overrides["reception_session"] = next((s for s in office.sessions if s.date == received), None)
    if rng.random() < 0.05:
        overrides["skip_level"] = True
    yield received
    case = office.register(received, overrides)
    handed_down = case.sequence % HANDED_DOWN_EVERY == 0  # no draw of rng: the other lives stay as they were
    if handed_down:
        _hand_down(case, supervisor, received)

    day = received + timedelta(days=rng.randint(0, 6))
    if rng.random() < 0.04:
        return  # still waiting for a decision (some of these will be due soon or overdue)
    yield day
    roll = rng.random()
    if roll < 0.05:
        lifecycle.case_refuse(case_id=case.pk, actor=supervisor, reason="该事项已通过诉讼途径解决，依法不予受理。")
        return
    if roll < 0.07:
        lifecycle.case_void(case_id=case.pk, actor=supervisor, reason="重复登记，作废。")
        return
    case = advance(case, "assigned", supervisor=supervisor)
    if rng.random() < 0.08:
        lifecycle.case_set_owner(case_id=case.pk, actor=supervisor, leader=rng.choice(office.leaders))
    if rng.random() < 0.05:
        yield day + timedelta(days=2)
        lifecycle.case_return(case_id=case.pk, actor=_handler_for(case, rng), reason="该事项不属于本单位职责范围。")
        return
    handler = _handler_for(case, rng)
    day += timedelta(days=rng.randint(1, 3))
    yield day
    lifecycle.case_take(case_id=case.pk, actor=handler)
    if rng.random() < 0.1:
        day += timedelta(days=rng.randint(20, 50))
        yield day
        reason = "案情复杂，需进一步调查核实。"
        lifecycle.case_request_extension(case_id=case.pk, actor=handler, days=30, reason=reason)
        lifecycle.case_extend(case_id=case.pk, actor=supervisor, days=30, reason=reason)
    day += timedelta(days=int(rng.triangular(5, 80, 30)))
    yield day
    outcome = rng.choice(list(Outcome.values))
    # No draw of rng for the office's review (the other lives stay as they were): one outcome in ten
    # is sent back once for further work (补办) before it is accepted — while its handling deadline is still
    # ahead, so that the further work's deadline (inside it) is chased on its day like every other.
    handling_due = Case.objects.filter(pk=case.pk).values_list("handling_due", flat=True).get()
    if case.sequence % SENT_BACK_EVERY == 0 and handling_due is not None and handling_due > day + timedelta(days=1):
        case = advance(case, "reviewing", supervisor=supervisor, handler=handler, outcome=outcome)
        day += timedelta(days=1)
        yield day
        lifecycle.case_send_back(case_id=case.pk, actor=supervisor, reason="请补充现场核查情况及相关依据。")
        day += timedelta(days=3)
        yield day
    case = advance(case, "reviewing", supervisor=supervisor, handler=handler, outcome=outcome)
    day += timedelta(days=1)
    yield day
    case = advance(case, "handled", supervisor=supervisor, handler=handler, outcome=outcome)
    day += timedelta(days=rng.randint(1, 7))
    yield day
    case = advance(case, "delivered", supervisor=supervisor, delivered_on=day)
    if handed_down:
        report_back_issue(case=Case.objects.get(pk=case.pk), actor=supervisor)
    if rng.random() < 0.06:
        day += timedelta(days=10)
        yield day
        lifecycle.case_reopen_for_review(case_id=case.pk, actor=supervisor, requested_on=day)
        return
    day += timedelta(days=rng.randint(1, 40))
    yield day
    case.refresh_from_db()
    if case.state != State.CLOSED:  # after 30 days without a review request, the scheduler closed it
        case = advance(case, "closed", supervisor=supervisor)
    satisfaction = rng.choices(list(Satisfaction.values), weights=[60, 30, 10])[0]
    if policies.open_callback(case) is None:
        lifecycle.case_record_follow_up(case_id=case.pk, actor=supervisor, satisfaction=satisfaction, note="电话回访。")
        return
    solved = Solved.SOLVED if satisfaction == Satisfaction.SATISFIED else Solved.PARTLY
    if satisfaction == Satisfaction.DISSATISFIED:
        solved = Solved.UNSOLVED
    answer = CallbackAnswer(
        reached=True,
        satisfaction=satisfaction,
        solved=solved,
        follow_up=Callback.FollowUp.EXPLAINED if satisfaction == Satisfaction.DISSATISFIED else Callback.FollowUp.NONE,
        note="电话回访，已就处理依据向信访人解释说明。" if satisfaction == Satisfaction.DISSATISFIED else "电话回访。",
    )
    callback_record(case_id=case.pk, actor=supervisor, answer=answer)


DEMO_DEPARTMENT = "ZJJ"  # the department of the demo logins `handler` and `depthead`
OVERDUE_BY = [2, 9, 18, 33, 50]  # days past the handling deadline, about: every rung of the ladder
DUE_SOON = 3  # of them due within the reminder's 3 days


def _late_lives_of_the_demo_department(office: _Office) -> list[Life]:
    """Cases of the demo handler's department still being handled: some overdue, some due soon."""
    today = office.today
    accepted_on = [today - timedelta(days=60 + days) for days in OVERDUE_BY]
    soon = [
        day
        for day in (today - timedelta(days=n) for n in range(55, 64))
        if today <= deadline_for(Clock.HANDLING, day).due <= today + timedelta(days=3)
    ]
    accepted_on += soon[:DUE_SOON]
    department = Department.objects.get(code=DEMO_DEPARTMENT)
    categories = list(Category.objects.filter(default_department=department).order_by("code"))
    return [
        _late_life(office, day, department, office.rng.choice(categories) if categories else None, taken=n % 4 != 3)
        for n, day in enumerate(accepted_on)
    ]


def _late_life(office: _Office, day: date, department: Department, category: Category | None, *, taken: bool) -> Life:
    """Registered and routed to `department` on `day`, taken by the demo handler (or not yet), not handled."""
    yield day
    case = office.register(day, {"channel": Channel.VISIT, "headcount": 1, "category": category})
    yield day
    case = advance(case, "assigned", supervisor=office.supervisor, department=department)
    if taken:
        yield day
        lifecycle.case_take(case_id=case.pk, actor=User.objects.get(username="handler"))


def create_demo_reporting_units() -> int:
    """Every department reports (its head answers for it; 住建局's is `depthead`), from last week on. Last
    week's returns: most a zero report, one with content, one missing (chased by the next sweep)."""
    if ReportingUnit.objects.exists():
        return 0
    today = timezone.localdate()
    last_monday = today - timedelta(days=today.weekday() + 7)
    units = []
    for department in Department.objects.order_by("code"):
        username = "depthead" if department.code == "ZJJ" else f"{department.code.lower()}-head"
        head = User.objects.filter(username=username).first()
        if head is not None:
            units.append(
                ReportingUnit.objects.create(department=department, responsible=head, reports_from=last_monday)
            )
    for n, unit in enumerate(units[:-1]):
        content = {"new_disputes": "排查发现拖欠农民工工资纠纷一起，已约谈用工单位。"} if n == 0 else {}
        return_submit(
            actor=unit.responsible,
            unit_id=unit.pk,
            kind="weekly",
            period_start=last_monday,
            zero=not content,
            content=content,
            today=today,
        )
    return len(units)


@transaction.atomic
def load_demo_data(cases: int = 300) -> tuple[int, int]:
    """Idempotent: users are matched by name, and cases are only made when there are none."""
    users = create_demo_users()
    made = 0
    if not Case.objects.exists():
        made = create_demo_cases(cases)
    create_demo_reporting_units()
    return len(users), made

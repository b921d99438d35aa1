"""Demo data: one login per role, staff for every department, and a few hundred cases that lived
through the real services on a moved clock — so their logs, deadlines and notices are genuine.
"""

import random
from datetime import date, timedelta

import time_machine
from django.db import transaction
from django.utils import timezone

from petitions.factories import (
    UserFactory,
    advance,
    case_data,
    local_datetime,
    reception_session,
)
from petitions.models import Case, Channel, Department, Outcome, Role, Satisfaction, User
from petitions.services import lifecycle
from petitions.services.intake import PetitionerData, case_register

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


def _at(day: date, rng: random.Random):
    return time_machine.travel(local_datetime(day, rng.randint(8, 17), rng.randint(0, 59)), tick=False)


def create_demo_cases(count: int = 300, *, seed: int = 2026) -> int:
    """`count` cases received over the last 120 days, each taken as far as its age makes plausible."""
    rng = random.Random(seed)
    today = timezone.localdate()
    clerks = list(User.objects.filter(groups__name=Role.CLERK))
    supervisor = User.objects.get(username="supervisor")
    leaders = list(User.objects.filter(groups__name=Role.LEADER))
    sessions = []
    for weeks_ago in range(0, 17, 2):
        day = today - timedelta(weeks=weeks_ago)
        day -= timedelta(days=(day.weekday() - 2) % 7)  # Wednesdays: reception day
        with _at(day, rng):
            sessions.append(reception_session(leader=rng.choice(leaders), on=day))
    known_people: list[tuple[int, Case]] = []
    made = 0
    for _ in range(count):
        age = int(rng.triangular(0, 120, 10))
        received = today - timedelta(days=age)
        channel = rng.choices(
            [Channel.VISIT, Channel.LETTER, Channel.PHONE, Channel.ONLINE, Channel.LEADER_MAILBOX, Channel.OTHER],
            weights=[35, 20, 15, 25, 4, 1],
        )[0]
        headcount = rng.choices([1, 2, 3, 6, 12, 30], weights=[70, 8, 4, 9, 6, 3])[0] if channel == Channel.VISIT else 1
        overrides: dict = {"channel": channel, "headcount": headcount, "rng": rng}
        if known_people and rng.random() < 0.12:
            person_id, earlier = rng.choice(known_people)
            overrides["petitioners"] = [PetitionerData(name="", existing_id=person_id)]
            overrides["repeat_of"] = earlier
            overrides["category"] = earlier.category
            received = max(received, timezone.localtime(earlier.received_at).date() + timedelta(days=1))
        if channel == Channel.LETTER:
            overrides["letter_date"] = received - timedelta(days=rng.randint(2, 10))
        if channel == Channel.VISIT:
            session = next((s for s in sessions if s.date == received), None)
            overrides["reception_session"] = session
        if rng.random() < 0.05:
            overrides["skip_level"] = True
        with _at(received, rng):
            data = case_data(received_at=timezone.now(), **overrides)
            case = case_register(actor=rng.choice(clerks), data=_fill_known_name(data), attachments=[])
        made += 1
        primary = case.case_petitioners.first()
        known_people.append((primary.petitioner_id, case))
        _live(case, received, today, supervisor, leaders, rng)
    return made


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


def _live(case: Case, received: date, today: date, supervisor: User, leaders: list[User], rng: random.Random) -> None:
    """Take the case through its life: routing, handling, delivery, closing, with side paths."""
    day = received + timedelta(days=rng.randint(0, 6))
    if day > today or rng.random() < 0.04:
        return  # still waiting for a decision (some of these will be due soon or overdue)
    roll = rng.random()
    with _at(day, rng):
        if roll < 0.05:
            lifecycle.case_refuse(case_id=case.pk, actor=supervisor, reason="该事项已通过诉讼途径解决，依法不予受理。")
            return
        if roll < 0.07:
            lifecycle.case_void(case_id=case.pk, actor=supervisor, reason="重复登记，作废。")
            return
        case = advance(case, "assigned", supervisor=supervisor)
        if rng.random() < 0.08:
            lifecycle.case_set_owner(case_id=case.pk, actor=supervisor, leader=rng.choice(leaders))
    if rng.random() < 0.05 and day + timedelta(days=2) <= today:
        with _at(day + timedelta(days=2), rng):
            handler = _handler_for(case, rng)
            lifecycle.case_return(case_id=case.pk, actor=handler, reason="该事项不属于本单位职责范围。")
        return
    handler = _handler_for(case, rng)
    day += timedelta(days=rng.randint(1, 3))
    if day > today:
        return
    with _at(day, rng):
        lifecycle.case_take(case_id=case.pk, actor=handler)
    if rng.random() < 0.1:
        day += timedelta(days=rng.randint(20, 50))
        if day > today:
            return
        with _at(day, rng):
            lifecycle.case_request_extension(
                case_id=case.pk, actor=handler, days=30, reason="案情复杂，需进一步调查核实。"
            )
            lifecycle.case_extend(case_id=case.pk, actor=supervisor, days=30, reason="案情复杂，需进一步调查核实。")
    day += timedelta(days=int(rng.triangular(5, 80, 30)))
    if day > today:
        return
    with _at(day, rng):
        case = advance(
            case, "handled", supervisor=supervisor, handler=handler, outcome=rng.choice(list(Outcome.values))
        )
    day += timedelta(days=rng.randint(1, 7))
    if day > today:
        return
    with _at(day, rng):
        case = advance(case, "delivered", supervisor=supervisor, delivered_on=day)
    if rng.random() < 0.06 and day + timedelta(days=10) <= today:
        with _at(day + timedelta(days=10), rng):
            lifecycle.case_reopen_for_review(case_id=case.pk, actor=supervisor, requested_on=day + timedelta(days=10))
        return
    day += timedelta(days=rng.randint(1, 40))
    if day > today:
        return
    with _at(day, rng):
        case = advance(case, "closed", supervisor=supervisor)
        lifecycle.case_record_follow_up(
            case_id=case.pk,
            actor=supervisor,
            satisfaction=rng.choices(list(Satisfaction.values), weights=[60, 30, 10])[0],
            note="电话回访。",
        )


@transaction.atomic
def load_demo_data(cases: int = 300) -> tuple[int, int]:
    """Idempotent: users are matched by name, and cases are only made when there are none."""
    users = create_demo_users()
    made = 0
    if not Case.objects.exists():
        made = create_demo_cases(cases)
    return len(users), made

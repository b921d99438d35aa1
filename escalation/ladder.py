"""Reading the ladder: the active rules, and which deadline of a case the ladder chases."""

import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection

from escalation.models import DEFAULT_LADDER, Escalation, EscalationRule
from petitions.models import Case, CasePart, Closure, HandedDown, State, User
from petitions.models.choices import Clock

# The states in which the office owes an answer by Case.due_date (the GeneratedField the queues sort
# by and the index (state, due_date) serves): received → accept, assigned → handling or review answer.
CHASED_STATES = (State.RECEIVED, State.ASSIGNED)


def active_rules() -> list[EscalationRule]:
    """The active rungs by level. With no rule row at all, the default ladder (DESIGN.md)."""
    rules = list(EscalationRule.objects.order_by("level"))
    if not rules:
        rules = [EscalationRule(**values) for values in DEFAULT_LADDER]
    return [rule for rule in rules if rule.is_active]


def reminder_window(rules: list[EscalationRule]) -> int:
    """Days before the deadline at which the ladder's reminder fires (0: no reminder rung)."""
    return max((-rule.days_from_deadline for rule in rules if rule.days_from_deadline < 0), default=0)


class DueSoonWindow:
    """The reminder window as petitions asks for it on every list page: read from the rules at most once a
    minute per process, and at once after a rule is saved in this process."""

    SECONDS = 60.0
    _value: tuple[float, int] | None = None

    @classmethod
    def days(cls) -> int:
        now = time.monotonic()
        if cls._value is None or now - cls._value[0] > cls.SECONDS:
            cls._value = (now, reminder_window(active_rules()))
        return cls._value[1]

    @classmethod
    def forget(cls, **kwargs) -> None:
        cls._value = None


def load_default_ladder() -> dict[str, int]:
    """The default rungs for any level that has no row (with `manage.py load_reference_data`)."""
    created = 0
    for values in DEFAULT_LADDER:
        defaults = {key: value for key, value in values.items() if key != "level"}
        created += EscalationRule.objects.get_or_create(level=values["level"], defaults=defaults)[1]
    return {"escalation_rules": created}


def fires_by(rule: EscalationRule, today: date) -> date:
    """The rung fires for deadlines on or before this date."""
    return today - timedelta(days=rule.days_from_deadline)


def rule_due(rule: EscalationRule, due: date, today: date) -> bool:
    """Whether `rule` has reached a deadline of `due` today. The reminder only runs before the deadline."""
    if due > fires_by(rule, today):
        return False
    return rule.days_from_deadline >= 0 or due > today


@dataclass(frozen=True)
class Chased:
    """A kind of deadline the ladder chases, in SQL over the cases table `c`: the tables joined, the
    date, the clock it is recorded under, and the condition under which the deadline still runs."""

    join: str
    due: str
    clock: str
    runs: str
    # A co-department's part (clock `part`): its id, and the department and handler it is chased at.
    part: str = ""
    department: str = "c.department_id"
    handler: str = "c.handler_id"

    @property
    def same_part(self) -> str:
        """The escalation row's part matches this deadline's (none for a deadline of the case itself)."""
        return f"e.part_id = {self.part}" if self.part else "e.part_id IS NULL"


def chased_deadlines() -> list[Chased]:
    """The statutory deadline of the case's state (Case.due_date), the part-deadline of further work
    after a send-back (Case.rework_due), and a higher authority's date to report back by
    (HandedDown.due, until the report back is issued; not for a void registration), and each
    co-department's open part (CasePart.due, while the case is with its departments), chased at the
    co-department: its heads stand for the handler.

    A case awaiting the office's review (State.REVIEWING) is the office's to act on: its handling clock
    runs on (the case page and the queue show it), but the ladder does not chase the department for it."""
    states = ", ".join(f"'{state}'" for state in CHASED_STATES)
    statutory = Chased(
        join="",
        due="c.due_date",
        clock=(
            f"CASE WHEN c.state = '{State.RECEIVED}' THEN '{Clock.ACCEPT}' "
            f"WHEN c.in_review THEN '{Clock.REVIEW_ANSWER}' WHEN c.rehandling THEN '{Clock.REHANDLING}' "
            f"ELSE '{Clock.HANDLING}' END"
        ),
        runs=f"c.state IN ({states})",
    )
    # 补办/重办: the part-deadline after the office sent an outcome back, while the department works on
    # (the partial index on rework_due bounds the scan).
    rework = Chased(
        join="",
        due="c.rework_due",
        clock=f"'{Clock.REWORK}'",
        runs=f"c.state = '{State.ASSIGNED}' AND c.rework_due IS NOT NULL",
    )
    handed_down = Chased(
        join=f"JOIN {HandedDown._meta.db_table} h ON h.case_id = c.id",
        due="h.due",
        clock=f"'{Clock.HANDED_DOWN}'",
        runs=f"h.report_issued_at IS NULL AND c.closure <> '{Closure.VOID}'",
    )
    part = Chased(
        join=f"JOIN {CasePart._meta.db_table} p ON p.case_id = c.id",
        due="p.due",
        clock=f"'{Clock.PART}'",
        runs=f"p.answered_at IS NULL AND p.withdrawn_at IS NULL AND c.state = '{State.ASSIGNED}'",
        part="p.id",
        department="p.department_id",
        handler="NULL",
    )
    return [statutory, rework, handed_down, part]


class Pending:
    """The open cases for which some rung is due and not yet recorded for a current deadline.

    Plain SQL, built once per run: the sweep asks every five minutes, and on an idle tick this one
    statement is nearly all it costs. For each chased deadline (`chased_deadlines`) an index bounds the
    scan to deadlines up to the reminder's horizon ((state, due_date) for the statutory ones, the
    partial index on unreported handed-down dates for the authority's); an anti-join on the
    escalation's unique key drops what was done.
    """

    def __init__(self, rules: list[EscalationRule], today: date, chased: list[Chased] | None = None) -> None:
        self.parts = [self._part(rules, today, deadline) for deadline in (chased or chased_deadlines())]

    @staticmethod
    def _part(rules: list[EscalationRule], today: date, chased: Chased) -> tuple[Chased, str, list]:
        cases, escalations = Case._meta.db_table, Escalation._meta.db_table
        due, clock = chased.due, chased.clock
        conditions, params = [], []
        for rule in rules:
            condition = f"{due} <= %s"
            params.append(fires_by(rule, today))
            if rule.days_from_deadline < 0:  # the reminder only runs before the deadline
                condition += f" AND {due} > %s"
                params.append(today)
            # Only our own table names, constants and an integer are formatted in; values are parameters.
            conditions.append(
                f"({condition} AND NOT EXISTS (SELECT 1 FROM {escalations} e WHERE e.case_id = c.id "  # noqa: S608
                f"AND e.clock = {clock} AND e.level = {int(rule.level)} AND e.deadline = {due} AND {chased.same_part}))"
            )
        sql_from = f"FROM {cases} c {chased.join} WHERE {chased.runs} AND {due} <= %s AND ({' OR '.join(conditions)})"
        return chased, sql_from, [max(fires_by(rule, today) for rule in rules), *params]

    def ids(self) -> list[int]:
        """Every pending case, in deadline order (no lock), each once."""
        selects = [f"SELECT c.id, {chased.due} AS due {sql_from}" for chased, sql_from, _params in self.parts]
        params = [param for _chased, _sql, part_params in self.parts for param in part_params]
        union = " UNION ALL ".join(selects)
        with connection.cursor() as cursor:
            # Our own SQL only (see _part); values are parameters.
            cursor.execute(f"SELECT id, due FROM ({union}) AS pending ORDER BY due, id", params)  # noqa: S608
            return list(dict.fromkeys(row[0] for row in cursor.fetchall()))

    def claim(self, ids: list[int]) -> list[dict]:
        """Lock those of `ids` that are still pending and not locked by anyone else, with what the sweep
        needs: one row per case and pending deadline."""
        users = User._meta.db_table
        marks = ", ".join(["%s"] * len(ids))
        lock = " FOR UPDATE OF c SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
        names = ["pk", "number", "state", "due_date", "chased_clock", "department_id", "handler_id"]
        names += ["handler_is_active", "owning_leader_id", "part_id", "region_id"]
        rows = []
        for chased, sql_from, params in self.parts:
            sql = (
                f"SELECT c.id, c.number, c.state, {chased.due}, {chased.clock}, {chased.department}, "  # noqa: S608
                f"{chased.handler}, (SELECT h.is_active FROM {users} h WHERE h.id = {chased.handler}), "
                f"c.owning_leader_id, {chased.part or 'NULL'}, c.region_id "
                f"{sql_from} AND c.id IN ({marks}) ORDER BY c.id{lock}"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [*params, *ids])
                rows += [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for row in rows:  # SQLite hands back dates as text
            if isinstance(row["due_date"], str):
                row["due_date"] = date.fromisoformat(row["due_date"])
        return rows

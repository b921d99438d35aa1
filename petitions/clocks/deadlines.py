"""The statutory clocks: the one place where a case's deadlines are computed.

Transitions call `deadline_for` and `extend_deadline`; nothing else does date arithmetic on deadlines.
Counting (DESIGN.md "Deadlines"): day 1 is the day after the start; calendar days unless the rule says
working days; a deadline that falls on a rest day moves to the next working day (民法典 201, 203 by
analogy). The rules are `DeadlineRule` rows, the rest days come from `petitions.clocks.workdays`.

Each case keeps, in `Case.deadline_basis`, what each of its deadlines was computed from (start, length,
working days or not, extension), so that a calendar change can recompute exactly those deadlines, and
a later change of a rule does not silently move deadlines already set and announced.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext, pgettext_lazy

from petitions.caching import VersionedCopy, now_and_on_commit
from petitions.clocks.workdays import WorkingCalendar
from petitions.models import DUE_FIELDS, MAX_EXTENSION_DAYS, Case, Clock, Closure, DeadlineRule, State

# Defaults from the regulation: (length, counted in working days, legal basis). The data migration
# creates one DeadlineRule row from each; a missing row falls back to its default here.
DEFAULT_RULES: dict[str, tuple[int, bool, str]] = {
    Clock.ACCEPT: (15, False, "《信访工作条例》第二十二条、第二十三条；《信访条例》第二十一条"),
    Clock.OBJECTION: (5, True, "《信访工作条例》第二十三条第三款"),
    Clock.HANDLING: (60, False, "《信访工作条例》第三十四条"),
    Clock.EXTENSION: (30, False, "《信访工作条例》第三十四条"),
    Clock.REVIEW_REQUEST: (30, False, "《信访工作条例》第三十五条"),
    Clock.REVIEW_ANSWER: (30, False, "《信访工作条例》第三十五条"),
    # The office's own clocks (no statute sets them; the office decides, within the handling clock).
    Clock.REWORK: (10, True, "本机关审核报结制度；不超过《信访工作条例》第三十四条的办理期限"),
    Clock.REHANDLING: (30, False, "本机关回访制度"),
    Clock.CALLBACK: (1, True, "本机关回访制度"),
}

# The event that starts each clock, as the explanation names it.
START_EVENTS = {
    Clock.ACCEPT: pgettext_lazy("deadline start", "Received"),
    Clock.OBJECTION: pgettext_lazy("deadline start", "Routed to the department"),
    Clock.HANDLING: pgettext_lazy("deadline start", "Routed to the department"),
    Clock.REVIEW_REQUEST: pgettext_lazy("deadline start", "Opinion delivered"),
    Clock.REVIEW_ANSWER: pgettext_lazy("deadline start", "Review requested"),
    Clock.REWORK: pgettext_lazy("deadline start", "Sent back by the office"),
    Clock.REHANDLING: pgettext_lazy("deadline start", "Callback found the petitioner dissatisfied"),
    Clock.CALLBACK: pgettext_lazy("deadline start", "Opinion delivered"),
}


@dataclass(frozen=True)
class Rule:
    clock: str
    days: int
    working_days: bool


def current_rules() -> dict[str, Rule]:
    rules = {clock: Rule(clock, days, working) for clock, (days, working, _basis) in DEFAULT_RULES.items()}
    for clock, days, working in DeadlineRule.objects.values_list("clock", "days", "working_days"):
        rules[clock] = Rule(clock, days, working)
    return rules


def extension_limit() -> int:
    """The longest extension the rule allows now (never more than the law's 30 days)."""
    return min(current_rules()[Clock.EXTENSION].days, MAX_EXTENSION_DAYS)


class Statutes(VersionedCopy):
    """The rules and the calendar for a computation, each loaded once (one small query each) and
    only when needed: explaining stored deadlines needs the calendar, not the rules.

    `load()` hands every process the same copy until a rule or a calendar day changes: a change
    gives the shared cache a new version (at once, and again when it is committed), and each process
    loads afresh when it sees a version it has not loaded. Intake computes a deadline per case, and
    the two queries were a tenth of its time.
    """

    VERSION_KEY = "petitions:statutes-version"

    def __init__(self, rules: dict[str, Rule] | None = None, calendar: WorkingCalendar | None = None) -> None:
        self._rules = rules
        self._calendar = calendar

    @classmethod
    def read(cls) -> "Statutes":
        return cls(current_rules(), WorkingCalendar.load())

    @property
    def rules(self) -> dict[str, Rule]:
        if self._rules is None:
            self._rules = current_rules()
        return self._rules

    @property
    def calendar(self) -> WorkingCalendar:
        if self._calendar is None:
            self._calendar = WorkingCalendar.load()
        return self._calendar


def statutes_changed(sender, **kwargs) -> None:
    """Signal receiver for the models the statutes are made of."""
    # At once (this transaction sees its own change) and after the commit (what others read meanwhile).
    now_and_on_commit(Statutes.changed)


@dataclass(frozen=True)
class Deadline:
    clock: str
    start: date
    days: int
    working_days: bool
    due: date
    explanation: str
    extension_days: int = 0
    sentences: tuple[str, ...] = field(default=(), repr=False)
    cap: date | None = None  # the latest it may end (a part-deadline's outer deadline), when it was capped

    @property
    def basis(self) -> dict:
        """What the deadline was computed from, as stored in Case.deadline_basis[clock]."""
        basis = {"start": self.start.isoformat(), "days": self.days, "working": self.working_days}
        if self.extension_days:
            basis["extension"] = self.extension_days
        if self.cap:
            basis["cap"] = self.cap.isoformat()
        return basis


def _iso(day: date) -> str:
    return day.isoformat()


def _moved(calendar: WorkingCalendar, end: date, due: date) -> str:
    if end == due:
        return ""
    return gettext("%(end)s is a rest day (%(reason)s), so the deadline moves to the next working day, %(due)s.") % {
        "end": _iso(end),
        "reason": calendar.day(end).reason,
        "due": _iso(due),
    }


def join_sentences(*sentences: str) -> str:
    """Sentences as one text: Chinese sentences end in "。" and follow each other without a space."""
    joiner = "" if (translation.get_language() or "").startswith("zh") else " "
    return joiner.join(sentence for sentence in sentences if sentence)


def compute(
    clock: str,
    start: date,
    days: int,
    working_days: bool,
    *,
    extension_days: int = 0,
    calendar: WorkingCalendar,
) -> Deadline:
    """The deadline of `clock` started on `start`, `days` long, with the sentences that explain it."""
    event = str(START_EVENTS.get(clock, ""))
    sentences = []
    if working_days:
        due, skipped = calendar.add_working_days(start, days)
        sentences.append(
            ngettext(
                "%(event)s on %(start)s; %(days)d working day, counted from the next day, ends on %(due)s.",
                "%(event)s on %(start)s; %(days)d working days, counted from the next day, end on %(due)s.",
                days,
            )
            % {"event": event, "start": _iso(start), "days": days, "due": _iso(due)}
        )
        if skipped:
            sentences.append(gettext("Rest days not counted: %(skipped)d.") % {"skipped": skipped})
    else:
        end, due = calendar.add_days(start, days)
        sentences.append(
            ngettext(
                "%(event)s on %(start)s; %(days)d day, counted from the next day, ends on %(end)s.",
                "%(event)s on %(start)s; %(days)d days, counted from the next day, end on %(end)s.",
                days,
            )
            % {"event": event, "start": _iso(start), "days": days, "end": _iso(end)}
        )
        sentences.append(_moved(calendar, end, due))
    if extension_days:
        base = due
        end, due = calendar.add_days(base, extension_days)
        sentences.append(
            ngettext(
                "Extended by %(days)d day: %(base)s + %(days)d day = %(end)s.",
                "Extended by %(days)d days: %(base)s + %(days)d days = %(end)s.",
                extension_days,
            )
            % {"days": extension_days, "base": _iso(base), "end": _iso(end)}
        )
        sentences.append(_moved(calendar, end, due))
    unknown = calendar.unknown_years(start, due)
    if unknown:
        sentences.append(
            gettext(
                "The official rest days of %(years)s are not yet in the calendar; only weekends and the "
                "administrators' entries were counted."
            )
            % {"years": ", ".join(str(year) for year in unknown)}
        )
    sentences = tuple(s for s in sentences if s)
    return Deadline(
        clock=clock,
        start=start,
        days=days,
        working_days=working_days,
        due=due,
        explanation=join_sentences(*sentences),
        extension_days=extension_days,
        sentences=sentences,
    )


def deadline_for(clock: str, start: date, *, statutes: Statutes | None = None) -> Deadline:
    """The deadline of `clock` started on `start` under the current rule, with how it was computed."""
    statutes = statutes or Statutes.load()
    rule = statutes.rules[clock]
    return compute(clock, start, rule.days, rule.working_days, calendar=statutes.calendar)


def extend_deadline(deadline: Deadline, days: int, *, statutes: Statutes | None = None) -> Deadline:
    """The handling deadline moved by an approved extension of `days` calendar days (T22 34)."""
    statutes = statutes or Statutes.load()
    return compute(
        deadline.clock,
        deadline.start,
        deadline.days,
        deadline.working_days,
        extension_days=days,
        calendar=statutes.calendar,
    )


def capped(deadline: Deadline, cap: date) -> Deadline:
    """`deadline`, but never later than `cap` (a part-deadline inside the clock it is part of)."""
    if deadline.due <= cap:
        return deadline
    sentence = gettext("It may not run past the handling deadline, %(cap)s, so it ends then.") % {"cap": _iso(cap)}
    sentences = (*deadline.sentences, sentence)
    return Deadline(
        clock=deadline.clock,
        start=deadline.start,
        days=deadline.days,
        working_days=deadline.working_days,
        due=cap,
        explanation=join_sentences(*sentences),
        extension_days=deadline.extension_days,
        sentences=sentences,
        cap=cap,
    )


def rework_deadline(start: date, handling_due: date, *, statutes: Statutes | None = None) -> Deadline:
    """补办/重办: the part-deadline of further work after a send-back, inside the handling clock."""
    return capped(deadline_for(Clock.REWORK, start, statutes=statutes), handling_due)


def from_basis(clock: str, basis: dict, *, calendar: WorkingCalendar) -> Deadline:
    """Recompute a deadline from what it was computed from (Case.deadline_basis[clock])."""
    deadline = compute(
        clock,
        date.fromisoformat(basis["start"]),
        basis["days"],
        basis["working"],
        extension_days=basis.get("extension", 0),
        calendar=calendar,
    )
    if basis.get("cap"):
        deadline = capped(deadline, date.fromisoformat(basis["cap"]))
    return deadline


# --- A case's deadlines ------------------------------------------------------------------------


def _local(moment) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def _basis(case, clock: str, statutes: Statutes) -> dict | None:
    """The stored basis, or (for a case from before bases were stored) one derived from its dates."""
    stored = (case.deadline_basis or {}).get(clock)
    if stored:
        return stored
    start = {
        Clock.ACCEPT: _local(case.received_at),
        Clock.OBJECTION: _local(case.assigned_at),
        Clock.HANDLING: _local(case.assigned_at),
        Clock.REVIEW_ANSWER: _local(case.review_requested_at),
        Clock.REVIEW_REQUEST: case.outcome_delivered_on,
    }.get(clock)  # the office's own clocks always store their basis
    if start is None:
        return None
    rule = statutes.rules[clock]
    basis = {"start": start.isoformat(), "days": rule.days, "working": rule.working_days}
    if clock == Clock.HANDLING and case.extension_days:
        basis["extension"] = case.extension_days
    return basis


def present_clocks(case) -> list[str]:
    """The clocks whose deadline the case holds now, in the order they start."""
    clocks = [Clock.ACCEPT]
    if case.objection_due:
        clocks.append(Clock.OBJECTION)
    if case.handling_due:
        if case.in_review and case.review_requested_at:
            clocks.append(Clock.REVIEW_ANSWER)
        else:
            clocks.append(Clock.REHANDLING if case.rehandling else Clock.HANDLING)
    if case.rework_due:
        clocks.append(Clock.REWORK)
    if case.review_request_due:
        clocks.append(Clock.REVIEW_REQUEST)
    return clocks


def running_clocks(case) -> list[str]:
    """The clocks still running for an open case: the ones a calendar change may move."""
    state = case.state
    if state == State.RECEIVED:
        return [Clock.ACCEPT]
    if state == State.ASSIGNED:
        return [clock for clock in present_clocks(case) if clock != Clock.ACCEPT]
    if state == State.REVIEWING:  # the handling clock runs on while the office reviews (see README)
        return [clock for clock in present_clocks(case) if clock not in (Clock.ACCEPT, Clock.OBJECTION)]
    if state == State.HANDLED and case.review_request_due:
        return [Clock.REVIEW_REQUEST]
    return []


def recomputed(case, clocks: list[str], statutes: Statutes) -> dict[str, Deadline]:
    """The deadlines of `clocks` computed afresh with the current calendar, from the case's bases."""
    result = {}
    for clock in clocks:
        basis = _basis(case, clock, statutes)
        if basis is not None:
            result[clock] = from_basis(clock, basis, calendar=statutes.calendar)
    return result


@dataclass(frozen=True)
class CaseDeadline:
    clock: str
    label: str
    due: date
    explanation: str
    met_on: date | None  # when the clock was satisfied; None while it runs
    running: bool  # the office is still answering to this clock

    @property
    def days_left(self) -> int:
        return (self.due - timezone.localdate()).days

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


def case_deadlines(case, *, statutes: Statutes | None = None) -> list[CaseDeadline]:
    """Every deadline the case holds, how each was computed, and whether it is still running; the higher
    authority's date (交办) too when the case was read with its order (`select_related("handed_down")`)."""
    statutes = statutes or Statutes.load()
    state = case.state
    rows = []
    for clock in present_clocks(case):
        due = getattr(case, DUE_FIELDS[clock])
        basis = _basis(case, clock, statutes)
        explanation = ""
        if basis is not None:
            computed = from_basis(clock, basis, calendar=statutes.calendar)
            explanation = computed.explanation
            if computed.due != due:
                pending = gettext(
                    "The calendar has changed since this deadline was set; it is being recomputed (now: %(due)s)."
                ) % {"due": _iso(computed.due)}
                explanation = join_sentences(explanation, pending)
        if clock == Clock.ACCEPT:
            met_on, running = _local(case.assigned_at) or _local(case.closed_at), state == State.RECEIVED
        elif clock in (Clock.HANDLING, Clock.REVIEW_ANSWER, Clock.REHANDLING):
            # Met when the office accepts the outcome: its review is inside the clock.
            running = state in (State.ASSIGNED, State.REVIEWING)
            met_on = None if running else _local(case.handled_at)
        elif clock == Clock.REWORK:
            met_on, running = None, state == State.ASSIGNED
        else:
            met_on, running = None, False
        rows.append(CaseDeadline(clock, str(Clock(clock).label), due, explanation, met_on=met_on, running=running))
    # Only when the caller read it with the case (select_related, as the case page does): no query here.
    handed_down = Case.handed_down.related.get_cached_value(case, None)
    if handed_down is not None:
        rows.append(handed_down_deadline(case, handed_down, calendar=statutes.calendar))
    return rows


def handed_down_deadline(case, handed_down, *, calendar: WorkingCalendar) -> CaseDeadline:
    """The higher authority's date to report back by (交办), as it set it, and what meets it: the report back."""
    sentences = [
        gettext("Handed down by %(authority)s (reference %(reference)s) on %(start)s, to be reported back by %(due)s.")
        % {
            "authority": handed_down.authority,
            "reference": handed_down.reference,
            "start": _iso(handed_down.handed_down_on),
            "due": _iso(handed_down.due),
        },
    ]
    if not calendar.is_working_day(handed_down.due):
        sentences.append(
            gettext("%(due)s is a rest day (%(reason)s); the authority's date stands all the same.")
            % {"due": _iso(handed_down.due), "reason": calendar.day(handed_down.due).reason}
        )
    sentences.append(gettext("The deadline is met when the report back (办结报告) is issued."))
    met_on = _local(handed_down.report_issued_at)
    return CaseDeadline(
        Clock.HANDED_DOWN,
        str(Clock.HANDED_DOWN.label),
        handed_down.due,
        join_sentences(*sentences),
        met_on=met_on,
        running=met_on is None and case.closure != Closure.VOID,
    )


def add_working_days(start: date, days: int, *, calendar: WorkingCalendar | None = None) -> date:
    """The `days`-th working day after `start` (for dates other apps print, e.g. a reply-by date)."""
    calendar = calendar or WorkingCalendar.load()
    return calendar.add_working_days(start, days)[0]

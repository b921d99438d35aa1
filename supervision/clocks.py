"""Supervision's clocks on the office's working calendar: rule rows (ClockRule), computed like the statutory
ones (petitions.clocks.deadlines.compute), so each date carries how it was computed."""

from datetime import date

from petitions.clocks.deadlines import Deadline, compute
from petitions.clocks.workdays import WorkingCalendar
from supervision.models import DEFAULT_CLOCKS, ClockRule


def clock_rules() -> dict[str, tuple[int, bool]]:
    """(days, working days) of every supervision clock: the rows, a missing one at its default."""
    rules = {str(key): value for key, value in DEFAULT_CLOCKS.items()}
    rules.update(
        {key: (days, working) for key, days, working in ClockRule.objects.values_list("key", "days", "working_days")}
    )
    return rules


def clock_due(key: str, start: date, *, rules: dict | None = None, calendar: WorkingCalendar | None = None) -> Deadline:
    days, working = (rules or clock_rules())[key]
    return compute(key, start, days, working, calendar=calendar or WorkingCalendar.load())


def load_default_clocks() -> dict[str, int]:
    """The default rows for any clock or trigger without one (with `manage.py load_reference_data`)."""
    from supervision.models import DEFAULT_TRIGGERS, Trigger

    created = 0
    for key, (days, working) in DEFAULT_CLOCKS.items():
        created += ClockRule.objects.get_or_create(key=key, defaults={"days": days, "working_days": working})[1]
    triggers = 0
    for order, (code, name_zh, name_en) in enumerate(DEFAULT_TRIGGERS, start=1):
        defaults = {"name_zh": name_zh, "name_en": name_en, "order": order * 10}
        triggers += Trigger.objects.get_or_create(code=code, defaults=defaults)[1]
    return {"supervision_clocks": created, "supervision_triggers": triggers}

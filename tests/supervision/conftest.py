"""A case of the handler's department that the ladder has chased to a 通报, through the real sweeps."""

from datetime import date

import pytest
import time_machine

from devdata.factories import advance, petitioner_data, register_case
from escalation.services import escalation_sweep
from petitions.services import lifecycle
from supervision.ladder import supervision_sweep
from tests.escalation.conftest import at

ROUTED = date(2026, 6, 1)  # due Friday 31 July
URGED, NOTICED, CRITICISED = date(2026, 8, 1), date(2026, 8, 7), date(2026, 8, 14)
PETITIONER = "欧阳秘密"


def sweep_on(day: date) -> None:
    with time_machine.travel(at(day, hour=0, minute=1), tick=False):
        escalation_sweep(exclusive=False)
        supervision_sweep()


@pytest.fixture
def chased(clerk, supervisor, department, handler, department_head):
    """The case, once its 催办通知书, 督办单 (with its matter) and 通报 are issued."""
    with time_machine.travel(at(ROUTED), tick=False):
        case = register_case(clerk=clerk, petitioners=[petitioner_data(name=PETITIONER)])
        case = advance(case, "assigned", supervisor=supervisor, department=department)
        case = lifecycle.case_take(case_id=case.pk, actor=handler)
    for day in (URGED, NOTICED, CRITICISED):
        sweep_on(day)
    case.refresh_from_db()
    return case

"""The scheduler closes a handled case once its review window has passed without a review request."""

from datetime import date

import pytest

from devdata.factories import advance
from escalation.services import auto_close_due_cases
from escalation.tasks import auto_close
from petitions.models import CaseLog, Closure, State
from petitions.services import lifecycle
from tests.escalation.conftest import on

pytestmark = pytest.mark.django_db


def test_handled_cases_close_after_their_review_window(routed, supervisor, handler, clerk):
    with on(date(2026, 6, 10)):
        quiet = advance(routed(), "delivered", supervisor=supervisor, handler=handler)  # window to 10 July
        reviewed = advance(routed(), "delivered", supervisor=supervisor, handler=handler)
        undelivered = advance(routed(), "handled", supervisor=supervisor, handler=handler)
    with on(date(2026, 6, 20)):
        later = advance(routed(), "delivered", supervisor=supervisor, handler=handler)  # window to 20 July
        lifecycle.case_reopen_for_review(case_id=reviewed.pk, actor=clerk, requested_on=date(2026, 6, 20))
    assert quiet.review_request_due == date(2026, 7, 10)

    with on(date(2026, 7, 10)):
        assert auto_close_due_cases() == 0  # the last day of the window is the petitioner's
    with on(date(2026, 7, 11)):
        assert auto_close.apply().get() == 1
        assert auto_close_due_cases() == 0  # nothing twice

    for case in (quiet, reviewed, undelivered, later):
        case.refresh_from_db()
    assert (quiet.state, quiet.closure) == (State.CLOSED, Closure.COMPLETED)
    log = CaseLog.objects.get(case=quiet, action="auto_close")
    assert log.actor is None and log.data == {"review_request_due": "2026-07-10"}
    assert reviewed.state == State.ASSIGNED and reviewed.in_review
    assert undelivered.state == State.HANDLED
    assert later.state == State.HANDLED
    with on(date(2026, 7, 21)):
        assert auto_close_due_cases() == 1

"""Making the callback task 回访 when an outcome reaches the petitioner (inside the delivery's transaction)."""

from datetime import date

from petitions.clocks.deadlines import deadline_for
from petitions.models import Callback, Case, Clock


def callback_schedule(*, case: Case, delivered_on: date) -> Callback | None:
    """The next callback of `case`, due by the callback rule (default: the next working day) after
    `delivered_on`. None when one is still open (the earlier one asks about this outcome too)."""
    if case.callbacks.filter(done_at__isnull=True).exists():
        return None
    due = deadline_for(Clock.CALLBACK, delivered_on)
    return Callback.objects.create(
        case=case,
        round=case.callbacks.count() + 1,
        department=case.department,
        due=due.due,
        due_basis=due.basis,
    )

"""seed_volume: the rows COPY writes are what the services would have written."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone

from devdata.volume import ReceivedIn, seed_volume
from petitions.clocks.deadlines import case_deadlines, deadline_for
from petitions.models import Case, CaseLog, CasePetitioner, CaseSequence, Petitioner, State
from petitions.models.choices import Clock
from petitions.models.search_vector import filter_text


@pytest.mark.django_db(transaction=True)
def test_seed_volume_writes_consistent_cases(postgres_only):
    out = io.StringIO()
    call_command("seed_volume", cases=600, chunk=250, stdout=out)
    assert "cases       600/600" in out.getvalue() and "Added 600 cases" in out.getvalue()
    assert Case.objects.count() == 600
    states = dict(Case.objects.values_list("state").annotate(n=Count("id")))
    assert set(states) == {State.RECEIVED, State.ASSIGNED, State.HANDLED, State.CLOSED}
    # Numbers continue each year's sequence, without gaps or duplicates.
    for year, last in CaseSequence.objects.values_list("year", "last"):
        numbers = Case.objects.filter(year=year)
        assert numbers.aggregate(Max("sequence"))["sequence__max"] == last == numbers.count()
    for case in Case.objects.order_by("?")[:50]:
        received = timezone.localtime(case.received_at).date()
        assert case.accept_due == deadline_for(Clock.ACCEPT, received).due
        assert case.number == f"XF{case.year}-{case.sequence:06d}"
        assert CasePetitioner.objects.filter(case=case, role="primary").count() == 1
        log = list(CaseLog.objects.filter(case=case).order_by("at", "id").values_list("action", flat=True))
        assert log[0] == "register" and case.version == len(log)
        if case.state != State.RECEIVED and case.closure not in ("not_accepted", "void"):
            assert case.department_id and case.handling_due and "accept" in log
        if case.state == State.CLOSED:
            assert case.closure and case.closed_at
        # The case page explains every stored deadline from what it was computed from.
        for deadline in case_deadlines(case):
            assert deadline.explanation and deadline.due
        assert case.deadline_basis[Clock.ACCEPT]["start"] == received.isoformat()
        if case.handling_due:
            assert case.deadline_basis[Clock.HANDLING]["days"] == 60
    assert Petitioner.objects.exists()
    # The database filled the search column: the seeded texts can be found.
    assert filter_text(Case.objects.all(), "要求").count() > 500
    # The indexes dropped for the load are all back.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'petitions_case' AND indexname = 'case_search'"
        )
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)
def test_seed_volume_puts_the_asked_number_of_cases_in_a_window(postgres_only):
    """The benchmarks ask for a busy week (the weekly report's) instead of writing case rows of their own."""
    today = timezone.localdate()
    week = ReceivedIn(today - timedelta(days=today.weekday() + 7), today - timedelta(days=today.weekday() + 1), 300)
    report = seed_volume(cases=400, received_in=week, progress=lambda line: None)
    assert report.cases == Case.objects.count() == 400
    in_week = [
        case for case in Case.objects.all() if week.start <= timezone.localtime(case.received_at).date() <= week.end
    ]
    assert len(in_week) >= 300  # the others fall anywhere in three years, a few in that week too
    for case in in_week[:30]:  # their deadlines are the rules' for the day they came in
        assert case.accept_due == deadline_for(Clock.ACCEPT, timezone.localtime(case.received_at).date()).due
    with pytest.raises(ValueError, match="window"):
        seed_volume(cases=10, received_in=ReceivedIn(today + timedelta(days=3), today + timedelta(days=9), 5))

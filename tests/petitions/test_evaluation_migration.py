"""petitions/0014 moves the staff-entered Case.satisfaction into Evaluation rows, entered by whoever
recorded it on the case log."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("petitions", "0012_case_petitioner_email")]


def latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_satisfaction_moves_into_evaluations(clerk, supervisor):
    from devdata.factories import advance, register_case

    case = advance(register_case(clerk=clerk), "closed", supervisor=supervisor)
    untouched = register_case(clerk=clerk)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE petitions_case SET satisfaction = 'fairly' WHERE id = %s", [case.pk])
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest())
    finally:
        MigrationExecutor(connection).migrate(latest())
    from petitions.models import Evaluation

    rows = list(Evaluation.objects.values_list("case_id", "level", "source", "entered_by_id", "case_petitioner_id"))
    assert rows == [(case.pk, "fairly", "other", supervisor.pk, None)]
    assert not Evaluation.objects.filter(case=untouched).exists()

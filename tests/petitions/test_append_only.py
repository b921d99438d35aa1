import pytest
from django.db import DatabaseError, connection, transaction

from devdata.factories import register_case
from petitions.models import CaseLog

pytestmark = pytest.mark.django_db


def test_log_rows_cannot_be_changed_through_the_orm(clerk):
    entry = CaseLog.objects.get(case=register_case(clerk=clerk))
    entry.note = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


def test_log_rows_cannot_be_changed_in_the_database(clerk):
    entry = CaseLog.objects.get(case=register_case(clerk=clerk))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE petitions_caselog SET note = 'rewritten' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.note == ""


def test_log_rows_cannot_be_deleted_in_postgresql(postgres_only, clerk):
    entry = CaseLog.objects.get(case=register_case(clerk=clerk))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM petitions_caselog WHERE id = %s", [entry.pk])
    assert CaseLog.objects.filter(pk=entry.pk).exists()

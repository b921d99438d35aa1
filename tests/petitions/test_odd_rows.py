"""Rows no service would write, found in the database: the lists in every sort, their CSV and the
case page still answer, and show every row.

The outside run that found this registered a case received on 0001-01-01 in the office's time zone,
which is before year 1 in UTC: PostgreSQL holds it, Python cannot, and every query that read it
failed (petitions.db.pg_dates).
"""

import csv
import io
import logging

import pytest
from django.db import connection
from django.urls import reverse

from devdata.factories import register_case
from petitions.web.filters import SORTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def odd_rows(clerk, postgres_only):
    """Two ordinary cases, and three written behind the services' back."""
    cases = [register_case(clerk=clerk) for _ in range(5)]
    with connection.cursor() as cursor:
        for case, received_at, due in [
            (cases[2], "0001-01-01 00:00:00+08", "0001-01-16"),  # what intake once accepted
            (cases[3], "4713-01-01 00:00:00+00 BC", "4713-01-01 BC"),  # the earliest PostgreSQL holds
            (cases[4], "infinity", "infinity"),
        ]:
            cursor.execute(
                "UPDATE petitions_case SET received_at = %s::timestamptz, accept_due = %s::date WHERE id = %s",
                [received_at, due, case.pk],
            )
    return cases


def _rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("url_name", ["case_queue", "case_registered"])
def test_every_sort_of_a_list_shows_every_row(client, clerk, supervisor, odd_rows, url_name):
    client.force_login(supervisor if url_name == "case_queue" else clerk)
    for sort in SORTS:
        response = client.get(reverse(url_name), {"sort": sort})
        assert response.status_code == 200, sort
        assert {case.number for case in response.context["page"]} == {case.number for case in odd_rows}, sort


def test_the_csv_export_is_complete(client, supervisor, odd_rows):
    client.force_login(supervisor)
    for sort in SORTS:
        rows = _rows(client.get(reverse("case_queue_export"), {"sort": sort}))
        assert sorted(row[0] for row in rows[1:]) == sorted(case.number for case in odd_rows), sort
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number[odd_rows[2].number][3].startswith("0001-01-")  # as near as Python comes to it
    assert by_number[odd_rows[4].number][3].startswith("9999-12-")


def test_the_case_page_of_an_odd_row_answers_and_the_value_is_logged(client, supervisor, odd_rows, caplog):
    client.force_login(supervisor)
    with caplog.at_level(logging.WARNING, logger="petitions.db.pg_dates"):
        for case in odd_rows[2:]:
            assert client.get(reverse("case_detail", args=[case.number])).status_code == 200
    assert "BC" in caplog.text and "infinity" in caplog.text

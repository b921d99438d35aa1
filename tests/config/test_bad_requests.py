"""Requests no browser of ours sends get a 4xx and the portal's own page, never a 500.

Each case here was a 500 once (found by tests/test_fuzz.py or an outside fuzz run).
"""

import pytest
from django.urls import reverse

from petitions.factories import register_case
from petitions.models import Case
from tests.urlwalk import all_url_names, url_parameters

pytestmark = pytest.mark.django_db


def _number_paths(value: str) -> list[str]:
    """Every URL that takes a case or notice number, with `value` (already percent-encoded) in it."""
    paths = []
    for name, pattern in all_url_names():
        params = url_parameters(pattern)
        if "number" not in params:
            continue
        kwargs = {key: "MARK" if key == "number" else {"kind": "receipt", "action": "accept"}[key] for key in params}
        paths.append(reverse(name, kwargs=kwargs).replace("MARK", value))
    return paths


@pytest.mark.parametrize("number", ["%00", "XF2026-000001%00", "%00XF2026-000001", "XF2026-%0A000001", "%FF", "X" * 21])
def test_a_number_no_case_could_have_is_not_found_on_every_url(client, supervisor, clerk, number):
    register_case(clerk=clerk)
    client.force_login(supervisor)
    paths = _number_paths(number)
    # The case page, its action, note, identity, receipt and attachments, its documents, a notice.
    assert len(paths) >= 8
    for path in paths:
        for method in ("GET", "POST"):
            response = client.generic(method, path)
            assert response.status_code == 404, (method, path, response.status_code)
            assert "<html" in response.content.decode()


def test_a_next_that_is_not_a_path_goes_to_the_start_page(client, clerk, supervisor):
    case = register_case(clerk=clerk)
    client.force_login(supervisor)
    for target in ("_", "home", "case_queue", "https://evil.example/", "//evil.example/", "\x00"):
        response = client.post(reverse("case_bulk"), {"action": "accept", "cases": ["x"], "next": target})
        assert response.status_code == 302 and response.url == reverse("home"), target
    back = client.post(reverse("case_bulk"), {"action": "accept", "cases": ["x"], "next": "/cases/?sort=due"})
    assert back.url == "/cases/?sort=due"
    assert Case.objects.get(pk=case.pk).state == "received"


def test_marking_read_with_a_next_case_that_is_no_case_number_goes_to_the_inbox(client, clerk):
    client.force_login(clerk)
    for next_case in ("\x00", "../admin/", "X" * 50):
        response = client.post(reverse("inbox_mark_read"), {"next_case": next_case})
        assert response.status_code == 302 and response.url == reverse("inbox"), next_case
    good = client.post(reverse("inbox_mark_read"), {"next_case": "XF2026-000001"})
    assert good.url == reverse("case_detail", args=["XF2026-000001"])

"""Requests no browser of ours sends get a 4xx and the portal's own page, never a 500.

Each case here was a 500 once (found by tests/test_fuzz.py or an outside fuzz run).
"""

import pytest
from django.urls import reverse

from devdata.factories import register_case
from petitions.models import Case
from tests.api.walk import api_call, department_token
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
    token = department_token()  # the API's URLs are asked for by a department's system
    # The case page, its action, note, identity, receipt and attachments, its documents, a notice, the API's.
    assert len(paths) >= 8
    for path in paths:
        for method in ("GET", "POST"):
            if path.startswith("/api/"):
                response = api_call(client, method.lower(), path, {}, token=token)
                assert response.status_code in (404, 405), (method, path, response.status_code)  # 405: GET of an upload
                assert response.json()["error"]["code"] in ("not_found", "method_not_allowed")
                continue
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


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded; charset=latin-1", "summary=caf\xe9".encode("latin-1")),
        ("application/x-www-form-urlencoded; charset=gbk", "summary=信访".encode("gbk")),
        (
            "multipart/form-data; boundary=b; charset=latin-1",
            b'--b\r\nContent-Disposition: form-data; name="summary"\r\n\r\n\xe9\r\n--b--\r\n',
        ),
        ("text/plain; charset=ascii", b"x"),
        ("multipart/form-data", b"no boundary"),
    ],
)
def test_a_form_in_another_encoding_gets_the_portals_400_page(client, clerk, content_type, body):
    client.force_login(clerk)
    response = client.generic("POST", reverse("case_create"), data=body, content_type=content_type)
    assert response.status_code == 400
    html = response.content.decode()
    assert "无法识别的请求" in html and 'class="topbar"' in html  # translated, in the portal's layout
    assert not Case.objects.exists()


def test_a_charset_on_a_request_without_a_body_gets_a_400_not_a_broken_page(client, supervisor):
    # Django decodes the query string with that charset: "ascii" made U+FFFD of "é", which the list's
    # paging links could not write back in ASCII.
    client.force_login(supervisor)
    response = client.get(reverse("case_queue"), QUERY_STRING="q=caf%C3%A9", CONTENT_TYPE="text/plain; charset=ascii")
    assert response.status_code == 400
    assert client.get(reverse("case_queue"), QUERY_STRING="q=caf%C3%A9").status_code == 200


def test_a_nul_character_in_the_query_string_gets_a_400_even_where_the_admin_passes_it_on(client, admin_user):
    client.force_login(admin_user)
    notices = reverse("admin:petitions_petitionernotice_changelist")
    assert client.get(notices, QUERY_STRING="channel__exact=%00").status_code == 400
    assert client.get(notices, QUERY_STRING="channel__exact=sms").status_code == 200


@pytest.mark.parametrize("year", ["-2147483649", "99999999999999999999", "0"])
def test_a_date_hierarchy_year_no_date_can_have_is_refused_as_django_refuses_text(client, admin_user, year):
    client.force_login(admin_user)
    reports = reverse("admin:reports_report_changelist")
    response = client.get(reports, {"period_end__year": year})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
    assert client.get(reports, {"period_end__year": "2026"}).status_code == 200


def test_the_400_page_speaks_english_too(client, clerk):
    client.force_login(clerk)
    client.post(reverse("set_language"), {"language": "en"})
    response = client.generic("POST", reverse("case_create"), data=b"x", content_type="text/plain; charset=ascii")
    assert response.status_code == 400 and "Request not understood" in response.content.decode()


@pytest.mark.parametrize("junk", ["²", "9" * 20_000, "-1", "１２"])
def test_ids_no_record_could_have_are_ignored_not_a_500(client, supervisor, junk):
    """ "²".isdigit() is true and int() of 20,000 digits raises: only ASCII digits of a bigint are ids."""
    case = register_case()
    client.force_login(supervisor)
    assert client.post(reverse("inbox_mark_read"), {"ids": [junk]}).status_code == 302
    response = client.post(
        reverse("case_bulk"), {"action": "accept", "cases": [f"{junk}:1", f"{case.pk}:{junk}"], "next": "/cases/"}
    )
    assert response.status_code in (200, 302, 422)
    case.refresh_from_db()
    assert case.state == "received"

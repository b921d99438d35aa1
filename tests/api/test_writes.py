"""A department's system records the outcome, asks for an extension, returns a case: through the
lifecycle services, with their checks and the optimistic version."""

import pytest

from devdata.factories import advance, register_case
from petitions.models import CaseLog, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(supervisor, department):
    return advance(register_case(), "assigned", supervisor=supervisor, department=department)


@pytest.fixture
def system(caller, department):
    return caller("read_department", "write_outcomes", department=department)


def test_record_outcome(system, assigned):
    response = system.post(
        f"/api/v1/cases/{assigned.number}/outcome",
        {"version": assigned.version, "outcome": "explained", "outcome_text": "已向信访人解释相关政策。"},
    )
    assert response.status_code == 200, response.content
    assigned.refresh_from_db()
    assert assigned.state == State.REVIEWING  # the office reviews a department's outcome (审核报结)
    assert response.json()["version"] == assigned.version
    assert response.json()["state"] == "reviewing"
    assert CaseLog.objects.filter(case=assigned, actor=system.integration.user, action="handle").exists()


def test_a_stale_version_is_409_and_changes_nothing(system, assigned):
    response = system.post(
        f"/api/v1/cases/{assigned.number}/outcome",
        {"version": assigned.version - 1 or 99, "outcome": "explained", "outcome_text": "意见"},
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stale_version"
    assigned.refresh_from_db()
    assert assigned.state == State.ASSIGNED


def test_request_extension_then_a_second_is_refused_with_the_reason(system, assigned):
    first = system.post(
        f"/api/v1/cases/{assigned.number}/extension-request",
        {"version": assigned.version, "days": 30, "reason": "需要现场勘查"},
    )
    assert first.status_code == 200, first.content
    assert first.json()["extension_requested_days"] == 30
    second = system.post(
        f"/api/v1/cases/{assigned.number}/extension-request",
        {"version": first.json()["version"], "days": 10, "reason": "再延"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert second.status_code == 409
    assert second.json()["error"] == {
        "code": "not_allowed",
        "message": "An extension request is already waiting for a decision.",
        "fields": {},
    }


def test_return_with_reason_and_the_case_leaves_the_department(system, assigned):
    response = system.post(
        f"/api/v1/cases/{assigned.number}/return", {"version": assigned.version, "reason": "不属于本单位职责"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "received"
    assert response.json()["petitioners"] == []
    assert system.get(f"/api/v1/cases/{assigned.number}").status_code == 404


def test_writes_need_the_write_scope(caller, department, assigned):
    reader = caller("read_department", department=department)
    response = reader.post(
        f"/api/v1/cases/{assigned.number}/outcome",
        {"version": assigned.version, "outcome": "explained", "outcome_text": "x"},
    )
    assert response.status_code == 403
    assigned.refresh_from_db()
    assert assigned.state == State.ASSIGNED


def test_another_departments_system_cannot_write(caller, other_department, assigned):
    other = caller("read_department", "write_outcomes", department=other_department)
    response = other.post(f"/api/v1/cases/{assigned.number}/return", {"version": assigned.version, "reason": "x"})
    assert response.status_code == 404


def test_bad_write_bodies_are_400(system, assigned):
    for body in (
        {},
        {"version": "one", "outcome": "explained", "outcome_text": "x"},
        {"version": 2**40, "outcome": "explained", "outcome_text": "x"},
        {"version": 1, "outcome": "maybe", "outcome_text": "x"},
        {"version": 1, "outcome": "explained", "outcome_text": ""},
    ):
        response = system.post(f"/api/v1/cases/{assigned.number}/outcome", body)
        assert response.status_code == 400, (body, response.content)
    raw = system.client.post(
        f"/api/v1/cases/{assigned.number}/outcome", "{not json", content_type="application/json", **system.headers()
    )
    assert raw.status_code == 400
    assert raw.json()["error"]["code"] == "invalid_request"


def test_attachment_upload_to_a_case_the_integration_registered(caller):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.api.conftest import intake_body

    hotline = caller("intake")
    number = hotline.post("/api/v1/cases", intake_body()).json()["case"]["number"]
    pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")
    response = hotline.client.post(f"/api/v1/cases/{number}/attachments", {"file": pdf}, **hotline.headers())
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "letter.pdf"
    bad = SimpleUploadedFile("letter.pdf", b"MZ not a pdf", "application/pdf")
    refused = hotline.client.post(f"/api/v1/cases/{number}/attachments", {"file": bad}, **hotline.headers())
    assert refused.status_code == 400
    other = caller("intake", name="another hotline")
    assert other.client.post(f"/api/v1/cases/{number}/attachments", {"file": pdf}, **other.headers()).status_code == 404

"""POST /api/v1/cases: intake through the browser's intake service, once per key or reference."""

import pytest

from integrations.models import IntakeRequest
from petitions.models import Case, CaseLog, Channel, State
from tests.api.conftest import intake_body

pytestmark = pytest.mark.django_db


def test_intake_registers_a_case_by_the_integrations_system_user(caller):
    hotline = caller("intake", name="12345 热线")
    response = hotline.post("/api/v1/cases", intake_body(external_reference="HL-2026-0001"))
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(number=body["case"]["number"])
    assert case.state == State.RECEIVED
    assert case.channel == Channel.PHONE
    assert case.registered_by == hotline.integration.user
    assert str(case.registered_by) == "12345 热线"
    assert body["tracking_code"] == case.tracking_code
    assert body["replayed"] is False
    assert body["case"]["external_reference"] == "HL-2026-0001"
    assert body["case"]["identity"] == "not_requested"
    assert body["case"]["petitioners"] == []
    assert CaseLog.objects.filter(case=case, actor=hotline.integration.user).exists()


def test_the_same_idempotency_key_returns_the_first_case(caller):
    hotline = caller("intake")
    first = hotline.post("/api/v1/cases", intake_body(), HTTP_IDEMPOTENCY_KEY="k-1")
    again = hotline.post("/api/v1/cases", intake_body(), HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["replayed"] is True
    assert again.json()["case"]["number"] == first.json()["case"]["number"]
    assert IntakeRequest.objects.filter(integration=hotline.integration).count() == 1


def test_the_same_external_reference_returns_the_first_case(caller):
    hotline = caller("intake")
    first = hotline.post("/api/v1/cases", intake_body(external_reference="R-9"))
    again = hotline.post("/api/v1/cases", intake_body(external_reference="R-9"), HTTP_IDEMPOTENCY_KEY="other")
    assert again.status_code == 200
    assert again.json()["case"]["number"] == first.json()["case"]["number"]


def test_a_key_reused_for_another_request_is_refused(caller):
    hotline = caller("intake")
    hotline.post("/api/v1/cases", intake_body(), HTTP_IDEMPOTENCY_KEY="k-2")
    response = hotline.post("/api/v1/cases", intake_body(summary="另一件事"), HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_allowed"
    assert Case.objects.count() == 1


def test_keys_are_per_integration(caller):
    one, two = caller("intake", name="one"), caller("intake", name="two")
    first = one.post("/api/v1/cases", intake_body(external_reference="R-1"))
    second = two.post("/api/v1/cases", intake_body(external_reference="R-1"))
    assert second.status_code == 201
    assert second.json()["case"]["number"] != first.json()["case"]["number"]


def test_intake_refused_by_the_intake_rules_is_400_and_changes_nothing(caller):
    hotline = caller("intake")
    body = intake_body(petitioners=[{"name": "李四", "id_number": "110101199003070000"}])
    response = hotline.post("/api/v1/cases", body, HTTP_IDEMPOTENCY_KEY="k-3")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert "petitioners.0" in error["fields"]
    assert not Case.objects.exists() and not IntakeRequest.objects.exists()
    # the corrected request may use the same key
    assert hotline.post("/api/v1/cases", intake_body(), HTTP_IDEMPOTENCY_KEY="k-3").status_code == 201


@pytest.mark.parametrize(
    "changes",
    [
        {"category": "000000"},
        {"region": "nope"},
        {"channel": "fax"},
        {"petitioners": []},
        {"summary": "   "},
        {"summary": "a\x00b"},
        {"complained_unit": "x" * 201},
        {"received_at": "0001-01-01T00:00:00+14:00"},
        {"received_at": "2099-01-01T00:00:00+08:00"},
        {"headcount": 0},
        {"headcount": 1, "petitioners": [{"name": "甲"}, {"name": "乙"}]},
    ],
)
def test_bad_intake_is_a_400_in_the_error_shape(caller, changes):
    hotline = caller("intake")
    response = hotline.post("/api/v1/cases", intake_body(**changes))
    assert response.status_code == 400, response.content
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert not Case.objects.exists()


def test_errors_speak_the_language_asked_for(caller):
    hotline = caller("intake")
    english = hotline.post("/api/v1/cases", intake_body(category="000000"), HTTP_ACCEPT_LANGUAGE="en")
    chinese = hotline.post("/api/v1/cases", intake_body(category="000000"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert english.json()["error"]["fields"]["category"] == ["No category has this code."]
    assert english["Content-Language"] == "en"
    assert chinese["Content-Language"] == "zh-hans"
    assert chinese.json()["error"]["fields"]["category"] == ["没有这个代码的内容分类。"]


def test_intake_needs_the_intake_scope(caller, department):
    reader = caller("read_department", department=department)
    response = reader.post("/api/v1/cases", intake_body())
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "scope_missing"

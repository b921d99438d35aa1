"""Schemathesis drives every operation of the OpenAPI document with generated requests, as an office
integration and as a department's: no answer is a 5xx, and every answer is one the document declares
(status, content type, body). Bounded (a few examples per operation) so that it runs in seconds."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from devdata.factories import advance, register_case
from integrations.api import api
from petitions.models import Department, Role
from tests.api.conftest import make_caller

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
DEPARTMENT_OPERATIONS = ("/outcome", "/extension-request", "/return")


@pytest.fixture(autouse=True)
def _connection_kept_between_requests():
    """Requests go in-process to the WSGI application; the connection stays open between them (as Django's
    test client keeps it) so that the test's transaction holds."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _loaded_schema():
    # The document as the portal serves it. (schemathesis.pytest.from_fixture does not work with pytest 9.)
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = application
    return loaded


@pytest.fixture
def tokens(db):
    """An office integration with every office scope, a department's with every department scope, and
    one case of that department (its number is among the examples)."""
    from devdata.factories import UserFactory

    department = Department.objects.get(code="ZJJ")
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    advance(register_case(), "assigned", supervisor=supervisor, department=department)
    office = make_caller("intake", "read_office", "identity", "webhooks", name="office")
    own = make_caller("read_department", "identity", "write_outcomes", department=department, name="department")
    return {"office": office.token, "department": own.token}


schema = _loaded_schema()


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_schema_and_never_5xx(case, tokens):
    who = "department" if case.path.endswith(DEPARTMENT_OPERATIONS) else "office"
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens[who]}"}, checks=CHECKS)

"""How the URL-conf sweeps ask for the API's URLs: as the integration that stands for the viewer.

The sweeps log a client in as a member of staff; the API answers to tokens, not to the login. So for an
API URL the sweep sends the token of an integration with the viewer's reach (a department's member: its
department's system, with the identity and write scopes; office staff: the office's), GET with the
sweep's query, POST with a body that has every write's fields (so that what decides is whether the case
may be seen, not the body's shape) and, for an upload, a file. Anonymous visitors send no token.
"""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from integrations.services import integration_save, token_issue
from petitions.models import User
from tests.samples import PNG

API_NAMESPACE = "api-v1:"
# Every field of the department's writes (outcome, extension request, return): well-formed, so each is
# refused for what it names, not for its shape.
WRITE_BODY = {"version": 1, "outcome": "explained", "outcome_text": "x", "legal_basis": "", "days": 1, "reason": "x"}
# An API URL refuses a caller without a token with 401; everything else as a page does.
REFUSED = (401, 403, 404, 405)


def is_api(name: str) -> bool:
    return name.startswith(API_NAMESPACE)


def api_token_for(user: User | None) -> str | None:
    """The token of an integration with `user`'s reach (None for an anonymous visitor)."""
    from integrations.models import Integration

    if user is None:
        return None
    if user.department_id is not None and user.has_perm("petitions.handle_case"):
        integration = Integration(
            name=f"sweep {user.username}",
            scopes=["read_department", "identity", "write_outcomes"],
            department=user.department,
        )
    else:
        scopes = ["identity"]
        scopes += ["intake"] if user.has_perm("petitions.register_case") else []
        scopes += ["read_office"] if user.has_perm("petitions.view_all_cases") else []
        integration = Integration(name=f"sweep {user.username}", scopes=scopes)
    integration_save(integration=integration)
    return token_issue(integration=integration, actor=None).plaintext


def department_token(code: str = "ZJJ") -> str:
    """A department's system with every department scope."""
    from integrations.models import Integration
    from petitions.models import Department

    integration = Integration(
        name=f"system of {code}",
        scopes=["read_department", "identity", "write_outcomes"],
        department=Department.objects.get(code=code),
    )
    integration_save(integration=integration)
    return token_issue(integration=integration, actor=None).plaintext


def api_call(client: Client, method: str, path: str, query: dict, *, token: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if method == "get":
        return client.get(path, query, **headers)
    if path.endswith("/attachments"):
        return client.post(path, {"file": SimpleUploadedFile("sweep.png", PNG)}, **headers)
    return client.post(path, json.dumps(WRITE_BODY), content_type="application/json", **headers)

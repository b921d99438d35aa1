"""An integration with a webhook subscription, and a real HTTP receiver started by the test."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Permission

from integrations.models import Integration
from petitions.models import User
from webhooks.models import EventType, Subscription


@dataclass
class Received:
    event_id: str
    headers: dict
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers `fail_first` requests with 503, then 200; keeps every request and the event ids it took."""

    fail_first: int = 0
    requests: list[Received] = field(default_factory=list)
    processed: set[str] = field(default_factory=set)  # what a de-duplicating receiver acted on
    url: str = ""

    def handle(self, handler: BaseHTTPRequestHandler) -> int:
        body = handler.rfile.read(int(handler.headers.get("Content-Length", "0")))
        received = Received(handler.headers.get("X-PetitionDesk-Event-Id", ""), dict(handler.headers), body)
        self.requests.append(received)
        if len(self.requests) <= self.fail_first:
            return 503
        self.processed.add(received.event_id)
        return 200


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            status = state.handle(self)
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if status == 200 else b"down for maintenance")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    yield state
    server.shutdown()
    server.server_close()


def make_integration(name: str, *, scopes: list[str], permissions: list[str], department=None) -> Integration:
    """As the api engineer's integration_save leaves it: a system user whose permissions follow the scopes."""
    user = User.objects.create(username=f"integration-{name}", department=department)
    user.set_unusable_password()
    user.save()
    codenames = [permission.split(".", 1)[1] for permission in permissions]
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="petitions", codename__in=codenames))
    return Integration.objects.create(name=name, scopes=scopes, department=department, user=user)


def subscribe(integration: Integration, url: str, events: list[str] | None = None) -> Subscription:
    return Subscription.objects.create(integration=integration, url=url, events=events or list(EventType.values))


@pytest.fixture
def office_integration(db):
    """A higher office's system: reads every case, receives webhooks."""
    return make_integration(
        "provincial-system", scopes=["read_office", "webhooks"], permissions=["petitions.view_all_cases"]
    )

"""No request, however malformed, costs a 5xx or an exception: a seeded fuzz over the whole portal.

The walk reads the URL conf (tests.urlwalk), so a page added later is fuzzed without being listed.
As every role (and anonymously) it opens each page with real objects in its path and reads the forms
the page draws, the portal's and the admin's (tests.fuzzing.page_forms). Then it sends a few thousand
requests: those forms posted with hostile values in their real fields (huge, NUL, surrogates, odd
dates, odd numbers, lists for scalars, bodies in the wrong encoding or charset), the pages' query
strings (the names their filter forms and links use, and random ones) fuzzed the same way, every
path parameter replaced by what it should never hold, and raw garbage bodies. The database holds
cases in every state, a supervision notice, a report, and an impossible row written behind the
services' back (received on 0001-01-01 office time, which is before year 1 in UTC; due in year 1).

Every 5xx and every exception is collected (one of each kind) and printed with the request that
caused it and the seed. FUZZ_SEED=<seed> sends the same requests again; FUZZ_REQUESTS=<n> sends more.
"""

import os
import traceback
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from devdata.factories import advance, reception_session, register_case
from escalation.models import Escalation
from escalation.services import escalation_sweep
from petitions.models import Attachment, Notification
from petitions.services.lifecycle import case_add_note
from petitions.web.case_actions import ACTIONS_BY_NAME
from reports.models import DocumentKind, Report
from reports.rendering import TABLES
from reports.selectors import week_of
from reports.services import report_make_now
from supervision.models import Document as SupervisionDocument
from supervision.models import Matter
from tests.api.walk import api_token_for
from tests.fuzzing import CONTENT_TYPES, Fuzzer, FuzzRequest, PageForm, multipart, page_forms, urlencoded
from tests.information.world import returns_world
from tests.public.tracking import open_cases, tracking_codes
from tests.screening.world import screening_objects
from tests.urlwalk import all_url_names, url_parameters

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
SEED = int(os.environ.get("FUZZ_SEED", "20260601"))
REQUESTS = int(os.environ.get("FUZZ_REQUESTS", "2200"))
MIN_REQUESTS = 2000
ROLES = ["anonymous", "clerk", "supervisor", "handler", "department_head", "leader", "admin_user"]
# Not fuzzed: logging out would end the session under test; /healthz takes no input and waits
# 1.5 s for Celery workers to answer (tests/config/test_health.py covers it).
NOT_FUZZED = {"logout", "admin:logout", "healthz"}
# The admin of our own models and of the roles (django-axes' pages are its own).
ADMIN_APPS = {"petitions", "escalation", "reports", "auth"}
# A printable PDF takes about a second to render: opened once per role, then only with hostile paths.
SLOW = {"reports:case_document", "public:track_document"}
HOSTILE_PATH_VALUES = [
    "%00",
    "XF2026-000001%00",
    "%00XF",
    "%FF",
    "%ED%A0%80",
    "%E4%BF%A1%E8%AE%BF",
    "..",
    "%2E%2E%2F",
    "-1",
    "0",
    "99999999999999999999999",
    "9223372036854775808",
    "X" * 3000,
    "XF2026-0000011",
    "xf2026-000001",
    "%20XF2026-000001",
    "%3Cscript%3E",
    "%0D%0ASet-Cookie:x=1",
]
RAW_CONTENT_TYPES = [
    *CONTENT_TYPES,
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=a",
]


@pytest.fixture
def portal(clerk, supervisor, handler, department_head, leader, admin_user, department, other_department):
    """Real values for every path parameter: cases in every state, a reception day, a supervision
    notice, reports, and one impossible row."""
    session = reception_session(leader=leader)
    received = register_case(clerk=clerk, summary="收到待受理的事项。")
    assigned = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
    handled = advance(register_case(clerk=clerk), "handled", supervisor=supervisor, department=department)
    delivered = advance(register_case(clerk=clerk), "delivered", supervisor=supervisor, department=department)
    closed = advance(register_case(clerk=clerk), "closed", supervisor=supervisor, department=department)
    theirs = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=other_department)
    case_add_note(case_id=assigned.pk, actor=supervisor, note="内部意见")
    with time_machine.travel(timezone.now() + timedelta(days=(assigned.handling_due - timezone.localdate()).days + 8)):
        escalation_sweep(exclusive=False)  # level 2: a supervision notice
    report = report_make_now(period=week_of(timezone.localdate()))
    odd = register_case(clerk=clerk)
    if connection.vendor == "postgresql":  # SQLite keeps dates as text and cannot be given one of year 0
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE petitions_case SET received_at = '0001-01-01 00:00+08', accept_due = '0001-01-16' "
                "WHERE id = %s",
                [odd.pk],
            )
    notices = Escalation.objects.exclude(notice_number="").values_list("notice_number", flat=True)
    unit_return, special_period = returns_world(department_head, department)
    screening = screening_objects(supervisor=supervisor, department=department, case=assigned, leader=leader)
    return {
        **screening,
        "number": [case.number for case in (received, assigned, handled, delivered, closed, theirs, odd)]
        + list(notices),
        "action": list(ACTIONS_BY_NAME),
        "kind": list(DocumentKind.values),
        "code": tracking_codes([received, assigned, handled, delivered, closed, theirs, odd]),
        "opened": [received, handled, delivered, closed],
        "table": list(TABLES),
        "pk": [
            report.pk,
            session.pk,
            *Attachment.objects.values_list("pk", flat=True)[:1],
            *Notification.objects.values_list("pk", flat=True)[:1],
            *Report.objects.exclude(pk=report.pk).values_list("pk", flat=True),
            # The supervision matter the notice opened, and its document.
            *Matter.objects.values_list("pk", flat=True)[:1],
            *SupervisionDocument.objects.values_list("pk", flat=True)[:1],
            unit_return.pk,
            special_period.pk,
        ],
    }


class Walk:
    """Sends requests as each role and keeps one failure (a 5xx or an exception) of each kind."""

    def __init__(self, clients: dict[str, Client]) -> None:
        self.clients = clients
        self.sent = 0
        self.failures: dict[str, str] = {}

    def send(self, request: FuzzRequest) -> tuple[object, bytes] | None:
        """The response and its body (a streamed one read to the end); None when it failed."""
        self.sent += 1
        try:
            # A savepoint each: a request that breaks the transaction must not break the ones after it.
            with transaction.atomic():
                response = request.send(self.clients[request.role])
                streamed = getattr(response, "streaming", False)
                content = b"".join(response.streaming_content) if streamed else response.content
        except Exception as error:
            ours = [
                frame
                for frame in traceback.extract_tb(error.__traceback__)
                if frame.filename.startswith(str(ROOT))
                and not frame.filename.startswith((str(ROOT / ".venv"), str(ROOT / "tests")))
            ]
            where = f"{ours[-1].filename}:{ours[-1].lineno}" if ours else "django"
            key = f"{type(error).__name__} at {where}: {(str(error).splitlines() or [''])[0][:80]}"
            self.failures.setdefault(key, f"{key}\n{request.describe()}\n{traceback.format_exc(limit=-8)}")
            return None
        if response.status_code >= 500:
            key = f"{response.status_code} from {request.method} {request.path.split('/')[1:3]}"
            self.failures.setdefault(key, f"{key}\n{request.describe()}")
        return response, content


class Discovered:
    """What the pages offered: their forms (one of each per role and target), the query parameter
    names their forms and links use, and the pages each role may open."""

    def __init__(self) -> None:
        self.forms: dict[tuple, tuple[str, str, PageForm]] = {}
        self.parameters: dict[str, set[str]] = {}
        self.pages: dict[str, list[str]] = {}

    def read(self, role: str, path: str, html: str) -> None:
        self.pages.setdefault(role, []).append(path)
        forms, link_names = page_forms(html)
        self.parameters.setdefault(path, set()).update(link_names)
        for form in forms:
            target = urljoin(path, form.action) if form.action else path
            if resolve(urlsplit(target).path).view_name in NOT_FUZZED:
                continue  # the menu's logout button
            # The language switch on every page is one form, not one per page.
            self.forms.setdefault((role, target, form.method, tuple(form.fields)), (role, target, form))
            if form.method == "get":
                self.parameters.setdefault(target, set()).update(form.fields)

    def all_names(self) -> list[str]:
        return sorted({name for names in self.parameters.values() for name in names})


def _portal_pages(portal: dict, patterns: list, fuzz: Fuzzer) -> tuple[list[str], list[str]]:
    """Each page with real objects in its path (every case and notice number, a few of the rest),
    and apart from them the slow ones, once each."""
    pages, slow = [], []
    for name, pattern in patterns:
        keys = url_parameters(pattern)
        fillings = [{key: fuzz.rng.choice(portal[key]) for key in keys} for _ in range(4 if keys else 1)]
        if name in SLOW:
            slow.append(reverse(name, kwargs=fillings[0]))
            continue
        if "number" in keys:
            fillings = [{**fillings[0], "number": number} for number in portal["number"]]
        pages += [reverse(name, kwargs=kwargs) for kwargs in fillings]
    return list(dict.fromkeys(pages)), slow


def _admin_pages(senders: list) -> list[str]:
    """The admin's index, and for each of our models its list, add form and first object's pages.

    Not the pages of the staff who send the fuzz: a valid edit there (the admin unticking "active")
    would log a sender out half-way, which is the admin's right, not a fault.
    """
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        if meta.app_label not in ADMIN_APPS:
            continue
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        pages += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        objects = model._default_manager.order_by("pk")
        if model is get_user_model():
            objects = objects.exclude(pk__in=[user.pk for user in senders])
        first = objects.first()
        if first is not None:
            pages += [reverse(f"{prefix}_{view}", args=[quote(str(first.pk))]) for view in ("change", "history")]
            pages.append(reverse(f"{prefix}_delete", args=[quote(str(first.pk))]))
    return pages


def test_no_request_costs_a_server_error(portal, clerk, supervisor, handler, department_head, leader, admin_user):
    users = {
        "clerk": clerk,
        "supervisor": supervisor,
        "handler": handler,
        "department_head": department_head,
        "leader": leader,
        "admin_user": admin_user,
    }
    clients = {"anonymous": Client()}
    open_cases(clients["anonymous"], portal["opened"])  # a petitioner's session: their pages and forms too
    for role, user in users.items():
        # The API's URLs answer to tokens: each role's client carries one of an integration with its reach.
        clients[role] = Client(headers={"Authorization": f"Bearer {api_token_for(user)}"})
        clients[role].force_login(user)
    walk, fuzz, found = Walk(clients), Fuzzer(SEED), Discovered()
    patterns = [(name, pattern) for name, pattern in all_url_names() if name not in NOT_FUZZED]
    portal_patterns = [(name, pattern) for name, pattern in patterns if not name.startswith("admin:")]
    for name, pattern in portal_patterns:
        missing = set(url_parameters(pattern)) - set(portal)
        assert not missing, f"The fuzz does not know what to put in {missing} of {name}: add it to `portal`."

    # 1. Every page as every role: the forms and parameters it offers.
    (pages, slow_pages), admin_pages = _portal_pages(portal, portal_patterns, fuzz), _admin_pages(list(users.values()))
    for role in ROLES:
        for path in pages + slow_pages + (admin_pages if role == "admin_user" else []):
            result = walk.send(FuzzRequest(role, "GET", path))
            if result and result[0].status_code == 200 and "html" in result[0].get("Content-Type", ""):
                found.read(role, path, result[1].decode("utf-8", errors="replace"))
    forms, all_names = list(found.forms.values()), found.all_names()
    assert len(forms) > 50, "the walk found too few forms to fuzz"

    # 2. Hostile requests until the count is reached.
    while walk.sent < REQUESTS:
        kind = fuzz.rng.choices(["form", "query", "path", "raw"], weights=[50, 22, 20, 8])[0]
        if kind == "form":
            role, target, form = fuzz.rng.choice(forms)
            request = _form_request(fuzz, role, target, form, fuzz.mutated(form, all_names))
        elif kind == "query":
            role = fuzz.rng.choice(ROLES)
            path = fuzz.rng.choice([page for page in found.pages.get(role, pages) if page not in slow_pages])
            names = sorted(found.parameters.get(path, ())) or all_names
            pairs = [
                (fuzz.rng.choice(names if fuzz.chance(0.8) else all_names).encode(), fuzz.value())
                for _ in range(fuzz.rng.randint(1, 6))
            ]
            request = FuzzRequest(role, "GET", path, query=urlencoded(pairs).decode(), headers=_headers(fuzz))
        elif kind == "path":
            name, pattern = fuzz.rng.choice([entry for entry in portal_patterns if url_parameters(entry[1])])
            request = _path_request(fuzz, fuzz.rng.choice(ROLES), name, pattern, portal)
        else:
            role, target, _form = fuzz.rng.choice(forms)
            body = bytes(fuzz.rng.randrange(256) for _ in range(fuzz.rng.randint(0, 400)))
            method = fuzz.rng.choice(["POST", "PUT", "PATCH", "DELETE"])
            request = FuzzRequest(role, method, target, body=body, content_type=fuzz.rng.choice(RAW_CONTENT_TYPES))
        walk.send(request)

    for role in users:  # sent as each role to the end, not as a visitor logged out half-way
        assert clients[role].get(reverse("inbox")).status_code == 200, f"{role} was logged out by the fuzz"
    report = "\n\n".join(walk.failures.values())
    assert not walk.failures, f"{len(walk.failures)} kinds of failure in {walk.sent} requests, seed {SEED}:\n\n{report}"
    assert walk.sent >= MIN_REQUESTS


def _headers(fuzz: Fuzzer) -> dict[str, str]:
    headers = {}
    if fuzz.chance(0.3):
        headers["HTTP_HX_REQUEST"] = "true"
    if fuzz.chance(0.1):
        headers["HTTP_HX_CURRENT_URL"] = fuzz.value().decode("latin-1")
    if fuzz.chance(0.08):  # a charset on a request without a body: Django decodes the query string with it
        headers["CONTENT_TYPE"] = fuzz.rng.choice(CONTENT_TYPES)
    if fuzz.chance(0.1):
        headers["HTTP_ACCEPT_LANGUAGE"] = fuzz.value().decode("latin-1")
    return headers


def _form_request(fuzz: Fuzzer, role: str, target: str, form: PageForm, pairs) -> FuzzRequest:
    if form.method == "get":
        return FuzzRequest(role, "GET", target, query=urlencoded(pairs).decode(), headers=_headers(fuzz))
    if form.multipart or fuzz.chance(0.15):
        boundary = f"fuzz{fuzz.rng.randrange(10**9)}"
        files = []
        if form.multipart and fuzz.chance(0.5):
            files.append((b"file", fuzz.value()[:80] or b"x", fuzz.value()))
            files.append((b"attachments", b"scan.png", bytes(fuzz.rng.randrange(256) for _ in range(64))))
        charset = fuzz.rng.choice(["", "; charset=latin-1", "; charset=utf-16", "; charset=no-such"])
        content_type = f"multipart/form-data; boundary={boundary}{charset}"
        body = multipart(pairs, files, boundary.encode())
    else:
        content_type, body = fuzz.rng.choice(CONTENT_TYPES), urlencoded(pairs)
    return FuzzRequest(role, "POST", target, body=body, content_type=content_type, headers=_headers(fuzz))


def _path_request(fuzz: Fuzzer, role: str, name: str, pattern, portal: dict) -> FuzzRequest:
    """The pattern's path with real values, and hostile ones (percent-encoded as on the wire) in some."""
    converters = url_parameters(pattern)
    hostile = set(fuzz.rng.sample(sorted(converters), fuzz.rng.randint(1, len(converters))))
    markers = {
        key: str(900_000_001 + index) if converters[key] == "int" else f"FUZZ{index}"
        for index, key in enumerate(sorted(hostile))
    }
    kwargs = {key: markers[key] if key in hostile else fuzz.rng.choice(portal[key]) for key in converters}
    path = reverse(name, kwargs=kwargs)
    for marker in markers.values():
        path = path.replace(marker, fuzz.rng.choice(HOSTILE_PATH_VALUES), 1)
    method = fuzz.rng.choice(["GET", "POST"])
    body = urlencoded([(b"note", fuzz.value()), (b"reason", fuzz.value())]) if method == "POST" else b""
    return FuzzRequest(role, method, path, body=body, content_type=CONTENT_TYPES[0])

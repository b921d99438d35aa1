"""Every page, as every role: the Content Security Policy holds, and the HTML is well formed for it and
for screen readers (unique ids, every label pointing at its field).

The walk follows the URL conf (tests/urlwalk.py), so a page added later is checked without being
listed here: each URL is asked for with every object of a small world in its parameters (GET), the
POST-only ones with an empty form (the page that comes back with its errors). The admin site is
walked as the administrator: every registered model's list, add, change, history and delete pages.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from devdata.factories import advance, reception_session, register_case
from escalation.models import Escalation
from escalation.services import escalation_sweep
from petitions.models import Case
from petitions.services.notifications import notify
from petitions.web.case_actions import ACTIONS_BY_NAME
from supervision.models import Document as SupervisionDocument
from supervision.models import Matter
from supervision.services import recommendation_issue
from tests.information.world import returns_world
from tests.public.tracking import open_cases, tracking_codes
from tests.screening.world import screening_objects
from tests.urlwalk import all_url_names, url_parameters

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "clerk", "supervisor", "handler", "department_head", "leader", "admin_user"]
# Not pages: logging out ends the session under test, the language switch only redirects, /healthz
# waits for Celery workers; files (PDF, CSV, attachments) are no HTML. Their policy header is
# checked by test_files_and_json_carry_the_policy_too.
NOT_PAGES = {
    "logout",
    "set_language",
    "healthz",
    "attachment_download",
    "reports:pdf",
    "reports:csv",
    "reports:case_document",
    "case_queue_export",
    "case_registered_export",
    "case_department_export",
    "case_owned_export",
    "screening:meeting_pdf",
}
# Kinds of <script> a browser does not run (data blocks): the policy does not concern them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


@dataclass
class PageHtml(HTMLParser):
    """What the checks need from a page, read with the standard library's parser."""

    ids: list[str] = field(default_factory=list)
    label_targets: list[str] = field(default_factory=list)
    inline_scripts: int = 0
    handlers: list[str] = field(default_factory=list)
    script_urls: list[str] = field(default_factory=list)
    style_attributes: list[str] = field(default_factory=list)
    style_nonces: list[str | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        where = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs)[:160]}>"
        if values.get("id") is not None:
            self.ids.append(values["id"])
        if tag == "label" and values.get("for") is not None:
            self.label_targets.append(values["for"])
        if tag == "script" and not values.get("src") and (values.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
            self.inline_scripts += 1
        if tag == "style":
            self.style_nonces.append(values.get("nonce"))
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(where)
            if name == "style":
                self.style_attributes.append(where)
            if value and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith("javascript:"):
                self.script_urls.append(where)


def read_page(html: str) -> PageHtml:
    page = PageHtml()
    page.feed(html)
    page.close()
    return page


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.fixture
def world(client, clerk, supervisor, handler, department_head, leader, admin_user, department, office_report):
    """A case in every state in the handler's department, and one of each other object a URL names."""
    received = register_case(clerk=clerk)
    assigned = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
    handled = advance(
        register_case(clerk=clerk, attachments=[(SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%%EOF\n"), "letter")]),
        "handled",
        supervisor=supervisor,
        handler=handler,
        department=department,
    )
    closed = advance(register_case(clerk=clerk), "closed", supervisor=supervisor, department=department)
    session = reception_session(leader=leader)
    notify(users=[clerk, supervisor, handler, department_head, leader, admin_user], case=assigned, kind="assigned")
    # A supervision notice: the assigned case a week past its deadline.
    days = (Case.objects.get(pk=assigned.pk).handling_due - timezone.localdate()).days + 8
    with time_machine.travel(timezone.now() + timedelta(days=days)):
        escalation_sweep(exclusive=False)
    notice = (
        Escalation.objects.filter(case=assigned).exclude(notice_number="").values_list("notice_number", flat=True)[0]
    )
    open_cases(client, [received, assigned, handled, closed])  # the petitioner's pages, in this session
    unit_return, special_period = returns_world(department_head, department)
    screening = screening_objects(supervisor=supervisor, department=department, case=assigned, leader=leader)
    return {
        **{(key, "int"): values for key, values in screening.items()},
        ("number", "recordnumber"): [case.number for case in (received, assigned, handled, closed)] + [notice],
        ("number", "string"): [assigned.number],  # the API's /api/v1/cases/{number} (its JSON is no page)
        ("code", "string"): tracking_codes([received, assigned, handled, closed]),
        ("kind", "string"): ["receipt", "acceptance", "opinion", "registration"],
        ("action", "string"): list(ACTIONS_BY_NAME),
        ("pk", "int"): [
            office_report.pk,
            session.pk,
            *supervision_pks(supervisor, department),
            unit_return.pk,
            special_period.pk,
        ],
    }


def supervision_pks(supervisor, department) -> list[int]:
    """A supervision matter (the notice opened it), its document, and a recommendation."""
    recommendation = recommendation_issue(department=department, actor=supervisor, text="规范答复文书。")
    return [
        *Matter.objects.values_list("pk", flat=True)[:1],
        *SupervisionDocument.objects.values_list("pk", flat=True)[:1],
        recommendation.pk,
    ]


def is_public(name: str) -> bool:
    """The front door and the public site answer without a login."""
    return name == "home" or name.startswith("public:")


def portal_paths(world: dict, *, public_only: bool = False) -> list[tuple[str, str]]:
    """(method, path) for every page of the URL conf but the admin site's: GET, and POST with an empty form."""
    paths = []
    for name, pattern in all_url_names():
        if name in NOT_PAGES or name.startswith("admin:") or (public_only and not is_public(name)):
            continue
        options: list[dict] = [{}]
        for key, kind in url_parameters(pattern).items():
            values = world.get((key, kind))
            assert values, f"The page walk does not know what to put in <{kind}:{key}> of {name}: add it to world."
            options = [{**option, key: value} for option in options for value in values]
        paths += [(method, reverse(name, kwargs=kwargs)) for kwargs in options for method in ("GET", "POST")]
    return [*paths, ("GET", "/no-such-page/")]


def admin_paths() -> list[tuple[str, str]]:
    """The admin site: index, and every registered model's list, add (empty and sent empty), change,
    history and delete pages."""
    paths = [("GET", reverse("admin:index"))]
    for model in admin.site._registry:
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        paths += [
            ("GET", reverse("admin:app_list", args=[opts.app_label])),
            ("GET", reverse(f"{prefix}_changelist")),
            ("GET", reverse(f"{prefix}_add")),
            ("POST", reverse(f"{prefix}_add")),
        ]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            paths += [("GET", reverse(f"{prefix}_{view}", args=[first.pk])) for view in ("change", "history", "delete")]
    return paths


def pages_as(request, client, role: str, world: dict) -> list[tuple[str, object]]:
    """(where, response) for every page `role` may ask for; anonymous: the public site, the login page and
    the 404 page."""
    if role == "anonymous":
        paths = [("GET", reverse("login")), ("POST", reverse("login")), ("GET", "/no-such-page/")]
        paths += portal_paths(world, public_only=True)
    else:
        client.force_login(request.getfixturevalue(role))
        paths = portal_paths(world) + (admin_paths() if role == "admin_user" else [])
    answers = []
    # Every GET before any POST: a POST may change what a page shows (a report sent to be made again).
    for method, path in sorted(dict.fromkeys(paths), key=lambda item: item[0] != "GET"):
        response = client.get(path) if method == "GET" else client.post(path, {})
        where = f"{role}: {method} {path} → {response.status_code}"
        assert response.status_code < 500, where
        answers.append((where, response))
    return answers


def html_pages(answers) -> list[tuple[str, object, PageHtml]]:
    pages = [
        (where, response, read_page(response.content.decode()))
        for where, response in answers
        if "text/html" in response.headers.get("Content-Type", "") and response.content
    ]
    assert len(pages) >= 3
    return pages


EXPECTED_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "img-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_carries_the_policy_and_nothing_inline_that_it_forbids(request, client, world, role):
    problems = []
    answers = pages_as(request, client, role, world)
    for where, response in answers:
        directives = policy(response)
        if {key: directives.get(key) for key in EXPECTED_POLICY} != EXPECTED_POLICY:
            problems.append(f"{where}: policy {response.headers.get('Content-Security-Policy')!r}")
    for where, response, page in html_pages(answers):
        nonces = [value.removeprefix("'nonce-").removesuffix("'") for value in policy(response).get("style-src", [])]
        problems += [f"{where}: {page.inline_scripts} inline <script>"] if page.inline_scripts else []
        problems += [f"{where}: handler {tag}" for tag in page.handlers]
        problems += [f"{where}: javascript: URL {tag}" for tag in page.script_urls]
        problems += [f"{where}: style attribute {tag}" for tag in page.style_attributes]
        problems += [f"{where}: <style> without the nonce" for nonce in page.style_nonces if nonce not in nonces]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_has_unique_ids_and_labels_for_existing_fields(request, client, world, role):
    problems = []
    for where, _response, page in html_pages(pages_as(request, client, role, world)):
        repeated = sorted({value for value in page.ids if page.ids.count(value) > 1})
        problems += [f"{where}: id {value!r} used {page.ids.count(value)} times" for value in repeated]
        problems += [
            f"{where}: <label for={target!r}> has no field" for target in page.label_targets if target not in page.ids
        ]
    assert not problems, "\n".join(problems)


def test_files_and_json_carry_the_policy_too(client, supervisor, world):
    client.force_login(supervisor)
    for path in (reverse("case_queue_export"), reverse("healthz"), "/static/js/app.js"):
        response = client.get(path)
        assert "default-src 'self'" in response.headers["Content-Security-Policy"], path


def test_the_server_error_page_needs_no_inline_style_or_script():
    from petitions.web.views.error_pages import server_error

    page = read_page(server_error(None).content.decode())
    assert not (page.inline_scripts or page.handlers or page.style_attributes or page.style_nonces)

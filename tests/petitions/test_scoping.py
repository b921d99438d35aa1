"""Department scoping, everywhere: staff of department A never see department B's cases.

The sweep walks the URL conf, so a page added later is covered without being listed here: every
URL is asked for with B's objects in its parameters (GET and POST), and every URL without
parameters with filters and searches that aim at B. Nothing of B may show, B must not change, and a
direct request for one of B's objects answers 404. A URL with a parameter the sweep cannot fill
fails the test until someone says here what to put in it.
"""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from devdata.factories import UserFactory, advance, petitioner_data, reception_session, register_case
from escalation.models import Escalation
from escalation.services import escalation_sweep
from integrations.models import ApiCall
from petitions.models import Attachment, Case, CaseLog, CasePart, Department, IdentityAccess, Notification, Role
from petitions.services.joint_handling import PartData, part_assign, part_record
from petitions.services.lifecycle import case_add_note
from petitions.web.case_actions import ACTIONS_BY_NAME
from reports.models import DocumentKind, Report
from reports.rendering import TABLES
from reports.selectors import week_of
from reports.services import report_make_now
from supervision.models import Document as SupervisionDocument
from supervision.models import Matter, Recommendation
from supervision.services import recommendation_issue
from tests.api.walk import REFUSED, api_call, api_token_for, is_api
from tests.samples import PNG
from tests.screening.world import screening_objects
from tests.urlwalk import all_url_names, url_parameters

pytestmark = pytest.mark.django_db

# Pages with nothing of a case to show: the login pages (logout would end the session under test)
# and /healthz (public JSON about the services; it waits for Celery workers to answer).
NOT_SWEPT = {"logout", "login", "set_language", "healthz"}
MARKER_SUMMARY = "丙丁戊己庚辛秘密事项"
SCREENING_OF_B: dict[str, list[int]] = {}


@pytest.fixture
def two_departments(clerk, supervisor, leader, department, other_department, handler):
    ours = advance(
        register_case(clerk=clerk, summary="反映本部门的事项。"),
        "assigned",
        supervisor=supervisor,
        department=department,
    )
    session = reception_session(leader=leader)
    theirs = register_case(
        clerk=clerk,
        summary=MARKER_SUMMARY,
        request="要求保密处理辛壬癸。",
        petitioners=[petitioner_data(name="钱秘密")],
        attachments=[(SimpleUploadedFile("secret.png", PNG), "letter")],
    )
    theirs = advance(theirs, "assigned", supervisor=supervisor, department=other_department)
    case_add_note(case_id=theirs.pk, actor=supervisor, note="内部意见壬癸")
    # B's case has a co-department (协办) that is neither A nor B: its part is B's too, to A.
    third = Department.objects.exclude(pk__in=[department.pk, other_department.pk]).filter(is_active=True).first()
    # Recorded at once: an unchased part adds no supervision notice (each one is walked again, everywhere).
    part = part_assign(case_id=theirs.pk, actor=supervisor, part=PartData(third, "协办事项", 5))
    part_record(part_id=part.pk, actor=UserFactory(roles=[Role.HANDLER], department=third), answer="已协办。")
    # B's supervision notice (level 2, a week past the deadline) and B's department report.
    with time_machine.travel(timezone.now() + timedelta(days=(theirs.handling_due - timezone.localdate()).days + 8)):
        escalation_sweep(exclusive=False)
    report_make_now(period=week_of(timezone.localdate()), department=other_department)
    recommendation_issue(department=other_department, actor=supervisor, text="规范答复文书。")
    # B's register entry, campaign, hot topic, joint meeting and decision, with B's case linked and referred.
    theirs = Case.objects.get(pk=theirs.pk)
    SCREENING_OF_B.clear()
    SCREENING_OF_B.update(screening_objects(supervisor=supervisor, department=other_department, case=theirs))
    return ours, Case.objects.get(pk=theirs.pk), session


def leaks(text: str, case: Case, *, echoed: str = "") -> list[str]:
    """B's markers found in `text`, except what the request itself said (a search box shows its query)."""
    markers = [
        case.number,
        f"/cases/{case.number}/",
        case.tracking_code,
        MARKER_SUMMARY,
        "钱秘密",
        "辛壬癸",
        "内部意见壬癸",
    ]
    return [marker for marker in markers if marker in text and marker not in echoed]


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", errors="replace")
    return response.content.decode("utf-8", errors="replace")


def supervision_pks(theirs: Case) -> list[int]:
    return [
        Matter.objects.get(case=theirs).pk,
        SupervisionDocument.objects.get(case=theirs).pk,
        *Recommendation.objects.filter(department=theirs.department).values_list("pk", flat=True),
    ]


def fillings(name: str, pattern, theirs: Case, session) -> list[dict]:
    """Every way to fill the URL's parameters with department B's objects."""
    attachment = Attachment.objects.get(case=theirs)
    log = CaseLog.objects.filter(case=theirs).first()
    notification = Notification.objects.filter(case=theirs).first()
    notice = Escalation.objects.filter(case=theirs).exclude(notice_number="").get().notice_number
    report = Report.objects.get(department=theirs.department)
    candidates = {
        ("number", "recordnumber"): [theirs.number, notice],
        ("number", "string"): [theirs.number, notice],  # the API's /api/v1/cases/{number}
        ("kind", "slug"): list(DocumentKind.values),
        ("kind", "string"): list(DocumentKind.values),
        ("code", "string"): [theirs.tracking_code],
        ("table", "slug"): list(TABLES),
        ("action", "string"): list(ACTIONS_BY_NAME),
        **{(key, "int"): values for key, values in SCREENING_OF_B.items()},
        # An integer key may name any kind of object: try every one of B's.
        ("pk", "int"): [
            pk
            for pk in (
                theirs.pk,
                attachment.pk,
                session.pk,
                log.pk,
                notification and notification.pk,
                report.pk,
                CasePart.objects.get(case=theirs).pk,
            )
            if pk
        ]
        # B's supervision matter (its 督办单 opened it), the document, a recommendation to B.
        + supervision_pks(theirs),
    }
    options: list[dict] = [{}]
    for key, kind in url_parameters(pattern).items():
        values = candidates.get((key, kind))
        assert values, f"The scoping sweep does not know what to put in <{kind}:{key}> of {name}: add it above."
        options = [{**option, key: value} for option in options for value in values]
    return options


@pytest.mark.parametrize("viewer", ["handler", "department_head"])
def test_nothing_of_another_department_shows_anywhere(request, client, viewer, two_departments, other_department):
    user = request.getfixturevalue(viewer)
    ours, theirs, session = two_departments
    before = (Case.objects.get(pk=theirs.pk).version, CaseLog.objects.filter(case=theirs).count())
    searches = [
        {},
        {"q": theirs.number},
        {"q": theirs.tracking_code},
        {"q": "丙丁戊"},
        {"name": "钱秘密"},
        {"department": other_department.pk},
        {"state": ["received", "assigned", "handled", "closed"]},
        {"sort": "-received", "page": "1"},
    ]
    swept = 0
    client.force_login(user)
    token = api_token_for(user)  # the API's URLs are asked for by the department's own system
    for name, pattern in all_url_names():
        if name in NOT_SWEPT or name.startswith("admin:"):
            continue
        params = url_parameters(pattern)
        for kwargs in fillings(name, pattern, theirs, session):
            path = reverse(name, kwargs=kwargs)
            for method, payloads in (("get", searches if not params else [{}]), ("post", [{}])):
                for payload in payloads:
                    data = (
                        payload
                        if method == "get"
                        else {
                            "cases": [f"{theirs.pk}:{theirs.version}"],
                            "action": "accept" if not params else "",
                            "note": "x",
                            "reason": "x",
                        }
                    )
                    if is_api(name):
                        response = api_call(client, method, path, payload, token=token)
                    else:
                        response = getattr(client, method)(path, data)
                    where = f"{method.upper()} {path} {payload}"
                    assert not leaks(body(response), theirs, echoed=f"{path} {payload}"), where
                    if "number" in params:  # asking for B's case directly: 404 (or 405 for the wrong method)
                        assert response.status_code in (404, 405), where
                    if params:
                        assert response.status_code in REFUSED, (where, response.status_code)
                    swept += 1
    assert swept > 40
    # The API's URLs were asked for with the department's token, and refused as not found.
    assert ApiCall.objects.filter(integration__isnull=False, status=404, case__isnull=True).count() >= 10
    # Nothing was changed on B's case, nothing of it was shown, no file was added.
    assert (Case.objects.get(pk=theirs.pk).version, CaseLog.objects.filter(case=theirs).count()) == before
    assert not IdentityAccess.objects.filter(case=theirs).exists()
    assert Attachment.objects.filter(case=theirs).count() == 1
    # And the sweep was made as someone who does see their own department's cases.
    client.force_login(user)
    own = client.get(reverse("case_department"))
    assert ours.number in body(own) and own.context["counts"].by_state[1].count.value == 1


def test_counts_and_exports_of_a_department_hold_only_its_cases(client, handler, two_departments):
    ours, _theirs, _session = two_departments
    client.force_login(handler)
    response = client.get(reverse("case_department"))
    assert {item.state: item.count.value for item in response.context["counts"].by_state}["assigned"] == 1
    assert response.context["counts"].total.value == 1
    rows = list(csv.reader(io.StringIO(body(client.get(reverse("case_department_export"))).lstrip("\ufeff"))))
    assert [row[0] for row in rows[1:]] == [ours.number]


def test_the_admin_site_is_not_a_way_around(client, handler, two_departments):
    _ours, theirs, _session = two_departments
    client.force_login(handler)
    for path in ("/admin/", f"/admin/petitions/case/{theirs.pk}/change/", "/admin/petitions/case/"):
        response = client.get(path)
        assert response.status_code in (302, 403, 404), path
        assert not leaks(body(response), theirs), path

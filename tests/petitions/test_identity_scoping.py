"""No accuser exposed: the whole URL conf walked as everyone who may not know who a petitioner is.

The world: 钱检举 has an ordinary case routed to department D, whose staff may see who he is; then he
accuses D (检举控告, T22 art. 30 ¶3) and that case is routed to D too. 孙保密 asked for confidentiality
on a case routed to D. A third case was routed to department E and returned by it.

Walked as: a clerk who did not register these cases, a handler and the head of D (the accused
department), a handler and the head of E, and an anonymous visitor; every URL is asked for with the
objects of the accusation and the confidential case in its parameters (GET and POST), every URL without
parameters with searches that aim at the people (name, ID number, phone, case number). PDFs are read
back as text. Nothing of who 钱检举 or 孙保密 is may show — not the name, not the surname, not a digit
group of their ID number or phone, not the start of their address — nor the link from the accusation to
his ordinary case, nor any summary to someone who may not open the case. A URL whose parameter the
walk cannot fill fails the test until someone says here what to put in it.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from devdata.factories import UserFactory, advance, as_recorded, petitioner_data, register_case
from escalation.models import Escalation
from escalation.services import escalation_sweep
from petitions.identifiers import mask_address, mask_id_number, mask_name, mask_phone
from petitions.models import (
    Attachment,
    Case,
    CaseLog,
    CasePart,
    Department,
    IdentityAccess,
    LegalType,
    Notification,
    Petitioner,
    Purpose,
    Role,
)
from petitions.services import lifecycle
from petitions.services.joint_handling import PartData, part_assign, part_record
from petitions.web.case_actions import ACTIONS_BY_NAME
from petitions.web.forms import person_offer
from reports.models import DocumentKind, Report
from reports.rendering import TABLES
from reports.selectors import week_of
from reports.services import report_make_now
from supervision.models import Document as SupervisionDocument
from supervision.models import Matter
from tests.api.walk import REFUSED, api_call, api_token_for, is_api
from tests.intake import intake_post
from tests.reports.pdf_tools import pdf_text
from tests.samples import PNG
from tests.screening.world import screening_objects
from tests.urlwalk import all_url_names, url_parameters

pytestmark = pytest.mark.django_db

NOT_SWEPT = {"logout", "login", "set_language", "healthz"}
ACCUSATION_SUMMARY = "举报住建局某科长收受开发商财物丁戊己庚"
CONFIDENTIAL_SUMMARY = "反映邻居违建遮挡采光壬癸子丑"
SCREENING: dict[str, list[int]] = {}
RETURNED_SUMMARY = "反映学校乱收费寅卯辰巳"


@dataclass
class World:
    accuser: Petitioner
    confidential: Petitioner
    ordinary: Case  # the accuser's own case at D: D may see who he is there
    accusation: Case
    secret: Case  # the confidential petitioner's case at D
    returned: Case  # routed to E, returned by E
    registering_clerk: object


def identity_markers(person: Petitioner) -> list[str]:
    return [
        person.name,
        mask_name(person.name),
        person.id_number,
        mask_id_number(person.id_number),
        person.phone,
        mask_phone(person.phone),
        person.address,
        mask_address(person.address).rstrip("*"),
    ]


def _valid(first16: str) -> str:
    from petitions.identifiers import id_check_digit

    first17 = first16 + "1"
    return first17 + id_check_digit(first17)


@pytest.fixture
def world(clerk, supervisor, department, other_department) -> World:
    accused, elsewhere = department, other_department
    UserFactory(roles=[Role.DEPARTMENT_HEAD], department=elsewhere)  # receives "routed to you" for the returned case
    qian = petitioner_data(
        name="钱检举", id_number=_valid("9901021973051612"), phone="13712345678", address="检举路八十八号院三单元"
    )
    # A request, not left to the factory's random purpose: a "disclosure" would make it an accusation too,
    # whose accuser D may not know (the test failed about one run in five).
    ordinary = advance(
        register_case(clerk=clerk, petitioners=[qian], purpose=Purpose.REQUEST),
        "assigned",
        supervisor=supervisor,
        department=accused,
    )
    accusation = register_case(
        clerk=clerk,
        purpose=Purpose.DISCLOSURE,
        legal_type=LegalType.ACCUSATION,
        complained_unit=accused.name,
        summary=ACCUSATION_SUMMARY,
        request="要求调查处理。",
        petitioners=[as_recorded(ordinary)],
        attachments=[(SimpleUploadedFile("letter.png", PNG), "letter")],
    )
    assert accusation.repeat_of_id == ordinary.pk  # he is on record: the accusation is a repeat of his case
    accusation = advance(accusation, "assigned", supervisor=supervisor, department=accused)
    lifecycle.case_add_note(case_id=accusation.pk, actor=supervisor, note="内部意见：举报人系钱某")
    # A co-department (协办) of the accusation, neither D nor E: its part's page is walked as well.
    third = Department.objects.exclude(pk__in=[accused.pk, elsewhere.pk]).filter(is_active=True).first()
    # Recorded at once: an unchased part adds no supervision notice (each one is walked again, everywhere).
    part = part_assign(case_id=accusation.pk, actor=supervisor, part=PartData(third, "协助调查", 5))
    part_record(
        part_id=part.pk, actor=UserFactory(roles=[Role.HANDLER], department=third), answer="已协助调查，情况属实。"
    )
    secret = advance(
        register_case(
            clerk=clerk,
            summary=CONFIDENTIAL_SUMMARY,
            petitioners=[
                petitioner_data(
                    name="孙保密",
                    id_number=_valid("9901021980020222"),
                    phone="13698765432",
                    address="保密巷十七号楼二门",
                    confidential=True,
                )
            ],
        ),
        "assigned",
        supervisor=supervisor,
        department=accused,
    )
    returned = register_case(clerk=clerk, summary=RETURNED_SUMMARY)
    returned = advance(returned, "assigned", supervisor=supervisor, department=elsewhere)
    lifecycle.case_return(
        case_id=returned.pk,
        actor=UserFactory(roles=[Role.HANDLER], department=elsewhere),
        reason="不属于本单位职责",
    )
    # A supervision notice (a week past the deadline) and the accused department's weekly report.
    days = (accusation.handling_due - timezone.localdate()).days + 8
    with time_machine.travel(timezone.now() + timedelta(days=days)):
        escalation_sweep(exclusive=False)
    report_make_now(period=week_of(timezone.localdate()), department=accused)
    # The accused department's register entry and joint meeting, with the accusation linked and referred.
    SCREENING.clear()
    SCREENING.update(
        screening_objects(
            supervisor=supervisor, department=accused, case=Case.objects.get(pk=accusation.pk), topic=False
        )
    )
    return World(
        accuser=Petitioner.objects.get(name="钱检举"),
        confidential=Petitioner.objects.get(name="孙保密"),
        ordinary=ordinary,
        accusation=Case.objects.get(pk=accusation.pk),
        secret=Case.objects.get(pk=secret.pk),
        returned=Case.objects.get(pk=returned.pk),
        registering_clerk=clerk,
    )


def text_of(response, tmp_path) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", errors="replace")
    if response.get("Content-Type", "").startswith("application/pdf"):
        return pdf_text(response.content, tmp_path)
    return response.content.decode("utf-8", errors="replace")


def fillings(name: str, pattern, world: World) -> list[dict]:
    """Every way to fill the URL's parameters with the objects of the accusation and the confidential case."""
    cases = [world.accusation, world.secret]
    notices = list(
        Escalation.objects.filter(case__in=cases).exclude(notice_number="").values_list("notice_number", flat=True)
    )
    pks = [
        *(case.pk for case in cases),
        *Attachment.objects.filter(case__in=cases).values_list("pk", flat=True),
        *CaseLog.objects.filter(case__in=cases).values_list("pk", flat=True)[:3],
        *Notification.objects.filter(case__in=[*cases, world.returned]).values_list("pk", flat=True)[:5],
        *Report.objects.values_list("pk", flat=True),
        # The accused department's supervision matter (the notice opened it) and its document.
        *Matter.objects.filter(case__in=cases).values_list("pk", flat=True),
        *SupervisionDocument.objects.filter(case__in=cases).values_list("pk", flat=True),
        *CasePart.objects.filter(case__in=cases).values_list("pk", flat=True),
    ]
    candidates = {
        ("number", "recordnumber"): [*(case.number for case in cases), *notices],
        ("number", "string"): [*(case.number for case in cases), *notices],  # the API's /api/v1/cases/{number}
        ("kind", "slug"): list(DocumentKind.values),
        ("kind", "string"): list(DocumentKind.values),
        ("code", "string"): [case.tracking_code for case in cases],
        ("table", "slug"): list(TABLES),
        ("action", "string"): list(ACTIONS_BY_NAME),
        ("pk", "int"): pks,
        **{(key, "int"): values or [0] for key, values in SCREENING.items()},
    }
    options: list[dict] = [{}]
    for key, kind in url_parameters(pattern).items():
        values = candidates.get((key, kind))
        assert values, f"The identity walk does not know what to put in <{kind}:{key}> of {name}: add it above."
        options = [{**option, key: value} for option in options for value in values]
    return options


VIEWERS = ["other_clerk", "accused_handler", "accused_head", "unrelated_handler", "unrelated_head", "anonymous"]


def viewer_client(viewer: str, world: World) -> tuple[Client, bool, str | None]:
    """A client logged in as `viewer`, whether that viewer may open the accusation at all, and the API
    token of the integration with the viewer's reach."""
    accused = world.accusation.department
    elsewhere = Department.objects.get(code="JYJ")
    users = {
        "other_clerk": lambda: UserFactory(roles=[Role.CLERK]),
        "accused_handler": lambda: UserFactory(roles=[Role.HANDLER], department=accused),
        "accused_head": lambda: UserFactory(roles=[Role.DEPARTMENT_HEAD], department=accused),
        "unrelated_handler": lambda: UserFactory(roles=[Role.HANDLER], department=elsewhere),
        "unrelated_head": lambda: elsewhere.members.get(groups__name=Role.DEPARTMENT_HEAD),
    }
    client = Client()
    user = users[viewer]() if viewer in users else None
    if user is not None:
        client.force_login(user)
    return client, viewer in {"accused_handler", "accused_head"}, api_token_for(user)


@pytest.mark.timeout(900)  # every page, document, fragment and API call as every viewer: the suite's longest walk
def test_no_identity_fragment_or_unseen_summary_reaches_anyone_who_may_not_know(world, tmp_path):
    people = [world.accuser, world.confidential]
    identity = [marker for person in people for marker in identity_markers(person)]
    unseen = [ACCUSATION_SUMMARY, CONFIDENTIAL_SUMMARY, RETURNED_SUMMARY, world.returned.number, "举报人系钱某"]
    searches = [
        {},
        {"q": world.accusation.number},
        {"q": world.accuser.id_number},
        {"q": world.accuser.phone},
        {"q": "丁戊己"},
        {"name": "钱检举"},
        {"name": "孙保"},
        {"person": world.accuser.id_number},
        {"sort": "-received", "page": "1"},
    ]
    swept = 0
    for viewer in VIEWERS:
        client, sees_the_case, token = viewer_client(viewer, world)
        for name, pattern in all_url_names():
            if name in NOT_SWEPT or name.startswith("admin:"):
                continue
            params = url_parameters(pattern)
            for kwargs in fillings(name, pattern, world):
                path = reverse(name, kwargs=kwargs)
                for method, payloads in (("get", searches if not params else [{}]), ("post", [{}])):
                    for payload in payloads:
                        data = payload if method == "get" else {"note": "x", "reason": "x", "action": "accept"}
                        if is_api(name):
                            response = api_call(client, method, path, payload, token=token)
                        else:
                            response = getattr(client, method)(path, data)
                        text = text_of(response, tmp_path)
                        echoed = f"{path} {payload}"
                        where = f"{viewer}: {method.upper()} {path} {payload} → {response.status_code}"
                        found = [m for m in identity if m in text and m not in echoed]
                        assert not found, (where, found)
                        if params:  # a page of the accusation must not lead to his ordinary case
                            assert world.ordinary.number not in text, where
                        if not sees_the_case:
                            leaked = [m for m in [*unseen, world.accusation.number] if m in text and m not in echoed]
                            assert not leaked, (where, leaked)
                            if params:
                                assert response.status_code in (302, *REFUSED), where
                        swept += 1
    assert swept > 500
    assert not IdentityAccess.objects.filter(petitioner__in=people).exists()


def test_the_accused_department_sees_the_matter_but_not_the_person(world, tmp_path):
    client, _sees, _token = viewer_client("accused_handler", world)
    page = client.get(reverse("case_detail", args=[world.accusation.number]))
    html = page.content.decode()
    assert ACCUSATION_SUMMARY in html  # the department handles the matter
    assert page.context["people"][0].withheld and not page.context["identity_allowed"]
    assert client.post(reverse("case_identity", args=[world.accusation.number])).status_code == 403
    # The signed letter that came with the accusation is withheld; the page says so.
    letter = Attachment.objects.get(case=world.accusation)
    assert "letter.png" not in html and page.context["attachments_withheld"]
    assert client.get(reverse("attachment_download", args=[letter.pk])).status_code == 404
    registration = client.get(reverse("reports:case_document", args=[world.accusation.number, "registration"]))
    assert registration.status_code == 200
    text = pdf_text(registration.content, tmp_path)
    assert ACCUSATION_SUMMARY[:8] in text.replace("\n", "").replace(" ", "")
    assert not [m for m in identity_markers(world.accuser) if m in text]
    # Where D may know him (his ordinary case) it does, and that showing is logged.
    revealed = client.post(reverse("case_identity", args=[world.ordinary.number])).content.decode()
    assert world.accuser.id_number in revealed
    assert IdentityAccess.objects.filter(case=world.ordinary, purpose="reveal").count() == 1


def test_office_staff_still_see_who_accused(world, supervisor, tmp_path):
    client = Client()
    client.force_login(supervisor)
    page = client.get(reverse("case_detail", args=[world.accusation.number]))
    assert mask_name("钱检举") in page.content.decode() and world.ordinary.number in page.content.decode()
    assert "钱检举" in client.post(reverse("case_identity", args=[world.accusation.number])).content.decode()
    pdf = client.get(reverse("reports:case_document", args=[world.accusation.number, "registration"]))
    assert "钱检举" in pdf_text(pdf.content, tmp_path)
    receipt = client.get(reverse("case_receipt", args=[world.accusation.number]))
    assert "钱检举" in receipt.content.decode()
    purposes = sorted(IdentityAccess.objects.filter(case=world.accusation).values_list("purpose", "detail"))
    assert purposes == [("document", "registration"), ("receipt", ""), ("reveal", "")]


def test_a_returned_case_leaves_no_trace_in_the_inbox_of_the_department_it_left(world, client):
    head = Department.objects.get(code="JYJ").members.get(groups__name=Role.DEPARTMENT_HEAD)
    assert Notification.objects.filter(recipient=head, case=world.returned, kind="case_routed").exists()
    client.force_login(head)
    html = client.get(reverse("inbox")).content.decode()
    assert world.returned.number not in html
    assert "no longer yours" in html or "不再" in html or "已不在" in html


def test_forged_hidden_fields_at_intake_link_nobody(world, client):
    other_clerk = UserFactory(roles=[Role.CLERK])
    client.force_login(other_clerk)
    accuser = world.accuser
    forged = [
        str(accuser.pk),
        person_offer(user=world.registering_clerk, person_pk=accuser.pk),  # made to another clerk
        person_offer(user=other_clerk, person_pk=accuser.pk) + "x",  # tampered
    ]
    for value in forged:
        response = client.post(
            reverse("case_create"),
            intake_post(**{"person-0-name": "冒名", "person-0-known_person": value}),
        )
        assert response.status_code == 422, value
        text = response.content.decode()
        assert not [m for m in identity_markers(accuser) if m in text], value
    assert accuser.case_links.count() == 2  # his own two cases, no third
    assert not IdentityAccess.objects.filter(user=other_clerk).exclude(purpose="lookup").exists()

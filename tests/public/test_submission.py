"""Online submission (网上信访): through the staff's intake service, once per form, with its limits."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from devdata.factories import petitioner_data, register_case, valid_id_number
from petitions.models import (
    Attachment,
    Case,
    CaseLog,
    CasePetitioner,
    Category,
    Channel,
    NoticeEvent,
    Petitioner,
    PetitionerNotice,
    Region,
)
from public.models import SubmissionToken
from public.registrar import ONLINE_USERNAME, ensure_online_registrar
from tests.samples import PDF, PNG

pytestmark = pytest.mark.django_db
SUBMIT = "/public/submit/"
DONE = "/public/submit/done/"


@pytest.fixture(autouse=True)
def _limits_start_afresh():
    """The per-address counts live in the cache (Redis in the full stack); every test starts at zero."""
    cache.clear()
    yield
    cache.clear()


def fresh_form(client) -> dict:
    """The hidden values of a newly issued form (the token)."""
    html = client.get(SUBMIT).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    return {
        "token": token,
        "co-TOTAL_FORMS": "4",
        "co-INITIAL_FORMS": "0",
        "co-MIN_NUM_FORMS": "0",
        "co-MAX_NUM_FORMS": "4",
    }


def filled(client, **overrides) -> dict:
    category = Category.objects.filter(parent__isnull=False, is_active=True).order_by("code").first()
    region = Region.objects.order_by("code").last()
    data = {
        **fresh_form(client),
        "name": "王小明",
        "id_number": valid_id_number(),
        "phone": "13912345678",
        "address": "东华街道幸福路12号",
        "email": "wang@example.cn",
        "purpose": "request",
        "legal_type": "claim",
        "category": str(category.pk),
        "region": str(region.pk),
        "complained_unit": "某区住建局",
        "summary": "小区外墙脱落，多次反映无人处理。",
        "request": "请尽快维修外墙。",
        "facts": "2026年5月起外墙砖多次脱落。",
        "headcount": "1",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def test_a_submission_is_registered_through_intake_as_online_by_the_online_registrar(client):
    data = filled(client)
    response = client.post(SUBMIT, data)
    assert response.status_code == 302 and response["Location"] == DONE
    case = Case.objects.get()
    assert case.channel == Channel.ONLINE
    assert case.registered_by.username == ONLINE_USERNAME
    assert case.number.startswith("XF") and case.accept_due is not None  # numbered, first deadline set
    assert case.summary == data["summary"] and case.complained_unit == "某区住建局"
    recorded = case.case_petitioners.get()
    assert (recorded.name, recorded.phone, recorded.email) == ("王小明", "13912345678", "wang@example.cn")
    assert recorded.petitioner.id_number == data["id_number"]
    assert CaseLog.objects.filter(case=case, action=CaseLog.Action.REGISTER, actor__username=ONLINE_USERNAME).exists()
    assert SubmissionToken.objects.get().case == case


@pytest.mark.parametrize(
    ("language", "subject"), [("zh-hans", "你的信访事项已登记"), ("en", "Your petition is registered")]
)
def test_the_notices_to_an_online_petitioner_are_in_the_language_they_submitted_in(client, language, subject):
    client.post(reverse("set_language"), {"language": language, "next": SUBMIT})
    client.post(SUBMIT, filled(client))
    case = Case.objects.get()
    assert case.submission_language == language
    notices = list(PetitionerNotice.objects.filter(case=case, event=NoticeEvent.REGISTERED))
    assert {notice.channel for notice in notices} == {"email", "sms"}
    assert all(notice.language == language for notice in notices)
    assert subject in next(notice.subject for notice in notices if notice.channel == "email")


def test_the_online_registrar_is_given_back_its_one_permission_or_made_again_when_missing(client):
    online = ensure_online_registrar()
    online.user_permissions.clear()  # as an admin might, by mistake
    assert client.post(SUBMIT, filled(client)).status_code == 302
    assert get_user_model().objects.get(username=ONLINE_USERNAME).has_perm("petitions.register_case")
    assert Case.objects.get().registered_by_id == online.pk


def test_the_online_registrar_cannot_sign_in(client):
    client.post(SUBMIT, filled(client))
    online = get_user_model().objects.get(username=ONLINE_USERNAME)
    assert not online.has_usable_password() and not online.groups.exists()
    for password in ("", "online", "!"):
        client.post(reverse("login"), {"username": ONLINE_USERNAME, "password": password})
        assert "_auth_user_id" not in client.session


def test_the_acknowledgement_shows_number_and_code_once_and_only_what_was_typed(client):
    data = filled(client)
    response = client.post(SUBMIT, data, follow=True)
    case = Case.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert case.number in html and case.tracking_code in html and "王小明" in html
    assert data["id_number"] not in html and "13912345678" not in html  # not even what was typed
    assert response["Cache-Control"] == "private, no-store"
    again = client.get(DONE)
    assert again.status_code == 302 and again["Location"] == SUBMIT
    assert case.tracking_code not in client.get(SUBMIT).content.decode()


def test_the_acknowledgement_is_not_at_any_other_address(client):
    client.post(SUBMIT, filled(client))
    case = Case.objects.get()
    other = client.__class__()
    assert other.get(DONE).status_code == 302
    for path in (f"{DONE}?number={case.number}", f"/public/submit/{case.number}/", f"/public/submit/done/{case.pk}/"):
        response = other.get(path)
        assert case.tracking_code not in response.content.decode()


def test_a_petitioner_on_record_is_linked_by_id_number_and_the_record_is_kept(client, clerk):
    earlier = register_case(clerk=clerk, petitioners=[petitioner_data(name="李四", phone="13800001111")])
    person = earlier.case_petitioners.get().petitioner
    data = filled(client, id_number=person.id_number, name="李小四", phone="13999998888", address="新地址1号")
    assert client.post(SUBMIT, data).status_code == 302
    case = Case.objects.exclude(pk=earlier.pk).get()
    assert case.case_petitioners.get().petitioner == person  # linked, never blocked
    assert case.is_repeat and case.repeat_of == earlier
    person.refresh_from_db()
    assert (person.name, person.phone) == ("李四", "13800001111")  # the record is unchanged
    recorded = case.case_petitioners.get()
    assert (recorded.name, recorded.phone) == ("李小四", "13999998888")  # the case keeps what was typed
    html = client.get(DONE).content.decode()
    assert "李四<" not in html and "13800001111" not in html and earlier.number not in html


def test_a_phone_on_record_links_no_one(client, clerk):
    earlier = register_case(clerk=clerk, petitioners=[petitioner_data(phone="13912345678")])
    client.post(SUBMIT, filled(client, phone="13912345678"))
    case = Case.objects.exclude(pk=earlier.pk).get()
    assert case.case_petitioners.get().petitioner != earlier.case_petitioners.get().petitioner
    assert not case.is_repeat


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "110101199003071234", "最后一位"),
        ("id_number", "12345", "18"),
        ("id_number", "", "身份证"),
        ("name", "", "必填"),
        ("phone", "12", "手机"),
        ("summary", "", "必填"),
        ("consent", "", "您的信息如何使用"),
        ("category", "999999999", "选择"),
        ("category", "99999999999999999999999", "选择"),
        ("category", "-1", "选择"),
    ],
)
def test_bad_input_gives_a_translated_error_and_makes_nothing(client, field, value, message):
    with translation.override("zh-hans"):
        response = client.post(SUBMIT, filled(client, **{field: value}))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Case.objects.exists() and not Petitioner.objects.exists() and not SubmissionToken.objects.exists()


def test_co_petitioners_of_a_collective_matter_are_recorded_as_representatives(client):
    data = filled(client, headcount="8", **{"co-0-name": "赵一", "co-0-phone": "13700000001", "co-1-name": "钱二"})
    assert client.post(SUBMIT, data).status_code == 302
    case = Case.objects.get()
    assert case.headcount == 8 and case.is_collective
    assert list(case.case_petitioners.order_by("position").values_list("name", "role")) == [
        ("王小明", CasePetitioner.Role.PRIMARY),
        ("赵一", CasePetitioner.Role.REPRESENTATIVE),
        ("钱二", CasePetitioner.Role.REPRESENTATIVE),
    ]


def test_confidentiality_asked_online_is_recorded(client):
    client.post(SUBMIT, filled(client, confidential="on"))
    assert Case.objects.get().case_petitioners.get().petitioner.confidential


def test_attachments_are_checked_as_staff_uploads_are(client):
    good = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    assert client.post(SUBMIT, {**filled(client), "attachments": [good]}).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.case.channel == Channel.ONLINE and attachment.extension == "pdf"
    disguised = SimpleUploadedFile("photo.pdf", PNG, content_type="application/pdf")
    script = SimpleUploadedFile("run.pdf", b"#!/bin/sh\nrm -rf /\n", content_type="application/pdf")
    for bad, words in ((disguised, "photo.pdf"), (script, "run.pdf")):
        with translation.override("zh-hans"):
            response = client.post(SUBMIT, {**filled(client), "attachments": [bad]})
        assert response.status_code == 422 and words in response.content.decode()
    assert Case.objects.count() == 1 and Attachment.objects.count() == 1


def test_a_form_sent_twice_makes_one_case_and_shows_the_same_acknowledgement(client):
    data = filled(client)
    first = client.post(SUBMIT, data, follow=True).content.decode()
    second = client.post(SUBMIT, data, follow=True).content.decode()
    case = Case.objects.get()
    assert case.tracking_code in first and case.tracking_code in second
    assert SubmissionToken.objects.count() == 1


def test_a_refused_form_can_be_corrected_and_sent_with_the_same_token(client):
    data = filled(client, summary="")
    assert client.post(SUBMIT, data).status_code == 422
    assert client.post(SUBMIT, {**data, "summary": "补上概况"}).status_code == 302
    assert Case.objects.get().summary == "补上概况"


def test_a_token_we_did_not_issue_registers_nothing(client):
    with translation.override("zh-hans"):
        response = client.post(SUBMIT, filled(client, token="made-up"))
    assert response.status_code == 422 and "过期" in response.content.decode()
    assert not Case.objects.exists()


def test_the_honeypot_field_filled_registers_nothing(client):
    response = client.post(SUBMIT, filled(client, website="http://spam.example"))
    assert response.status_code == 422
    assert not Case.objects.exists()


@override_settings(PUBLIC_SUBMIT_RATE="3/h")
def test_submissions_past_the_limit_per_address_get_429(client):
    for _n in range(3):
        assert client.post(SUBMIT, filled(client)).status_code == 302
    with translation.override("zh-hans"):
        response = client.post(SUBMIT, filled(client))
    assert response.status_code == 429 and "请求过多" in response.content.decode()
    assert Case.objects.count() == 3
    other = client.post(SUBMIT, filled(client), REMOTE_ADDR="10.0.0.9")  # another address is not counted
    assert other.status_code == 302


@override_settings(PUBLIC_UPLOAD_RATE="2/h")
def test_files_past_the_upload_limit_per_address_get_429(client):
    def pdf(name):
        return SimpleUploadedFile(name, PDF, content_type="application/pdf")

    assert client.post(SUBMIT, {**filled(client), "attachments": [pdf("a.pdf"), pdf("b.pdf")]}).status_code == 302
    assert client.post(SUBMIT, {**filled(client), "attachments": [pdf("c.pdf")]}).status_code == 429
    assert Case.objects.count() == 1


@override_settings(PUBLIC_MAX_REQUEST_BYTES=10_000)
def test_a_request_past_the_size_limit_is_refused_unread(client):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 20_000, content_type="application/pdf")
    response = client.post(SUBMIT, {**filled(client), "attachments": [big]})
    assert response.status_code == 413
    assert not Case.objects.exists()


@override_settings(PUBLIC_CAPTCHA=True)
def test_with_the_captcha_on_the_sum_must_be_typed(client):
    data = filled(client)
    picture = client.get(reverse("public:captcha"))
    assert picture.status_code == 200 and picture["Content-Type"] == "image/svg+xml"
    a, b = client.session["public.captcha"]
    assert client.post(SUBMIT, {**data, "captcha": str(a + b + 1)}).status_code == 422
    assert not Case.objects.exists()
    a, b = client.session["public.captcha"]  # a new challenge with the form shown again
    assert client.post(SUBMIT, {**data, "captcha": str(a + b)}).status_code == 302
    assert Case.objects.count() == 1
    # The same form again: the same case, whatever the (used) challenge.
    assert client.post(SUBMIT, {**data, "captcha": "0"}).status_code == 302
    assert Case.objects.count() == 1


def test_with_the_captcha_off_there_is_none(client):
    assert 'name="captcha"' not in client.get(SUBMIT).content.decode()
    assert client.get(reverse("public:captcha")).status_code == 404
    assert client.post(SUBMIT, filled(client)).status_code == 302


def test_the_category_list_is_grouped_by_top_category(client):
    html = client.get(SUBMIT).content.decode()
    top = Category.objects.filter(parent=None, children__isnull=False).order_by("code").first()
    assert f'<optgroup label="{top.name}">' in html


def test_the_clerks_list_shows_an_online_case_as_such(client, clerk, supervisor):
    client.post(SUBMIT, filled(client))
    case = Case.objects.get()
    client.force_login(supervisor)
    with translation.override("zh-hans"):
        html = client.get(reverse("case_queue"), {"channel": "online"}).content.decode()
    row = re.search(rf"<tr>(?:(?!</tr>).)*{case.number}(?:(?!</tr>).)*</tr>", html, re.S).group(0)
    assert 'class="flag flag-online"' in row and "网上" in row
    other = register_case(clerk=clerk)
    assert other.number not in html  # filtered by channel online


def test_clerks_see_what_came_in_online_in_their_list_marked_as_such(client, clerk):
    client.post(SUBMIT, filled(client))
    online = Case.objects.get()
    own = register_case(clerk=clerk)
    someone_elses = register_case()
    client.force_login(clerk)
    with translation.override("zh-hans"):
        html = client.get(reverse("case_registered")).content.decode()
    assert online.number in html and own.number in html
    assert someone_elses.number not in html
    row = re.search(rf"<tr>(?:(?!</tr>).)*{online.number}(?:(?!</tr>).)*</tr>", html, re.S).group(0)
    assert 'class="flag flag-online"' in row
    assert client.get(reverse("case_detail", args=[online.number])).status_code == 200


def test_a_collective_matter_submitted_online_alerts_supervisors_and_leaders_as_intake_does(client, supervisor, leader):
    from petitions.models import Notification

    data = filled(client, headcount="30", **{"co-0-name": "赵一"})
    assert client.post(SUBMIT, data).status_code == 302
    case = Case.objects.get()
    alerted = set(Notification.objects.filter(case=case, kind="collective_visit").values_list("recipient", flat=True))
    assert {supervisor.pk, leader.pk} <= alerted


def test_a_submission_costs_a_fixed_few_statements(client, django_assert_num_queries):
    """Each statement is a round trip under load (bench/public_submit.py): the registrar kept in the
    cache (none), intake's own (tests/petitions/test_intake.py), the token with the case, the
    acknowledgement written to the session — here with the savepoints of the test's transaction (4);
    the tasks' hand-over after the commit (one more) does not run in it. The session is read from the
    cache, the category and the region from the kept reference rows."""
    ensure_online_registrar()  # made here when a flush removed it: a new user renews the reference lists
    assert client.post(SUBMIT, filled(client)).status_code == 302  # the kept copies loaded, the session made
    client.get(DONE)
    data = filled(client)
    with django_assert_num_queries(14):
        assert client.post(SUBMIT, data).status_code == 302


def test_the_kept_registrar_follows_a_change_to_it_at_once(client):
    online = ensure_online_registrar()
    assert client.post(SUBMIT, filled(client)).status_code == 302  # the registrar kept
    online.is_active = False  # an administrator stops online intake
    online.save()
    refused = client.post(SUBMIT, filled(client))
    assert refused.status_code == 422 and Case.objects.count() == 1  # refused, nothing registered
    online.is_active = True
    online.save()
    online.user_permissions.clear()  # its permission taken away: given back on the next submission
    assert client.post(SUBMIT, filled(client)).status_code == 302
    assert Case.objects.count() == 2 and online.has_perm("petitions.register_case")


def test_a_category_made_inactive_or_a_region_added_counts_at_once(client):
    category, other = Category.objects.filter(parent__isnull=False, is_active=True).order_by("code")[:2]
    assert client.post(SUBMIT, filled(client, category=str(category.pk))).status_code == 302  # the rows kept
    category.is_active = False
    category.save()
    assert client.post(SUBMIT, filled(client, category=str(category.pk))).status_code == 422
    region = Region.objects.create(
        code="990199", name="新设园区", parent=Region.objects.order_by("code").first(), level=Region.Level.COUNTY
    )
    assert client.post(SUBMIT, filled(client, category=str(other.pk), region=str(region.pk))).status_code == 302
    assert Case.objects.filter(region=region, category=other).exists()

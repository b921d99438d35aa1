"""The public pages: the office's texts as administrators edit them, the published reception days."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from devdata.factories import reception_session
from petitions.clocks.deadlines import Statutes
from petitions.models import DeadlineRule
from petitions.models.choices import Clock
from public.models import PublicText
from public.navigation import PUBLIC_NAV

pytestmark = pytest.mark.django_db


def test_every_public_page_is_in_the_header_and_answers_without_a_login(client):
    names = [name for name, _label in PUBLIC_NAV]
    assert {
        "public:home",
        "public:submit",
        "public:channels",
        "public:schedule",
        "public:scope",
        "public:steps",
    } <= set(names)
    html = client.get("/public/").content.decode()
    for path in ("/public/submit/", "/public/channels/", "/public/reception-days/", "/public/scope/", "/public/steps/"):
        assert f'href="{path}"' in html
        assert client.get(path).status_code == 200
    assert 'href="/public/track/"' in html  # the follow-up page, linked by its path


def test_the_steps_give_the_day_counts_of_the_rules_in_force(client):
    assert "15日内决定是否受理" in client.get("/public/steps/").content.decode()
    DeadlineRule.objects.update_or_create(clock=Clock.ACCEPT, defaults={"days": 10, "working_days": False})
    Statutes.changed()
    html = client.get("/public/steps/").content.decode()
    assert "10日内决定是否受理" in html and "{accept_days}" not in html


def test_an_administrators_text_is_shown_in_the_language_chosen(client):
    PublicText.objects.update_or_create(
        key="not_accepted",
        defaults={
            "title_zh": "不受理",
            "title_en": "Not ours",
            "body_zh": "- 涉法涉诉事项请向法院反映。",
            "body_en": "- Court matters go to the courts.",
        },
    )
    assert "涉法涉诉事项请向法院反映。" in client.get("/public/scope/").content.decode()
    english = Client()
    english.cookies["django_language"] = "en"
    html = english.get("/public/scope/").content.decode()
    assert "Court matters go to the courts." in html and "Not ours" in html


def test_a_missing_text_reads_as_its_default(client):
    PublicText.objects.filter(key="channels").delete()
    assert "网上信访" in client.get("/public/channels/").content.decode()


def test_the_schedule_shows_upcoming_reception_days_with_no_staff_data(client, leader):
    today = timezone.localdate()
    coming = reception_session(leader=leader, on=today + timedelta(days=3), place="市信访局三楼接待室")
    coming.topic = "征地拆迁"
    coming.save()
    past = reception_session(leader=leader, on=today - timedelta(days=3), place="旧会议室")
    html = client.get("/public/reception-days/").content.decode()
    assert "市信访局三楼接待室" in html and "征地拆迁" in html and leader.full_name in html
    assert past.place not in html
    assert leader.username not in html and leader.email not in html

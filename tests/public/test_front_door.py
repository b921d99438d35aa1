"""The front door at /: the public site for anyone not signed in, the staff's start page for staff."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_visitor_gets_the_public_home_with_a_staff_login_link_and_no_staff_navigation(client):
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "public/home.html"
    assert "工作人员登录" in html and f'href="{reverse("login")}"' in html
    assert 'class="mainnav"' not in html and reverse("case_queue") not in html
    assert response["Cache-Control"] == "private, no-store"


def test_signed_in_staff_get_their_own_start_page_at_the_same_address(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.templates[0].name == "petitions/home.html"
    assert 'class="mainnav"' in response.content.decode()

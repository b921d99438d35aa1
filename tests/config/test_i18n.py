import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from devdata.factories import DEMO_PASSWORD

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# What other packages show and do not translate themselves; makemessages leaves it alone.
VENDOR_PO = Path(settings.BASE_DIR) / "locale-vendor" / "zh_Hans" / "LC_MESSAGES" / "django.po"


@pytest.mark.django_db
def test_chinese_by_default_even_for_an_english_browser(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登记" in html and "退出" in html


@pytest.mark.django_db
def test_switching_to_english(client, clerk):
    client.force_login(clerk)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert "Log out" in html and "Register" in html


def test_login_page_switches_language_without_login(client):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert "Password" in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize("catalogue", [PO, VENDOR_PO], ids=["ours", "vendor"])
def test_every_message_is_translated_and_none_is_fuzzy(catalogue):
    text = catalogue.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first block is the header
    untranslated = [
        e
        for e in entries
        if re.search(r'^msgstr(\[0\])? ""\n?$', e.strip() + "\n", re.M)
        and not re.search(r'^"', e.split("msgstr", 1)[1], re.M)
    ]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert not untranslated, untranslated[:5]
    assert not fuzzy, fuzzy[:5]


@pytest.mark.parametrize("catalogue", [PO, VENDOR_PO], ids=["ours", "vendor"])
def test_catalogue_compiles_with_matching_placeholders(catalogue):
    msgfmt = subprocess.run(["which", "msgfmt"], capture_output=True, text=True)
    if msgfmt.returncode != 0:
        pytest.skip("gettext's msgfmt is not installed")
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(catalogue)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def admin_index_labels(client, language: str) -> dict[str, str]:
    """The app and model names the admin index shows, by app label and model."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    labels = {}
    for app in response.context["app_list"]:
        labels[app["app_label"]] = str(app["name"])
        labels.update({f"{app['app_label']}.{model['object_name']}": str(model["name"]) for model in app["models"]})
    return labels


def column_headers(client, language: str, path: str) -> list[str]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(path).content.decode()
    return [
        re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', html, re.S)
    ]


@pytest.mark.django_db
def test_the_admin_index_names_every_app_and_model_in_chinese(client, admin_user):
    client.force_login(admin_user)
    english, chinese = admin_index_labels(client, "en"), admin_index_labels(client, "zh-hans")
    assert chinese.keys() == english.keys() and "axes" in chinese
    untranslated = {
        key: label for key, label in chinese.items() if label == english[key] or re.search("[A-Za-z]", label)
    }
    assert not untranslated
    page = client.get(reverse("admin:index")).content.decode()
    assert all(label in page for label in chinese.values())


@pytest.mark.django_db
def test_the_admin_lists_head_their_columns_in_chinese(client, admin_user):
    from django.contrib import admin

    # Failed logins and a good one, so that the login throttle's lists have rows (and so columns).
    client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    client.post(reverse("login"), {"username": admin_user.username, "password": "wrong"})
    client.post(reverse("login"), {"username": admin_user.username, "password": DEMO_PASSWORD})
    untranslated, checked = [], 0
    for model in admin.site._registry:
        path = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        headers = column_headers(client, "zh-hans", path)
        assert headers or not model._default_manager.exists(), path
        checked += bool(headers)
        pairs = zip(headers, column_headers(client, "en", path), strict=True)
        untranslated += [(path, zh) for zh, en in pairs if zh == en and re.search("[A-Za-z]{2}", zh)]
    assert not untranslated
    assert checked >= len(admin.site._registry) - 2  # the lists that have rows: all but two or so


def test_a_department_has_a_name_and_a_person_has_a_name_in_chinese_too():
    """English says "name" for both; Chinese says 名称 of a thing and 姓名 of a person."""
    from django.utils import translation

    from petitions.models import Category, Department, Petitioner, Region

    with translation.override("zh-hans"):
        assert {str(m._meta.get_field("name").verbose_name) for m in (Department, Category, Region)} == {"名称"}
        assert str(Petitioner._meta.get_field("name").verbose_name) == "姓名"

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


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


def test_every_message_is_translated_and_none_is_fuzzy():
    text = PO.read_text(encoding="utf-8")
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


def test_catalogue_compiles_with_matching_placeholders():
    msgfmt = subprocess.run(["which", "msgfmt"], capture_output=True, text=True)
    if msgfmt.returncode != 0:
        pytest.skip("gettext's msgfmt is not installed")
    result = subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", str(PO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

"""`manage.py check --deploy` with production settings: only what README.md tells deployers about."""

import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def run_check(**env_overrides) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 64 + "a-long-random-production-secret",
        "DJANGO_ALLOWED_HOSTS": "petitions.example.gov.cn",
        "EMAIL_URL": "smtp+tls://mailer:secret@mail.example.gov.cn:587",
        "PETITION_DESK_VAR_DIR": "/tmp/petition-desk-deploy-check",
        **env_overrides,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_deploy_check_reports_only_what_the_readme_explains():
    result = run_check()
    warnings = set(re.findall(r"\((security\.W\d+)\)", result.stdout + result.stderr))
    readme = (ROOT / "README.md").read_text()
    for warning in warnings:
        assert warning in readme, f"{warning} is reported but README.md does not tell deployers about it"
    assert warnings <= {"security.W021"}, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check(DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_ALLOWED_HOSTS": "x",
            "EMAIL_URL": "consolemail://",
        },
    )
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr

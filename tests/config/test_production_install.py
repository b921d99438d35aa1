"""Production runs without the development data and its tools: every module of the portal imports,
its URLs resolve and its checks pass with devdata, factory-boy, Faker and time-machine absent."""

import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DEV_ONLY = ("devdata", "factory", "faker", "time_machine")

IMPORT_EVERYTHING = f"""
import importlib, importlib.abc, pkgutil, sys

class DevOnly(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {DEV_ONLY!r}:
            raise ModuleNotFoundError(f"{{name}} is not installed in production")
        return None

sys.meta_path.insert(0, DevOnly())
import django
django.setup()
from django.conf import settings
assert "devdata" not in settings.INSTALLED_APPS, settings.INSTALLED_APPS
imported = 0
for package in ("config", "petitions", "escalation", "reports", "information"):
    module = importlib.import_module(package)
    for info in pkgutil.walk_packages(module.__path__, package + "."):
        if info.name.startswith("config.settings.") and info.name != "config.settings.production":
            continue  # the other settings modules are for other deployments
        importlib.import_module(info.name)
        imported += 1
from django.urls import get_resolver
get_resolver().url_patterns
from django.core.management import call_command
call_command("check")
print("imported", imported)
"""


def test_every_production_module_imports_without_the_dev_packages():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 64,
        "DJANGO_ALLOWED_HOSTS": "petitions.example.gov.cn",
        "EMAIL_URL": "consolemail://",
        "PETITION_DESK_VAR_DIR": "/tmp/petition-desk-production-imports",
    }
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert int(result.stdout.split("imported")[-1]) > 80


def test_the_dev_packages_are_not_production_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    production = " ".join(project["dependencies"]).lower()
    for package in ("factory-boy", "faker", "time-machine", "pytest"):
        assert package not in production
        assert any(dep.lower().startswith(package) for dep in project["optional-dependencies"]["dev"])
    assert "devdata*" not in (ROOT / "pyproject.toml").read_text()
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {"devdata", "tests", "bench"} <= set(ignored)

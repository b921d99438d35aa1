"""Integrations with tokens, and a client that calls the API with one."""

import json
from dataclasses import dataclass

import pytest
from django.test import Client

from integrations.models import Integration
from integrations.services import integration_save, token_issue


@dataclass
class Caller:
    """An integration and a client sending its token."""

    integration: Integration
    token: str
    client: Client

    def headers(self, **extra) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}", **extra}

    def get(self, path: str, data=None, **extra):
        return self.client.get(path, data, **self.headers(**extra))

    def post(self, path: str, body: dict, **extra):
        return self.client.post(path, json.dumps(body), content_type="application/json", **self.headers(**extra))


def make_caller(*scopes: str, department=None, name: str | None = None, rate_limit: str = "6000/m") -> Caller:
    integration = Integration(
        name=name or f"system {'-'.join(scopes)} {department.code if department else 'office'}",
        scopes=list(scopes),
        department=department,
        rate_limit=rate_limit,
    )
    integration.full_clean(exclude=["user"])
    integration_save(integration=integration)
    issued = token_issue(integration=integration, actor=None)
    return Caller(integration, issued.plaintext, Client())


@pytest.fixture
def caller(db):
    """make_caller, for tests: caller("intake", "read_office") or caller("read_department", department=…)."""
    return make_caller


def intake_body(**overrides) -> dict:
    from petitions.models import Category, Region

    category = Category.objects.filter(parent__isnull=False).order_by("code").first()
    region = Region.objects.filter(level__gte=Region.Level.COUNTY).order_by("code").first()
    body = {
        "channel": "phone",
        "purpose": "request",
        "legal_type": "claim",
        "category": category.code,
        "region": region.code,
        "summary": "小区楼道灯长期损坏无人维修",
        "request": "请求尽快维修楼道照明",
        "facts": "自今年三月起楼道灯损坏，多次向物业反映无果。",
        "petitioners": [{"name": "张三", "phone": "13800138000", "id_number": ""}],
        "external_reference": "",
    }
    body.update(overrides)
    return body

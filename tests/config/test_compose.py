"""docker-compose.yml is the production shape; no Docker engine here, so it is checked by parsing."""

from pathlib import Path

import yaml
from django.conf import settings

COMPOSE = yaml.safe_load((Path(settings.BASE_DIR) / "docker-compose.yml").read_text())


def test_services_of_the_production_shape():
    assert {"postgres", "redis", "web", "worker", "beat", "migrate"} <= set(COMPOSE["services"])


def test_every_long_running_service_has_a_healthcheck():
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert COMPOSE["services"][name]["healthcheck"]["test"], name


def test_app_services_wait_for_healthy_dependencies():
    services = COMPOSE["services"]
    for name in ("web", "worker"):
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert services["beat"]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert services["beat"]["depends_on"]["postgres"]["condition"] == "service_healthy"  # the task outbox
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_commands_and_settings():
    services = COMPOSE["services"]
    assert services["web"]["command"][0] == "gunicorn"
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    for name in ("web", "worker", "beat", "migrate"):
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["REDIS_URL"].startswith("redis://redis:")
        assert ":?" in environment["DJANGO_SECRET_KEY"], "the secret has no default"


def test_volumes_keep_database_media_and_broker():
    assert {"pgdata", "media", "redisdata"} <= set(COMPOSE["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in COMPOSE["services"]["postgres"]["volumes"]
    for name in ("web", "worker"):
        assert "media:/data/media" in COMPOSE["services"][name]["volumes"]


def test_the_web_port_trusts_one_proxy_and_only_the_host_reaches_it():
    """With TRUSTED_PROXY_COUNT=1 a client that reached gunicorn directly could choose its own
    X-Forwarded-For: the port is published on the host's loopback, for the proxy on the host."""
    app = COMPOSE["services"]["web"]
    assert "${TRUSTED_PROXY_COUNT:-1}" in str(app["environment"]["TRUSTED_PROXY_COUNT"])
    assert app["ports"] == ["127.0.0.1:8000:8000"]
    assert not [service for name, service in COMPOSE["services"].items() if name != "web" and service.get("ports")]

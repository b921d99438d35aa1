"""Tests: the real database and broker named by DATABASE_URL and REDIS_URL when set.

Without them the suite runs on SQLite and the filesystem broker, and the tests that need
PostgreSQL or Redis say so and skip (CI sets both and fails on any skip).
"""

import uuid

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR, env

DEBUG = False
# The factories, demo data and benchmark volume the tests use (devdata): never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "devdata"]  # noqa: F405
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
# Fast hashing: the suite creates many users. The production hasher is checked by its own test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Mail stays in memory; a worker process a test starts writes it to files in the folder it is given.
EMAIL_FILE_PATH = env.str("TEST_EMAIL_FILE_PATH", default="")
EMAIL_BACKEND = f"django.core.mail.backends.{'filebased' if EMAIL_FILE_PATH else 'locmem'}.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
# Each test run has a queue of its own: a worker started by the tests takes only this run's tasks.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default=f"test-{uuid.uuid4().hex[:10]}")

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so that a worker process started by a test sees the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_petition_desk")}
# SMS to petitioners land in files; a test (or a worker it starts) names its own folder.
SMS_BACKEND = env.str("SMS_BACKEND", default="file")
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default=str(VAR_DIR / "test-sms"))

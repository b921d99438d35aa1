"""The bare-Django baseline of bench/compare.py: one app, one table, no sessions, no auth, no cache.

What Django itself costs on this machine for the pages Petition Desk serves: the figures our pages
are compared with, in the same run, under the same gunicorn settings.
"""

import os

import environ

SECRET_KEY = "bench-bare-only-not-secret"  # noqa: S105 - a local benchmark, never deployed
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bare.urls"
WSGI_APPLICATION = "bare.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = ["bare"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]
DATABASES = {"default": environ.Env().db_url_config(os.environ["BARE_DATABASE_URL"])}
# As Petition Desk's: persistent connections, no JIT.
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["OPTIONS"] = {"options": "-c jit=off"}
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
USE_I18N = False

"""Settings shared by every environment.

Every value a deployer may change comes from the environment (django-environ); README.md lists them.
local.py, production.py and test.py only change what differs.
"""

from datetime import date, timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.cache import redis_caches

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(environ.Env().str("PETITION_DESK_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

# --- Core ---------------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "petitions.User"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "django_htmx",
    "config.apps.LoginThrottleConfig",  # django-axes, with a translated name
    "petitions",
    "escalation",
    "reports",
    "information",
    "public",
    "ninja",  # its swagger-ui assets, served as our own static files (no CDN)
    "integrations",
    "webhooks",
    "supervision",
    "screening",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, so that static files carry the policy too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "petitions.web.middleware.OfficeLanguageMiddleware",
    # /api/ only: Accept-Language, and the call log row of each call.
    "integrations.api.calllog.ApiRequestMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view hook reads the body (the CSRF check reads the form).
    "public.middleware.PublicRequestSizeLimit",
    "petitions.web.middleware.Utf8RequestMiddleware",
    "petitions.web.middleware.SessionActivityMiddleware",
    # Every page needs a login unless its view is marked @login_not_required (login, /healthz).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it sees the authenticated user and the final response.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "petitions.web.context_processors.portal",
                "information.returns.context_processors.special_periods",
            ],
        },
    },
]

FORM_RENDERER = "petitions.web.forms.PortalFormRenderer"

# --- Database -----------------------------------------------------------------------------------
# Embedded default: SQLite in var/. Set DATABASE_URL=postgres://... for PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # web, worker and beat share one file: wait for the write lock instead of failing, take it at
    # the start of a transaction (no upgrade deadlocks), and let readers run beside one writer.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # SQLite makes the file, not its folder: a fresh clone has no var/ yet.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # models.W040: SQLite ignores an index's INCLUDE columns. They only let PostgreSQL answer the queue's
    # category and region filters from the index alone (Case "case_category_region"); on SQLite the
    # index serves by its key columns, as intended. Silenced here, on SQLite, and nowhere else.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT: our queries are short, and PostgreSQL's cost estimate for a list page that stops after
    # 50 rows can start a compilation that takes ten times longer than the query (measured: 460 ms).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

# --- Cache --------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # An outage of Redis makes every read a miss and every write a no-op (config/cache.py).
    CACHES = redis_caches(REDIS_URL)
else:
    # Shared by the web, worker and beat processes of the embedded default.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# The public site's limits per address (django-ratelimit, counted in the default cache). When the cache
# cannot be reached, a request is let through: a petitioner is not turned away by an outage.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True
# Online submissions (POSTs of the form, valid or not) and attached files per address, as
# django-ratelimit rates ("<count>/<s|m|h|d>").
PUBLIC_SUBMIT_RATE = env.str("PUBLIC_SUBMIT_RATE", default="10/h")
PUBLIC_UPLOAD_RATE = env.str("PUBLIC_UPLOAD_RATE", default="30/h")
# Files one submission may bring (each checked as staff uploads are: ATTACHMENT_MAX_BYTES, _ALLOWED_TYPES).
PUBLIC_MAX_ATTACHMENTS = env.int("PUBLIC_MAX_ATTACHMENTS", default=5)
# The largest POST the public site reads at all (a 413 page beyond it): the form and its files.
PUBLIC_MAX_REQUEST_BYTES = env.int("PUBLIC_MAX_REQUEST_BYTES", default=50 * 1024 * 1024)
# A picture of a sum to type on the submission form (drawn by us, no third party).
PUBLIC_CAPTCHA = env.bool("PUBLIC_CAPTCHA", default=False)

# --- Authentication -----------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with the signed-in user kept in the cache (petitions.caching).
    "petitions.web.auth.CachedModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions are read from the cache and written to the database and the cache (Django's cached_db; the
# keys renewed after a cache outage): a page reads its session without a query.
SESSION_ENGINE = "petitions.web.sessions"
# Sessions end after SESSION_IDLE_TIMEOUT seconds without a request, and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
# Renewed by petitions.web.middleware.SessionActivityMiddleware at most once a minute, not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Failed logins are throttled per (account, address) pair: a whole office behind one NAT address
# must not be locked out by one person, and one account must not be guessed from one address.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "petitions.web.views.accounts.locked_out"
# Reverse proxies in front of the portal that each append the address they saw to X-Forwarded-For.
# 0: the header is the client's own claim and is ignored. The throttle's address comes from
# petitions.web.views.accounts.client_address, not from ipware: ipware counts the proxies named in the
# header (one fewer than the trusted hops) and answers no address at all when a client adds entries.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, not {TRUSTED_PROXY_COUNT}")
AXES_CLIENT_IP_CALLABLE = "petitions.web.views.accounts.client_address"

# --- Content Security Policy (django-csp) --------------------------------------------------------
# Everything comes from the portal itself; no inline script or event handler anywhere (behaviour is in
# static/js/app.js). Styles are as strict: no style="" attributes and no <style> element without the
# response's nonce (only the report preview has one: its print CSS is drawn per report). Inline styles
# are not harmless, injected CSS can read attribute values out through selectors, and nothing of ours
# needs them: htmx is told not to add its indicator <style> (the meta tag in base.html; app.css
# has the rules). Django's admin (5.2) has no inline script, handler or style either: no exception.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Ours first; then what other packages show and do not translate themselves (see locale-vendor/).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-vendor"]
USE_I18N = True
USE_TZ = True
# The office's time zone: days, deadlines and report periods are counted in it.
TIME_ZONE = env.str("OFFICE_TIME_ZONE", default="Asia/Shanghai")

# --- Static and media files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Media (scanned letters, reports) are never served as files: no URL maps MEDIA_URL, and the
# download views check who may see each file. (Django's test live server needs a value.)
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Mail ---------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="petition-desk@localhost")
# A mail server that does not answer holds a sending task (and the notice it claimed) this long at most.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Notices to petitioners (petitions.services.petitioner_notices): e-mail goes by the mail settings
# above; SMS by SMS_BACKEND ("file": one JSON line per message in SMS_FILE_PATH; "console": standard
# output; "http": POST JSON to SMS_GATEWAY_URL with SMS_GATEWAY_KEY; or the dotted path of a class).
SMS_BACKEND = env.str("SMS_BACKEND", default="file")
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default=str(VAR_DIR / "sms"))
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_KEY = env.str("SMS_GATEWAY_KEY", default="")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=10.0)
# A message that fails is tried again after PETITIONER_NOTICE_RETRY_SECONDS, then twice that, and so
# on, PETITIONER_NOTICE_ATTEMPTS times in all; then it stays "failed", shown in the admin.
PETITIONER_NOTICE_ATTEMPTS = env.int("PETITIONER_NOTICE_ATTEMPTS", default=6)
PETITIONER_NOTICE_RETRY_SECONDS = env.float("PETITIONER_NOTICE_RETRY_SECONDS", default=60.0)

# --- Celery -------------------------------------------------------------------------------------
# With REDIS_URL: Redis is broker and result store. Without it: kombu's filesystem transport in
# var/broker, which needs no server and serves the embedded single-machine default.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # An unacknowledged task returns to the queue after this many seconds; longer than any task.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
else:
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_RESULT_BACKEND = None
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="petition-desk")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Beat records each due run in the task outbox: a run due while the broker is away is not lost.
CELERY_BEAT_SCHEDULER = "petitions.beat:OutboxScheduler"
# The overdue sweep's period. Each run finds the work left by the last one, so a missed run costs
# nothing but delay; a queued tick older than one period is dropped instead of piling up.
ESCALATION_SWEEP_SECONDS = env.int("ESCALATION_SWEEP_SECONDS", default=5 * 60)
# Cases claimed and escalated per transaction by the sweep.
ESCALATION_BATCH_SIZE = env.int("ESCALATION_BATCH_SIZE", default=1000)
# How often Celery beat has the relay hand over the tasks left in the outbox (petitions.services.task_queue).
TASK_RELAY_SECONDS = env.int("TASK_RELAY_SECONDS", default=60)
# Every periodic task is declared here, in one place. Crontabs are in the office's time zone.
# Webhooks (webhooks.services): an attempt waits this long for the receiver; a failed one is tried again
# after 1, 2, 4 … times WEBHOOK_RETRY_SECONDS (each wait at most WEBHOOK_RETRY_MAX_WAIT_SECONDS), until
# WEBHOOK_RETRY_FOR_SECONDS after the event. Beat hands over missed attempts every WEBHOOK_SWEEP_SECONDS.
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_RETRY_SECONDS = env.float("WEBHOOK_RETRY_SECONDS", default=30.0)
WEBHOOK_RETRY_MAX_WAIT_SECONDS = env.float("WEBHOOK_RETRY_MAX_WAIT_SECONDS", default=60 * 60.0)
WEBHOOK_RETRY_FOR_SECONDS = env.int("WEBHOOK_RETRY_FOR_SECONDS", default=3 * 24 * 60 * 60)
WEBHOOK_SWEEP_SECONDS = env.int("WEBHOOK_SWEEP_SECONDS", default=60)
WEBHOOK_SWEEP_GRACE_SECONDS = env.float("WEBHOOK_SWEEP_GRACE_SECONDS", default=30.0)
CELERY_BEAT_SCHEDULE: dict = {
    "webhooks-deliver-due": {
        # Webhook attempts that were due and did not run (a worker or the broker was away).
        "task": "webhooks.tasks.deliver_due",
        "schedule": WEBHOOK_SWEEP_SECONDS,
        "options": {"expires": WEBHOOK_SWEEP_SECONDS},
    },
    "escalation-sweep": {
        "task": "escalation.tasks.sweep",
        "schedule": ESCALATION_SWEEP_SECONDS,
        "options": {"expires": ESCALATION_SWEEP_SECONDS},
    },
    "supervision-sweep": {
        # 催办通知书 and 通报 after the ladder's deadlines, and the chase of supervision replies: their
        # dates are days, so on the hour is soon enough.
        "task": "supervision.tasks.sweep",
        "schedule": crontab(minute=0),
        "options": {"expires": 60 * 60},
    },
    "escalation-auto-close": {
        "task": "escalation.tasks.auto_close",
        "schedule": crontab(minute=17),
        "options": {"expires": 60 * 60},
    },
    "petitions-recompute-deadlines": {
        # Catches a calendar change whose own recomputation was lost, and a new calendar package.
        "task": "petitions.tasks.recompute_deadlines",
        "schedule": crontab(hour=2, minute=40),
        "options": {"expires": 6 * 60 * 60},
    },
    "petitions-task-relay": {
        # Hands over the tasks whose hand-over after their commit failed (the broker was away).
        "task": "petitions.tasks.relay_task_outbox",
        "schedule": TASK_RELAY_SECONDS,
        "options": {"expires": TASK_RELAY_SECONDS},
    },
    "information-returns-chase": {
        # Units' returns owed: the escalation ladder's reminder before and notices after their due date.
        "task": "information.tasks.chase_returns",
        "schedule": crontab(minute=23),
        "options": {"expires": 60 * 60},
    },
    "screening-chase": {
        # Register entries' resolution deadlines and joint meetings' decisions (screening.chase).
        "task": "screening.tasks.chase",
        "schedule": crontab(minute=23),
        "options": {"expires": 60 * 60},
    },
    "weekly-reports": {
        # Monday 06:00: last Monday-to-Sunday's report for the office and for each department.
        "task": "reports.tasks.make_weekly_reports",
        "schedule": crontab(minute=0, hour=6, day_of_week="mon"),
    },
}

# --- The office ---------------------------------------------------------------------------------
# From this day of the year (MM-DD) admins and supervisors are warned when next year's official rest
# days are not in the calendar yet (the State Council publishes them in November or December).
CALENDAR_WARN_FROM = env.str("CALENDAR_WARN_FROM", default="11-01")
try:
    date.fromisoformat(f"2000-{CALENDAR_WARN_FROM}")
except ValueError as error:
    raise ImproperlyConfigured(f"CALENDAR_WARN_FROM must be MM-DD, not {CALENDAR_WARN_FROM!r}") from error
# Intake refuses a case received before this day (YYYY-MM-DD, not before 2000-01-01); empty: 1 January
# of the previous year (petitions.clocks.date_windows).
_earliest_received = env.str("INTAKE_EARLIEST_RECEIVED", default="")
try:
    INTAKE_EARLIEST_RECEIVED = date.fromisoformat(_earliest_received) if _earliest_received else None
except ValueError as error:
    raise ImproperlyConfigured(
        f"INTAKE_EARLIEST_RECEIVED must be a date (YYYY-MM-DD), not {_earliest_received!r}"
    ) from error
# Shown in the header and on printouts; empty means the translated "Letters and Visits Office".
OFFICE_NAME = env.str("OFFICE_NAME", default="")
# The repeat look-up at intake shows who is on record for an ID number or phone: at most this many
# people per clerk in this many minutes (each one is a logged identity access).
REPEAT_LOOKUP_LIMIT = env.int("REPEAT_LOOKUP_LIMIT", default=60)
REPEAT_LOOKUP_WINDOW_MINUTES = env.int("REPEAT_LOOKUP_WINDOW_MINUTES", default=10)
# Attachments: the largest accepted file and the accepted kinds (by content, not by file name).
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
ATTACHMENT_ALLOWED_TYPES = env.list(
    "ATTACHMENT_ALLOWED_TYPES", default=["pdf", "jpg", "png", "tif", "webp", "docx", "xlsx"]
)

# /healthz tells what the portal runs on (database, broker, workers) only to signed-in staff and to a
# monitor that sends this token in the X-Healthz-Token header; empty: to staff only.
HEALTHZ_TOKEN = env.str("HEALTHZ_TOKEN", default="")

# Adds a Server-Timing header (time in Django, SQL time, number of queries) to every response;
# bench/ reads it. Off unless asked for.
SERVER_TIMING = env.bool("SERVER_TIMING", default=False)
if SERVER_TIMING:
    MIDDLEWARE.insert(0, "petitions.web.middleware.ServerTimingMiddleware")

# --- Logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # weasyprint and fontTools narrate every PDF step at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("axes", "weasyprint", "fontTools")},
}

# The portal's address as users reach it, for links in e-mails.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

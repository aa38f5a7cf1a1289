"""Alongside's settings, read from the environment.

It runs with no configuration at all: SQLite in ./data, email printed to the console,
DEBUG off. Set DATABASE_URL to use PostgreSQL; see README.md for the rest.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from alongside.lib import maptiles, secretkey

BASE_DIR = Path(__file__).resolve().parent.parent
# Templates and static files live inside the package, so an installed wheel carries them.
PACKAGE_DIR = Path(__file__).resolve().parent


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(os.getenv(name, default))


def envsecret(name: str, default: str = "") -> str:
    # Secrets can come from a file (Docker and systemd credentials) as well as a variable.
    path = os.getenv(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.getenv(name, default)


DEBUG = envbool("DEBUG", "False")
DATA_DIR = secretkey.data_dir()
(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)
# Given, or made once into DATA_DIR/secret_key and read from there ever after: never a
# default in the source (alongside/lib/secretkey.py; `check --deploy` refuses a known one).
# A given key that turns out empty (an empty SECRET_KEY_FILE) stops Django rather than
# quietly becoming a key of this server's own that the workers do not share.
SECRET_KEY = (
    envsecret("SECRET_KEY")
    if secretkey.given()
    else secretkey.read_or_create(secretkey.key_file(DATA_DIR))
)
if not SECRET_KEY:
    raise ImproperlyConfigured(f"SECRET_KEY_FILE {os.getenv('SECRET_KEY_FILE')} is empty")
ALLOWED_HOSTS = os.getenv("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
SITE_ROOT = os.getenv("SITE_ROOT", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.getenv("SITE_NAME", "Alongside")
# Where this site's source code is, linked from every page's footer: the AGPL asks a network
# service to offer its users the source. A site running changed code points it at its own.
SOURCE_URL = os.getenv("SOURCE_URL", "https://github.com/alongside-surgeries/alongside")
# Bounces and spam complaints reach /anymail/<provider>/tracking/ (README: email delivery),
# with this "user:password" as HTTP basic auth. Unset, those addresses do not exist: the
# webhooks would otherwise take reports from anyone.
ANYMAIL = {"WEBHOOK_SECRET": envsecret("ANYMAIL_WEBHOOK_SECRET")}
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "Alongside <hello@alongside.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [a for a in os.getenv("ADMINS", "").split(",") if a]

INSTALLED_APPS = [
    # First, so its createsuperuser (no password: sign-in by emailed code) replaces Django's.
    "alongside.accounts",
    # The admin without its password form: staff sign in like everyone else.
    "alongside.accounts.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks_db",
    "alongside.surgeries",
    "alongside.bookings",
    "alongside.helprecords",
    "alongside.impact",
    "alongside.network",
    "alongside.interest",
    "alongside.guidance",
    "alongside.organisations",
    "alongside.campaigns",
    "alongside.groups",
    "alongside.webhooks",
    "alongside.outbox",
    "alongside.privacy",
    "alongside.demo",
    "alongside.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "alongside.lib.middleware.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware and CSP middleware, doing less per request (lib/middleware.py).
    "alongside.lib.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "alongside.lib.middleware.CachedPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "alongside.lib.middleware.SessionTimeoutMiddleware",
    "alongside.lib.middleware.StaffSecondFactorMiddleware",
]

# One form takes a file (a campaign chapter's payment export, under 900 KB); the longest
# other form (a guidance sheet) is far below this.
MAX_REQUEST_BYTES = envint("MAX_REQUEST_BYTES", str(1024 * 1024))
DATA_UPLOAD_MAX_NUMBER_FILES = 1
# The pages that take that file; a file sent to any other is refused before it is read.
FILE_UPLOAD_PATHS = [r"^/campaigns/[^/]+/[^/]+/money/import/$"]
FILE_UPLOAD_HANDLERS = [
    "alongside.lib.uploads.OnlyWhereTaken",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# benchmarks/pages.py mounts its floor view with ROOT_URLCONF=benchmarks.floor.
ROOT_URLCONF = os.getenv("ROOT_URLCONF", "alongside.urls")
WSGI_APPLICATION = "alongside.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": [
                "alongside.lib.times",
                "alongside.lib.frame",
                "alongside.lib.inputs",
                "alongside.lib.keptforms",
                "alongside.lib.urltag",
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alongside.lib.context_processors.site",
                "alongside.lib.context_processors.languages",
                "alongside.lib.context_processors.staff",
                "alongside.lib.context_processors.map_tiles",
            ],
        },
    }
]
# Plain inputs, selects and text areas written without their templates (lib/inputs.py).
FORM_RENDERER = "alongside.lib.inputs.Renderer"

# --- Database -------------------------------------------------------------------------------
# Any: SQLite's NAME is a Path here, which Django takes and the stubs' str does not allow.
DATABASES: dict[str, Any]
if os.getenv("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=envint("CONN_MAX_AGE", "60")
        )
    }
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The hottest queries (lib/prepared.py) are prepared on a kept connection: PostgreSQL
    # plans each once and keeps the plan, rather than planning it each time. psycopg
    # prepares only what it binds on the server. A pooler in transaction mode that cannot
    # keep prepared statements (PgBouncer before 1.21) needs DATABASE_PREPARED_STATEMENTS=0.
    if envbool("DATABASE_PREPARED_STATEMENTS", "True"):
        DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "alongside.sqlite3",
            # Opening the file (and its three PRAGMAs) for every request was four fifths of
            # the cheapest page's time (docs/scaling.md): each web process keeps its own.
            "CONN_MAX_AGE": envint("CONN_MAX_AGE", "60"),
            # IMMEDIATE takes the write lock when a transaction starts, so concurrent bookings
            # queue behind each other (for up to `timeout` seconds) instead of failing with
            # "database is locked" when a read transaction tries to upgrade to a write.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                ),
            },
            # A file, not shared-cache memory: shared-cache SQLite uses table locks that ignore
            # the busy timeout, which breaks the concurrency tests. One file per test run.
            "TEST": {"NAME": DATA_DIR / f"test-{os.getpid()}.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: rate limits (sign-in codes, public forms) count here --------------------------
# Shared by every web worker, so a limit counts across them all. The database needs no
# extra server; REDIS_URL moves it to Redis or Valkey when there are several web servers.
CACHES: dict[str, dict[str, Any]]
if REDIS_URL := os.getenv("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pages",
        },
        "template_fragments": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "fragments",
        },
        "sessions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sessions",
        },
        # Rate limits' counts (alongside/lib/counting.py).
        "counts": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "counts",
        },
        # Where `{% cache %}` keeps nothing, with PAGE_CACHE_SECONDS=0 (lib/pagecache.py).
        "nothing_kept": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
elif os.getenv("CACHE_BACKEND") == "locmem":  # the tests: each starts with nothing counted
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
        "template_fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fragments",
        },
        "sessions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "sessions",
        },
        "counts": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "counts",
        },
        # Where `{% cache %}` keeps nothing, with PAGE_CACHE_SECONDS=0 (lib/pagecache.py).
        "nothing_kept": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "alongside_cache",
        },
        # Its own table, so pages pushed out when it is full never take rate limits with them.
        "pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "alongside_pages",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        # Parts of signed-in pages kept by `{% cache %}` until their data changes: the same
        # table as the pages, so they never push out rate limits either.
        "template_fragments": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "alongside_pages",
            "KEY_PREFIX": "fragments",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        # Signed-in sessions, read on every request of someone signed in: its own table, so
        # neither pages nor rate limits push them out. One pushed out is read from the
        # sessions table again (cached_db, below).
        "sessions": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "alongside_sessions",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        },
        # Rate limits' counts: a table of their own where one more is a single upsert, with
        # no cull to push them out (alongside/lib/counting.py).
        "counts": {
            "BACKEND": "alongside.lib.counting.CountingDatabaseCache",
            "LOCATION": "alongside_counts",
        },
        # Where `{% cache %}` keeps nothing, with PAGE_CACHE_SECONDS=0 (lib/pagecache.py).
        "nothing_kept": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
# The API's rate limits: requests a minute per token, and per address without one.
API_RATE_PER_TOKEN = envint("API_RATE_PER_TOKEN", "60")
API_RATE_PER_IP = envint("API_RATE_PER_IP", "120")

# Public pages are kept for visitors who are not signed in until their data changes, and
# never longer than this (alongside/lib/pagecache.py); 0 turns the page cache off.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", "300")

# --- Background tasks and email -------------------------------------------------------------
# The queue is a database table by default: nothing else to run, and any number of
# `alongside worker`s share it (rows are claimed with SKIP LOCKED on PostgreSQL).
# TASKS_BACKEND=redis moves it to Redis or Valkey (django-tasks-redis), at TASKS_REDIS_URL
# or else REDIS_URL; `alongside worker` then runs that backend's worker (docs/scaling.md).
REDIS_TASKS_BACKEND = "django_tasks_redis.RedisTaskBackend"
TASKS_BACKEND = os.getenv("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
if TASKS_BACKEND == "redis":
    TASKS_BACKEND = REDIS_TASKS_BACKEND
TASKS: dict[str, dict[str, Any]] = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": ["default"]}}
if TASKS_BACKEND == REDIS_TASKS_BACKEND:
    INSTALLED_APPS.append("django_tasks_redis")  # its worker command and admin pages
    TASKS["default"]["OPTIONS"] = {
        "REDIS_URL": os.getenv("TASKS_REDIS_URL") or REDIS_URL or "redis://127.0.0.1:6379/0",
        "REDIS_KEY_PREFIX": "alongside_tasks",
        # A task running longer than this is taken for a dead worker's and run again, so
        # it is far longer than our slowest task (counting the whole network's figures,
        # tens of seconds); the same 30 minutes the database queue's sweep waits.
        "REDIS_CLAIM_TIMEOUT": 1800,
        # Finished tasks are kept a week for the admin, then Redis forgets them.
        "REDIS_COMPLETED_TASK_TTL": 7 * 24 * 3600,
    }
# Run once a day by alongside.outbox.daily (started by `alongside worker`): add a job here.
DAILY_JOBS = [
    "alongside.surgeries.repeats.top_up_all_series",
    "alongside.surgeries.dormancy.ask_dormant_surgeries",
    "alongside.impact.snapshots.forget_unread_snapshots",
    # After the log is pruned, which moves every surgery's count: the directory's topics.
    "alongside.helprecords.topics.bring_up_to_date",
    "alongside.lib.counting.forget_expired",
    "alongside.privacy.services.retention_job",
    "alongside.outbox.daily.prune_finished_tasks",
    "alongside.organisations.tasks.tell_overdue_reports",
    "alongside.campaigns.money.discard_old_drafts",
    "alongside.groups.checkup_services.queue_rechecks",
    "alongside.groups.room.send_due_introductions",
    "alongside.webhooks.sending.forget_old_deliveries",
    "alongside.webhooks.sending.requeue_lost",
]
# The website check-up's fetcher (alongside/lib/fetcher.py). Loopback is for tests' own
# servers only; the CA file lets tests trust their own certificate authority.
FETCHER_ALLOW_LOOPBACK = False
FETCHER_CA_FILE = os.getenv("FETCHER_CA_FILE", "")
# Seconds between two requests to one website.
FETCHER_HOST_INTERVAL = 1.0
# People whose last activity is older than this many months are anonymised (docs/retention.md).
RETAIN_MONTHS = envint("RETAIN_MONTHS", "24")
# `alongside backup` keeps this many in DATA_DIR/backups (README: backups and retention).
BACKUP_KEEP = envint("BACKUP_KEEP", "14")

if os.getenv("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": envint("EMAIL_PORT", "587"),
                "username": os.getenv("EMAIL_HOST_USER", ""),
                "password": envsecret("EMAIL_HOST_PASSWORD"),
                "use_tls": envbool("EMAIL_USE_TLS", "True"),
                "timeout": 10,
            },
        }
    }
else:
    # Printed as people would read them: whole links, no quoted-printable (outbox/console.py).
    MAILERS = {"default": {"BACKEND": "alongside.outbox.console.ReadableEmailBackend"}}

# --- Accounts: email sign-in by code, no passwords -----------------------------------------
AUTHENTICATION_BACKENDS = [
    "alongside.accounts.backends.PeopleBackend",
    "alongside.accounts.backends.SignInBackend",
    # What they stand in for: a session names the backend it began with, and one begun
    # before these were added is still that person's until it runs out.
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_ADAPTER = "alongside.organisations.signin.AccountAdapter"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
# Sign-in codes: long enough for a slow email to arrive, single use (allauth deletes the
# code once used), and three wrong tries end it. Requests for a code are limited per IP
# address and per email address, so nobody can flood someone's inbox with codes.
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "request_login_code": "20/h/ip,3/5m/key,10/d/key",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "confirm_email": "1/10s/key,10/h/ip",
}
# Network admins sign in with a second factor: an authenticator app (TOTP), a passkey or
# security key (WebAuthn, needs HTTPS or localhost), and recovery codes for a lost phone.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = SITE_NAME
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Staff act as network admins only in a session that used the second factor
# (alongside.lib.staff); before that they are ordinary people, and any /network/ or /admin/
# page sends them to set one up or use it (alongside.lib.middleware). Tests turn this off
# except where they test it.
STAFF_SECOND_FACTOR_REQUIRED = envbool("STAFF_SECOND_FACTOR_REQUIRED", "True")
# Signed-in sessions end after a spell without activity and after a fixed time whatever
# happens. Organisers keep a page open through an evening's surgery and come back the next
# morning, so 12 hours idle; two weeks at most, then a fresh code. Network admins can see
# everyone's details and approve surgeries: 2 hours idle, 1 day at most. 0 turns a limit off.
SESSION_IDLE_TIMEOUT = envint("SESSION_IDLE_TIMEOUT", str(12 * 3600))
SESSION_ABSOLUTE_TIMEOUT = envint("SESSION_ABSOLUTE_TIMEOUT", str(14 * 24 * 3600))
STAFF_SESSION_IDLE_TIMEOUT = envint("STAFF_SESSION_IDLE_TIMEOUT", str(2 * 3600))
STAFF_SESSION_ABSOLUTE_TIMEOUT = envint("STAFF_SESSION_ABSOLUTE_TIMEOUT", str(24 * 3600))
SESSION_COOKIE_AGE = 14 * 24 * 3600
# Each signed-in request reads its session: from the cache, in one plain query, rather than
# through the ORM (0.5 ms a request here). Written to both; signing out deletes both.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
# Public forms: a form sent back sooner than this after it was shown is from a robot
# (alongside.lib.antispam), and per-IP and per-email limits. Tests relax both.
ANTISPAM_MIN_SECONDS = envint("ANTISPAM_MIN_SECONDS", "3")
ANTISPAM_RATE_LIMITS = envbool("ANTISPAM_RATE_LIMITS", "True")
LOGIN_REDIRECT_URL = "organise"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.getenv("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
# The demo runs with DEBUG off (friendly error pages) and without collectstatic: whitenoise
# serves the files from where they are, as it does under DEBUG.
WHITENOISE_USE_FINDERS = DEBUG or envbool("STATIC_FROM_SOURCE", "False")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("STATIC_MANIFEST", "False")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- The directory map ----------------------------------------------------------------------
# Where the map's pictures come from, as a Leaflet URL template; "" turns the map off (the
# list beside it says everything the map does). The CSP allows exactly this host for images.
MAP_TILES_URL = os.getenv("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = os.getenv(
    "MAP_TILES_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
_tile_origin = maptiles.tile_origin(MAP_TILES_URL)
if MAP_TILES_URL and not _tile_origin:
    raise ImproperlyConfigured("MAP_TILES_URL must be a web address (https://…), or empty: no map.")

# --- Security -------------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # The map's tiles, from the one server MAP_TILES_URL names.
    "img-src": [CSP.SELF, "data:", *([_tile_origin] if _tile_origin else [])],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: forms carry the token.
CSRF_COOKIE_HTTPONLY = True
_https = SITE_ROOT.startswith("https://")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(_https))
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000" if _https else "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
# Asking to be on the browsers' preload list is a promise that is slow to take back (every
# subdomain, HTTPS only, for months): the site's owner opts in, it never follows from https.
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "False")
# Django's deploy check warns whenever preload is off: here off is the deliberate default.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if envbool("USE_X_FORWARDED_PROTO", "False"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind a load balancer every request comes from its address: the number of proxies that
# add to X-Forwarded-For, so rate limits count each visitor, not the balancer.
ALLAUTH_TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")
CSRF_TRUSTED_ORIGINS = [SITE_ROOT] if _https else []

# One line per event on stderr: time, level, logger, message. The worker logs each task's
# start and finish (django.tasks: task id and path, never arguments or addresses); request
# lines drop query strings, which can carry tokens. `alongside serve` logs requests the
# same way through gunicorn's access log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "{asctime} {levelname} {name} {message}", "style": "{"},
    },
    "filters": {
        "no_query": {"()": "alongside.lib.logs.DropQueryString"},
        "task_once": {"()": "alongside.lib.logs.TaskOnce"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["no_query"],
        }
    },
    "loggers": {"django.tasks": {"filters": ["task_once"]}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
}

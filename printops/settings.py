"""PrintOps settings: one module, every value from the environment with a safe default.

Every variable read here is listed, with its default, in `.env.example`.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


TESTING = "pytest" in sys.modules or env_bool("PRINTOPS_TESTING")

if TESTING and not env("PRINTOPS_DATA_DIR"):
    # Tests never touch ./data: each test process gets a throw-away data dir.
    import tempfile

    DATA_DIR = Path(tempfile.mkdtemp(prefix="printops-test-"))
else:
    DATA_DIR = Path(env("PRINTOPS_DATA_DIR", "./data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The SECRET_KEY env var, else a random key generated once and kept in the data dir."""
    if env("SECRET_KEY"):
        return env("SECRET_KEY")
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("PRINTOPS_SITE_URL", "").rstrip("/")

# Behind a TLS-terminating reverse proxy (docs/operations.md).
PRINTOPS_BEHIND_PROXY = env_bool("PRINTOPS_BEHIND_PROXY", False)
# How many proxies of yours stand in front (each appends to X-Forwarded-For): the client's
# address is the entry this many from the right; the entries left of it are what the client
# sent, so never trusted. 0 ignores the header.
PRINTOPS_TRUSTED_PROXY_COUNT = int(
    env("PRINTOPS_TRUSTED_PROXY_COUNT", "1" if PRINTOPS_BEHIND_PROXY else "0")
)
if PRINTOPS_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("PRINTOPS_SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("PRINTOPS_SECURE_COOKIES", not DEBUG and bool(SECURE_SSL_REDIRECT))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(env("PRINTOPS_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("PRINTOPS_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    # Serves the API docs' Swagger UI from our static files, not a CDN (the CSP allows only
    # our own script).
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "printops.core",
    "printops.accounts",
    "printops.library",
    "printops.materials",
    "printops.production",
    # Pages that combine the apps above (the dashboard); above every domain app.
    "printops.front",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "printops.core.middleware.MethodNotAllowedMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "printops.accounts.middleware.WorkspaceMiddleware",
    # After authentication: it asks whether the response is a signed-in member's page.
    "printops.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "printops.urls"
WSGI_APPLICATION = "printops.wsgi.application"
ASGI_APPLICATION = "printops.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "printops.accounts.context_processors.workspace",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite by default: WAL lets readers run beside one writer; busy_timeout waits for the writer
# instead of failing at once; IMMEDIATE takes the write lock at BEGIN, so two writers queue up
# rather than deadlock when both upgrade from a read lock. Our backend queues writers on a lock
# before BEGIN (printops/core/sqlite_backend), so a waiting writer wakes when the previous one
# commits instead of napping in SQLite's busy handler.
# Connections persist (CONN_MAX_AGE) on both engines: opening SQLite (and its PRAGMAs, and
# refilling its page cache) was ~40 % of a one-spool GET; the health check replaces a dead one.
DB_CONN_MAX_AGE = int(env("PRINTOPS_DB_CONN_MAX_AGE", "600"))
SQLITE_TIMEOUT_SECONDS = float(env("PRINTOPS_SQLITE_TIMEOUT_SECONDS", "20"))
SQLITE_WRITE_LOCK_SECONDS = float(env("PRINTOPS_SQLITE_WRITE_LOCK_SECONDS", "20"))
DATABASE_URL = env("DATABASE_URL")
# Any: dj_database_url's TypedDict knows neither our backend's WRITE_LOCK_SECONDS nor a Path NAME.
DATABASES: dict[str, Any]
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "printops.core.sqlite_backend",
            "NAME": DATA_DIR / "printops.sqlite3",
            "CONN_MAX_AGE": DB_CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
            # How long a writer waits for the write lock before leaving it to SQLite (0: no lock).
            "WRITE_LOCK_SECONDS": SQLITE_WRITE_LOCK_SECONDS,
            # Tests use an in-memory database, as for Django's own engine name (pytest-django
            # recognises only that name and would otherwise derive a file path per xdist worker).
            "TEST": {"NAME": ":memory:"},
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": SQLITE_TIMEOUT_SECONDS,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    f"PRAGMA busy_timeout={int(SQLITE_TIMEOUT_SECONDS * 1000)};"
                    "PRAGMA foreign_keys=ON;"
                    # 64 MB page cache and memory-mapped reads: a search over 10 000 designs
                    # reads ~2 MB of index pages; the 2 MB default cache evicted them between
                    # queries.
                    "PRAGMA cache_size=-65536;"
                    "PRAGMA mmap_size=268435456;"
                    "PRAGMA temp_store=MEMORY;"
                    # The log is reused after each checkpoint; past 64 MB (a burst of imports)
                    # it is cut back rather than kept at its largest.
                    "PRAGMA journal_size_limit=67108864;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["printops.accounts.backends.EmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests hash hundreds of passwords.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "front:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3
# Failed sign-ins allowed per e-mail address (and per client address) in the window.
PRINTOPS_LOGIN_MAX_FAILURES = int(env("PRINTOPS_LOGIN_MAX_FAILURES", "5"))
PRINTOPS_LOGIN_WINDOW_SECONDS = int(env("PRINTOPS_LOGIN_WINDOW_SECONDS", "900"))
# Password-reset e-mails asked for per e-mail address and per client address in the window.
PRINTOPS_PASSWORD_RESET_MAX_PER_EMAIL = int(env("PRINTOPS_PASSWORD_RESET_MAX_PER_EMAIL", "3"))
PRINTOPS_PASSWORD_RESET_MAX_PER_ADDRESS = int(env("PRINTOPS_PASSWORD_RESET_MAX_PER_ADDRESS", "10"))
PRINTOPS_PASSWORD_RESET_WINDOW_SECONDS = int(env("PRINTOPS_PASSWORD_RESET_WINDOW_SECONDS", "3600"))
PRINTOPS_INVITATION_DAYS = int(env("PRINTOPS_INVITATION_DAYS", "7"))
PRINTOPS_SIGNUP_OPEN = env_bool("PRINTOPS_SIGNUP_OPEN", True)

# --- Storage --------------------------------------------------------------------------------
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
S3_BUCKET = env("PRINTOPS_S3_BUCKET")
if S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("PRINTOPS_S3_ENDPOINT_URL") or None,
            "region_name": env("PRINTOPS_S3_REGION") or None,
            "access_key": env("PRINTOPS_S3_ACCESS_KEY_ID") or None,
            "secret_key": env("PRINTOPS_S3_SECRET_ACCESS_KEY") or None,
            "location": env("PRINTOPS_S3_PREFIX", ""),
            "signature_version": "s3v4",
            "addressing_style": env("PRINTOPS_S3_ADDRESSING_STYLE", "path"),
            "querystring_auth": True,
            "querystring_expire": int(env("PRINTOPS_S3_URL_SECONDS", "300")),
            "file_overwrite": False,
            "default_acl": None,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
    }


def _storage_origins() -> list[str]:
    """Where browsers fetch blobs from when they are served by signed URL (for the CSP)."""
    if not S3_BUCKET:
        return []
    if env("PRINTOPS_S3_ENDPOINT_URL"):
        parts = urlsplit(env("PRINTOPS_S3_ENDPOINT_URL"))
        return [f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://*.{parts.netloc}"]
    region = env("PRINTOPS_S3_REGION")
    host = f"s3.{region}.amazonaws.com" if region else "s3.amazonaws.com"
    return [f"https://{host}", f"https://{S3_BUCKET}.{host}"]


# Origins pages may load images from and connect to besides their own (Content-Security-Policy).
PRINTOPS_CSP_EXTRA_ORIGINS = env_list("PRINTOPS_CSP_EXTRA_ORIGINS") or _storage_origins()
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
WHITENOISE_USE_FINDERS = True
# Django spools uploads over 2.5 MB to a temporary file; under the data dir (not /tmp) so what a
# killed server leaves is found and swept at start-up and daily (core/housekeeping.py).
FILE_UPLOAD_TEMP_DIR = Path(env("PRINTOPS_UPLOAD_TMP_DIR") or DATA_DIR / "tmp" / "uploads")
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)
# Resumable uploads with no new piece for this long are discarded with their pieces.
PRINTOPS_CHUNKED_UPLOAD_EXPIRY_HOURS = int(env("PRINTOPS_CHUNKED_UPLOAD_EXPIRY_HOURS", "24"))
PRINTOPS_MAX_UPLOAD_BYTES = int(env("PRINTOPS_MAX_UPLOAD_BYTES", str(500 * 1024 * 1024)))
# Files larger than this go up in resumable pieces of this size (must stay under the form limit).
PRINTOPS_UPLOAD_CHUNK_BYTES = int(env("PRINTOPS_UPLOAD_CHUNK_BYTES", str(4 * 1024 * 1024)))
# Imports of zipped folders: refuse archives beyond these (zip bombs, absurd member counts).
PRINTOPS_IMPORT_MAX_MEMBERS = int(env("PRINTOPS_IMPORT_MAX_MEMBERS", "20000"))
PRINTOPS_IMPORT_MAX_BYTES = int(env("PRINTOPS_IMPORT_MAX_BYTES", str(5 * 1024**3)))
PRINTOPS_IMPORT_MAX_RATIO = int(env("PRINTOPS_IMPORT_MAX_RATIO", "200"))
PRINTOPS_IMPORT_WORKERS = int(env("PRINTOPS_IMPORT_WORKERS", "4"))
PRINTOPS_IMPORT_TMP_DIR = env("PRINTOPS_IMPORT_TMP_DIR")  # where zips unpack; default: system temp
DATA_UPLOAD_MAX_MEMORY_SIZE = int(env("PRINTOPS_MAX_FORM_BYTES", str(5 * 1024 * 1024)))

# --- Background tasks ------------------------------------------------------------------------
# PRINTOPS_WORKER: "inprocess" (serve starts a worker beside the web server), "external"
# (run `printops worker` yourself), or "immediate" (run tasks inline; tests).
PRINTOPS_WORKER = env("PRINTOPS_WORKER", "immediate" if TESTING else "inprocess")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if PRINTOPS_WORKER == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "PrintOps <printops@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Locale ---------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Dates as "3 Dec 2026, 14:05" on every page (printops/formats/en/formats.py).
FORMAT_MODULE_PATH = ["printops.formats"]

# --- What the UI shows ----------------------------------------------------------------------
# Navigation: (label, url name, app that must be installed). An item appears once its app exists.
PRINTOPS_NAVIGATION = (
    ("Dashboard", "front:dashboard", "printops.front"),
    ("Library", "library:index", "printops.library"),
    ("Materials", "materials:index", "printops.materials"),
    ("Production", "production:index", "printops.production"),
    ("Sales", "sales:index", "printops.sales"),
    ("Requests", "print_requests:index", "printops.print_requests"),
    ("Insights", "insights:index", "printops.insights"),
    ("Settings", "accounts:settings", "printops.accounts"),
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

"""Kintsugi settings: one file, read from the environment.

SQLite (WAL) is the default so a fresh checkout runs with nothing else installed; set DATABASE_URL
(postgres://user:password@host:port/name) to run on PostgreSQL.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# Language detection (py3langid) multiplies small numpy arrays; numpy's OpenBLAS would start a thread per core in
# every process, which spins after each product for nothing (0.75 % of a web worker's CPU under load). Set before
# anything imports numpy; the environment can still ask for more.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


TESTING = "pytest" in sys.modules or os.environ.get("KINTSUGI_TESTING") == "1"
DATA_DIR = Path(os.environ.get("KINTSUGI_DATA_DIR", BASE_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)

# KINTSUGI_ENV=production (docs/deploy.md): a real SECRET_KEY, ALLOWED_HOSTS and an https SITE_URL are required,
# DEBUG is refused, and the site is served over HTTPS behind a TLS proxy (secure cookies, HSTS, X-Forwarded-Proto).
PRODUCTION = os.environ.get("KINTSUGI_ENV", "development").strip().lower() == "production"
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789abcdef")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:" + os.environ.get("PORT", "8000"))


def production_problems(environ: dict[str, str] | os._Environ[str]) -> list[str]:
    """What a production start lacks, each as a sentence that says how to fix it (empty: nothing)."""
    problems = []
    key = environ.get("SECRET_KEY", "")
    if len(key) < 50 or key.startswith("dev-only-insecure-key"):
        problems.append("SECRET_KEY must be set to a random string of at least 50 characters, e.g. "
                        "python -c \"import secrets; print(secrets.token_urlsafe(50))\".")
    if not [h for h in environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]:
        problems.append("ALLOWED_HOSTS must name the site's host names, comma-separated (e.g. desk.example.com).")
    if not environ.get("SITE_URL", "").startswith("https://"):
        problems.append("SITE_URL must be the site's https:// address (e.g. https://desk.example.com).")
    if env_bool("DEBUG", False):
        problems.append("DEBUG must be off in production: unset it.")
    if not environ.get("KINTSUGI_CREDENTIALS_KEYS", "").strip():
        problems.append("KINTSUGI_CREDENTIALS_KEYS must hold the key that seals mailbox and channel credentials, "
                        "e.g. python -c \"from cryptography.fernet import Fernet; "
                        "print(Fernet.generate_key().decode())\" (docs/deploy.md).")
    return problems


if PRODUCTION and (problems := production_problems(os.environ)):
    # Said plainly and the process stopped (exit status 1), not a traceback.
    sys.exit("Kintsugi will not start: KINTSUGI_ENV=production, but\n- " + "\n- ".join(problems)
             + "\nSee docs/deploy.md.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # only so the API docs use the Swagger UI files ninja ships, never a CDN
    "django_tasks_db",
    "axes",  # login throttling (kintsugi.accounts.lockout)
    "kintsugi.accounts",
    "kintsugi.cases",
    "kintsugi.comms",
    "kintsugi.intake",
    "kintsugi.recovery",
    "kintsugi.remedies",
    "kintsugi.demo",
    "kintsugi.ops",
]

# Django's and django-htmx's own middleware, behind the read gate (kintsugi.db.readgate).
MIDDLEWARE = [
    "kintsugi.db.readgate.ReadGateMiddleware",
    "kintsugi.lib.proxy.ClientAddressMiddleware",  # the client's address from a trusted proxy's X-Real-IP
    "kintsugi.ops.metrics.RequestMetricsMiddleware",  # requests and latency by view, for /metrics
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kintsugi.lib.i18n.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: answers a locked-out sign-in with the lockout page
]

ROOT_URLCONF = "kintsugi.urls"
WSGI_APPLICATION = "kintsugi.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inbox"
LOGOUT_REDIRECT_URL = "login"

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
                "kintsugi.lib.i18n.languages",
            ],
        },
    }
]


def database_from_url(url: str) -> dict[str, object]:
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"DATABASE_URL must start with postgres://, got {parsed.scheme!r}")
    return {
        "ENGINE": "kintsugi.db.postgresql",  # Django's, with INSERTs compiled once per shape
        "NAME": parsed.path.lstrip("/") or "kintsugi",
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
    }


# Seconds between a web process's looks at the SQLite log; it checkpoints it when anyone committed since
# (kintsugi.db.checkpointer), so no request's transaction pays for it. 0: SQLite's own automatic checkpoints.
SQLITE_CHECKPOINT_INTERVAL = float(os.environ.get("SQLITE_CHECKPOINT_INTERVAL", "0.1"))

# A web process freezes its objects out of the garbage collector's full passes after this many requests
# (kintsugi.db.gcfreeze); 0: never.
GC_FREEZE_AFTER_REQUESTS = int(os.environ.get("GC_FREEZE_AFTER_REQUESTS", "200"))

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            # Django's, with write transactions queued for the write lock in the kernel (kintsugi.db.writer).
            "ENGINE": "kintsugi.db.sqlite",
            "NAME": os.environ.get("SQLITE_PATH", str(DATA_DIR / "kintsugi.sqlite3")),
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so
                # two writers queue on the busy timeout instead of failing "database is locked" mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # synchronous=FULL: every commit reaches the disk before it returns, so a complaint whose reference
                # the customer has seen survives a power cut (NORMAL in WAL mode may lose the last commits).
                # SQLITE_MMAP_SIZE (bytes, default 256 MiB; 0 reads through SQLite's page cache only).
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536; "
                    f"PRAGMA mmap_size={int(os.environ.get('SQLITE_MMAP_SIZE', str(256 * 1024 * 1024)))}; "
                    "PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=ON;"
                ),
            },
            "CONN_MAX_AGE": 600,
            "TEST": {"NAME": ":memory:"},  # as Django's own engine does (pytest-django knows only that one by name)
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend" if TESTING else "django_tasks_db.DatabaseBackend"
        ),
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("vi", _("Vietnamese")), ("th", _("Thai"))]
LOCALE_PATHS = [BASE_DIR / "kintsugi" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
# Day-month-year, 24-hour date formats per language (kintsugi/formats; dates by name only: kintsugi.lib.dates).
FORMAT_MODULE_PATH = ["kintsugi.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if TESTING:
    # Tests serve static files from the finders; scanning a STATIC_ROOT that `collectstatic` may be rewriting
    # at the same moment (make run, the benchmark) would make them flaky.
    STATIC_ROOT = DATA_DIR / "no-static-root-in-tests"
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

SESSION_ENGINE = "django.contrib.sessions.backends.db"
# AxesStandaloneBackend first: it refuses every sign-in (even the right password) while the account is locked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (Django's own middleware): scripts, styles and everything else from this site only; no
# inline script, no inline style attribute, no eval (the pages use none; htmx's indicator <style> is turned off in
# base.html). data: images: the public pages' empty favicon.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Served over HTTPS (KINTSUGI_HTTPS=1, see docs/deploy.md): redirect http to https, HSTS for a year, cookies only
# over HTTPS and under the __Host- prefix (the browser then refuses them from http or from another subdomain).
HTTPS = env_bool("KINTSUGI_HTTPS", PRODUCTION)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_SECURE = True
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips the client's own): KINTSUGI_PROXY_SSL=1.
    if env_bool("KINTSUGI_PROXY_SSL", PRODUCTION):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Reverse proxies whose X-Real-IP names the client (kintsugi.lib.proxy); the local ones in production.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get(
    "KINTSUGI_TRUSTED_PROXIES", "127.0.0.1,::1" if PRODUCTION else "").split(",") if p.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Login throttling (django-axes, kintsugi.accounts.lockout): after AXES_FAILURE_LIMIT failed sign-ins from one
# (username, IP address) pair, or LOGIN_IP_FAILURE_LIMIT from one IP address over all usernames, every sign-in
# there is refused for AXES_COOLOFF_TIME. Unlock sooner in the admin or with `manage.py axes_reset_username`.
AXES_HANDLER = "kintsugi.accounts.lockout.PairAndAddressHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("LOGIN_IP_FAILURE_LIMIT", "50"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kintsugi.accounts.lockout.lockout_response"
AXES_VERBOSE = False

# Email: a file per message under var/mail by default (a fresh checkout sends nothing by accident);
# EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST etc. for real delivery.
EMAIL_BACKEND_PATH = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_OPTIONS: dict[str, object] = {}
if "filebased" in EMAIL_BACKEND_PATH:
    EMAIL_OPTIONS = {"file_path": str(DATA_DIR / "mail")}
elif "smtp" in EMAIL_BACKEND_PATH:
    EMAIL_OPTIONS = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": float(os.environ.get("EMAIL_TIMEOUT", "30")),  # a mail server that hangs is retried, not waited on
    }
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": EMAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "care@kintsugi.local")

# Reads (GET, HEAD) computing at once in one web process; more wait their turn (kintsugi.db.readgate). With
# `make run`'s 8 threads per worker this keeps page latency even while writes still batch. 0: no limit.
READ_CONCURRENCY = int(os.environ.get("WEB_READ_CONCURRENCY", "3"))

# API
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
API_MAX_BODY_BYTES = 64 * 1024
API_RATE_LIMIT_PER_MINUTE = int(os.environ.get("API_RATE_LIMIT_PER_MINUTE", "6000"))

# The public complaint form and status pages (kintsugi/intake): rate limits as "hits/seconds" ("0": off), counted
# in the database so that they hold across every web process and machine.
PUBLIC_FORM_LIMIT_PER_IP = os.environ.get("PUBLIC_FORM_LIMIT_PER_IP", "10/600")
PUBLIC_FORM_LIMIT_PER_TOUCHPOINT = os.environ.get("PUBLIC_FORM_LIMIT_PER_TOUCHPOINT", "300/600")
PUBLIC_STATUS_LIMIT_PER_LINK = os.environ.get("PUBLIC_STATUS_LIMIT_PER_LINK", "30/3600")
# A failed CSRF check on a public page shows a friendly page in the customer's language (staff pages: Django's).
CSRF_FAILURE_VIEW = "kintsugi.intake.public.csrf_failure"

# The timer loop's tick: a due SLA warning or breach is noticed within this many seconds.
TIMER_TICK_SECONDS = float(os.environ.get("TIMER_TICK_SECONDS", "5"))
# Health (kintsugi.ops): the timer loop beats (and asks the worker to) every HEARTBEAT_SECONDS; /readyz answers
# 503 when a beat is older than HEALTH_HEARTBEAT_MAX_AGE_S, or a queued message or task has waited longer than
# HEALTH_QUEUE_MAX_AGE_S.
# Backups (kintsugi.ops.backup): the timer loop takes one every BACKUP_EVERY_HOURS (0: never) into BACKUP_DIR,
# keeping the newest of each of the last BACKUP_KEEP_DAILY days and BACKUP_KEEP_WEEKLY weeks.
BACKUP_DIR = Path(os.environ.get("KINTSUGI_BACKUP_DIR", str(DATA_DIR / "backups")))
BACKUP_EVERY_HOURS = float(os.environ.get("BACKUP_EVERY_HOURS", "0" if TESTING else "24"))
BACKUP_KEEP_DAILY = int(os.environ.get("BACKUP_KEEP_DAILY", "7"))
BACKUP_KEEP_WEEKLY = int(os.environ.get("BACKUP_KEEP_WEEKLY", "4"))
# A passphrase that seals every backup (AES-256-GCM, kintsugi.ops.sealing); a sealed backup restores only with it.
BACKUP_KEY = os.environ.get("KINTSUGI_BACKUP_KEY", "")
# /metrics (kintsugi.ops.metrics) answers only `Authorization: Bearer <KINTSUGI_METRICS_TOKEN>`; unset: 404.
METRICS_TOKEN = os.environ.get("KINTSUGI_METRICS_TOKEN", "")
HEARTBEAT_SECONDS = float(os.environ.get("HEARTBEAT_SECONDS", "15"))
HEALTH_HEARTBEAT_MAX_AGE_S = float(os.environ.get("HEALTH_HEARTBEAT_MAX_AGE_S", "60"))
HEALTH_QUEUE_MAX_AGE_S = float(os.environ.get("HEALTH_QUEUE_MAX_AGE_S", "300"))
# Channel credentials (mailbox passwords, access tokens) are sealed under the first of these Fernet keys and
# unsealed under any (kintsugi.lib.secrets); unset outside production: a key derived from SECRET_KEY.
CREDENTIALS_KEYS = [k.strip() for k in os.environ.get("KINTSUGI_CREDENTIALS_KEYS", "").split(",") if k.strip()]
# The inbound pipeline (kintsugi/intake/inbound): payloads turned into cases in batches of INBOUND_BATCH, each
# batch one transaction; a stored payload still pending INBOUND_GRACE_S after it arrived (its task lost to a
# crash) is handed out again by the timer loop. Attachments above INBOUND_MAX_ATTACHMENT_BYTES are kept in the
# original only.
INBOUND_BATCH = int(os.environ.get("INBOUND_BATCH", "50"))
INBOUND_GRACE_S = float(os.environ.get("INBOUND_GRACE_S", "120"))
INBOUND_MAX_ATTACHMENT_BYTES = int(os.environ.get("INBOUND_MAX_ATTACHMENT_BYTES", str(10 * 1024 * 1024)))
# Mailboxes (manage.py run_mailboxes): a server without IMAP IDLE is asked every MAIL_POLL_SECONDS; with IDLE the
# connection is renewed every MAIL_IDLE_SECONDS (RFC 2177 asks for less than 29 minutes).
MAIL_POLL_SECONDS = float(os.environ.get("MAIL_POLL_SECONDS", "30"))
MAIL_IDLE_SECONDS = float(os.environ.get("MAIL_IDLE_SECONDS", "600"))
# A mailbox read for the first time (or whose folder the server renumbered: a new UIDVALIDITY) gives its unread mail
# of the last MAIL_FIRST_DAYS days. MAIL_TLS_CA_FILE: certificates trusted besides the system's (a private CA).
MAIL_FIRST_DAYS = int(os.environ.get("MAIL_FIRST_DAYS", "7"))
MAIL_TLS_CA_FILE = os.environ.get("MAIL_TLS_CA_FILE", "")
# The chat providers' APIs (kintsugi/lib/http.py is the only way out): the real ones unless pointed elsewhere (the
# tests' and staging's local fake servers). Their webhooks are SITE_URL/hooks/<channel>/<key>/.
LINE_API_URL = os.environ.get("KINTSUGI_LINE_API_URL", "https://api.line.me").rstrip("/")
LINE_DATA_API_URL = os.environ.get("KINTSUGI_LINE_DATA_API_URL", "https://api-data.line.me").rstrip("/")
MESSENGER_API_URL = os.environ.get("KINTSUGI_MESSENGER_API_URL", "https://graph.facebook.com/v21.0").rstrip("/")
ZALO_API_URL = os.environ.get("KINTSUGI_ZALO_API_URL", "https://openapi.zalo.me").rstrip("/")
ZALO_OAUTH_URL = os.environ.get("KINTSUGI_ZALO_OAUTH_URL", "https://oauth.zaloapp.com").rstrip("/")
# A follow-up the customer has not answered this many days after it was sent expires: no longer waiting.
FOLLOW_UP_EXPIRY_DAYS = int(os.environ.get("KINTSUGI_FOLLOW_UP_EXPIRY_DAYS", "14"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"kintsugi": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

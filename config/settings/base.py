"""Settings shared by every environment. Everything that varies comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

from dxpool.core.envcheck import database_from_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-not-secret-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    # django-ninja as an app only for its templates and static files: Swagger UI is served from here.
    "ninja",
    "dxpool.core",
    "dxpool.accounts",
    "dxpool.places",
    "dxpool.talent",
    "dxpool.needs",
    "dxpool.matching",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files stay cacheable), before everything that may answer with personal data.
    "dxpool.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the first reader of the body (the CSRF check): size, field count and NUL bytes, refused once.
    "dxpool.core.middleware.RequestGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dxpool" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dxpool.core.context_processors.site",
            ],
        },
    }
]

DATABASES = {"default": database_from_env(env.str("DATABASE_URL", default=""), BASE_DIR / "var" / "dxpool.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 first: new passwords and every successful log-in with an older hash get argon2 (Django rehashes on
# log-in); the PBKDF2 hashers stay so that hashes written before the switch still verify.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

# Log-in throttling (django-axes). The axes backend comes first so that a locked-out attempt is refused
# before any password hash is computed: guessing then costs the server almost nothing.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
# Per (username, address), not per username alone: otherwise anyone could lock a known colleague out of the
# site by typing wrong passwords for them. Many usernames tried from one address are not bounded by this
# rule: a per-address rate limit on /login/ belongs to the reverse proxy.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
# A refused attempt during the lockout does not restart the cool-off, so the time the lockout page names
# stays true however often the person retries.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "dxpool.accounts.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "dxpool.core.netaddr.client_ip"
# Successes and failures are in the audit trail already (dxpool.accounts.receivers); axes keeps only the
# counters it needs to lock out.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# The request.META key holding the client address set by the reverse proxy (e.g. HTTP_X_FORWARDED_FOR); empty:
# REMOTE_ADDR is the client. Set in production from DXPOOL_CLIENT_IP_HEADER.
DXPOOL_CLIENT_IP_HEADER = ""
# How many trusted proxies append to that header: the client is that many entries from its right end.
DXPOOL_PROXY_COUNT = 1

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "dxpool" / "locale"]
# Named date formats per language (date:"DATE_FORMAT"): 2027年1月31日 / 31 January 2027.
FORMAT_MODULE_PATH = ["dxpool.formats"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "dxpool" / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("DXPOOL_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"
# Evidence uploads are personal data: never served from MEDIA_URL directly, only through an audited view.
# Request bounds (refused by dxpool.core.middleware.RequestGuardMiddleware with a 413/400 page or JSON error):
# the form and JSON data of one request, without files — a hearing is some tens of kB;
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DXPOOL_MAX_DATA_BYTES", default=int(2.5 * 1024 * 1024))
# fields in one form or query string (the longest form, the hearing, has some hundreds);
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# the whole body, files included, checked on its declared length before a byte is read (evidence files are
# at most 5 MB each; the xlsx reader has its own, stricter, bounds);
DXPOOL_MAX_REQUEST_BYTES = env.int("DXPOOL_MAX_REQUEST_BYTES", default=25 * 1024 * 1024)
# an upload larger than this is spooled to a temporary file instead of being held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
# A hearing-sheet import (all files together), checked on the known upload size before it is read; the
# archive inside is bounded again by the DXPOOL_IMPORT_MAX_* defaults of dxpool.exchange.uploads.
DXPOOL_IMPORT_MAX_BYTES = env.int("DXPOOL_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
# A running match run whose worker has not renewed its heartbeat for this long is failed by the reaper
# (dxpool.matching.lease), so a killed worker never leaves a run "running" for good.
MATCHRUN_LEASE_SECONDS = env.int("DXPOOL_MATCHRUN_LEASE_SECONDS", default=120)

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# The rate limiter's counters (dxpool.core.ratelimit). Per process by default; a shared cache makes limits exact
# across gunicorn workers, e.g. DXPOOL_CACHE_URL=dbcache://dxpool_cache (after `dxpool createcachetable`).
CACHES = {"default": env.cache_url("DXPOOL_CACHE_URL", default="locmemcache://dxpool")}
# Role suggestions from free text (POST /api/v1/suggestions) per user and minute.
DXPOOL_SUGGESTIONS_PER_MINUTE = env.int("DXPOOL_SUGGESTIONS_PER_MINUTE", default=30)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): everything from this origin only, no inline script or style, no eval
# (htmx is told so by its meta tag in base.html; every script is a static file), no plugins, no framing.
# data: images for the SVG icons Swagger UI's stylesheet embeds.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DXPOOL_LOG_LEVEL", default="WARNING")},
}

DXPOOL_SITE_NAME = "地域DX人材プール"

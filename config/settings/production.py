"""Production settings: PostgreSQL via DATABASE_URL, secrets from the environment, hardened cookies."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
SESSION_COOKIE_SECURE = env.bool("DXPOOL_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("DXPOOL_HSTS_SECONDS", default=0)
# Behind a reverse proxy REMOTE_ADDR is the proxy: log-in lockouts and the audit trail take the client address
# from this header instead (only if the proxy overwrites or appends it, so clients cannot forge it).
DXPOOL_CLIENT_IP_HEADER = env.str("DXPOOL_CLIENT_IP_HEADER", default="")
DXPOOL_PROXY_COUNT = env.int("DXPOOL_PROXY_COUNT", default=1)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

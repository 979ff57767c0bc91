"""Production settings: PostgreSQL via DATABASE_URL, secrets from the environment, hardened cookies."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
SESSION_COOKIE_SECURE = env.bool("DXPOOL_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS. dxpool runs behind a reverse proxy that terminates TLS (README, Production): the proxy says which
# scheme the client used in a header it always overwrites, named here as Django sees it (e.g.
# HTTP_X_FORWARDED_PROTO for X-Forwarded-Proto); without it Django takes every request for plain HTTP.
_proto_header = env.str("DXPOOL_SECURE_PROXY_SSL_HEADER", default="")
SECURE_PROXY_SSL_HEADER = (_proto_header, "https") if _proto_header else None
# Plain HTTP is redirected to HTTPS unless DXPOOL_SSL_REDIRECT=0 (e.g. when the proxy redirects itself).
SECURE_SSL_REDIRECT = env.bool("DXPOOL_SSL_REDIRECT", default=True)
# HSTS makes browsers refuse plain HTTP for this host for that long: off until set, because a browser keeps it
# even after the setting is removed (start small, e.g. 3600, then 31536000).
SECURE_HSTS_SECONDS = env.int("DXPOOL_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DXPOOL_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DXPOOL_HSTS_PRELOAD", default=False)
# check --deploy asks for preload (W021). The browsers' preload list takes whole registrable domains (e.g. a
# prefecture's pref.….lg.jp), which the owner of that domain decides for every host under it, never one
# application on it: dxpool leaves it off by default and does not warn about it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# The health check stays reachable over plain HTTP for a load balancer probing the app directly.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a reverse proxy REMOTE_ADDR is the proxy: log-in lockouts and the audit trail take the client address
# from this header instead (only if the proxy overwrites or appends it, so clients cannot forge it).
DXPOOL_CLIENT_IP_HEADER = env.str("DXPOOL_CLIENT_IP_HEADER", default="")
DXPOOL_PROXY_COUNT = env.int("DXPOOL_PROXY_COUNT", default=1)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

"""The client's network address, the one way dxpool reads it (audit trail and log-in throttling alike).

Behind a reverse proxy REMOTE_ADDR is the proxy; the client comes from the forwarding header the deployment
names in DXPOOL_CLIENT_IP_HEADER (docs/operations.md). Pure Django request handling, no models.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def _meta_key(header: str) -> str:
    """Accept the header as configured by people (X-Forwarded-For) or as Django names it (HTTP_X_FORWARDED_FOR)."""
    key = header.strip().upper().replace("-", "_")
    if key == "REMOTE_ADDR" or key.startswith("HTTP_"):
        return key
    return "HTTP_" + key


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: from DXPOOL_CLIENT_IP_HEADER behind a reverse proxy, else REMOTE_ADDR.

    A forwarding header is a list a client can start itself; only the entries appended by our own proxies can
    be trusted, so the client is DXPOOL_PROXY_COUNT entries from the right end, never the left-most one.
    Anything unreadable falls back to REMOTE_ADDR (the proxy): every client then shares one lockout counter
    per username, which is stricter, never looser.
    """
    if request is None:
        return None
    remote = _valid_ip(request.META.get("REMOTE_ADDR"))
    header = getattr(settings, "DXPOOL_CLIENT_IP_HEADER", "")
    if not header:
        return remote
    entries = [e for e in str(request.META.get(_meta_key(header), "")).split(",") if e.strip()]
    count = max(int(getattr(settings, "DXPOOL_PROXY_COUNT", 1)), 1)
    if len(entries) >= count:
        return _valid_ip(entries[-count]) or remote
    return remote

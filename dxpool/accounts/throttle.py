"""Log-in throttling with django-axes: who the client is, and the page a locked-out person sees.

Axes counts failed log-ins per (username, client address) and, past the limit, refuses further attempts for
the cool-off period before any password hash is computed. The two callables here are wired in by settings
(AXES_CLIENT_IP_CALLABLE, AXES_LOCKOUT_CALLABLE).
"""

import ipaddress
import math
from datetime import datetime

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control


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


def login_retry_at(*, request: HttpRequest, credentials: dict | None) -> datetime | None:
    """When this (username, address) may try to log in again: its last counted failure plus the cool-off
    (None when no cool-off is configured: the lock then lasts until an administrator lifts it)."""
    from axes.handlers.proxy import AxesProxyHandler
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    last = None
    handler = AxesProxyHandler.get_implementation()
    # The database handler (the one configured) can tell the last failure; any other falls back to "now".
    if hasattr(handler, "filter_user_attempts"):
        AxesProxyHandler.update_request(request)
        times = [qs.aggregate(last=Max("attempt_time"))["last"]
                 for qs in handler.filter_user_attempts(request, credentials)]
        last = max((t for t in times if t is not None), default=None)
    return (last or timezone.now()) + cool_off


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict | None = None) -> HttpResponse:
    """The lockout page: says the log-in is locked for a while and when to try again (429, Retry-After)."""
    retry_at = login_retry_at(request=request, credentials=credentials)
    seconds = max(1, math.ceil((retry_at - timezone.now()).total_seconds())) if retry_at else None
    response = render(request, "accounts/lockout.html", {
        "retry_at": retry_at,
        "minutes": max(1, math.ceil(seconds / 60)) if seconds else None,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    # The page is about one person's attempts at one moment: no cache may keep or replay it.
    patch_cache_control(response, no_store=True)
    return response

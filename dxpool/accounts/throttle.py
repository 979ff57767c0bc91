"""Log-in throttling with django-axes: who the client is, and the page a locked-out person sees.

Axes counts failed log-ins per (username, client address) and, past the limit, refuses further attempts for
the cool-off period before any password hash is computed. The two callables here are wired in by settings
(AXES_CLIENT_IP_CALLABLE, AXES_LOCKOUT_CALLABLE).
"""

import math
from datetime import datetime

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control

from dxpool.core.netaddr import client_ip  # noqa: F401 - AXES_CLIENT_IP_CALLABLE names it here too


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

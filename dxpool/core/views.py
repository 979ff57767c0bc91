"""Home page, health check, and the error pages every view shares."""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dxpool.core.commands import pending_migrations
from dxpool.core.selectors import home_summary
from dxpool.talent.selectors import rounds_open_public

logger = logging.getLogger(__name__)
# What an unreachable database raises: the server is down, refuses, or the connection broke.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def home(request):
    """A role-aware landing page: each role sees what it works on first. A visitor who is not signed in gets
    the public front door instead of a log-in form: the open recruitment rounds, how to apply, log-in and
    sign-up (public postings only, no personal data)."""
    if not request.user.is_authenticated:
        return render(request, "core/front.html", {"rounds": rounds_open_public()})
    return render(request, "core/home.html", {"summary": home_summary(user=request.user)})


@require_GET
@never_cache
def healthz(request):
    """200 with the database status when the app can serve; 503 when the database is down or unmigrated.

    Anyone may call it (a load balancer does), so a failure says only "database unavailable": the driver's
    message names the database host, address and port, which go to the log for the operator alone."""
    status = {"status": "ok", "database": {"vendor": connection.vendor}}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = pending_migrations()
        status["database"]["reachable"] = True
        status["database"]["pending_migrations"] = len(pending)
        if pending:
            status["status"] = "degraded"
    except Exception:  # noqa: BLE001 - any database failure is reported, not raised
        logger.exception("healthz: database unavailable")
        status["status"] = "error"
        status["database"]["reachable"] = False
        status["database"]["error"] = "database unavailable"
    return JsonResponse(status, status=200 if status["status"] == "ok" else 503)


def render_plain(request, template: str, *, status: int, context: dict | None = None) -> HttpResponse:
    """An error page rendered without the request's context processors: no session, user, menu or CSRF token
    is looked up, so it renders when the database (or the session behind it) is what failed."""
    html = loader.render_to_string(template, {"SITE_NAME": settings.DXPOOL_SITE_NAME, **(context or {})})
    return HttpResponse(html, status=status)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_400(request, exception=None):
    return render_plain(request, "errors/400.html", status=400,
                        context={"message": _("送信された内容を処理できませんでした。")})


def error_500(request):
    """The 500 page, or the 503 page when the error is the database being unreachable (Django calls this while
    handling the exception, so it is still at hand)."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return service_unavailable(request)
    return render_plain(request, "errors/500.html", status=500)


def service_unavailable(request) -> HttpResponse:
    response = render_plain(request, "errors/503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links: the app's own icon, not a 404.

    The static URL is looked up per request, not at import, so a missing manifest cannot break URL loading.
    """
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))

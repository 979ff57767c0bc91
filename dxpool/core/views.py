"""Home page, health check, and the error pages every view shares."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dxpool.core.commands import pending_migrations
from dxpool.core.selectors import home_summary


@login_required
def home(request):
    """A role-aware landing page: each role sees what it works on first."""
    return render(request, "core/home.html", {"summary": home_summary(user=request.user)})


@require_GET
@never_cache
def healthz(request):
    """200 with the database status when the app can serve; 503 when the database is down or unmigrated."""
    status = {"status": "ok", "database": {"vendor": connection.vendor}}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = pending_migrations()
        status["database"]["reachable"] = True
        status["database"]["pending_migrations"] = len(pending)
        if pending:
            status["status"] = "degraded"
    except Exception as exc:  # noqa: BLE001 - any database failure is reported, not raised
        status["status"] = "error"
        status["database"]["reachable"] = False
        status["database"]["error"] = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    return JsonResponse(status, status=200 if status["status"] == "ok" else 503)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_500(request):
    return render(request, "errors/500.html", status=500)


def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links: the app's own icon, not a 404.

    The static URL is looked up per request, not at import, so a missing manifest cannot break URL loading.
    """
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))

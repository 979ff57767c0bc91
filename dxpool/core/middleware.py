"""Request guards every route shares: bounded request size, no NUL bytes, no caching of personal data.

They run before any view, so a route added later is covered without remembering to be.
"""

import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

from dxpool.core.views import render_plain

# A NUL escaped in JSON (\u0000) preceded by an even number of backslashes: "\\u0000" is text, not a NUL.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def refusal(request: HttpRequest, status: int, message: str, code: str) -> HttpResponse:
    """A 4xx the client can read: JSON in the API's error shape, else a page rendered without the database."""
    if is_api(request):
        return JsonResponse({"error": {"code": code, "message": message}}, status=status)
    return render_plain(request, "errors/413.html" if status == 413 else "errors/400.html", status=status,
                        context={"message": message})


def _has_nul(pairs) -> bool:
    return any("\x00" in key or any("\x00" in str(v) for v in values) for key, values in pairs)


class RequestGuardMiddleware:
    """Refuse, before any view runs, a request that is too big, has too many fields or carries a NUL byte.

    Why here: Django raises RequestDataTooBig / TooManyFieldsSent wherever the body is first read (the CSRF
    check, a view, django-ninja), each answering differently; PostgreSQL refuses NUL in text, so a NUL that
    reached a query was a 500 on every route that searches. One place, one answer, before anything is parsed
    twice. DATA_UPLOAD_MAX_MEMORY_SIZE does not count uploaded files: DXPOOL_MAX_REQUEST_BYTES caps the
    whole body by its declared length before a byte is read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self._check(request)
        return refused if refused is not None else self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        cap = settings.DXPOOL_MAX_REQUEST_BYTES
        if length > cap:
            return refusal(request, 413, _("送信データが大きすぎます（上限 %(limit)s MB）。") % {"limit": _megabytes(cap)},
                           "RequestTooLarge")
        try:
            if _has_nul(request.GET.lists()):
                return self._nul(request)
            content_type = request.content_type or ""
            if request.method in ("POST", "PUT", "PATCH") and content_type in _FORM_TYPES:
                if _has_nul(request.POST.lists()) or any(
                        "\x00" in key or any("\x00" in (f.name or "") for f in files)
                        for key, files in request.FILES.lists()):
                    return self._nul(request)
            elif length and content_type == "application/json" and _JSON_NUL.search(request.body):
                return self._nul(request)
        except RequestDataTooBig:
            limit = _megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
            return refusal(request, 413, _("送信データが大きすぎます（ファイルを除き上限 %(limit)s MB）。") % {"limit": limit},
                           "RequestTooLarge")
        except TooManyFieldsSent:
            return refusal(request, 400, _("送信された項目が多すぎます（上限 %(limit)s 項目）。")
                           % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}, "TooManyFields")
        except (MultiPartParserError, SuspiciousOperation):
            # Too many files, a broken multipart body: the client's fault, never a 500.
            return refusal(request, 400, _("送信データの形式が正しくありません。"), "BadRequest")
        return None

    @staticmethod
    def _nul(request: HttpRequest) -> HttpResponse:
        return refusal(request, 400, _("入力に使用できない文字（NUL）が含まれています。"), "InvalidCharacter")


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` on every response to a signed-in caller and on every download.

    The rule is by request, not by page: whatever a signed-in user sees may hold personal data (a name on a
    list, a pseudonym's skills), and a shared municipal PC or a proxy must not keep it. "Signed in" is read
    from the request itself (a session cookie or an Authorization header), never from the database, so the
    rule holds on error pages too. Static files are served before this middleware (WhiteNoise) and stay
    cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META
        download = response.get("Content-Disposition", "").startswith("attachment")
        if signed_in or download:
            add_never_cache_headers(response)
            patch_vary_headers(response, ["Cookie", "Authorization"])
        return response

"""The REST API under /api/v1/ (django-ninja): session or bearer-token auth, JSON errors, OpenAPI.

Each app contributes a router; endpoints call the same selectors and services as the web views, so the
permission rules are the same by construction.
"""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.db import DataError
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from dxpool.accounts.services import api_token_authenticate
from dxpool.core.errors import DomainError, RateLimited
from dxpool.core.middleware import refusal
from dxpool.core.views import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer dxp_…` with a token made in the admin or by `dxpool create-token`."""

    def authenticate(self, request, token):
        user = api_token_authenticate(raw=token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="dxpool API",
    version="1",
    description="地域DX人材プール REST API. Session (with CSRF token) or Bearer token authentication.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    # Swagger UI from django-ninja's own static files ("ninja" is an installed app), never a CDN: municipal
    # networks (LGWAN) reach no outside host. Its page has no inline script, so the CSP needs no exception.
    docs=Swagger(),
)


def _error(request, status: int, message: str, code: str, field: str | None = None):
    body = {"error": {"code": code, "message": message}}
    if field:
        body["error"]["field"] = field
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    response = _error(request, exc.status, exc.message, exc.code, exc.field)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Http404)
def on_404(request, exc):
    return _error(request, 404, str(exc) or "見つかりません。", "NotFound")


@api.exception_handler(PermissionDenied)
def on_403(request, exc):
    return _error(request, 403, str(exc) or "権限がありません。", "Forbidden")


@api.exception_handler(AuthenticationError)
def on_401(request, exc):
    return _error(request, 401, "ログインまたはAPIトークンが必要です。", "Unauthorized")


# Pydantic's error types in the user's words; {…} are filled from the error's context.
_VALIDATION_MESSAGES = {
    "missing": "必須です。",
    "string_too_long": "{max_length}文字以内で入力してください（現在{length}文字）。",
    "string_too_short": "{min_length}文字以上で入力してください。",
    "string_type": "文字列で指定してください。",
    "int_parsing": "整数で指定してください。",
    "int_type": "整数で指定してください。",
    "int_from_float": "整数で指定してください。",
    "float_parsing": "数値で指定してください。",
    "float_type": "数値で指定してください。",
    "finite_number": "有限の数値で指定してください。",
    "bool_parsing": "true または false で指定してください。",
    "bool_type": "true または false で指定してください。",
    "date_parsing": "日付（YYYY-MM-DD）で指定してください。",
    "date_from_datetime_parsing": "日付（YYYY-MM-DD）で指定してください。",
    "date_type": "日付（YYYY-MM-DD）で指定してください。",
    "datetime_parsing": "日時（ISO 8601）で指定してください。",
    "datetime_from_date_parsing": "日時（ISO 8601）で指定してください。",
    "greater_than_equal": "{ge}以上で指定してください。",
    "greater_than": "{gt}より大きい値で指定してください。",
    "less_than_equal": "{le}以下で指定してください。",
    "less_than": "{lt}より小さい値で指定してください。",
    "literal_error": "指定できる値ではありません（{expected}）。",
    "enum": "指定できる値ではありません（{expected}）。",
    "list_type": "配列で指定してください。",
    "dict_type": "オブジェクトで指定してください。",
    "json_invalid": "JSONの形式が正しくありません。",
    "model_attributes_type": "オブジェクトで指定してください。",
}


def validation_message(error: dict) -> str:
    """One pydantic error as Japanese text (pydantic's English where no translation is known)."""
    context = dict(error.get("ctx") or {})
    value = error.get("input")
    context.setdefault("length", len(value) if isinstance(value, (str, list, dict)) else "?")
    template = _VALIDATION_MESSAGES.get(error.get("type", ""))
    try:
        return template.format(**context) if template else str(error.get("msg", ""))
    except (KeyError, IndexError, ValueError):
        return str(error.get("msg", ""))


@api.exception_handler(NinjaValidationError)
def on_validation(request, exc: NinjaValidationError):
    first = exc.errors[0] if exc.errors else {}
    loc = ".".join(str(p) for p in first.get("loc", []) if p not in ("query", "body", "path", "payload"))
    message = f"入力が不正です: {loc} — {validation_message(first)}" if loc else f"入力が不正です: {validation_message(first)}"
    response = _error(request, 422, message, "ValidationError", loc or None)
    return response


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_out_of_range(request, exc):
    # A value no database column can hold. A number (e.g. an id of 10**30): SQLite's driver raises
    # OverflowError, PostgreSQL a DataError (SQLSTATE 22003). A text longer than its column: PostgreSQL's
    # DataError with SQLSTATE 22001 — told as such, not as a number out of range.
    if getattr(exc.__cause__, "sqlstate", None) == "22001":
        return _error(request, 422, "入力が不正です: 文字数が上限を超えています。", "ValidationError")
    return _error(request, 422, "入力が不正です: 数値が範囲外です。", "ValidationError")


@api.exception_handler(SuspiciousOperation)
def on_bad_request(request, exc):
    # Normally refused by RequestGuardMiddleware before the API runs (same messages); here for a body read
    # some other way, so it is still a JSON 4xx and not a 500.
    if isinstance(exc, RequestDataTooBig):
        return refusal(request, 413, "送信データが大きすぎます。", "RequestTooLarge")
    if isinstance(exc, TooManyFieldsSent):
        return refusal(request, 400, "送信された項目が多すぎます。", "TooManyFields")
    return refusal(request, 400, "送信データの形式が正しくありません。", "BadRequest")


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    # The API answers JSON whatever happens: an unreachable database is a 503 the client may retry, any other
    # failure a 500 — the details go to the log, never to the client (they may name hosts or records).
    if isinstance(exc, DATABASE_UNAVAILABLE):
        logger.error("API %s %s: database unavailable", request.method, request.path, exc_info=exc)
        response = _error(request, 503, "データベースに接続できないため、一時的に利用できません。", "ServiceUnavailable")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    logger.error("API %s %s: unexpected error", request.method, request.path, exc_info=exc)
    return _error(request, 500, "サーバーでエラーが発生しました。時間をおいて再度お試しください。", "ServerError")


def register_routers() -> None:
    from dxpool.places.api import router as places_router

    api.add_router("/", places_router)
    for module_name in ("dxpool.talent.api", "dxpool.needs.api", "dxpool.matching.api"):
        try:
            module = __import__(module_name, fromlist=["router"])
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        api.add_router("/", module.router)


register_routers()

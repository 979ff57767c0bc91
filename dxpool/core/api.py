"""The REST API under /api/v1/ (django-ninja): session or bearer-token auth, JSON errors, OpenAPI.

Each app contributes a router; endpoints call the same selectors and services as the web views, so the
permission rules are the same by construction.
"""

from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from dxpool.accounts.services import api_token_authenticate
from dxpool.core.errors import DomainError


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
)


def _error(request, status: int, message: str, code: str, field: str | None = None):
    body = {"error": {"code": code, "message": message}}
    if field:
        body["error"]["field"] = field
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return _error(request, exc.status, exc.message, exc.code, exc.field)


@api.exception_handler(Http404)
def on_404(request, exc):
    return _error(request, 404, str(exc) or "見つかりません。", "NotFound")


@api.exception_handler(PermissionDenied)
def on_403(request, exc):
    return _error(request, 403, str(exc) or "権限がありません。", "Forbidden")


@api.exception_handler(AuthenticationError)
def on_401(request, exc):
    return _error(request, 401, "ログインまたはAPIトークンが必要です。", "Unauthorized")


@api.exception_handler(NinjaValidationError)
def on_validation(request, exc: NinjaValidationError):
    first = exc.errors[0] if exc.errors else {}
    loc = ".".join(str(p) for p in first.get("loc", []) if p not in ("query", "body", "path"))
    message = f"入力が不正です: {loc} — {first.get('msg', '')}".strip()
    response = _error(request, 422, message, "ValidationError", loc or None)
    return response


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_out_of_range(request, exc):
    # A number no database column can hold (e.g. an id of 10**30): SQLite's driver raises OverflowError,
    # PostgreSQL's a DataError. Either way the client sent a value outside every valid range.
    return _error(request, 422, "入力が不正です: 数値が範囲外です。", "ValidationError")


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

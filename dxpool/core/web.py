"""Small helpers shared by the server-rendered views."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404

from dxpool.core.errors import Forbidden, NotFound

PAGE_SIZE = 50
ID_MAX = 2**63 - 1  # BigAutoField on every backend


def id_param(value) -> int:
    """A record id from a query or form parameter. Blank, junk or out-of-range values give 0, which no record
    has, so a tampered link finds nothing (a 404 or an empty list) instead of reaching the database driver."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit():
        return 0
    number = int(value)
    return number if number <= ID_MAX else 0


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """A page of results for ?page=N; out-of-range or junk page numbers give the nearest valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def domain_errors_to_http(view):
    """Turn NotFound/Forbidden from selectors and services into Django's 404/403 pages."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from None
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from None

    return wrapper


def role_required(*roles: str):
    """Allow only users with one of the roles; others get 403 (anonymous users are sent to log in)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if request.user.role not in roles:
                raise PermissionDenied("この画面を利用する権限がありません。")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

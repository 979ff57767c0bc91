"""The building blocks of every app's `permissions.py`.

Each app states its access rules once, as predicates `can_<verb>_<noun>(*, user, obj=None) -> bool`. Selectors
call them to show or hide actions; services enforce them with `require(...)`, which raises the Forbidden
error views turn into 403 pages and the API into a JSON 403. The role facts below are the only place that
says what "the secretariat of this prefecture" or "the officer of this municipality" means.
"""

from __future__ import annotations

from typing import Any

from dxpool.accounts.models import Role
from dxpool.core.errors import Forbidden


def require(allowed: bool, message: str) -> None:
    """Enforce a permission predicate: refuse with `message` (Japanese, shown to the user) unless allowed."""
    if not allowed:
        raise Forbidden(message)


def is_authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_national(user: Any) -> bool:
    return is_authenticated(user) and user.role == Role.NATIONAL


def is_talent(user: Any) -> bool:
    return is_authenticated(user) and user.role == Role.TALENT


def is_secretariat(user: Any) -> bool:
    """A prefecture secretariat of some prefecture."""
    return is_authenticated(user) and user.role == Role.PREFECTURE and user.prefecture_id_scope is not None


def is_secretariat_of(user: Any, prefecture_id: int | None) -> bool:
    """The secretariat of this prefecture (and not of another one)."""
    return is_secretariat(user) and prefecture_id is not None and user.prefecture_id_scope == prefecture_id


def is_officer(user: Any) -> bool:
    """A municipal officer of some municipality."""
    return is_authenticated(user) and user.role == Role.MUNICIPALITY and user.municipality_id_scope is not None


def is_officer_of(user: Any, municipality_id: int | None) -> bool:
    """The officer of this municipality."""
    return is_officer(user) and municipality_id is not None and user.municipality_id_scope == municipality_id

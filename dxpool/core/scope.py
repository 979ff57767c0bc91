"""Tenant scoping: which rows of a queryset a user may see, by role, written once.

Every list and detail in dxpool starts from a `*_scope(user=...)` selector. Those over shared records
(municipalities, groupings, hearing records, job descriptions, needs) follow one rule, kept here so it cannot
drift: the national ministry sees everything (except needs records: dxpool.needs.selectors narrows them
with can_view_records first, so national gets aggregates only), a prefecture secretariat the rows of its
prefecture, a municipal officer the rows of its municipality (each selector says what that means for its
model), anyone else nothing. Selectors over personal data (applications, profiles) and match runs narrow further on purpose and
keep their own rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db.models import Model, QuerySet

from dxpool.accounts.models import Role, User

M = TypeVar("M", bound=Model)
Narrow = Callable[[QuerySet[M], int], QuerySet[M]]


def by_role(
    qs: QuerySet[M],
    user: User,
    *,
    prefecture: str | Narrow,
    municipality: str | Narrow | None = None,
) -> QuerySet[M]:
    """The rows of qs the user may see.

    `prefecture` / `municipality` narrow qs to the user's prefecture / municipality id: a field lookup
    (``"prefecture_id"``) or a function (qs, id) → qs for anything more (joins, Q objects, distinct). Without a
    `municipality` rule a municipal officer sees nothing.
    """
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.NATIONAL:
        return qs
    if user.role == Role.PREFECTURE:
        return _narrow(qs, prefecture, user.prefecture_id_scope)
    if user.role == Role.MUNICIPALITY and municipality is not None:
        return _narrow(qs, municipality, user.municipality_id_scope)
    return qs.none()


def _narrow(qs: QuerySet[M], rule: str | Narrow, value: int | None) -> QuerySet[M]:
    if value is None:  # an officer without an organisation sees nothing rather than everything
        return qs.none()
    if isinstance(rule, str):
        return qs.filter(**{rule: value})
    return rule(qs, value)

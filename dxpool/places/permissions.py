"""Who may do what with places: the one statement of each rule (see dxpool.core.permissions).

Reference data (prefectures, municipalities) is read-only for everybody; a grouping (広域連携) is kept by its
prefecture's secretariat alone, since members must be that prefecture's municipalities.
"""

from __future__ import annotations

from typing import Any

from dxpool.core.permissions import is_national, is_officer, is_secretariat, is_secretariat_of


def can_create_grouping(*, user: Any, obj: Any = None) -> bool:
    """A prefecture secretariat, for its own prefecture (obj: the prefecture, when known)."""
    if obj is None:
        return is_secretariat(user)
    return is_secretariat_of(user, obj.pk)


def can_edit_grouping(*, user: Any, obj: Any) -> bool:
    """The secretariat of the grouping's prefecture (rename, members, delete)."""
    return is_secretariat_of(user, obj.prefecture_id)


def can_view_places(*, user: Any, obj: Any = None) -> bool:
    """Staff pages of municipalities and groupings: national, prefecture and municipal staff."""
    return is_national(user) or is_secretariat(user) or is_officer(user)

"""Who may do what in recruitment, applications, profiles, evidence, screening and the pool.

Each rule is stated once, as a predicate `can_<verb>_<noun>(*, user, obj=None) -> bool` over the role facts
of `dxpool.core.permissions`. Services enforce them with `require(...)`; selectors and views call them to
show or hide actions. Scope (which rows a user can see at all) stays in the selectors: a record outside the
user's scope is "not found", not "forbidden", so these predicates only decide between actions on records the
user may already see.
"""

from __future__ import annotations

from typing import Any

from dxpool.core.permissions import (
    is_authenticated,
    is_officer,
    is_secretariat,
    is_secretariat_of,
    is_talent,
)

# --- recruitment rounds --------------------------------------------------------------------------------------


def can_create_round(*, user: Any, obj: Any = None) -> bool:
    """A prefecture's secretariat publishes its own rounds (the round is created for its prefecture)."""
    return is_secretariat(user)


def can_manage_round(*, user: Any, obj: Any = None) -> bool:
    """Edit, open or close a round: the secretariat of the round's prefecture only."""
    return obj is not None and is_secretariat_of(user, obj.prefecture_id)


# --- applying and profiles ------------------------------------------------------------------------------------


def can_apply(*, user: Any, obj: Any = None) -> bool:
    """Only an applicant's (talent) account applies; staff accounts would mix roles in one person."""
    return is_talent(user)


def can_create_profile(*, user: Any, obj: Any = None) -> bool:
    """A profile is created by the applicant themselves, when they first apply to a prefecture."""
    return is_talent(user)


def can_edit_profile(*, user: Any, obj: Any = None) -> bool:
    """The applicant edits their own profile; the holding prefecture may correct it."""
    if obj is None or not is_authenticated(user):
        return False
    return user.pk == obj.user_id or is_secretariat_of(user, obj.prefecture_id)


def can_upload_evidence(*, user: Any, obj: Any = None) -> bool:
    """Proofs are uploaded by the applicant only (obj: the profile), so the secretariat never adds papers
    to someone's file on their behalf."""
    return obj is not None and is_authenticated(user) and user.pk == obj.user_id


def can_view_full_profile(*, user: Any, obj: Any = None) -> bool:
    """The personal data of a profile (obj): the applicant, the holding prefecture's secretariat, and a
    municipality once both sides accepted a proposal for one of its needs."""
    if obj is None or not is_authenticated(user):
        return False
    if is_talent(user):
        return obj.user_id == user.pk
    if is_officer(user):
        # Pseudonymisation lifts for a municipality once both sides accepted a proposal for one of its needs.
        from dxpool.matching.selectors import accepted_between

        return accepted_between(municipality_id=user.municipality_id_scope, profile_id=obj.pk)
    return is_secretariat_of(user, obj.prefecture_id)


# --- applications and screening --------------------------------------------------------------------------------


def can_screen_application(*, user: Any, obj: Any = None) -> bool:
    """Screening decisions, status moves, training records and the decisions' history of an application
    (obj): the secretariat of the round's prefecture."""
    return obj is not None and is_secretariat_of(user, obj.round.prefecture_id)


def can_withdraw_application(*, user: Any, obj: Any = None) -> bool:
    """The applicant may withdraw their own application (the only move they make themselves)."""
    return obj is not None and is_talent(user) and obj.profile.user_id == user.pk


# --- the pool --------------------------------------------------------------------------------------------------


def can_search_pool(*, user: Any, obj: Any = None) -> bool:
    """The pool serves the prefecture and its municipalities (municipalities see it pseudonymised)."""
    return is_secretariat(user) or is_officer(user)


def can_view_pool_full(*, user: Any, obj: Any = None) -> bool:
    """Names and contacts in the pool list: the secretariat, which holds the personal data."""
    return is_secretariat(user)


def can_list_full_names(*, user: Any, obj: Any = None) -> bool:
    """Lists that name people in full (applications, the pool): the secretariat, which holds the personal
    data. Every such list view is audited with the people it showed."""
    return is_secretariat(user)


def can_export_pool(*, user: Any, obj: Any = None) -> bool:
    """The pool as Excel/CSV (personal data): the secretariat only."""
    return is_secretariat(user)

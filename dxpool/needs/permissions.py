"""Who may do what with hearing records, job descriptions and needs, written once.

The municipality officer writes for its own municipality; the prefecture secretariat writes on behalf of its
municipalities, and alone writes joint JDs (of its groupings) and moves needs; national users write nothing and
read aggregates only (can_view_records). Services enforce these predicates with `require(...)`; selectors and
views ask them to show or hide actions. Reading is the selectors' scope (dxpool.core.scope, narrowed by
can_view_records), not a predicate per object: out of scope is NotFound.

The `*_refusal` helpers give the message for a refused predicate in the user's terms (a national user is told
that it reads only, an officer which municipality it may not write for).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dxpool.core.permissions import (
    is_authenticated,
    is_national,
    is_officer,
    is_officer_of,
    is_secretariat,
    is_secretariat_of,
)

# --- role suggestion ----------------------------------------------------------------------------------------


def can_suggest_roles(*, user: Any, obj: Any = None) -> bool:
    """Ask for persona suggestions on an issue text: the roles that write hearings (officers, secretariats).
    The analysis is synchronous and grows faster than the text, so it is not open to every account."""
    return is_officer(user) or is_secretariat(user)


# --- records at all ----------------------------------------------------------------------------------------


def can_view_records(*, user: Any) -> bool:
    """Record-level hearings, JDs and needs at all (the selectors then scope them): the prefecture secretariat
    and the municipal officer. Least privilege: national users read aggregates and reference data only (the
    national roll-up and each prefecture's figures per municipality), never a record with its respondents,
    interviewers or checklist signers; talent none."""
    return is_secretariat(user) or is_officer(user)


# --- hearing records ---------------------------------------------------------------------------------------


def can_edit_hearing(*, user: Any, municipality: Any) -> bool:
    """The officer of the municipality, or the secretariat of its prefecture acting on its behalf."""
    return is_officer_of(user, municipality.pk) or is_secretariat_of(user, municipality.prefecture_id)


def hearing_edit_refusal(*, user: Any, municipality: Any) -> str:
    if not is_authenticated(user):
        return "ログインが必要です。"
    if is_national(user):
        return "国の利用者は閲覧のみできます。"
    return f"{municipality.name}の記録を編集する権限がありません。"


def can_import_hearings(*, user: Any) -> bool:
    """Uploading hearing sheets at all; each row is then held to can_edit_hearing."""
    return is_secretariat(user) or is_officer(user)


def can_confirm_hearing_import(*, user: Any, obj: Any) -> bool:
    """Applying a previewed import: the person who uploaded it (the preview was made for their eyes and scope)."""
    return can_import_hearings(user=user) and obj.created_by_id is not None and obj.created_by_id == user.pk


def can_undo_hearing_import(*, user: Any, obj: Any) -> bool:
    """Undoing an applied import as a whole: the secretariat of the prefecture it touched, or the officer for its
    own import (an officer's import only ever holds its own municipality's records)."""
    if is_secretariat_of(user, obj.prefecture_id):
        return True
    return (obj.municipality_id is not None and is_officer_of(user, obj.municipality_id)
            and obj.created_by_id == user.pk)


def can_download_hearing_template(*, user: Any) -> bool:
    """The blank sheet is for those who fill it in (national users have no municipality to fill it for)."""
    return is_secretariat(user) or is_officer(user)


def can_export_hearings(*, user: Any) -> bool:
    """The secretariat and the officer export the records in their scope; a record export is never an aggregate,
    so national users have none (they read the roll-up)."""
    return can_view_records(user=user)


# --- the overview ------------------------------------------------------------------------------------------------


def can_view_overview(*, user: Any) -> bool:
    """A prefecture's overview: its own secretariat, and national users for any prefecture."""
    return is_national(user) or is_secretariat(user)


def can_view_national_rollup(*, user: Any) -> bool:
    return is_national(user)


# --- job descriptions ------------------------------------------------------------------------------------------


def can_create_jd(*, user: Any, municipality: Any = None, grouping: Any = None) -> bool:
    """A municipality's JD: as can_edit_hearing; a joint JD of a grouping: that prefecture's secretariat only."""
    if grouping is not None:
        return is_secretariat_of(user, grouping.prefecture_id)
    return municipality is not None and can_edit_hearing(user=user, municipality=municipality)


def can_create_joint_jd(*, user: Any) -> bool:
    """Whether to offer joint JDs at all (the grouping itself is checked by can_create_jd)."""
    return is_secretariat(user)


def can_edit_jd(*, user: Any, obj: Any) -> bool:
    """Edit, tick the checklist, submit and withdraw. Joint JDs are the prefecture's to write, for all members."""
    if obj.grouping_id:
        return is_secretariat_of(user, obj.prefecture_id)
    return can_edit_hearing(user=user, municipality=obj.municipality)


def jd_edit_refusal(*, user: Any, obj: Any) -> str:
    if obj.grouping_id:
        return "広域連携の共同ジョブディスクリプションを編集できるのは、都道府県の事務局だけです。"
    return hearing_edit_refusal(user=user, municipality=obj.municipality)


def jd_create_refusal(*, user: Any, municipality: Any = None, grouping: Any = None) -> str:
    if grouping is not None:
        return "広域連携の共同ジョブディスクリプションを作成できるのは、その都道府県の事務局だけです。"
    return hearing_edit_refusal(user=user, municipality=municipality)


# --- needs ---------------------------------------------------------------------------------------------------------


def can_create_need(*, user: Any, prefecture_id: int, municipality_ids: Iterable[int]) -> bool:
    """The secretariat for municipalities of its prefecture; an officer for its own municipality alone."""
    if is_secretariat(user):
        return is_secretariat_of(user, prefecture_id)
    return is_officer(user) and set(municipality_ids) == {user.municipality_id_scope}


def need_create_refusal(*, user: Any) -> str:
    if is_secretariat(user):
        return "他の都道府県の市町村のニーズは登録できません。"
    if is_officer(user):
        return "市町村の担当者が登録できるのは自団体のニーズだけです。"
    return "ニーズを登録できるのは都道府県の事務局と市町村の担当者だけです。"


def can_manage_need(*, user: Any, obj: Any) -> bool:
    """Close or reopen a need: the secretariat of its prefecture (a need is filled by matching, never by hand)."""
    return is_secretariat_of(user, obj.prefecture_id)

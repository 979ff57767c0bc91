"""Reads of places, scoped by the acting user.

Reference data (names, codes, coordinates) is public, but a municipality's page carries tenant data, so
municipality officers see only their own municipality and prefecture staff only their own prefecture.
"""

from django.db.models import Count, Q, QuerySet

from dxpool.accounts.models import User
from dxpool.core.errors import NotFound
from dxpool.core.scope import by_role
from dxpool.core.text import nfkc, to_katakana
from dxpool.places.models import Grouping, Municipality, MunicipalityType, Prefecture


def municipality_scope(*, user: User) -> QuerySet[Municipality]:
    """All municipalities the user may see."""
    qs = Municipality.objects.select_related("prefecture")
    return by_role(qs, user, prefecture="prefecture_id", municipality="pk")


def municipality_list(*, user: User, prefecture: str | None = None, type: str | None = None,
                      q: str | None = None) -> QuerySet[Municipality]:
    """Municipalities in scope, filtered by prefecture code or name, type and a name/kana/code search."""
    qs = municipality_scope(user=user)
    if prefecture:
        p = nfkc(prefecture)
        qs = qs.filter(Q(prefecture__code=p.zfill(2) if p.isdigit() else p) | Q(prefecture__name=p))
    if type:
        if type not in MunicipalityType.values:
            from dxpool.core.errors import ValidationError

            raise ValidationError(
                f"区分「{type}」は使えません。次のいずれかを指定してください: {'、'.join(MunicipalityType.values)}",
                field="type",
            )
        qs = qs.filter(type=type)
    if q:
        term = nfkc(q)
        qs = qs.filter(Q(name__contains=term) | Q(kana__contains=to_katakana(term)) | Q(code__startswith=term))
    return qs


def municipality_get(*, user: User, code: str) -> Municipality:
    """One municipality by its 6-digit code, or NotFound when unknown or out of scope."""
    code = nfkc(code)
    m = municipality_scope(user=user).filter(code=code).first()
    if m is None:
        raise NotFound(f"団体コード「{code}」の市区町村は見つからないか、閲覧権限がありません。")
    return m


def prefecture_list(*, user: User) -> QuerySet[Prefecture]:
    """Prefectures in scope, annotated with municipality counts."""
    qs = Prefecture.objects.annotate(municipality_count=Count("municipalities"))
    # A municipal officer sees the prefecture its municipality belongs to.
    return by_role(qs, user, prefecture="pk", municipality=lambda q, _mid: q.filter(pk=user.prefecture_id_scope))


def grouping_scope(*, user: User) -> QuerySet[Grouping]:
    """Groupings the user may see: a prefecture its own, a municipality those it belongs to, national all."""
    qs = Grouping.objects.select_related("prefecture").prefetch_related("members")
    return by_role(
        qs, user, prefecture="prefecture_id", municipality=lambda q, mid: q.filter(members__pk=mid).distinct()
    )


def groupings_of(*, user: User, municipality: Municipality) -> QuerySet[Grouping]:
    """The groupings in the user's scope that the municipality belongs to (its page lists them)."""
    return grouping_scope(user=user).filter(members=municipality)


def grouping_list(*, user: User, q: str | None = None, kind: str | None = None) -> QuerySet[Grouping]:
    qs = grouping_scope(user=user)
    if q:
        qs = qs.filter(name__contains=nfkc(q))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def grouping_get(*, user: User, pk: int) -> Grouping:
    g = grouping_scope(user=user).filter(pk=pk).first()
    if g is None:
        raise NotFound("指定の広域連携は見つからないか、閲覧権限がありません。")
    return g


def reference_counts() -> dict:
    """The counts `dxpool check` prints, in the order of seed 004's table."""
    by_type = dict(Municipality.objects.values_list("type").annotate(n=Count("id")).order_by())
    return {
        "prefectures": Prefecture.objects.count(),
        "municipalities": Municipality.objects.count(),
        "by_type": {t: by_type.get(t, 0) for t in MunicipalityType.values},
    }

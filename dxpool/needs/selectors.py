"""Reads of needs and hearing records, scoped by the acting user."""

from django.db.models import QuerySet

from dxpool.accounts.models import Role, User
from dxpool.core.errors import NotFound
from dxpool.needs.models import HearingRecord, Need


def hearing_scope(*, user: User) -> QuerySet[HearingRecord]:
    qs = HearingRecord.objects.select_related("municipality", "municipality__prefecture", "grouping")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.NATIONAL:
        return qs
    if user.role == Role.PREFECTURE:
        return qs.filter(municipality__prefecture_id=user.prefecture_id_scope)
    if user.role == Role.MUNICIPALITY:
        return qs.filter(municipality_id=user.municipality_id_scope)
    return qs.none()


def hearing_get(*, user: User, pk: int) -> HearingRecord:
    h = hearing_scope(user=user).filter(pk=pk).first()
    if h is None:
        raise NotFound("指定のヒアリング記録は見つからないか、閲覧権限がありません。")
    return h


def need_scope(*, user: User) -> QuerySet[Need]:
    qs = Need.objects.select_related("prefecture", "grouping").prefetch_related("municipalities")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.NATIONAL:
        return qs
    if user.role == Role.PREFECTURE:
        return qs.filter(prefecture_id=user.prefecture_id_scope)
    if user.role == Role.MUNICIPALITY:
        return qs.for_municipality(user.municipality_id_scope)
    return qs.none()

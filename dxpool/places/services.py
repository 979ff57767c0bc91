"""Writes of places: loading the reference data and maintaining groupings."""

from django.db import transaction

from dxpool.accounts.models import User
from dxpool.core.audit import AuditAction, audit_record
from dxpool.core.errors import Conflict, ValidationError
from dxpool.core.permissions import require
from dxpool.core.text import nfkc
from dxpool.places.models import Grouping, GroupingKind, Municipality, Prefecture
from dxpool.places.permissions import can_create_grouping, can_edit_grouping


@transaction.atomic
def reference_load() -> dict:
    """Load or refresh the 47 prefectures and 1,741 municipalities from the packaged data files.

    Idempotent: rows are matched by code and updated in place, so running it twice changes nothing and
    foreign keys pointing at municipalities survive a refresh.
    """
    from dxpool.places import reference  # pure reader of the packaged CSV files

    prefectures = {p.code: p for p in Prefecture.objects.all()}
    created = updated = 0
    for rec in reference.load_prefectures():
        fields = {"lg_code": rec.lg_code, "name": rec.name, "kana": rec.kana, "name_en": rec.name_en,
                  "lat": rec.lat, "lng": rec.lng}
        obj = prefectures.get(rec.code)
        if obj is None:
            prefectures[rec.code] = Prefecture.objects.create(code=rec.code, **fields)
            created += 1
        elif any(getattr(obj, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(obj, k, v)
            obj.save()
            updated += 1

    existing = {m.code: m for m in Municipality.objects.all()}
    to_create, to_update = [], []
    fields = ["prefecture_id", "name", "kana", "type", "lat", "lng"]
    for rec in reference.load_municipalities():
        values = {"prefecture_id": prefectures[rec.prefecture_code].pk, "name": rec.name, "kana": rec.kana,
                  "type": rec.type, "lat": rec.lat, "lng": rec.lng}
        obj = existing.get(rec.code)
        if obj is None:
            to_create.append(Municipality(code=rec.code, **values))
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            to_update.append(obj)
    Municipality.objects.bulk_create(to_create, batch_size=500)
    Municipality.objects.bulk_update(to_update, fields, batch_size=500)
    return {
        "prefectures_created": created,
        "prefectures_updated": updated,
        "municipalities_created": len(to_create),
        "municipalities_updated": len(to_update),
        "source": reference.data_header(),
    }


EDIT_REFUSED = "広域連携を編集できるのは、その都道府県の事務局だけです。"


def _members(prefecture: Prefecture, member_codes: list[str]) -> list[Municipality]:
    codes = [nfkc(c) for c in member_codes if nfkc(c)]
    if len(codes) < 2:
        raise ValidationError("広域連携には2つ以上の市町村を選んでください。", field="members")
    found = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError(f"団体コード「{unknown[0]}」の市区町村はありません。", field="members")
    # A prefecture maintains groupings of its own municipalities; cross-border members belong to the other side.
    outside = [m for m in found.values() if m.prefecture_id != prefecture.pk]
    if outside:
        raise ValidationError(f"{outside[0]}は{prefecture.name}の市町村ではありません。", field="members")
    return list(found.values())


@transaction.atomic
def grouping_create(*, actor: User, name: str, kind: str, member_codes: list[str], note: str = "") -> Grouping:
    """Create a grouping of the actor's prefecture."""
    require(can_create_grouping(user=actor), EDIT_REFUSED)
    prefecture = actor.organisation.prefecture
    name = nfkc(name)
    if not name:
        raise ValidationError("名称を入力してください。", field="name")
    if kind not in GroupingKind.values:
        raise ValidationError("種類を選んでください。", field="kind")
    if Grouping.objects.filter(prefecture=prefecture, name=name).exists():
        raise ValidationError(f"「{name}」という広域連携はすでにあります。", field="name")
    members = _members(prefecture, member_codes)
    grouping = Grouping.objects.create(prefecture=prefecture, name=name, kind=kind, note=note, created_by=actor)
    grouping.members.set(members)
    audit_record(actor=actor, action=AuditAction.GROUPING_CREATE, target=grouping, prefecture=prefecture,
                 detail={"members": sorted(m.code for m in members)})
    return grouping


@transaction.atomic
def grouping_update(*, actor: User, grouping: Grouping, name: str, kind: str, member_codes: list[str],
                    note: str = "") -> Grouping:
    """Rename, re-kind or change the members of a grouping."""
    require(can_edit_grouping(user=actor, obj=grouping), EDIT_REFUSED)
    name = nfkc(name)
    if not name:
        raise ValidationError("名称を入力してください。", field="name")
    if kind not in GroupingKind.values:
        raise ValidationError("種類を選んでください。", field="kind")
    if Grouping.objects.filter(prefecture=grouping.prefecture, name=name).exclude(pk=grouping.pk).exists():
        raise ValidationError(f"「{name}」という広域連携はすでにあります。", field="name")
    members = _members(grouping.prefecture, member_codes)
    grouping.name, grouping.kind, grouping.note = name, kind, note
    grouping.save()
    grouping.members.set(members)
    audit_record(actor=actor, action=AuditAction.GROUPING_UPDATE, target=grouping, prefecture=grouping.prefecture,
                 detail={"members": sorted(m.code for m in members)})
    return grouping


@transaction.atomic
def grouping_delete(*, actor: User, grouping: Grouping) -> None:
    """Delete a grouping (its municipalities are untouched)."""
    require(can_edit_grouping(user=actor, obj=grouping), EDIT_REFUSED)
    # A joint JD belongs to the grouping (its owner); deleting the grouping would orphan it, so the JD must
    # be withdrawn or moved first. Said in words rather than left to the database's PROTECT error.
    joint = grouping.job_descriptions.count()
    if joint:
        raise Conflict(f"この広域連携には共同のジョブディスクリプションが{joint}件あるため削除できません。"
                       "先にジョブディスクリプションを整理してください。")
    audit_record(actor=actor, action=AuditAction.GROUPING_DELETE, target=grouping, prefecture=grouping.prefecture,
                 detail={"name": grouping.name})
    grouping.delete()

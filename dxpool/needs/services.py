"""Writes for needs. (Hearing records and job descriptions, which submit needs, come with issue 4.)"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from dxpool.accounts.models import Role, User
from dxpool.core.audit import audit_record
from dxpool.core.errors import Forbidden, ValidationError
from dxpool.core.text import nfkc
from dxpool.needs.models import Need
from dxpool.places.models import Grouping, Municipality
from dxpool.talent.models import PERSONA_CHOICES, AppointmentForm

PERSONAS = {code for code, _ in PERSONA_CHOICES}


def _number(value: Any, *, field: str, label: str, lo: float, hi: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{label}は数値で入力してください。", field=field) from None
    if not lo <= number <= hi:
        raise ValidationError(f"{label}は{lo:g}〜{hi:g}の範囲で入力してください。", field=field)
    return number


@transaction.atomic
def need_create(*, actor: User, title: str, persona: str, municipality_codes: list[str], hours_per_week: Any,
                onsite_days_per_month: Any = 0, weight: Any = 1.0, excluded_employers: list[str] | None = None,
                skills: list[str] | None = None, appointment_forms: list[str] | None = None,
                period_from: date | None = None, period_to: date | None = None,
                grouping: Grouping | None = None) -> Need:
    """Open a need for one municipality, or jointly for several of one prefecture."""
    codes = [nfkc(c) for c in municipality_codes if nfkc(c)]
    if not codes:
        raise ValidationError("市町村を1つ以上指定してください。", field="municipalities")
    found = list(Municipality.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {m.code for m in found})
    if missing:
        raise ValidationError(f"団体コード「{missing[0]}」の市区町村はありません。", field="municipalities")
    prefectures = {m.prefecture_id for m in found}
    if len(prefectures) != 1:
        raise ValidationError("共同ニーズの市町村は同じ都道府県の中で指定してください。", field="municipalities")
    prefecture_id = prefectures.pop()
    if actor.role == Role.PREFECTURE:
        if actor.prefecture_id_scope != prefecture_id:
            raise Forbidden("他の都道府県の市町村のニーズは登録できません。")
    elif actor.role == Role.MUNICIPALITY:
        if {m.pk for m in found} != {actor.municipality_id_scope}:
            raise Forbidden("市町村の担当者が登録できるのは自団体のニーズだけです。")
    else:
        raise Forbidden("ニーズを登録できるのは都道府県の事務局と市町村の担当者だけです。")
    if persona not in PERSONAS:
        raise ValidationError(f"人材像「{persona}」はありません。", field="persona")
    forms = list(appointment_forms or [])
    if any(f not in AppointmentForm.values for f in forms):
        raise ValidationError("任用形態の値が不正です。", field="appointment_forms")
    if period_from and period_to and period_from > period_to:
        raise ValidationError("期間の開始が終了より後になっています。", field="period_from")
    title = nfkc(title)
    if not title:
        raise ValidationError("件名を入力してください。", field="title")
    need = Need.objects.create(
        prefecture_id=prefecture_id, title=title, persona=persona, grouping=grouping,
        hours_per_week=_number(hours_per_week, field="hours_per_week", label="週あたり時間", lo=0.5, hi=40),
        onsite_days_per_month=_number(onsite_days_per_month, field="onsite_days_per_month", label="月あたり現地日数",
                                      lo=0, hi=31),
        weight=_number(weight, field="weight", label="優先度の重み", lo=0.1, hi=10),
        excluded_employers=[nfkc(e) for e in excluded_employers or [] if nfkc(e)],
        skills=[nfkc(s) for s in skills or [] if nfkc(s)], appointment_forms=forms,
        period_from=period_from, period_to=period_to, created_by=actor,
    )
    need.municipalities.set(found)
    audit_record(actor=actor, action="need.create", target=need, prefecture=need.prefecture)
    return need


# --- hearing records ----------------------------------------------------------------------------------------

class HearingImportError(ValidationError):
    """Every problem found in an import, each located by file, sheet, row and column; nothing was written."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__(f"{len(self.errors)}件のエラーがあるため、取り込みませんでした。", field="files")


def hearing_import(*, actor: User, files: list[tuple[str, bytes]]) -> dict:
    """Import one or many hearing workbooks: validate all first; any error → nothing is written.

    Re-importing a municipality and year updates its record (never a duplicate).
    """
    from dxpool.needs.excel import CellError, parse_workbook, to_model_values
    from dxpool.needs.models import HearingRecord

    if actor.role not in (Role.PREFECTURE, Role.MUNICIPALITY, Role.NATIONAL):
        raise Forbidden("ヒアリングシートを取り込めるのは国・都道府県の事務局・市町村の担当者だけです。")
    if not files:
        raise ValidationError("ファイルを選んでください。", field="files")
    parsed = None
    for name, content in files:
        parsed = parse_workbook(name, content, parsed)
    errors = list(parsed.errors)
    codes = {code for code, _ in parsed.records}
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=codes).select_related("prefecture")}
    groupings = {(g.prefecture_id, g.name): g for g in
                 Grouping.objects.filter(prefecture_id__in={m.prefecture_id for m in municipalities.values()})}
    prepared = []
    for (code, year), values in sorted(parsed.records.items()):
        file, sheet, row = values["_where"]
        m = municipalities.get(code)
        if m is None:
            errors.append(CellError(file, sheet, row, "A", f"団体コード「{code}」の市区町村はありません"))
            continue
        # The ministry may load survey results for anyone; a prefecture its own; a municipality itself.
        allowed = (actor.role == Role.NATIONAL
                   or (actor.role == Role.PREFECTURE and m.prefecture_id == actor.prefecture_id_scope)
                   or (actor.role == Role.MUNICIPALITY and m.pk == actor.municipality_id_scope))
        if not allowed:
            errors.append(CellError(file, sheet, row, "A", f"{m}のヒアリング記録を登録する権限がありません"))
            continue
        fields = to_model_values(values)
        grouping_name = fields.pop("grouping", None)
        if grouping_name:
            grouping = groupings.get((m.prefecture_id, grouping_name))
            if grouping is None:
                errors.append(CellError(file, "基本情報", row, None, f"広域連携「{grouping_name}」は登録されていません"))
                continue
            fields["grouping"] = grouping
        if (fields.get("it_staff") is not None and fields.get("staff_total") is not None
                and fields["it_staff"] > fields["staff_total"]):
            errors.append(CellError(file, "基本情報", row, None, "情報担当職員数が職員数を超えています"))
            continue
        prepared.append((m, year, fields))
    if errors:
        raise HearingImportError(errors)
    with transaction.atomic():
        existing = {(h.municipality_id, h.fiscal_year): h for h in HearingRecord.objects.filter(
            municipality__in=[m for m, _, _ in prepared])}
        to_create, updated = [], 0
        for m, year, fields in prepared:
            record = existing.get((m.pk, year))
            if record is None:
                to_create.append(HearingRecord(municipality=m, fiscal_year=year, entered_by=actor, **fields))
            else:
                # One UPDATE per record: on SQLite this is several times faster than bulk_update's CASE chains.
                HearingRecord.objects.filter(pk=record.pk).update(entered_by=actor, updated_at=timezone.now(),
                                                                   **fields)
                updated += 1
        HearingRecord.objects.bulk_create(to_create, batch_size=500)
        created = len(to_create)
        audit_record(actor=actor, action="hearing.import", prefecture=actor.organisation.prefecture if actor.organisation_id else None,
                     detail={"files": [n for n, _ in files], "created": created, "updated": updated})
    return {"created": created, "updated": updated, "files": len(files)}

"""Hearing records: validating one record field by field (`hearing_clean`) and saving it (`hearing_save`).

One record per municipality and fiscal year, written by the municipality's officer or by its prefecture's
secretariat on its behalf (dxpool.needs.permissions.can_edit_hearing).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from dxpool.accounts.models import User
from dxpool.core import coerce
from dxpool.core.audit import AuditAction, audit_record
from dxpool.core.errors import ValidationError
from dxpool.core.permissions import is_secretariat, require
from dxpool.core.text import nfkc
from dxpool.needs.models import HEARING_SCALAR_FIELDS, HearingRecord
from dxpool.needs.permissions import can_edit_hearing, hearing_edit_refusal
from dxpool.needs.reference import (
    MEASURE_STATUSES,
    MEASURES,
    POLICY_STATUSES,
    STEP_STATUSES,
    STEPS,
    SUPPORT_KINDS,
    SYSTEM_STATUSES,
    SYSTEMS,
    TIERS,
    codes,
    labels,
)
from dxpool.places.models import Grouping, Municipality
from dxpool.talent.models import AppointmentForm

FieldErrors = list[tuple[str, str]]


class HearingValidationError(ValidationError):
    """Every problem of one hearing record, as (field path, message) pairs; the message is the first."""

    def __init__(self, errors: FieldErrors):
        self.errors = list(errors)
        path, message = self.errors[0]
        more = f"（ほか{len(self.errors) - 1}件）" if len(self.errors) > 1 else ""
        super().__init__(message + more, field=path)


class GroupingIndex:
    """Groupings of some prefectures with their members, so an import of many records asks the database once."""

    def __init__(self, prefecture_ids: Iterable[int]):
        self.by_pk: dict[int, Grouping] = {}
        self.by_name: dict[tuple[int, str], Grouping] = {}
        self.members: dict[int, set[int]] = {}
        for g in Grouping.objects.filter(prefecture_id__in=set(prefecture_ids)).prefetch_related("members"):
            self.by_pk[g.pk] = g
            self.by_name[(g.prefecture_id, nfkc(g.name))] = g  # names compare after NFKC (（） and () alike)
            self.members[g.pk] = {m.pk for m in g.members.all()}

    def find(self, municipality: Municipality, *, pk: Any = None,
             name: str | None = None) -> tuple[Grouping | None, str | None]:
        g = self.by_pk.get(pk) if pk is not None else self.by_name.get((municipality.prefecture_id, nfkc(name)))
        if g is None or g.prefecture_id != municipality.prefecture_id:
            return None, (f"広域連携「{name if name is not None else pk}」は{municipality.prefecture.name}"
                          "に登録されていません。")
        if municipality.pk not in self.members[g.pk]:
            return None, f"{municipality.name}は広域連携「{g.name}」の構成市町村ではありません。"
        return g, None


def _status_map(raw: Any, *, path: str, known: Mapping[str, str], statuses: list[tuple[str, str]],
                with_note: bool = False, month: bool = False, errors: FieldErrors) -> dict:
    """{code: {"status": …[, "note"|"planned_month"]}} validated; a plain status string is accepted too."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors.append((path, f"{path}は項目コードをキーとするオブジェクトで指定してください。"))
        return {}
    status_codes, out = codes(statuses), {}
    for code, item in raw.items():
        if code not in known:
            errors.append((f"{path}.{code}", f"項目「{code}」はありません（{'・'.join(known)}）。"))
            continue
        item = {"status": item} if isinstance(item, str) or item is None else item
        if not isinstance(item, dict):
            errors.append((f"{path}.{code}.status", f"{known[code]}の指定が不正です。"))
            continue
        status = item.get("status") or None
        entry: dict[str, Any] = {}
        if status is not None:
            if status not in status_codes:
                errors.append((f"{path}.{code}.status",
                               f"{known[code]}の状況「{status}」は選択肢にありません（{'・'.join(status_codes)}）。"))
                continue
            entry["status"] = status
        if with_note and item.get("note"):
            note = str(item["note"]).strip()
            if len(note) > 500:
                errors.append((f"{path}.{code}.note", f"{known[code]}の備考は500文字以内で入力してください。"))
                continue
            entry["note"] = note
        if month and item.get("planned_month"):
            try:
                entry["planned_month"] = coerce.month_or_none(item["planned_month"], label="移行予定月",
                                                              field=f"{path}.{code}.planned_month")
            except ValidationError as exc:
                errors.append((exc.field, f"{known[code]}の{exc.message}"))
                continue
        if entry:
            out[code] = entry
    return out


def decimal_1(value: float) -> Decimal:
    """One decimal place, as the model's DecimalFields store it."""
    return Decimal(str(round(value, 1)))


def _choice(raw: Any, *, field: str, label: str, choices: list[tuple[str, str]], default: str) -> str:
    value = raw or default
    if value and value not in codes(choices):
        raise ValidationError(f"{label}「{raw}」は選択肢にありません（{'・'.join(codes(choices))}）。", field=field)
    return value


# field: (kind, label, *args); kinds are coerce's date, text, boolean and integer.
_SCALAR_RULES: dict[str, tuple] = {
    "heard_on": ("date", "ヒアリング実施日"),
    "policy_adopted_on": ("date", "全体方針の決定日"),
    "support_from": ("date", "支援開始希望日"),
    "respondent": ("text", "回答者", 120),
    "interviewers": ("text", "聞き取り担当", 200),
    "dx_department": ("text", "DX推進担当部門", 120),
    "dx_department_placement": ("text", "部門の位置付け", 120),
    "cio_appointed": ("bool", "CIOの任命"),
    "cio_adviser_appointed": ("bool", "CIO補佐官等の任用"),
    "cio_adviser_external": ("bool", "CIO補佐官等は外部人材"),
    "shareable": ("bool", "近隣と共有可"),
    "staff_total": ("int", "職員数", 0, 1_000_000),
    "it_staff": ("int", "情報担当職員数", 0, 100_000),
    "dx_leaders": ("int", "DX推進リーダー数", 0, 1_000_000),
    "support_months": ("int", "支援期間（月）", 1, 60),
    "onsite_days_per_month": ("int", "月あたり現地日数", 0, 31),
    "budget_yen": ("int", "予算（円）", 0, 2_000_000_000, "円"),
}


def _scalar(f: str, raw: Any) -> Any:
    """One scalar field of a hearing record, coerced; raises ValidationError naming the field."""
    if f in _SCALAR_RULES:
        kind, label, *args = _SCALAR_RULES[f]
        if kind == "date":
            return coerce.date_or_none(raw, field=f, label=label)
        if kind == "text":
            return coerce.text(raw, field=f, label=label, max_length=args[0])
        if kind == "bool":
            return coerce.boolean(raw, field=f, label=label)
        return coerce.integer_or_none(raw, field=f, label=label, lo=args[0], hi=args[1], unit=args[2] if len(args) > 2 else "")
    if f == "issues":
        # Kept as typed (not NFKC-normalised): the municipality's own words, shown back to it and quoted in JDs.
        value = str(raw or "").strip()
        if len(value) > 4000:
            raise ValidationError("課題は4000文字以内で入力してください。", field=f)
        return value
    if f == "days_per_week":
        days = coerce.number_or_none(raw, field=f, label="週あたり日数", lo=0, hi=7)
        return None if days is None else decimal_1(days)
    if f == "talent_policy_status":
        return _choice(raw, field=f, label="人材育成基本方針", choices=POLICY_STATUSES, default="none")
    if f == "support_kind":
        return _choice(raw, field=f, label="求める支援", choices=SUPPORT_KINDS, default="")
    if f == "appointment_forms":
        return coerce.choice_list(raw, field=f, label="任用形態", allowed=AppointmentForm.values)
    raise KeyError(f)  # pragma: no cover - HEARING_SCALAR_FIELDS and the rules above are kept together


def hearing_clean(*, data: Mapping[str, Any], municipality: Municipality,
                  groupings: GroupingIndex | None = None) -> tuple[dict[str, Any], FieldErrors]:
    """Validate the fields present in `data`; return (model field values, [(field path, message)]).

    Keys absent from `data` are left out of the values, so a partial update leaves them as they are.
    """
    values: dict[str, Any] = {}
    errors: FieldErrors = []
    for f in HEARING_SCALAR_FIELDS:
        if f not in data:
            continue
        try:
            values[f] = _scalar(f, data[f])
        except ValidationError as exc:
            errors.append((exc.field or f, exc.message))
    if "steps" in data:
        values["steps"] = _status_map(data["steps"], path="steps", known=labels(STEPS), statuses=STEP_STATUSES,
                                      errors=errors)
    if "measures" in data:
        values["measures"] = _status_map(data["measures"], path="measures", known=labels(MEASURES),
                                         statuses=MEASURE_STATUSES, with_note=True, errors=errors)
    if "systems" in data:
        values["systems"] = _status_map(data["systems"], path="systems", known={s: s for s in SYSTEMS},
                                        statuses=SYSTEM_STATUSES, month=True, errors=errors)
    if "targets" in data:
        values["targets"] = _targets(data["targets"], errors=errors)
    if "grouping" in data or "grouping_name" in data:
        _grouping(data, values=values, municipality=municipality, groupings=groupings, errors=errors)
    # Facts that only make sense together (also database constraints).
    staff = values.get("staff_total")
    for f, label in (("it_staff", "情報担当職員数"), ("dx_leaders", "DX推進リーダー数")):
        if staff is not None and values.get(f) is not None and values[f] > staff:
            errors.append((f, f"{label}（{values[f]}人）が職員数（{staff}人）を超えています。"))
    # A hearing is something that has happened: the web form, the API and the Excel import all refuse a future
    # date here, so a typo such as 2062 for 2026 never reaches the record (the form also says so at the field).
    heard = values.get("heard_on")
    if heard is not None and heard > timezone.localdate():
        errors.append(("heard_on", f"ヒアリング実施日は今日以前の日付を入力してください（{heard.year}年{heard.month}月"
                                   f"{heard.day}日は未来の日付です）。"))
    if values.get("cio_adviser_external") and "cio_adviser_appointed" in values and not values["cio_adviser_appointed"]:
        errors.append(("cio_adviser_external", "CIO補佐官等を任用していない場合、「外部人材」は選べません。"))
    return values, errors


def _targets(raw: Any, *, errors: FieldErrors) -> dict[str, int]:
    targets, tiers = {}, labels(TIERS)
    if raw is not None and not isinstance(raw, dict):
        errors.append(("targets", "数値目標は人材の類型をキーとするオブジェクトで指定してください。"))
        return {}
    for tier, n in (raw or {}).items():
        if tier not in tiers:
            errors.append((f"targets.{tier}", f"人材の類型「{tier}」はありません（{'・'.join(tiers)}）。"))
            continue
        try:
            n = coerce.integer_or_none(n, field=f"targets.{tier}", label=f"数値目標（{tiers[tier]}）", lo=0,
                                       hi=1_000_000)
        except ValidationError as exc:
            errors.append((exc.field, exc.message))
            continue
        if n is not None:
            targets[tier] = n
    return targets


def _grouping(data: Mapping[str, Any], *, values: dict[str, Any], municipality: Municipality,
              groupings: GroupingIndex | None, errors: FieldErrors) -> None:
    pk, name = data.get("grouping"), data.get("grouping_name")
    path = "grouping" if pk not in (None, "") else "grouping_name"
    if pk in (None, "") and not name:
        values["grouping"] = None
        return
    index = groupings or GroupingIndex([municipality.prefecture_id])
    grouping, message = index.find(municipality, pk=pk if pk not in (None, "") else None, name=name)
    if message:
        errors.append((path, message))
        return
    values["grouping"] = grouping
    if not values.get("shareable", data.get("shareable")):
        errors.append(("shareable", "共有する広域連携を指定するときは「近隣と共有可」にしてください。"))


def fiscal_year_clean(value: Any) -> int:
    """A fiscal year (2020–2100), required."""
    year = coerce.integer_or_none(value, field="fiscal_year", label="年度", lo=2020, hi=2100)
    if year is None:
        raise ValidationError("年度を入力してください。", field="fiscal_year")
    return year


@transaction.atomic
def hearing_save(*, actor: User, municipality: Municipality, fiscal_year: Any,
                 data: Mapping[str, Any]) -> tuple[HearingRecord, bool]:
    """Create or update the municipality's record of the year (one per year); returns (record, created)."""
    require(can_edit_hearing(user=actor, municipality=municipality),
            hearing_edit_refusal(user=actor, municipality=municipality))
    year = fiscal_year_clean(fiscal_year)
    values, errors = hearing_clean(data=data, municipality=municipality)
    if errors:
        raise HearingValidationError(errors)
    record = (HearingRecord.objects.select_for_update(of=("self",))
              .filter(municipality=municipality, fiscal_year=year).first())
    created = record is None
    if created:
        record = HearingRecord(municipality=municipality, fiscal_year=year)
    for k, v in values.items():
        setattr(record, k, v)
    record.entered_by = actor
    record.save()
    audit_record(actor=actor, action=AuditAction.HEARING_CREATE if created else AuditAction.HEARING_UPDATE,
                 target=record, prefecture=municipality.prefecture,
                 detail={"fiscal_year": year, "municipality": municipality.code,
                         "on_behalf": is_secretariat(actor)})
    return record, created

"""Writes of hearing records, job descriptions and needs.

Who may write: the municipality officer for its own municipality, or the prefecture secretariat on behalf of
its municipalities (and for joint JDs of its groupings). National users read only. Status machines are the
tables JD_TRANSITIONS and NEED_TRANSITIONS below.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from dxpool.accounts.models import Role, User
from dxpool.core.audit import AuditAction, audit_record
from dxpool.core.errors import Conflict, Forbidden, ValidationError
from dxpool.core.text import nfkc
from dxpool.needs.models import (
    HEARING_SCALAR_FIELDS,
    HearingRecord,
    JDStatus,
    JobDescription,
    JobDescriptionVersion,
    Need,
    NeedStatus,
)
from dxpool.needs.reference import (
    ACCEPTANCE_CHECKLIST,
    CHECKLIST_CODES,
    MEASURE_STATUSES,
    MEASURES,
    PAY_UNITS,
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
from dxpool.needs.standard_terms import persona_skill_names, persona_terms
from dxpool.places.models import Grouping, Municipality
from dxpool.talent.models import PERSONA_CHOICES, AppointmentForm

PERSONAS = {code for code, _ in PERSONA_CHOICES}
PERSONA_LABELS = {code: str(label) for code, label in PERSONA_CHOICES}
HOURS_PER_DAY = 8  # a draft JD's weekly hours from its days per week; the municipality adjusts them

JD_TRANSITIONS: dict[str, set[str]] = {
    JDStatus.DRAFT: {JDStatus.SUBMITTED, JDStatus.WITHDRAWN},
    JDStatus.SUBMITTED: {JDStatus.WITHDRAWN},
    JDStatus.WITHDRAWN: set(),
}
NEED_TRANSITIONS: dict[str, set[str]] = {
    NeedStatus.OPEN: {NeedStatus.CLOSED, NeedStatus.FILLED},
    NeedStatus.FILLED: {NeedStatus.CLOSED},
    NeedStatus.CLOSED: {NeedStatus.OPEN},
}


# --- permissions ---------------------------------------------------------------------------------------------

def _require_writer(actor: User, municipality: Municipality) -> None:
    """The officer of the municipality, or its prefecture's secretariat acting on its behalf."""
    if not actor.is_authenticated:
        raise Forbidden("ログインが必要です。")
    if actor.role == Role.MUNICIPALITY and actor.municipality_id_scope == municipality.pk:
        return
    if actor.role == Role.PREFECTURE and actor.prefecture_id_scope == municipality.prefecture_id:
        return
    if actor.role == Role.NATIONAL:
        raise Forbidden("国の利用者は閲覧のみできます。")
    raise Forbidden(f"{municipality.name}の記録を編集する権限がありません。")


def _require_jd_writer(actor: User, jd: JobDescription) -> None:
    if jd.grouping_id:
        if not (actor.is_authenticated and actor.role == Role.PREFECTURE
                and actor.prefecture_id_scope == jd.prefecture_id):
            raise Forbidden("広域連携の共同ジョブディスクリプションを編集できるのは、都道府県の事務局だけです。")
        return
    _require_writer(actor, jd.municipality)


# --- value parsing ---------------------------------------------------------------------------------------------

def _number(value: Any, *, field: str, label: str, lo: float, hi: float) -> float:
    if isinstance(value, bool):
        raise ValidationError(f"{label}は数値で入力してください。", field=field)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{label}は数値で入力してください。", field=field) from None
    if not lo <= number <= hi:
        raise ValidationError(f"{label}は{lo:g}〜{hi:g}の範囲で入力してください。", field=field)
    return number


def _int_or_none(value: Any, *, field: str, label: str, lo: int, hi: int) -> int | None:
    if value is None or value == "":
        return None
    number = _number(value, field=field, label=label, lo=lo, hi=hi)
    if number != int(number):
        raise ValidationError(f"{label}は整数で入力してください。", field=field)
    return int(number)


def _date_or_none(value: Any, *, field: str, label: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(f"{label}は YYYY-MM-DD の形式で入力してください。", field=field) from None


def _text(value: Any, *, field: str, label: str, max_length: int) -> str:
    text = nfkc(str(value)) if value is not None else ""
    if len(text) > max_length:
        raise ValidationError(f"{label}は{max_length}文字以内で入力してください。", field=field)
    return text


def _bool(value: Any, *, field: str, label: str) -> bool:
    if value is None or value == "":
        return False
    if not isinstance(value, bool):
        raise ValidationError(f"{label}は true か false で指定してください。", field=field)
    return value


def _forms(value: Any, *, field: str) -> list[str]:
    forms = list(value or [])
    bad = [f for f in forms if f not in AppointmentForm.values]
    if bad:
        raise ValidationError(f"任用形態「{bad[0]}」はありません（{'・'.join(AppointmentForm.values)}）。", field=field)
    return list(dict.fromkeys(forms))


def _month(value: Any, *, field: str) -> str | None:
    if value in (None, ""):
        return None
    s = str(value).strip()
    try:
        y, m = s.split("-")
        if len(y) != 4 or not 2020 <= int(y) <= 2100 or not 1 <= int(m) <= 12:
            raise ValueError
    except ValueError:
        raise ValidationError(f"移行予定月「{s}」は YYYY-MM の形式で入力してください。", field=field) from None
    return f"{int(y):04d}-{int(m):02d}"


# --- hearing records -------------------------------------------------------------------------------------------

class HearingValidationError(ValidationError):
    """Every problem of one hearing record, as (field path, message) pairs; the message is the first."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = list(errors)
        path, message = self.errors[0]
        more = f"（ほか{len(self.errors) - 1}件）" if len(self.errors) > 1 else ""
        super().__init__(message + more, field=path)


class GroupingIndex:
    """Groupings of some prefectures with their members, so an import of many records asks the database once."""

    def __init__(self, prefecture_ids):
        self.by_pk: dict[int, Grouping] = {}
        self.by_name: dict[tuple[int, str], Grouping] = {}
        self.members: dict[int, set[int]] = {}
        for g in Grouping.objects.filter(prefecture_id__in=set(prefecture_ids)).prefetch_related("members"):
            self.by_pk[g.pk] = g
            self.by_name[(g.prefecture_id, nfkc(g.name))] = g  # names compare after NFKC (（） and () alike)
            self.members[g.pk] = {m.pk for m in g.members.all()}

    def find(self, municipality: Municipality, *, pk=None, name=None) -> tuple[Grouping | None, str | None]:
        g = self.by_pk.get(pk) if pk is not None else self.by_name.get((municipality.prefecture_id, nfkc(name)))
        if g is None or g.prefecture_id != municipality.prefecture_id:
            return None, f"広域連携「{name if name is not None else pk}」は{municipality.prefecture.name}に登録されていません。"
        if municipality.pk not in self.members[g.pk]:
            return None, f"{municipality.name}は広域連携「{g.name}」の構成市町村ではありません。"
        return g, None


def _status_map(raw: Any, *, path: str, known: dict[str, str], statuses, with_note: bool = False,
                month: bool = False, errors: list) -> dict:
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
                entry["planned_month"] = _month(item["planned_month"], field=f"{path}.{code}.planned_month")
            except ValidationError as exc:
                errors.append((exc.field, f"{known[code]}の{exc.message}"))
                continue
        if entry:
            out[code] = entry
    return out


_SCALAR_RULES: dict[str, tuple] = {
    # field: (kind, label, *args)
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
    "budget_yen": ("int", "予算（円）", 0, 2_000_000_000),
}


def hearing_clean(data: dict, *, municipality: Municipality,
                  groupings: GroupingIndex | None = None) -> tuple[dict, list[tuple[str, str]]]:
    """Validate the fields present in `data`; return (model field values, [(field path, message)]).

    Keys absent from `data` are left out of the values, so a partial update leaves them as they are.
    """
    values: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    for f in HEARING_SCALAR_FIELDS:
        if f not in data:
            continue
        raw = data[f]
        try:
            if f in _SCALAR_RULES:
                kind, label, *args = _SCALAR_RULES[f]
                if kind == "date":
                    values[f] = _date_or_none(raw, field=f, label=label)
                elif kind == "text":
                    values[f] = _text(raw, field=f, label=label, max_length=args[0])
                elif kind == "bool":
                    values[f] = _bool(raw, field=f, label=label)
                else:
                    values[f] = _int_or_none(raw, field=f, label=label, lo=args[0], hi=args[1])
            elif f == "issues":
                values[f] = str(raw or "").strip()
                if len(values[f]) > 4000:
                    raise ValidationError("課題は4000文字以内で入力してください。", field=f)
            elif f == "days_per_week":
                values[f] = (None if raw in (None, "") else
                             Decimal(str(round(_number(raw, field=f, label="週あたり日数", lo=0, hi=7), 1))))
            elif f == "talent_policy_status":
                values[f] = raw or "none"
                if values[f] not in codes(POLICY_STATUSES):
                    raise ValidationError(f"人材育成基本方針「{raw}」は選択肢にありません（{'・'.join(codes(POLICY_STATUSES))}）。",
                                          field=f)
            elif f == "support_kind":
                values[f] = raw or ""
                if values[f] and values[f] not in codes(SUPPORT_KINDS):
                    raise ValidationError(f"求める支援「{raw}」は選択肢にありません（{'・'.join(codes(SUPPORT_KINDS))}）。",
                                          field=f)
            elif f == "appointment_forms":
                values[f] = _forms(raw, field=f)
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
        targets, tiers = {}, labels(TIERS)
        for tier, n in (data["targets"] or {}).items():
            if tier not in tiers:
                errors.append((f"targets.{tier}", f"人材の類型「{tier}」はありません（{'・'.join(tiers)}）。"))
                continue
            try:
                n = _int_or_none(n, field=f"targets.{tier}", label=f"数値目標（{tiers[tier]}）", lo=0, hi=1_000_000)
            except ValidationError as exc:
                errors.append((exc.field, exc.message))
                continue
            if n is not None:
                targets[tier] = n
        values["targets"] = targets
    if "grouping" in data or "grouping_name" in data:
        pk, name = data.get("grouping"), data.get("grouping_name")
        path = "grouping" if pk not in (None, "") else "grouping_name"
        if pk in (None, "") and not name:
            values["grouping"] = None
        else:
            index = groupings or GroupingIndex([municipality.prefecture_id])
            grouping, message = index.find(municipality, pk=pk if pk not in (None, "") else None, name=name)
            if message:
                errors.append((path, message))
            else:
                values["grouping"] = grouping
                if not values.get("shareable", data.get("shareable")):
                    errors.append(("shareable", "共有する広域連携を指定するときは「近隣と共有可」にしてください。"))
    # Facts that only make sense together (also database constraints).
    staff = values.get("staff_total")
    for f, label in (("it_staff", "情報担当職員数"), ("dx_leaders", "DX推進リーダー数")):
        if staff is not None and values.get(f) is not None and values[f] > staff:
            errors.append((f, f"{label}（{values[f]}人）が職員数（{staff}人）を超えています。"))
    if values.get("cio_adviser_external") and "cio_adviser_appointed" in values and not values["cio_adviser_appointed"]:
        errors.append(("cio_adviser_external", "CIO補佐官等を任用していない場合、「外部人材」は選べません。"))
    return values, errors


def _fiscal_year(value: Any) -> int:
    year = _int_or_none(value, field="fiscal_year", label="年度", lo=2020, hi=2100)
    if year is None:
        raise ValidationError("年度を入力してください。", field="fiscal_year")
    return year


@transaction.atomic
def hearing_save(*, actor: User, municipality: Municipality, fiscal_year: Any, data: dict) -> tuple[HearingRecord, bool]:
    """Create or update the municipality's record of the year (one per year); returns (record, created)."""
    _require_writer(actor, municipality)
    year = _fiscal_year(fiscal_year)
    values, errors = hearing_clean(data, municipality=municipality)
    if errors:
        raise HearingValidationError(errors)
    record = HearingRecord.objects.select_for_update(of=("self",)).filter(municipality=municipality, fiscal_year=year).first()
    created = record is None
    if created:
        record = HearingRecord(municipality=municipality, fiscal_year=year)
    for k, v in values.items():
        setattr(record, k, v)
    record.entered_by = actor
    record.save()
    audit_record(actor=actor, action=AuditAction.HEARING_CREATE if created else AuditAction.HEARING_UPDATE, target=record,
                 prefecture=municipality.prefecture,
                 detail={"fiscal_year": year, "municipality": municipality.code,
                         "on_behalf": actor.role == Role.PREFECTURE})
    return record, created


class HearingImportError(ValidationError):
    """Every problem found in an import, each located by file, sheet, row and column; nothing was written."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__(f"{len(self.errors)}件のエラーがあるため、取り込みませんでした。", field="files")


def hearing_import(*, actor: User, files: list[tuple[str, bytes]], trusted: bool = False) -> dict:
    """Import one or many hearing workbooks: validate everything first; any error → nothing is written.

    Re-importing a municipality and year updates its record (never a duplicate). `trusted` skips the
    per-municipality scope check; only the benchmark and operator scripts pass it.
    """
    from dxpool.needs.excel import CellError, parse_workbooks

    if not trusted and actor.role not in (Role.PREFECTURE, Role.MUNICIPALITY):
        raise Forbidden("ヒアリングシートを取り込めるのは、都道府県の事務局と市町村の担当者だけです。")
    if not files:
        raise ValidationError("ファイルを選んでください。", field="files")
    parsed = parse_workbooks(files)
    errors = list(parsed.errors)
    municipalities = {m.code: m for m in Municipality.objects.filter(
        code__in={code for code, _ in parsed.records}).select_related("prefecture")}
    groupings = GroupingIndex({m.prefecture_id for m in municipalities.values()})
    prepared = []
    for (code, year), rec in sorted(parsed.records.items()):
        file, sheet, row = rec.first
        m = municipalities.get(code)
        if m is None:
            errors.append(CellError(file, sheet, row, "A", f"団体コード「{code}」の市区町村はありません"))
            continue
        allowed = trusted or (
            (actor.role == Role.PREFECTURE and m.prefecture_id == actor.prefecture_id_scope)
            or (actor.role == Role.MUNICIPALITY and m.pk == actor.municipality_id_scope))
        if not allowed:
            errors.append(CellError(file, sheet, row, "A", f"{m}のヒアリング記録を登録する権限がありません"))
            continue
        values, problems = hearing_clean(rec.data, municipality=m, groupings=groupings)
        for path, message in problems:
            where = rec.where.get(path) or (*rec.first, None)
            errors.append(CellError(*where, message.rstrip("。")))
        if not problems:
            prepared.append((m, year, values))
    if errors:
        errors.sort(key=lambda e: (e.file, list(parsed.sheet_order).index(e.sheet) if e.sheet in parsed.sheet_order
                                   else -1, e.row or 0, len(e.column or ""), e.column or ""))
        raise HearingImportError(errors)
    with transaction.atomic():
        existing = {(h.municipality_id, h.fiscal_year): h.pk for h in HearingRecord.objects.filter(
            municipality__in=[m for m, _, _ in prepared]).only("pk", "municipality_id", "fiscal_year")}
        to_create, updated, now = [], 0, timezone.now()
        for m, year, values in prepared:
            pk = existing.get((m.pk, year))
            if pk is None:
                to_create.append(HearingRecord(municipality=m, fiscal_year=year, entered_by=actor, **values))
            else:
                # One UPDATE per record: on SQLite several times faster than bulk_update's CASE chains.
                HearingRecord.objects.filter(pk=pk).update(entered_by=actor, updated_at=now, **values)
                updated += 1
        HearingRecord.objects.bulk_create(to_create, batch_size=500)
        prefecture = actor.organisation.prefecture if actor.organisation_id and actor.role == Role.PREFECTURE else None
        audit_record(actor=actor, action=AuditAction.HEARING_IMPORT, prefecture=prefecture,
                     detail={"files": [n for n, _ in files], "created": len(to_create), "updated": updated})
    return {"created": len(to_create), "updated": updated, "files": len(files)}


# --- needs -------------------------------------------------------------------------------------------------------

@transaction.atomic
def need_create(*, actor: User, title: str, persona: str, municipality_codes: list[str], hours_per_week: Any,
                onsite_days_per_month: Any = 0, weight: Any = 1.0, excluded_employers: list[str] | None = None,
                skills: list[str] | None = None, appointment_forms: list[str] | None = None,
                period_from: date | None = None, period_to: date | None = None,
                grouping: Grouping | None = None, job_description: JobDescription | None = None) -> Need:
    """Open a need for one municipality, or jointly for several of one prefecture."""
    codes_ = [nfkc(c) for c in municipality_codes if nfkc(c)]
    if not codes_:
        raise ValidationError("市町村を1つ以上指定してください。", field="municipalities")
    found = list(Municipality.objects.filter(code__in=codes_))
    missing = sorted(set(codes_) - {m.code for m in found})
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
    forms = _forms(appointment_forms, field="appointment_forms")
    if period_from and period_to and period_from > period_to:
        raise ValidationError("期間の開始が終了より後になっています。", field="period_from")
    title = nfkc(title)
    if not title:
        raise ValidationError("件名を入力してください。", field="title")
    need = Need.objects.create(
        prefecture_id=prefecture_id, title=title, persona=persona, grouping=grouping, job_description=job_description,
        hours_per_week=_number(hours_per_week, field="hours_per_week", label="週あたり時間", lo=0.5, hi=40),
        onsite_days_per_month=_number(onsite_days_per_month, field="onsite_days_per_month", label="月あたり現地日数",
                                      lo=0, hi=31),
        weight=_number(weight, field="weight", label="優先度の重み", lo=0.1, hi=10),
        excluded_employers=[nfkc(e) for e in excluded_employers or [] if nfkc(e)],
        skills=[nfkc(s) for s in skills or [] if nfkc(s)], appointment_forms=forms,
        period_from=period_from, period_to=period_to, created_by=actor,
    )
    need.municipalities.set(found)
    audit_record(actor=actor, action=AuditAction.NEED_CREATE, target=need, prefecture=need.prefecture,
                 detail={"job_description": job_description.pk if job_description else None})
    return need


@transaction.atomic
def need_set_status(*, actor: User, need: Need, status: str) -> Need:
    """Close or reopen a need (the prefecture's secretariat); matching marks needs filled."""
    if actor.role != Role.PREFECTURE or actor.prefecture_id_scope != need.prefecture_id:
        raise Forbidden("ニーズの状態を変更できるのは、その都道府県の事務局だけです。")
    if status not in NEED_TRANSITIONS.get(need.status, set()) or status == NeedStatus.FILLED:
        raise Conflict(f"ニーズを「{need.get_status_display()}」から「{dict(NeedStatus.choices).get(status, status)}」"
                       "にはできません。")
    old = need.status
    need.status = status
    need.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=AuditAction.NEED_STATUS, target=need, prefecture=need.prefecture,
                 detail={"from": old, "to": status})
    return need


# --- job descriptions ---------------------------------------------------------------------------------------------

JD_FIELDS = ["title", "persona", "duties", "skills", "appointment_forms", "pay_min", "pay_max", "pay_unit",
             "days_per_week", "hours_per_week", "onsite_days_per_month", "remote_ok", "period_from", "period_to",
             "host_department", "receiving_structure", "coi_applies", "excluded_employers", "weight"]


def jd_content(version: JobDescriptionVersion | None) -> dict:
    """A version's editable content (what jd_update takes), JSON-friendly."""
    if version is None:
        return {}
    data = {f: getattr(version, f) for f in JD_FIELDS}
    for f in ("days_per_week", "hours_per_week", "onsite_days_per_month"):
        data[f] = float(data[f])
    return data


def _jd_clean(data: dict) -> dict:
    """Validated JD content; raises ValidationError naming the field."""
    out: dict[str, Any] = {}
    out["title"] = _text(data.get("title"), field="title", label="件名", max_length=120)
    if not out["title"]:
        raise ValidationError("件名を入力してください。", field="title")
    persona = data.get("persona")
    if persona not in PERSONAS:
        raise ValidationError(f"人材像「{persona}」はありません。", field="persona")
    out["persona"] = persona
    out["duties"] = str(data.get("duties") or "").strip()
    if not out["duties"]:
        raise ValidationError("業務内容を入力してください。", field="duties")
    allowed = persona_skill_names(persona)
    skills = list(dict.fromkeys(nfkc(s) for s in data.get("skills") or [] if nfkc(s)))
    unknown = [s for s in skills if s not in allowed]
    if unknown:
        raise ValidationError(f"スキル項目「{unknown[0]}」は{PERSONA_LABELS[persona]}のスキル項目にありません"
                              f"（{'・'.join(allowed)}）。", field="skills")
    if not skills:
        raise ValidationError("重視するスキル項目を1つ以上選んでください。", field="skills")
    out["skills"] = skills
    out["appointment_forms"] = _forms(data.get("appointment_forms"), field="appointment_forms")
    if not out["appointment_forms"]:
        raise ValidationError("任用形態を1つ以上選んでください。", field="appointment_forms")
    out["pay_min"] = _int_or_none(data.get("pay_min"), field="pay_min", label="報酬（下限）", lo=0, hi=2_000_000_000)
    out["pay_max"] = _int_or_none(data.get("pay_max"), field="pay_max", label="報酬（上限）", lo=0, hi=2_000_000_000)
    if out["pay_min"] is not None and out["pay_max"] is not None and out["pay_min"] > out["pay_max"]:
        raise ValidationError("報酬の下限が上限を超えています。", field="pay_min")
    out["pay_unit"] = data.get("pay_unit") or "month"
    if out["pay_unit"] not in codes(PAY_UNITS):
        raise ValidationError("報酬の単位が不正です。", field="pay_unit")
    out["days_per_week"] = Decimal(str(round(_number(data.get("days_per_week"), field="days_per_week",
                                                     label="週あたり勤務日数", lo=0.5, hi=7), 1)))
    out["hours_per_week"] = Decimal(str(round(_number(data.get("hours_per_week"), field="hours_per_week",
                                                      label="週あたり時間", lo=0.5, hi=40), 1)))
    out["onsite_days_per_month"] = Decimal(str(round(_number(data.get("onsite_days_per_month") or 0,
                                                             field="onsite_days_per_month", label="月あたり現地勤務日数",
                                                             lo=0, hi=31), 1)))
    out["remote_ok"] = bool(data.get("remote_ok", True))
    if out["onsite_days_per_month"] == 0 and not out["remote_ok"]:
        raise ValidationError("現地勤務日数が0日の場合は「リモート勤務可」にしてください。", field="remote_ok")
    out["period_from"] = _date_or_none(data.get("period_from"), field="period_from", label="期間（開始）")
    out["period_to"] = _date_or_none(data.get("period_to"), field="period_to", label="期間（終了）")
    if out["period_from"] and out["period_to"] and out["period_from"] > out["period_to"]:
        raise ValidationError("期間の開始が終了より後になっています。", field="period_from")
    out["host_department"] = _text(data.get("host_department"), field="host_department", label="受入れ部署",
                                   max_length=120)
    out["receiving_structure"] = str(data.get("receiving_structure") or "").strip()
    out["coi_applies"] = bool(data.get("coi_applies", False))
    out["excluded_employers"] = list(dict.fromkeys(nfkc(e) for e in data.get("excluded_employers") or [] if nfkc(e)))
    out["weight"] = _number(data.get("weight", 1.0), field="weight", label="優先度の重み", lo=0.1, hi=10)
    return out


def _version_create(jd: JobDescription, number: int, content: dict, actor: User, note: str) -> JobDescriptionVersion:
    # The standard in force now is quoted into the version, with its version id.
    terms = persona_terms(content["persona"])
    return JobDescriptionVersion.objects.create(
        jd=jd, number=number, created_by=actor, change_note=_text(note, field="change_note", label="変更内容",
                                                                   max_length=200),
        standard_version=terms["standard_version"], standard_terms=terms, **content)


def _jd_owner(actor: User, municipality: Municipality | None, grouping: Grouping | None):
    if (municipality is None) == (grouping is None):
        raise ValidationError("市町村か広域連携のどちらか一方を指定してください。", field="municipality")
    if grouping is not None:
        if not (actor.is_authenticated and actor.role == Role.PREFECTURE
                and actor.prefecture_id_scope == grouping.prefecture_id):
            raise Forbidden("広域連携の共同ジョブディスクリプションを作成できるのは、その都道府県の事務局だけです。")
        return grouping.prefecture_id
    _require_writer(actor, municipality)
    return municipality.prefecture_id


@transaction.atomic
def jd_create(*, actor: User, data: dict, municipality: Municipality | None = None, grouping: Grouping | None = None,
              hearing: HearingRecord | None = None, change_note: str = "作成") -> JobDescription:
    """Draft a job description for a municipality (or jointly for a grouping); its content is version 1."""
    prefecture_id = _jd_owner(actor, municipality, grouping)
    if hearing is not None:
        members = {m.pk for m in grouping.members.all()} if grouping else {municipality.pk}
        if hearing.municipality_id not in members:
            raise ValidationError("ヒアリング記録がこの市町村のものではありません。", field="hearing")
    content = _jd_clean(data)
    jd = JobDescription.objects.create(prefecture_id=prefecture_id, municipality=municipality, grouping=grouping,
                                       hearing=hearing, created_by=actor, current_version=1)
    _version_create(jd, 1, content, actor, change_note)
    audit_record(actor=actor, action=AuditAction.JD_CREATE, target=jd, prefecture=jd.prefecture,
                 detail={"persona": content["persona"], "hearing": hearing.pk if hearing else None})
    return jd


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def jd_draft_data(*, hearing: HearingRecord, persona: str, skills: list[str] | None = None) -> dict:
    """A first draft from a hearing record and a suggested persona, in the standard's terms (not saved)."""
    if persona not in PERSONAS:
        raise ValidationError(f"人材像「{persona}」はありません。", field="persona")
    from dxpool.needs.selectors import hearing_roles

    terms = persona_terms(persona)
    allowed = persona_skill_names(persona)
    if skills is None:
        suggested = next((r for r in hearing_roles(hearing) if r.code == persona), None)
        skills = [s for s in (suggested.skills if suggested else ()) if s in allowed]
    skills = skills or [s["name"] for s in terms["skills"] if s["category"] == "technical"]
    duties = "\n".join(f"・{r}" for r in terms["roles"])
    if hearing.issues:
        duties += "\n\n【団体の課題（ヒアリングより）】\n" + hearing.issues.strip()
    days = float(hearing.days_per_week or 1)
    period_from = hearing.support_from
    period_to = (_add_months(period_from, hearing.support_months) - timedelta(days=1)
                 if period_from and hearing.support_months else None)
    pay_max = hearing.budget_yen // hearing.support_months if hearing.budget_yen and hearing.support_months else None
    onsite = hearing.onsite_days_per_month or 0
    return {
        "title": f"{hearing.municipality.name} {PERSONA_LABELS[persona]}",
        "persona": persona, "duties": duties, "skills": skills,
        "appointment_forms": list(hearing.appointment_forms or []) or [AppointmentForm.CONTRACT],
        "pay_min": None, "pay_max": pay_max, "pay_unit": "month",
        "days_per_week": max(0.5, min(days, 7)), "hours_per_week": max(0.5, min(days * HOURS_PER_DAY, 40)),
        "onsite_days_per_month": onsite, "remote_ok": True, "period_from": period_from, "period_to": period_to,
        "host_department": hearing.dx_department, "receiving_structure": "",
        # Producers and project managers usually advise on procurement: the bid restriction matters most there.
        "coi_applies": persona in ("producer", "project_manager"), "excluded_employers": [], "weight": 1.0,
    }


def jd_draft_from_hearing(*, actor: User, hearing: HearingRecord, persona: str,
                          skills: list[str] | None = None) -> JobDescription:
    """Draft a JD for one suggested role of a hearing record."""
    _require_writer(actor, hearing.municipality)
    data = jd_draft_data(hearing=hearing, persona=persona, skills=skills)
    return jd_create(actor=actor, data=data, municipality=hearing.municipality, hearing=hearing,
                     change_note="ヒアリング記録の提案から作成")


@transaction.atomic
def jd_update(*, actor: User, jd: JobDescription, data: dict, change_note: str = "") -> JobDescriptionVersion | None:
    """Save edited content as a new version; fields not given keep their value. None when nothing changed."""
    _require_jd_writer(actor, jd)
    jd = JobDescription.objects.select_for_update(of=("self",)).get(pk=jd.pk)
    if jd.status != JDStatus.DRAFT:
        raise Conflict("提出済み・取下げ済みのジョブディスクリプションは編集できません。")
    latest = jd.versions.get(number=jd.current_version)
    current = _jd_clean(jd_content(latest))
    content = _jd_clean({**jd_content(latest), **{k: v for k, v in data.items() if k in JD_FIELDS}})
    if content == current:
        return None
    number = jd.current_version + 1
    version = _version_create(jd, number, content, actor, change_note)
    jd.current_version = number
    jd.save(update_fields=["current_version", "updated_at"])
    audit_record(actor=actor, action=AuditAction.JD_UPDATE, target=jd, prefecture=jd.prefecture,
                 detail={"version": number, "changed": sorted(k for k in content if content[k] != current[k])})
    return version


@transaction.atomic
def jd_checklist_save(*, actor: User, jd: JobDescription, checked: list[str]) -> JobDescription:
    """Record which items of the acceptance checklist the municipality has confirmed (who and when)."""
    _require_jd_writer(actor, jd)
    if jd.status != JDStatus.DRAFT:
        raise Conflict("提出後のチェックリストは変更できません。")
    unknown = [c for c in checked if c not in CHECKLIST_CODES]
    if unknown:
        raise ValidationError(f"チェックリストの項目「{unknown[0]}」はありません。", field="checklist")
    now = timezone.now().isoformat()
    jd.checklist = {code: jd.checklist.get(code) or {"by": actor.get_username(), "by_name": str(actor),
                                                      "by_role": actor.role, "at": now}
                    for code in CHECKLIST_CODES if code in checked}
    jd.save(update_fields=["checklist", "updated_at"])
    audit_record(actor=actor, action=AuditAction.JD_CHECKLIST, target=jd, prefecture=jd.prefecture,
                 detail={"checked": sorted(jd.checklist)})
    return jd


def _transition(jd: JobDescription, to: str) -> None:
    if to not in JD_TRANSITIONS[jd.status]:
        raise Conflict(f"ジョブディスクリプションを「{jd.get_status_display()}」から「{JDStatus(to).label}」にはできません。")


@transaction.atomic
def jd_submit(*, actor: User, jd: JobDescription) -> Need:
    """Submit to the prefecture: refused until all six checklist items are ticked; opens a Need."""
    _require_jd_writer(actor, jd)
    jd = JobDescription.objects.select_for_update(of=("self",)).select_related("municipality", "grouping", "prefecture").get(pk=jd.pk)
    _transition(jd, JDStatus.SUBMITTED)
    missing = [question for code, question, _ in ACCEPTANCE_CHECKLIST if code not in jd.checklist]
    if missing:
        raise ValidationError(f"受入れ準備チェックリストの{len(missing)}項目が未確認のため提出できません: "
                              + " ／ ".join(missing), field="checklist")
    v = jd.versions.get(number=jd.current_version)
    if not v.host_department:
        raise ValidationError("提出の前に受入れ部署を入力してください。", field="host_department")
    if not v.receiving_structure:
        raise ValidationError("提出の前に受入れ体制（指揮命令・サポート体制）を入力してください。",
                              field="receiving_structure")
    municipality_codes = ([m.code for m in jd.grouping.members.all()] if jd.grouping_id else [jd.municipality.code])
    need = need_create(actor=actor, title=v.title, persona=v.persona, municipality_codes=municipality_codes,
                       hours_per_week=v.hours_per_week, onsite_days_per_month=v.onsite_days_per_month, weight=v.weight,
                       excluded_employers=v.excluded_employers, skills=v.skills,
                       appointment_forms=v.appointment_forms, period_from=v.period_from, period_to=v.period_to,
                       grouping=jd.grouping, job_description=jd)
    jd.status, jd.submitted_at, jd.submitted_by = JDStatus.SUBMITTED, timezone.now(), actor
    jd.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    audit_record(actor=actor, action=AuditAction.JD_SUBMIT, target=jd, prefecture=jd.prefecture,
                 detail={"version": v.number, "need": need.pk})
    return need


@transaction.atomic
def jd_withdraw(*, actor: User, jd: JobDescription, reason: str = "") -> JobDescription:
    """Withdraw a draft, or a submitted JD whose need is not filled (the need is closed)."""
    _require_jd_writer(actor, jd)
    jd = JobDescription.objects.select_for_update(of=("self",)).get(pk=jd.pk)
    _transition(jd, JDStatus.WITHDRAWN)
    need = Need.objects.filter(job_description=jd).first()
    if need is not None:
        if need.status == NeedStatus.FILLED:
            raise Conflict("人材が決まった（充足した）ニーズのジョブディスクリプションは取り下げられません。")
        need.status = NeedStatus.CLOSED
        need.save(update_fields=["status", "updated_at"])
    jd.status, jd.withdrawn_at = JDStatus.WITHDRAWN, timezone.now()
    jd.save(update_fields=["status", "withdrawn_at", "updated_at"])
    audit_record(actor=actor, action=AuditAction.JD_WITHDRAW, target=jd, prefecture=jd.prefecture,
                 detail={"reason": nfkc(reason)[:200], "need": need.pk if need else None})
    return jd

"""The hearing import as a batch that cannot destroy data (issue 12): preview → confirm → undo.

- `hearing_import_preview` reads the files (within `Limits`), validates every record against what is stored and
  keeps the plan — per municipality and year, each field's old and new value — in a HearingImportBatch. Nothing
  else is written. A blank cell is "no change"; 「（削除）」 clears; a row with only a code and a year is skipped.
- `hearing_import_confirm` applies exactly the plan, after checking under lock that every old value is still
  what is stored (a change made in between refuses the whole batch, naming the records).
- `hearing_import_undo` restores every old value and deletes the records the batch created, refusing when a
  record was changed after the import rather than overwriting the later change.

Each step is one transaction. The plan's values are JSON (dates as ISO strings), in the shape hearing_data gives
and hearing_clean takes, so confirm and undo validate what they write the same way the form does.
"""

from __future__ import annotations

import copy
import hashlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from dxpool.accounts.models import User
from dxpool.core.audit import AuditAction, audit_record
from dxpool.core.errors import Conflict, ValidationError
from dxpool.core.machine import Machine, table
from dxpool.core.permissions import is_officer, require
from dxpool.needs.excel import CLEAR, SHEETS, CellError, Column, Limits, _cell, get_path, parse_workbooks
from dxpool.needs.models import HearingImportBatch, HearingRecord, ImportStatus
from dxpool.needs.permissions import (
    can_confirm_hearing_import,
    can_edit_hearing,
    can_import_hearings,
    can_undo_hearing_import,
)
from dxpool.needs.selectors import hearing_data
from dxpool.needs.services.hearings import GroupingIndex, hearing_clean
from dxpool.places.models import Municipality

BATCH_MACHINE = Machine(
    name="hearing_import", label="取り込み", model=HearingImportBatch, choices=ImportStatus,
    table=table({
        ImportStatus.PREVIEWED: [ImportStatus.APPLIED, ImportStatus.EXPIRED],
        ImportStatus.APPLIED: [ImportStatus.UNDONE],
        ImportStatus.UNDONE: [],
        ImportStatus.EXPIRED: [],
        ImportStatus.REJECTED: [],
    }),
    # confirm and undo write richer events themselves (HEARING_IMPORT / HEARING_IMPORT_UNDO with the counts).
    audit_action=AuditAction.HEARING_IMPORT, prefecture=lambda b: b.prefecture,
)

# Every column the reader fills, by its path in the hearing data: its sheet and header are the field's label.
COLUMNS: dict[str, tuple[str, Column]] = {c.path: (sheet, c) for sheet, cols in SHEETS.items() for c in cols[2:]
                                          if c.path is not None}
# The model field a path writes: the JSON maps as a whole, the grouping through its name.
_FIELD_OF = {"grouping_name": "grouping"}


class HearingImportError(ValidationError):
    """Every problem found in an import, each located by file, sheet, row and column; nothing was written.

    `total` counts them all; `batch` (when stored) keeps the full list for download; `counts` are those of the
    records that had no error (as a preview counts them), for a summary."""

    def __init__(self, errors: list[CellError], *, batch: HearingImportBatch | None = None,
                 counts: dict[str, int] | None = None):
        self.errors = list(errors)
        self.total = len(self.errors)
        self.batch = batch
        self.counts = dict(counts or {})
        super().__init__(f"{self.total:,}件のエラーがあるため、取り込みませんでした。", field="files")


# --- settings -----------------------------------------------------------------------------------------------------

def hearing_import_limits() -> Limits:
    """The reader's bounds, each overridable by a setting (DXPOOL_IMPORT_MAX_ROWS, …)."""
    d = Limits()
    return Limits(**{name: int(getattr(settings, f"DXPOOL_IMPORT_{name.upper()}", getattr(d, name)))
                     for name in ("max_members", "max_uncompressed", "max_ratio", "max_rows", "max_columns",
                                  "max_shared_strings", "max_errors")})


def hearing_import_max_bytes() -> int:
    """The most an upload (all its files together) may weigh: DXPOOL_IMPORT_MAX_BYTES, 10 MB by default (a
    national workbook of 1,741 municipalities is 0.7 MB)."""
    return int(getattr(settings, "DXPOOL_IMPORT_MAX_BYTES", 10 * 2**20))


def _preview_lifetime() -> timedelta:
    return timedelta(hours=int(getattr(settings, "DXPOOL_IMPORT_PREVIEW_HOURS", 24)))


# --- values -------------------------------------------------------------------------------------------------------

def _json(v: Any) -> Any:
    """A value as the plan stores it: blanks are None, dates ISO strings, decimals floats."""
    if v is None or v == "" or v == [] or v == {}:
        return None
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if isinstance(v, Decimal):
        return float(v)
    return v


def _data(record: HearingRecord | None) -> dict:
    """The record's data as hearing_clean takes it (the grouping by name, not id); defaults for no record."""
    d = hearing_data(record if record is not None else HearingRecord())
    d.pop("grouping", None)
    return d


def _set(data: dict, path: str, value: Any) -> None:
    node = data
    parts = path.split(".")
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[parts[-1]] = value


def _merged(base: dict, values: dict[str, Any], *, fresh: bool = False) -> dict:
    """`base` with `values` (path → value) written in; a copy unless `fresh` says base may be changed."""
    data = base if fresh else copy.deepcopy(base)
    for path, value in values.items():
        _set(data, path, value)
    return data


def _with(data: dict, cleaned: dict[str, Any]) -> dict:
    """`data` after writing hearing_clean's values: what the record would read back."""
    out = dict(data)
    for k, v in cleaned.items():
        if k == "grouping":
            out["grouping_name"] = v.name if v is not None else None
        else:
            out[k] = v
    return out


def _field(path: str) -> str:
    top = path.split(".", 1)[0]
    return _FIELD_OF.get(top, top)


def label_of(path: str) -> str:
    """The field's name as the sheet shows it: 「標準化: 戸籍（状況）」."""
    sheet, col = COLUMNS.get(path, ("", None))
    return f"{sheet}: {col.header}" if col is not None else path


def shown(path: str, value: Any) -> str:
    """A plan value in the sheet's words (labels, not codes); 「（空欄）」 for nothing."""
    if value is None or value == "" or value == []:
        return "（空欄）"
    col = COLUMNS.get(path, ("", None))[1]
    if col is not None and col.unit == "yen" and isinstance(value, int):
        return f"{value:,}"  # an amount of money as the clerk typed it: 「3,600,000」
    return str(_cell(col, value)) if col is not None else str(value)


# --- preview ------------------------------------------------------------------------------------------------------

def hearing_import_preview(*, actor: User, files: list[tuple[str, bytes]], trusted: bool = False,
                           store: bool = True) -> HearingImportBatch:
    """Read and validate the files against the stored records; return the batch with its plan (saved unless
    `store` is False, for a dry run). Any error → HearingImportError, with every error located; nothing applied.

    `trusted` skips the per-municipality scope check; only the benchmark and operator scripts pass it.
    """
    if not trusted:
        require(can_import_hearings(user=actor),
                "ヒアリングシートを取り込めるのは、都道府県の事務局と市町村の担当者だけです。")
    if not files:
        raise ValidationError("ファイルを選んでください。", field="files")
    batch = HearingImportBatch(
        created_by=actor if actor.pk else None, prefecture_id=actor.prefecture_id_scope,
        municipality_id=actor.municipality_id_scope if is_officer(actor) else None,
        files=[{"name": n, "bytes": len(c), "sha256": hashlib.sha256(c).hexdigest()} for n, c in files])
    parsed = parse_workbooks(files, limits=hearing_import_limits())
    errors = list(parsed.errors)
    wanted = {code for (code, _), rec in parsed.records.items() if rec.cells}
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=wanted).select_related("prefecture")}
    groupings = GroupingIndex({m.prefecture_id for m in municipalities.values()})
    existing = {(h.municipality.code, h.fiscal_year): h for h in HearingRecord.objects.filter(
        municipality__in=list(municipalities.values())).select_related("municipality", "grouping")}
    plan, skipped = [], []
    counts = {"records": 0, "created": 0, "updated": 0, "unchanged": 0, "skipped_blank": 0, "changes": 0}
    for (code, year), rec in sorted(parsed.records.items()):
        if not rec.cells:
            skipped.append([code, None, year])
            counts["skipped_blank"] += 1
            continue
        file, sheet, row = rec.first
        m = municipalities.get(code)
        if m is None:
            errors.append(CellError(file, sheet, row, "A", f"団体コード「{code}」の市区町村はありません", code=code))
            continue
        if not (trusted or can_edit_hearing(user=actor, municipality=m)):
            errors.append(CellError(file, sheet, row, "A", "このヒアリング記録を登録する権限がありません", code=code,
                                    municipality=m.name))
            continue
        record = existing.get((code, year))
        entry, problems = _plan_record(m, year, record, rec.cells, groupings)
        for path, message in problems:
            where = rec.where.get(path) or (*rec.first, None)
            errors.append(CellError(*where, message.rstrip("。"), code=code, municipality=m.name))
        if problems:
            continue
        entry["blank"] = rec.blank_cells
        plan.append(entry)
        counts["records"] += 1
        counts[{"create": "created", "update": "updated", "unchanged": "unchanged"}[entry["action"]]] += 1
        counts["changes"] += len(entry["changes"])
    names = {m.code: m.name for m in Municipality.objects.filter(code__in=[s[0] for s in skipped])}
    for s in skipped:
        s[1] = names.get(s[0], s[0])
    if errors:
        _name_municipalities(errors, municipalities)
        errors.sort(key=lambda e: (e.file, list(parsed.sheet_order).index(e.sheet) if e.sheet in parsed.sheet_order
                                   else -1, e.row or 0, len(e.column or ""), e.column or ""))
        if store:
            batch.status = ImportStatus.REJECTED
            batch.errors = [[e.file, e.sheet, e.row, e.column, e.text] for e in errors]
            batch.error_count = len(errors)
            batch.counts = counts
            batch.save()
        raise HearingImportError(errors, batch=batch if store else None, counts=counts)
    batch.plan, batch.skipped, batch.counts = plan, skipped, counts
    if store:
        batch.save()
    return batch


def _name_municipalities(errors: list[CellError], known: dict[str, Municipality]) -> None:
    """Give every error of a row the name of the municipality it is about: from the code (the sheet's name cell,
    if any, only when the code is unknown), so 「五島市（…、シート「人材」 C5）: …」 reads without the code."""
    missing = {e.code for e in errors if e.code and e.code not in known}
    names = {m.code: m.name for m in known.values()}
    if missing:
        names |= dict(Municipality.objects.filter(code__in=missing).values_list("code", "name"))
    for e in errors:
        if e.code and e.code in names:
            e.municipality = names[e.code]
        elif e.code and not e.municipality and e.code not in e.message:
            e.municipality = f"団体コード{e.code}"


def _plan_record(m: Municipality, year: int, record: HearingRecord | None, cells: dict[str, Any],
                 groupings: GroupingIndex) -> tuple[dict, list[tuple[str, str]]]:
    """One municipality and year: the fields the sheet changes (old → new), or the problems."""
    old = _data(record)
    values = {path: (None if v is CLEAR else _json(v)) for path, v in cells.items()}
    cleaned, problems = hearing_clean(data=_merged(old, values), municipality=m, groupings=groupings)
    if problems:
        return {}, problems
    new = _with(old, cleaned)
    changes, same = [], 0
    for path in cells:
        before, after = _json(get_path(old, path)), _json(get_path(new, path))
        if record is None or before != after:
            if record is None and after is None:
                continue  # 「（削除）」 on a record not yet made: nothing to clear
            changes.append([path, before if record is not None else None, after])
        else:
            same += 1
    action = "create" if record is None else ("update" if changes else "unchanged")
    return {"code": m.code, "name": m.name, "year": year, "municipality": m.pk,
            "record": record.pk if record is not None else None, "action": action, "changes": changes,
            "same": same}, []


# --- confirm ------------------------------------------------------------------------------------------------------

def _expired(batch: HearingImportBatch) -> bool:
    return batch.status == ImportStatus.PREVIEWED and batch.created_at < timezone.now() - _preview_lifetime()


def hearing_import_confirm(*, actor: User, batch: HearingImportBatch, trusted: bool = False) -> HearingImportBatch:
    """Apply the previewed plan as it was shown, in one transaction; refuse (naming the records) if a stored
    value it would change is no longer the one previewed. `trusted`: as for the preview."""
    if not trusted:
        require(can_confirm_hearing_import(user=actor, obj=batch),
                "この取り込みを確定できるのは、ファイルを取り込んだ本人だけです。")
    if _expired(batch):
        BATCH_MACHINE.transition(obj=batch, to=ImportStatus.EXPIRED, actor=actor, audit=False)
        raise Conflict("確認画面の有効期限が切れました。もう一度ファイルを取り込んでください。", code="Expired")
    BATCH_MACHINE.check(batch.status, ImportStatus.APPLIED)
    with transaction.atomic():
        # The status is re-read under the lock; the plan is the caller's copy (a previewed plan never changes:
        # only this step writes it, after this check), which spares decoding a national plan twice.
        locked = HearingImportBatch.objects.select_for_update().only("pk", "status").get(pk=batch.pk)
        BATCH_MACHINE.check(locked.status, ImportStatus.APPLIED)
        plan = copy.deepcopy(batch.plan)
        municipalities = {m.pk: m for m in Municipality.objects.filter(
            pk__in=[e["municipality"] for e in plan]).select_related("prefecture")}
        groupings = GroupingIndex({m.prefecture_id for m in municipalities.values()})
        records = _locked_records(plan)
        stale, now = [], timezone.now()
        writes = []
        for entry in plan:
            if entry["action"] == "unchanged":
                continue
            m = municipalities[entry["municipality"]]
            record = records.get((entry["municipality"], entry["year"]))
            if entry["action"] == "create":
                if record is not None:
                    stale.append(f"{m.name}（{entry['year']}年度、確認後に記録が作成されました）")
                    continue
            elif record is None or _differs(record, [(p, old) for p, old, _ in entry["changes"]]):
                stale.append(f"{m.name}（{entry['year']}年度）")
                continue
            writes.append((entry, m, record))
        if stale:
            raise Conflict("確認した後に次の記録が変更されたため、取り込みませんでした。もう一度ファイルを取り込んで、"
                           "変更内容を確認してください: " + "、".join(stale), code="Stale")
        created = updated = 0
        for entry, m, record in writes:
            new = {p: v for p, _, v in entry["changes"]}
            saved = _write(actor=actor, m=m, year=entry["year"], record=record, values=new, groupings=groupings,
                           now=now)
            entry["record"] = saved.pk
            entry["updated_at"] = saved.updated_at.isoformat()
            created += record is None
            updated += record is not None
        applied = BATCH_MACHINE.transition(obj=locked, to=ImportStatus.APPLIED, actor=actor, at=now, audit=False,
                                           update={"plan": plan, "applied_by": actor})
        audit_record(actor=actor, action=AuditAction.HEARING_IMPORT, target=applied, prefecture=applied.prefecture,
                     detail={"batch": applied.pk, "files": [f["name"] for f in applied.files], "created": created,
                             "updated": updated, "changes": applied.change_count})
    for name in ("status", "applied_at", "applied_by", "plan", "updated_at"):
        setattr(batch, name, getattr(applied, name))
    return batch


def _differs(record: HearingRecord, expected: list[tuple[str, Any]]) -> bool:
    """Whether any of the record's values at these paths is not the expected one."""
    data = _data(record)
    return any(_json(get_path(data, path)) != value for path, value in expected)


def _locked_records(plan: list[dict]) -> dict[tuple[int, int], HearingRecord]:
    """The plan's records (by municipality and year), locked for the rest of the transaction."""
    pks = [e["municipality"] for e in plan]
    years = {e["year"] for e in plan}
    return {(h.municipality_id, h.fiscal_year): h for h in HearingRecord.objects.select_for_update(of=("self",))
            .filter(municipality_id__in=pks, fiscal_year__in=years).select_related("municipality", "grouping")}


def _write(*, actor: User, m: Municipality, year: int, record: HearingRecord | None, values: dict[str, Any],
           groupings: GroupingIndex, now: datetime) -> HearingRecord:
    """Write `values` (path → value) onto the record (a new one when None), validated as the form validates;
    only the fields the paths belong to are written."""
    cleaned, problems = hearing_clean(data=_merged(_data(record), values, fresh=True), municipality=m,
                                      groupings=groupings)
    if problems:
        path, message = problems[0]
        raise Conflict(f"{m.name}（{year}年度）: {label_of(path)} — {message}", code="Invalid")
    fields = {_field(p) for p in values}
    if record is None:
        record = HearingRecord(municipality=m, fiscal_year=year, entered_by=actor,
                               **{f: cleaned[f] for f in fields if f in cleaned})
        record.save()
        return record
    for f in fields:
        setattr(record, f, cleaned[f])
    record.entered_by = actor
    record.save(update_fields=sorted(fields | {"entered_by", "updated_at"}))
    return record


# --- undo ---------------------------------------------------------------------------------------------------------

def hearing_import_undo(*, actor: User, batch: HearingImportBatch, trusted: bool = False) -> HearingImportBatch:
    """Undo an applied batch as a whole: restore every old value, delete the records it created. Refuses, naming
    the records, when one was changed after the import (the later change is kept). `trusted`: as for the
    preview."""
    if not trusted:
        require(can_undo_hearing_import(user=actor, obj=batch),
                "この取り込みを取り消せるのは、都道府県の事務局（市町村が自ら取り込んだものは、その市町村）だけです。")
    BATCH_MACHINE.check(batch.status, ImportStatus.UNDONE)
    with transaction.atomic():
        locked = HearingImportBatch.objects.select_for_update().get(pk=batch.pk)
        BATCH_MACHINE.check(locked.status, ImportStatus.UNDONE)
        plan = [e for e in locked.plan if e["action"] != "unchanged"]  # as applied (with the created records' ids)
        municipalities = {m.pk: m for m in Municipality.objects.filter(
            pk__in=[e["municipality"] for e in plan]).select_related("prefecture")}
        groupings = GroupingIndex({m.prefecture_id for m in municipalities.values()})
        records = _locked_records(plan)
        used = set(HearingRecord.objects.filter(pk__in=[e["record"] for e in plan if e["action"] == "create"],
                                                job_descriptions__isnull=False).values_list("pk", flat=True))
        later, now = [], timezone.now()
        for entry in plan:
            m = municipalities[entry["municipality"]]
            record = records.get((entry["municipality"], entry["year"]))
            where = f"{m.name}（{entry['year']}年度）"
            if record is None:
                later.append(f"{where}、記録が削除されています")
            elif entry["action"] == "create" and record.pk in used:
                later.append(f"{where}、ジョブディスクリプションの作成に使われています")
            elif entry["action"] == "create" and record.updated_at.isoformat() != entry.get("updated_at"):
                later.append(where)
            elif _differs(record, [(p, new) for p, _, new in entry["changes"]]):
                later.append(where)
        if later:
            raise Conflict("取り込んだ後に次の記録が変更されたため、取り消しませんでした（後からの変更を上書きしない"
                           "ためです）: " + "、".join(later), code="ChangedSince")
        restored = deleted = 0
        for entry in plan:
            record = records[(entry["municipality"], entry["year"])]
            if entry["action"] == "create":
                record.delete()
                deleted += 1
            else:
                _write(actor=actor, m=municipalities[entry["municipality"]], year=entry["year"], record=record,
                       values={p: old for p, old, _ in entry["changes"]}, groupings=groupings, now=now)
                restored += 1
        undone = BATCH_MACHINE.transition(obj=locked, to=ImportStatus.UNDONE, actor=actor, at=now, audit=False,
                                          update={"undone_by": actor})
        audit_record(actor=actor, action=AuditAction.HEARING_IMPORT_UNDO, target=undone, prefecture=undone.prefecture,
                     detail={"batch": undone.pk, "restored": restored, "deleted": deleted,
                             "changes": undone.change_count})
    for name in ("status", "undone_at", "undone_by", "updated_at"):
        setattr(batch, name, getattr(undone, name))
    return batch


# --- for pages and the command line -------------------------------------------------------------------------------

# Translated where shown (|data_label); the msgids are extracted from these gettext_noop calls.
ACTION_LABELS = {"create": gettext_noop("新規"), "update": gettext_noop("更新"), "unchanged": gettext_noop("変更なし")}


def hearing_import_expired(batch: HearingImportBatch) -> bool:
    """A preview too old to confirm (DXPOOL_IMPORT_PREVIEW_HOURS, 24 by default): upload again."""
    return _expired(batch)


def hearing_import_rows(entries: list[dict]) -> list[dict]:
    """Plan entries in the sheet's words: each field as 「sheet: header」 with old → new in labels."""
    rows = []
    for e in entries:
        rows.append({
            "name": e["name"], "code": e["code"], "year": e["year"], "action": e["action"],
            "action_label": ACTION_LABELS[e["action"]], "blank": e.get("blank", 0), "same": e.get("same", 0),
            "changes": [{"sheet": COLUMNS[p][0] if p in COLUMNS else "", "field": COLUMNS[p][1].header
                         if p in COLUMNS else p, "old": shown(p, old), "new": shown(p, new),
                         "cleared": new is None} for p, old, new in e["changes"]]})
    return rows


# --- in one step, for scripts -------------------------------------------------------------------------------------

def hearing_import(*, actor: User, files: list[tuple[str, bytes]], trusted: bool = False) -> dict[str, Any]:
    """Preview and confirm in one go (the benchmark, operator scripts, `import-hearing --apply`): the same checks
    and the same undoable batch as the web's two steps."""
    batch = hearing_import_preview(actor=actor, files=files, trusted=trusted)
    if batch.counts["changes"]:
        hearing_import_confirm(actor=actor, batch=batch, trusted=trusted)
    return {**batch.counts, "files": len(files), "batch": batch.pk, "status": batch.status}


# --- reads --------------------------------------------------------------------------------------------------------
# Batches are read beside their writes (a batch has no other reader); scoped like the hearing records.

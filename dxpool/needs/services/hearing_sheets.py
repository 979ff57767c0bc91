"""The Excel hearing sheet on the way in (`hearing_import`, all or nothing) and out (`hearing_export`, audited).

The workbook layout and its reader live in dxpool.needs.excel, which knows nothing of Django; this module
finds the municipalities, holds each row to the writer's permission, validates with hearing_clean and writes.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from dxpool.accounts.models import User
from dxpool.core.audit import AuditAction, audit_record
from dxpool.core.errors import ValidationError
from dxpool.core.permissions import is_national, is_secretariat, require
from dxpool.needs.excel import CellError, HearingEntry, parse_workbooks, write_workbook
from dxpool.needs.models import HearingRecord
from dxpool.needs.permissions import can_edit_hearing, can_export_hearings, can_import_hearings
from dxpool.needs.selectors import hearing_data, hearing_list
from dxpool.needs.services.hearings import GroupingIndex, fiscal_year_clean, hearing_clean
from dxpool.places.models import Municipality


class HearingImportError(ValidationError):
    """Every problem found in an import, each located by file, sheet, row and column; nothing was written."""

    def __init__(self, errors: list[CellError]):
        self.errors = list(errors)
        super().__init__(f"{len(self.errors)}件のエラーがあるため、取り込みませんでした。", field="files")


def hearing_import(*, actor: User, files: list[tuple[str, bytes]], trusted: bool = False) -> dict[str, int]:
    """Import one or many hearing workbooks: validate everything first; any error → nothing is written.

    Re-importing a municipality and year updates its record (never a duplicate). `trusted` skips the
    per-municipality scope check; only the benchmark and operator scripts pass it.
    """
    if not trusted:
        require(can_import_hearings(user=actor),
                "ヒアリングシートを取り込めるのは、都道府県の事務局と市町村の担当者だけです。")
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
        if not (trusted or can_edit_hearing(user=actor, municipality=m)):
            errors.append(CellError(file, sheet, row, "A", f"{m}のヒアリング記録を登録する権限がありません"))
            continue
        values, problems = hearing_clean(data=rec.data, municipality=m, groupings=groupings)
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
        audit_record(actor=actor, action=AuditAction.HEARING_IMPORT, prefecture=_own_prefecture(actor),
                     detail={"files": [n for n, _ in files], "created": len(to_create), "updated": updated})
    return {"created": len(to_create), "updated": updated, "files": len(files)}


def _own_prefecture(actor: User) -> Any:
    """The prefecture whose audit trail an action of a secretariat belongs to (None for others)."""
    return actor.organisation.prefecture if actor.organisation_id and is_secretariat(actor) else None


def hearing_export(*, actor: User, fiscal_year: Any, prefecture: str | None = None,
                   request: Any = None) -> bytes:
    """Every record of the year in the actor's scope, in the template's layout; the download is audited.

    `prefecture` (a code) narrows a national export to one prefecture; others export their own scope.
    `request` only gives the audit row its address.
    """
    require(can_export_hearings(user=actor), "ヒアリング記録を書き出す権限がありません。")
    year = fiscal_year_clean(fiscal_year)
    records = hearing_list(user=actor, fiscal_year=year,
                           prefecture=prefecture if is_national(actor) else None)
    entries = [HearingEntry(h.municipality.code, h.municipality.name, h.municipality.prefecture.name,
                            h.fiscal_year, hearing_data(h)) for h in records]
    content = write_workbook(entries)
    audit_record(actor=actor, action=AuditAction.HEARING_EXPORT, request=request, prefecture=_own_prefecture(actor),
                 detail={"fiscal_year": year, "rows": len(entries)})
    return content

"""The Excel hearing sheet on the way out (`hearing_export`, audited).

The way in is a batch (preview → confirm → undo) in dxpool.needs.services.hearing_batches; the workbook layout,
its writer and its bounded reader live in dxpool.needs.excel, which knows nothing of Django. The writer puts
every user text into the workbook as a string cell through dxpool.exchange.tabular (never a live formula).
"""

from __future__ import annotations

from typing import Any

from dxpool.accounts.models import User
from dxpool.core.audit import AuditAction, audit_record
from dxpool.core.permissions import is_national, is_secretariat, require
from dxpool.needs.excel import HearingEntry, write_workbook
from dxpool.needs.permissions import can_export_hearings
from dxpool.needs.selectors import hearing_data, hearing_list
from dxpool.needs.services.hearings import fiscal_year_clean


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

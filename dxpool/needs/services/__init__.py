"""Writes of hearing records, job descriptions and needs, by sub-domain:

- hearings.py — validating (`hearing_clean`) and saving (`hearing_save`) one hearing record
- hearing_batches.py — the Excel hearing import as an undoable batch: `hearing_import_preview` (validates, writes
  only the plan), `hearing_import_confirm` (applies it as previewed), `hearing_import_undo`; `hearing_import`
  does the first two at once for scripts; blank cells change nothing, 「（削除）」 clears
- hearing_sheets.py — the Excel hearing sheet on the way out: `hearing_export` (audited, inert text)
- needs.py — `need_create`, `need_set_status` (close/reopen), `need_fill` (an accepted proposal)
- job_descriptions.py — drafting, versions, the acceptance checklist, `jd_submit`, `jd_withdraw`; `jd_save` is the
  JD form's one submit (content, checklist, submission)
- machines.py — the status tables NEED_MACHINE and JD_MACHINE every status change goes through

Who may write is dxpool.needs.permissions. Callers import from here (`from dxpool.needs import services`).
"""

from dxpool.needs.services.hearing_batches import (
    BATCH_MACHINE,
    HearingImportError,
    hearing_import,
    hearing_import_confirm,
    hearing_import_expired,
    hearing_import_limits,
    hearing_import_max_bytes,
    hearing_import_preview,
    hearing_import_rows,
    hearing_import_undo,
)
from dxpool.needs.services.hearing_sheets import hearing_export
from dxpool.needs.services.hearings import (
    GroupingIndex,
    HearingValidationError,
    fiscal_year_clean,
    hearing_clean,
    hearing_save,
)
from dxpool.needs.services.job_descriptions import (
    COI_PERSONAS,
    HOURS_PER_DAY,
    JD_FIELDS,
    JDSaved,
    jd_checklist_save,
    jd_content,
    jd_create,
    jd_draft_data,
    jd_draft_from_hearing,
    jd_save,
    jd_submit,
    jd_update,
    jd_withdraw,
)
from dxpool.needs.services.machines import JD_MACHINE, JD_TRANSITIONS, NEED_MACHINE, NEED_TRANSITIONS
from dxpool.needs.services.needs import need_create, need_fill, need_set_status, persona_clean

__all__ = [
    "BATCH_MACHINE", "COI_PERSONAS", "HOURS_PER_DAY", "JD_FIELDS", "JDSaved", "JD_MACHINE", "JD_TRANSITIONS",
    "NEED_MACHINE", "NEED_TRANSITIONS", "GroupingIndex", "HearingImportError", "HearingValidationError",
    "fiscal_year_clean", "hearing_clean", "hearing_export", "hearing_import",
    "hearing_import_confirm", "hearing_import_expired", "hearing_import_limits",
    "hearing_import_max_bytes", "hearing_import_preview", "hearing_import_rows", "hearing_import_undo",
    "hearing_save", "jd_checklist_save", "jd_content", "jd_create", "jd_draft_data", "jd_draft_from_hearing",
    "jd_save", "jd_submit", "jd_update", "jd_withdraw", "need_create", "need_fill", "need_set_status", "persona_clean",
]

"""Writes of hearing records, job descriptions and needs, by sub-domain:

- hearings.py — validating (`hearing_clean`) and saving (`hearing_save`) one hearing record
- hearing_sheets.py — the Excel hearing sheet: `hearing_import` (all or nothing) and `hearing_export` (audited)
- needs.py — `need_create`, `need_set_status` (close/reopen), `need_fill` (an accepted proposal)
- job_descriptions.py — drafting, versions, the acceptance checklist, `jd_submit`, `jd_withdraw`
- machines.py — the status tables NEED_MACHINE and JD_MACHINE every status change goes through

Who may write is dxpool.needs.permissions. Callers import from here (`from dxpool.needs import services`).
"""

from dxpool.needs.services.hearing_sheets import HearingImportError, hearing_export, hearing_import
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
    jd_checklist_save,
    jd_content,
    jd_create,
    jd_draft_data,
    jd_draft_from_hearing,
    jd_submit,
    jd_update,
    jd_withdraw,
)
from dxpool.needs.services.machines import JD_MACHINE, JD_TRANSITIONS, NEED_MACHINE, NEED_TRANSITIONS
from dxpool.needs.services.needs import need_create, need_fill, need_set_status, persona_clean

__all__ = [
    "COI_PERSONAS", "HOURS_PER_DAY", "JD_FIELDS", "JD_MACHINE", "JD_TRANSITIONS", "NEED_MACHINE", "NEED_TRANSITIONS",
    "GroupingIndex", "HearingImportError", "HearingValidationError", "fiscal_year_clean", "hearing_clean",
    "hearing_export", "hearing_import", "hearing_save", "jd_checklist_save", "jd_content", "jd_create",
    "jd_draft_data", "jd_draft_from_hearing", "jd_submit", "jd_update", "jd_withdraw", "need_create", "need_fill",
    "need_set_status", "persona_clean",
]

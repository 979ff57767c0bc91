"""Writing the audit trail. Callers pass the acting user and, where known, the request for its address (the
client's, behind a reverse proxy too: dxpool.core.netaddr).

Actions are the typed constants of `AuditAction`, never free text: reports and the audit trail's readers
rely on the names, and a typo in a string would silently start a new kind of event. `audit_record` refuses
anything else.
"""

from enum import StrEnum
from typing import Any

from dxpool.core.models import AuditEvent
from dxpool.core.netaddr import client_ip


class AuditAction(StrEnum):
    """Every kind of audit event dxpool writes. The value is what `AuditEvent.action` stores."""

    # accounts
    API_TOKEN_CREATE = "api_token.create"
    API_TOKEN_REVOKE = "api_token.revoke"
    LOGIN_SUCCESS = "login.success"
    LOGIN_FAILED = "login.failed"
    LOGIN_LOCKED = "login.locked"
    # places
    GROUPING_CREATE = "grouping.create"
    GROUPING_UPDATE = "grouping.update"
    GROUPING_DELETE = "grouping.delete"
    # talent
    ROUND_CREATE = "round.create"
    ROUND_UPDATE = "round.update"
    ROUND_STATUS = "round.status"
    PROFILE_CREATE = "profile.create"
    PROFILE_UPDATE = "profile.update"
    PROFILE_VIEW_FULL = "profile.view_full"
    PROFILE_LIST_FULL = "profile.list_full"
    EVIDENCE_UPLOAD = "evidence.upload"
    EVIDENCE_DOWNLOAD = "evidence.download"
    APPLICATION_SUBMIT = "application.submit"
    CONSENT_ACCEPT = "consent.accept"
    APPLICATION_TRANSITION = "application.transition"
    SCREENING_DECIDE = "screening.decide"
    TRAINING_COMPLETE = "training.complete"
    POOL_EXPORT_XLSX = "pool.export.xlsx"
    POOL_EXPORT_CSV = "pool.export.csv"
    # needs
    HEARING_CREATE = "hearing.create"
    HEARING_UPDATE = "hearing.update"
    HEARING_IMPORT = "hearing.import"
    HEARING_IMPORT_UNDO = "hearing.import_undo"
    HEARING_EXPORT = "hearing.export"
    NEED_CREATE = "need.create"
    NEED_STATUS = "need.status"
    JD_CREATE = "jd.create"
    JD_UPDATE = "jd.update"
    JD_CHECKLIST = "jd.checklist"
    JD_SUBMIT = "jd.submit"
    JD_WITHDRAW = "jd.withdraw"
    JD_STATUS = "jd.status"
    # matching
    MATCHRUN_START = "matchrun.start"
    MATCHRUN_STATUS = "matchrun.status"
    PAIR_LOCK = "pair.lock"
    PAIR_EXCLUDE = "pair.exclude"
    PAIR_CLEAR = "pair.clear"
    PROPOSALS_SEND = "proposals.send"
    PROPOSAL_ACCEPT = "proposal.accept"
    PROPOSAL_DECLINE = "proposal.decline"
    PROPOSAL_WITHDRAW = "proposal.withdraw"
    PROPOSAL_STATUS = "proposal.status"
    # operations
    BACKUP_CREATE = "backup.create"
    BACKUP_RESTORE = "backup.restore"


def audit_record(*, actor, action: AuditAction, target: Any = None, prefecture=None, detail: dict | None = None,
                 request=None) -> AuditEvent:
    """Append one audit event; never raises for a missing request or anonymous actor."""
    if not isinstance(action, AuditAction):
        raise TypeError(f"audit action must be an AuditAction, not {action!r}")
    ip = client_ip(request)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action.value,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        prefecture=prefecture,
        detail=detail or {},
        ip_address=ip,
    )

"""Writing the audit trail. Callers pass the acting user and, where known, the request for its address."""

from typing import Any

from dxpool.core.models import AuditEvent


def audit_record(*, actor, action: str, target: Any = None, prefecture=None, detail: dict | None = None,
                 request=None) -> AuditEvent:
    """Append one audit event; never raises for a missing request or anonymous actor."""
    ip = None
    if request is not None:
        ip = request.META.get("REMOTE_ADDR") or None
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        prefecture=prefecture,
        detail=detail or {},
        ip_address=ip,
    )

"""Writes for users and API tokens."""

import hashlib
import secrets

from django.utils import timezone

from dxpool.accounts.models import ApiToken, User
from dxpool.core.audit import AuditAction, audit_record


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with the raw secret, which is shown once and never stored."""
    raw = "dxp_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name or "api", digest=token_digest(raw))
    audit_record(actor=user, action=AuditAction.API_TOKEN_CREATE, target=token, detail={"name": token.name})
    return token, raw


def api_token_authenticate(*, raw: str) -> User | None:
    """The active user behind a raw token, or None."""
    token = (ApiToken.objects.select_related("user", "user__organisation")
             .filter(digest=token_digest(raw), revoked_at__isnull=True).first())
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def api_token_revoke(*, user: User, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=user, action=AuditAction.API_TOKEN_REVOKE, target=token)

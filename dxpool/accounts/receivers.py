"""Log-ins in the audit trail: every success, every failure (with the username tried, never the password) and
every lockout, with the client's address. Connected in AccountsConfig.ready().

The prefecture of the account, when the username names a staff member, is set on the event so that each
prefecture's secretariat sees the attempts on its own people in its own trail.
"""


from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from dxpool.accounts.throttle import login_retry_at
from dxpool.core.audit import AuditAction, audit_record
from dxpool.core.netaddr import client_ip

# As long as the username field: anything longer cannot name an account and would only bloat the trail.
USERNAME_MAX = 150


def _tried(value) -> str:
    # NUL cannot be stored in PostgreSQL's jsonb; the log-in form refuses it already, other callers might not.
    return str(value or "").replace("\x00", "")[:USERNAME_MAX]


def _account(username: str):
    if not username:
        return None
    User = get_user_model()
    return User.objects.select_related("organisation__prefecture").filter(**{User.USERNAME_FIELD: username}).first()


def _prefecture(user):
    if user is None or user.prefecture_id_scope is None:
        return None
    return user.organisation.prefecture


def _record(action: AuditAction, *, request, username: str, actor=None, account=None, **detail) -> None:
    ip = client_ip(request)
    audit_record(actor=actor, action=action, target=account, prefecture=_prefecture(account),
                 detail={"username": username, "ip": ip, **detail}, request=request)


@receiver(user_logged_in, dispatch_uid="dxpool.accounts.audit_login_success")
def audit_login_success(sender, request, user, **kwargs) -> None:
    _record(AuditAction.LOGIN_SUCCESS, request=request, username=user.get_username(), actor=user, account=user)


@receiver(user_login_failed, dispatch_uid="dxpool.accounts.audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in `credentials`; only the username is taken from it.
    username = _tried(credentials.get(get_user_model().USERNAME_FIELD))
    account = _account(username)
    # Axes refused this attempt without checking the password (the pair was locked already) when it flagged
    # the request before counting it; an attempt that reaches the limit is counted first.
    refused = bool(getattr(request, "axes_locked_out", False)) and getattr(
        request, "axes_failures_since_start", None) is None
    _record(AuditAction.LOGIN_FAILED, request=request, username=username, account=account, locked_out=refused)
    if request is not None:
        request.dxpool_login_failed_audited = True
        pending = getattr(request, "dxpool_lockout_pending", None)
        if pending is not None:
            request.dxpool_lockout_pending = None
            _audit_lockout(request, username=username, account=account, **pending)


@receiver(user_locked_out, dispatch_uid="dxpool.accounts.audit_login_locked")
def audit_login_locked(sender, request, username=None, ip_address=None, **kwargs) -> None:
    failures = getattr(request, "axes_failures_since_start", None)
    if request is None or failures is None:
        # Axes signals this for every attempt refused during a lockout too; the lockout itself was recorded
        # when it began, and each refused attempt is a LOGIN_FAILED with locked_out=True.
        return
    retry_at = login_retry_at(request=request, credentials=getattr(request, "axes_credentials", None))
    pending = {"failures": failures, "retry_at": retry_at.isoformat() if retry_at else None}
    # Axes sends this from inside its own user_login_failed receiver. The failed attempt that caused the
    # lockout should come first in the trail, so wait for audit_login_failed unless it has already run.
    if getattr(request, "dxpool_login_failed_audited", False):
        name = _tried(username)
        _audit_lockout(request, username=name, account=_account(name), **pending)
    else:
        request.dxpool_lockout_pending = pending


def _audit_lockout(request, *, username: str, account, failures: int, retry_at: str | None) -> None:
    _record(AuditAction.LOGIN_LOCKED, request=request, username=username, account=account, failures=failures,
            retry_at=retry_at)

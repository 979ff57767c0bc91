"""The talent app's status machines: applications and recruitment rounds.

Both go through `dxpool.core.machine.Machine`, so a status only changes by a move its table allows, under a
row lock, with a timestamp, a history row and an audit event. Pages read the tables (`machine.allowed`) to
offer only moves that can succeed. Rules beyond the table are guards, run under the same lock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from dxpool.core.audit import AuditAction
from dxpool.core.errors import Conflict, ValidationError
from dxpool.core.machine import Machine, table
from dxpool.talent.models import Application, RecruitmentRound, RoundStatus, StatusChange
from dxpool.talent.models import ApplicationStatus as S

# --- applications ------------------------------------------------------------------------------------------

APPLICATION_TABLE = table({
    S.APPLIED: [S.SCREENING, S.WITHDRAWN, S.REJECTED],
    S.SCREENING: [S.SELECTED, S.REJECTED, S.WITHDRAWN],
    S.SELECTED: [S.IN_TRAINING, S.WITHDRAWN],
    S.IN_TRAINING: [S.POOLED, S.WITHDRAWN],
    S.POOLED: [S.DISPATCHED, S.ENDED, S.WITHDRAWN],
    # Back to the pool when a dispatch ends early and the person stays available.
    S.DISPATCHED: [S.POOLED, S.ENDED],
    S.ENDED: [],
    S.WITHDRAWN: [],
    S.REJECTED: [],
})


def _application_history(obj: Application, source: str, target: str, at: datetime, actor: Any,
                         note: str) -> None:
    # Applications keep their own history table (StatusChange), which the screening page and the applicant's
    # page show; the generic StatusHistory is for machines without one.
    StatusChange.objects.create(application=obj, from_status=source, to_status=target, at=at, by=actor, note=note)


APPLICATION_MACHINE = Machine(
    name="application", label="応募", model=Application, choices=S, table=APPLICATION_TABLE,
    audit_action=AuditAction.APPLICATION_TRANSITION, history=_application_history,
    prefecture=lambda app: app.round.prefecture,
)


def training_completed_before_pooling(app: Application) -> None:
    """Guard: nobody enters the pool without the administrative training (行政研修) completed."""
    if app.training_completed_at is None:
        raise Conflict("行政研修を修了していないため、プールに登録できません。先に研修修了を記録してください。")


def application_guard(to: str):
    """The guard for a move to `to` (None when the table alone decides)."""
    return training_completed_before_pooling if to == S.POOLED else None


# --- recruitment rounds --------------------------------------------------------------------------------------

ROUND_TABLE = table({
    RoundStatus.DRAFT: [RoundStatus.OPEN],
    RoundStatus.OPEN: [RoundStatus.CLOSED],
    # Reopening a closed round is how a secretariat extends it (after moving the deadline).
    RoundStatus.CLOSED: [RoundStatus.OPEN],
})

ROUND_MACHINE = Machine(
    name="round", label="公募", model=RecruitmentRound, choices=RoundStatus, table=ROUND_TABLE,
    audit_action=AuditAction.ROUND_STATUS, prefecture=lambda rnd: rnd.prefecture,
)


def deadline_not_passed(rnd: RecruitmentRound) -> None:
    """Guard: a round opens only while its deadline is ahead, or it would accept nobody."""
    if rnd.deadline <= timezone.now():
        raise ValidationError("応募締切が過ぎています。締切を延ばしてから公開してください。", field="deadline")


def round_guard(to: str):
    """The guard for a move of a round to `to` (None when the table alone decides)."""
    return deadline_not_passed if to == RoundStatus.OPEN else None

"""The talent app's status machines: applications and recruitment rounds.

Both go through `dxpool.core.machine.Machine`, so a status only changes by a move its table allows, under a
row lock, with a timestamp, a history row and an audit event. Pages read the tables (`machine.allowed`) to
offer only moves that can succeed. Rules beyond the table are guards, run under the same lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from dxpool.core.audit import AuditAction
from dxpool.core.errors import Conflict, ValidationError
from dxpool.core.machine import Machine, table
from dxpool.talent.models import Application, Criterion, Decision, RecruitmentRound, RoundStatus, StatusChange
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


@dataclass(frozen=True)
class Confirmation:
    """What the page asks before a move that ends an application for good (a real form step, not a script
    dialog): the question, what follows from it, and the button that confirms."""

    question: str
    consequence: str
    button: str


def move_confirmation(to: str, *, name: str) -> Confirmation | None:
    """The question to ask the secretariat before moving `name`'s application to `to` (None: no need to ask).
    Rejection and withdrawal are final states of APPLICATION_TABLE: nothing leads out of them."""
    if to == S.REJECTED:
        return Confirmation(
            question=_("%(name)sさんの応募を不採用にしますか。") % {"name": name},
            consequence=_("不採用にすると、この応募は終了し、元に戻せません。応募者のマイページに「不採用」と表示され、"
                          "この公募では選考を再開できません。"),
            button=_("不採用にする"))
    if to == S.WITHDRAWN:
        return Confirmation(
            question=_("%(name)sさんの応募を辞退として記録しますか。") % {"name": name},
            consequence=_("辞退として記録すると、この応募は終了し、元に戻せません。研修・人材プール・派遣の対象からも"
                          "外れます。"),
            button=_("辞退として記録する"))
    return None


def decision_target(criterion: str, decision: str) -> str | None:
    """The status a screening decision moves the application to (None: it stays where it is)."""
    if criterion != Criterion.FINAL:
        return None
    return {Decision.SELECTED: S.SELECTED, Decision.REJECTED: S.REJECTED}.get(decision)


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

"""Writes for matching: start a run (queued as a background task), execute it with the engine, review
(lock/exclude, what-if re-runs), send proposals, and record each side's answer.

A declined proposal becomes an exclusion that every later run obeys; a proposal accepted by both sides fills
the need (through the needs app's `need_fill`, which keeps to the need's own table) and lifts the
pseudonymisation for that municipality.

Status changes of runs and proposals go through the machines in `dxpool.matching.machines`; who may act is
stated once in `dxpool.matching.permissions` and enforced here with `require(...)`.

Acceptance of a need that is no longer open (decided in issue 11, see docs/matching.md): a need can be closed
by its prefecture, or filled by another run's proposal, after proposals for it were sent. An acceptance of
such a proposal — by either side — is refused with Conflict (409) and a Japanese message saying why; nothing
is recorded (the transaction rolls back), the proposal stays sent and can still be declined, and the
secretariat may reopen the need (closed → open) if it wants the match after all. Before, the need silently
became filled although its table allows closed → open only.
"""

import logging
import time
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from dxpool.accounts.models import User
from dxpool.core.audit import AuditAction, audit_record
from dxpool.core.errors import Conflict, ValidationError
from dxpool.core.permissions import require
from dxpool.engine import InstanceError, MatchParams, ScoreWeights, match, result_to_dict
from dxpool.matching import adapters, selectors
from dxpool.matching.lease import heartbeat, holder_is_gone, lease_seconds, worker_identity
from dxpool.matching.machines import PROPOSAL_MACHINE, RUN_MACHINE
from dxpool.matching.models import MatchRun, PairRule, Proposal, ProposalStatus, RunStatus, Side
from dxpool.matching.permissions import (
    can_run_matching,
    can_send_proposals,
    can_set_pair_rule,
    can_withdraw_proposal,
    proposal_side,
)
from dxpool.places.reference import municipality_coordinates
from dxpool.talent.models import TalentProfile

WEIGHT_KEYS = {f for f in ScoreWeights.__dataclass_fields__}

NOT_SECRETARIAT = "マッチングを操作できるのは、その都道府県の事務局だけです。"

logger = logging.getLogger("dxpool.matching")

# What the run page and `match-run --wait` say about a run that was failed because nothing could finish it.
WORKER_LOST = "処理を実行していたワーカーが停止しました。再実行してください。"
NEVER_STARTED = "ワーカーが処理を開始できませんでした（タスクが終了または消失しています）。再実行してください。"
UNEXPECTED = "予期しないエラーで処理が止まりました（{name}）。再実行しても続く場合は管理者に連絡してください。"



@transaction.atomic
def matchrun_start(*, actor: User, mode: str = "optimal", optimal_side: str = "need", require_training: bool = True,
                   max_assignments: int = 3, weights: dict[str, float] | None = None,
                   parent: MatchRun | None = None) -> MatchRun:
    """Record a run with its parameters and queue it; the worker executes it (immediately in tests)."""
    require(can_run_matching(user=actor), "マッチングを実行できるのは都道府県の事務局だけです。")
    if parent is not None:
        require(can_run_matching(user=actor, obj=parent), NOT_SECRETARIAT)
    if mode not in ("optimal", "stable"):
        raise ValidationError("方式は optimal か stable を指定してください。", field="mode")
    if optimal_side not in ("need", "talent"):
        raise ValidationError("有利な側は need か talent を指定してください。", field="optimal_side")
    if not 1 <= int(max_assignments) <= 10:
        raise ValidationError("1人あたり最大担当数は1〜10で指定してください。", field="max_assignments")
    weights = {k: float(v) for k, v in (weights or {}).items()}
    unknown = sorted(set(weights) - WEIGHT_KEYS)
    if unknown:
        raise ValidationError(f"重み「{unknown[0]}」はありません。使える重み: {', '.join(sorted(WEIGHT_KEYS))}",
                              field="weights")
    if any(v < 0 for v in weights.values()):
        raise ValidationError("重みは0以上で指定してください。", field="weights")
    run = MatchRun.objects.create(
        prefecture_id=actor.prefecture_id_scope, created_by=actor, parent=parent, mode=mode,
        optimal_side=optimal_side, require_training=require_training, max_assignments=max_assignments,
        weights=weights, progress_label=gettext_noop("待機中"),
    )
    audit_record(actor=actor, action=AuditAction.MATCHRUN_START, target=run, prefecture=run.prefecture,
                 detail={"mode": mode, "require_training": require_training})
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from dxpool.matching.tasks import run_match

    result = run_match.enqueue(run_id)
    # Kept so the reaper can tell a queued run whose task ended (or vanished) without running it.
    MatchRun.objects.filter(pk=run_id).update(task_id=str(result.id)[:64])


def matchrun_rerun(*, actor: User, parent: MatchRun) -> MatchRun:
    """Start a what-if run with a run's parameters; it obeys the locks and exclusions set since."""
    return matchrun_start(actor=actor, mode=parent.mode, optimal_side=parent.optimal_side,
                          require_training=parent.require_training, max_assignments=parent.max_assignments,
                          weights=parent.weights, parent=parent)


class _LeaseLost(Exception):
    """The run is no longer this worker's (the reaper failed it): stop without writing results."""


def _progress(run: MatchRun, value: int, label: str, *, worker: str) -> None:
    # Progress is not a status: a plain update, so the polling page sees it while the engine works. It renews
    # the lease too, and only while the run is still ours.
    held = MatchRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING, worker=worker).update(
        progress=value, progress_label=label, heartbeat_at=timezone.now())
    if not held:
        raise _LeaseLost
    delay = float(getattr(settings, "MATCHRUN_PHASE_DELAY_FOR_TESTS", 0) or 0)
    if delay:
        # Test-only (tests/matching/test_worker_kill.py): a slow run, so a worker can be killed mid-run.
        time.sleep(delay)


def matchrun_execute(*, run_id: int) -> MatchRun:
    """Build the instance from the database, run the engine, store proposals and explanations.

    The worker is the actor (None): its moves queued/failed → running → done/failed go through the run's
    machine like a person's, so they are stamped, kept in the status history and audited. The worker holds
    the run under a lease (heartbeat_at, worker): if it dies, `matchrun_reap_stale` fails the run; if it was
    only slow and the run was failed meanwhile, it stops and leaves the failed run alone. Any exception fails
    the run: the engine's refusal with its own words, anything else with a generic message and the
    traceback in the log.
    """
    run = MatchRun.objects.get(pk=run_id)
    # A task delivered twice, or one for a run already running or done, does nothing.
    if not RUN_MACHINE.can(run.status, RunStatus.RUNNING):
        return run
    me = worker_identity()
    try:
        run = RUN_MACHINE.transition(obj=run, to=RunStatus.RUNNING, update={
            "progress": 5, "progress_label": gettext_noop("データを読み込み中"), "error": "", "worker": me,
            "heartbeat_at": timezone.now()})
    except Conflict:
        # Another worker took the run between our read and the lock: it is theirs to finish.
        run.refresh_from_db()
        return run
    try:
        with heartbeat(run.pk, worker=me):
            _compute(run, worker=me)
    except _LeaseLost:
        logger.warning("match run #%s: the lease was lost (the run was failed meanwhile); results dropped", run.pk)
    except (InstanceError, ValueError) as exc:
        _fail(run, str(exc), worker=me)
    except Exception as exc:
        logger.exception("match run #%s failed unexpectedly", run.pk)
        _fail(run, UNEXPECTED.format(name=type(exc).__name__), worker=me)
    except BaseException:
        # The worker is being stopped (a second Ctrl+C or SIGTERM during the task): say so, then go.
        _fail(run, WORKER_LOST, worker=me)
        raise
    run.refresh_from_db()
    return run


def _compute(run: MatchRun, *, worker: str) -> None:
    needs = selectors.open_needs(prefecture_id=run.prefecture_id)
    profiles, trained = selectors.pool_profiles(prefecture_id=run.prefecture_id,
                                                require_training=run.require_training)
    _progress(run, 25, gettext_noop("候補の組合せを評価中"), worker=worker)
    engine_needs = [adapters.need_to_engine(n) for n in needs]
    engine_talents = [adapters.profile_to_engine(p, trained=p.pk in trained, max_assignments=run.max_assignments)
                      for p in profiles]
    need_ids = {n.pk for n in needs}
    profile_ids = {p.pk for p in profiles}
    rules = PairRule.objects.filter(need_id__in=need_ids, profile_id__in=profile_ids)
    locked = tuple((f"N{r.need_id}", f"T{r.profile_id}") for r in rules if r.kind == "lock")
    excluded = tuple((f"N{r.need_id}", f"T{r.profile_id}") for r in rules if r.kind == "exclude")
    params = MatchParams(mode=run.mode, optimal=run.optimal_side, require_training=run.require_training,
                         weights=ScoreWeights(**run.weights), locked=locked, excluded=excluded)
    _progress(run, 50, gettext_noop("最適化計算中"), worker=worker)
    result = match(engine_needs, engine_talents, municipality_coordinates(), params)
    data = result_to_dict(result)
    _progress(run, 90, gettext_noop("結果を保存中"), worker=worker)
    with transaction.atomic():
        run.proposals.all().delete()
        Proposal.objects.bulk_create([
            Proposal(run=run, need_id=int(a.need[1:]), profile_id=int(a.talent[1:]), score=a.score,
                     breakdown=dict(a.breakdown), locked=a.locked)
            for a in result.assignments
        ])
        RUN_MACHINE.transition(obj=run, to=RunStatus.DONE, guard=_still_held_by(worker), update={
            "progress": 100, "progress_label": gettext_noop("完了"), "objective": result.objective, "bound": result.bound,
            "gap": result.gap, "stats": _jsonable(data.get("stats", {})),
            "unfilled": _jsonable(data.get("unfilled", [])),
            "explanations": _jsonable(data.get("explanations", {}))})


def _still_held_by(worker: str):
    def guard(locked: MatchRun) -> None:
        if locked.status != RunStatus.RUNNING or locked.worker != worker:
            raise _LeaseLost
    return guard


def _fail(run: MatchRun, error: str, *, worker: str) -> None:
    try:
        RUN_MACHINE.transition(obj=run, to=RunStatus.FAILED, note=error, guard=_still_held_by(worker),
                               update={"error": error, "progress_label": gettext_noop("失敗")})
    except _LeaseLost:
        logger.warning("match run #%s: already failed by the reaper; its error stays", run.pk)


def matchrun_reap_stale(*, older_than: timedelta | None = None, now: datetime | None = None) -> list[int]:
    """Fail the runs nothing will finish any more, with a reason, so they can be rerun; return their ids.

    A running run whose heartbeat (or start, if it never beat) is older than the lease, or whose holder is a
    process of this host that no longer exists, lost its worker (WORKER_LOST); its django-tasks row, which
    django-tasks leaves "running" for good, is failed too. A queued run older than the lease whose task
    ended, vanished or was claimed by a worker that died before starting it never started (NEVER_STARTED);
    a queued run whose task is still waiting is left alone (a busy worker is not a dead one). Called by
    `dxpool worker` at start and periodically, and by `match-run --wait` while it waits.
    """
    now = now or timezone.now()
    cutoff = now - (older_than if older_than is not None else timedelta(seconds=lease_seconds()))
    reaped = []
    for run in MatchRun.objects.filter(status=RunStatus.RUNNING).order_by("pk"):
        last = run.heartbeat_at or run.started_at or run.created_at
        if last < cutoff or holder_is_gone(run.worker):
            if _reap(run, RunStatus.RUNNING, WORKER_LOST):
                reaped.append(run.pk)
                _close_task(run.task_id, WORKER_LOST, now)
    for run in MatchRun.objects.filter(status=RunStatus.QUEUED, created_at__lt=cutoff).order_by("pk"):
        if _task_cannot_run(run.task_id, cutoff) and _reap(run, RunStatus.QUEUED, NEVER_STARTED):
            reaped.append(run.pk)
            _close_task(run.task_id, NEVER_STARTED, now)
    return reaped


def _reap(run: MatchRun, expected: str, error: str) -> bool:
    def unchanged(locked: MatchRun) -> None:
        # Under the lock: the worker may have moved or renewed the run since we read it.
        if locked.status != expected or locked.heartbeat_at != run.heartbeat_at:
            raise _LeaseLost

    try:
        RUN_MACHINE.transition(obj=run, to=RunStatus.FAILED, note=error, guard=unchanged,
                               update={"error": error, "progress_label": gettext_noop("失敗")})
    except _LeaseLost:
        return False
    logger.warning("match run #%s failed by the reaper: %s (worker %s)", run.pk, error, run.worker or "-")
    return True


def _task_row(task_id: str):
    """The run's django-tasks database row, or None (another backend, or no such row)."""
    from django.apps import apps

    if not task_id or not apps.is_installed("django_tasks_db"):
        return None
    try:
        uuid.UUID(task_id)
    except ValueError:
        return None  # an id of another backend (the immediate backend's are not UUIDs)
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(pk=task_id).first()


def _task_cannot_run(task_id: str, cutoff: datetime) -> bool:
    row = _task_row(task_id)
    if row is None:
        return True
    if row.status == "READY":
        return False
    if row.status == "RUNNING":
        return row.started_at is None or row.started_at < cutoff
    return True  # FAILED or SUCCESSFUL without having moved the run


class WorkerLost(Exception):
    """Recorded on a django-tasks row whose worker died (never raised)."""


def _close_task(task_id: str, error: str, now: datetime) -> None:
    row = _task_row(task_id)
    if row is not None and row.status in ("RUNNING", "READY"):
        type(row).objects.filter(pk=row.pk, status=row.status).update(
            status="FAILED", finished_at=now, exception_class_path=f"{__name__}.WorkerLost",
            traceback=f"{__name__}.WorkerLost: {error}")


def _jsonable(value: Any) -> Any:
    import json

    return json.loads(json.dumps(value, default=str))


@transaction.atomic
def pair_rule_set(*, actor: User, need, profile: TalentProfile, kind: str, reason: str = "") -> PairRule | None:
    """Lock or exclude a pair for later runs; kind "clear" removes the rule."""
    require(can_set_pair_rule(user=actor, obj=need), NOT_SECRETARIAT)
    if profile.prefecture_id != need.prefecture_id:
        raise ValidationError("他の都道府県の人材は指定できません。")
    if kind == "clear":
        deleted, _ = PairRule.objects.filter(need=need, profile=profile).delete()
        if deleted:
            audit_record(actor=actor, action=AuditAction.PAIR_CLEAR, target=need, prefecture=need.prefecture,
                         detail={"profile": profile.pk})
        return None
    if kind not in ("lock", "exclude"):
        raise ValidationError("lock, exclude, clear のいずれかを指定してください。", field="kind")
    rule, _ = PairRule.objects.update_or_create(need=need, profile=profile, defaults={
        "kind": kind, "reason": reason, "source": "coordinator", "created_by": actor})
    audit_record(actor=actor, action=AuditAction(f"pair.{kind}"), target=rule, prefecture=need.prefecture)
    return rule


@transaction.atomic
def proposals_send(*, actor: User, run: MatchRun, proposal_ids: Sequence[int]) -> int:
    """Send the chosen proposals of a finished run to both sides: all of them or none.

    There is no "send everything" default (issue 12): the page sends the ids its confirmation listed. An id
    that is not the run's, or a proposal no longer proposed (sent meanwhile from another tab), refuses the
    whole sending, so what was confirmed is exactly what is sent.
    """
    from dxpool.core.models import StatusHistory

    require(can_send_proposals(user=actor, obj=run), NOT_SECRETARIAT)
    if run.status != RunStatus.DONE:
        raise Conflict("完了していない実行の提案は送付できません。")
    chosen = sorted({int(pk) for pk in proposal_ids})
    if not chosen:
        raise ValidationError("送付する提案を選んでください。", field="proposal")
    # One bulk move instead of a machine transition per proposal: sending is one act over the chosen
    # proposals (hundreds of rows at a large prefecture), audited once with its count. The move is still the
    # machine's: its table is checked, the rows are locked, sent_at is stamped and each proposal gets its
    # history row.
    PROPOSAL_MACHINE.check(ProposalStatus.PROPOSED, ProposalStatus.SENT)
    rows = dict(Proposal.objects.select_for_update().filter(pk__in=chosen, run=run)
                .order_by("pk").values_list("pk", "status"))
    if len(rows) != len(chosen):
        raise Conflict(f"選んだ提案のうち{len(chosen) - len(rows)}件はこの実行の提案ではありません。"
                       "画面を更新して選び直してください。", code="NotInRun")
    not_proposed = [pk for pk, status in rows.items() if status != ProposalStatus.PROPOSED]
    if not_proposed:
        raise Conflict(f"選んだ提案のうち{len(not_proposed)}件はすでに送付済みか回答済みです。"
                       "画面を更新して選び直してください。", code="NotProposed")
    now = timezone.now()
    n = Proposal.objects.filter(pk__in=chosen).update(status=ProposalStatus.SENT, sent_at=now, updated_at=now)
    StatusHistory.objects.bulk_create([
        StatusHistory(machine=PROPOSAL_MACHINE.name, target_id=str(pk), from_status=ProposalStatus.PROPOSED,
                      to_status=ProposalStatus.SENT, at=now, actor=actor)
        for pk in chosen])
    audit_record(actor=actor, action=AuditAction.PROPOSALS_SEND, target=run, prefecture=run.prefecture,
                 detail={"count": n, "proposals": chosen})
    return n


def _need_not_open(need) -> Conflict:
    return Conflict(f"このニーズは現在「{need.get_status_display()}」で募集中ではないため、提案を受諾できません"
                    "（辞退はできます）。受諾するには、都道府県の事務局がニーズを募集中に戻す必要があります。",
                    code="NeedNotOpen")


@transaction.atomic
def proposal_answer(*, actor: User, proposal: Proposal, accept: bool, reason: str = "") -> Proposal:
    """The municipality (of the need) or the talent answers a sent proposal; a decline needs a reason.

    An acceptance while the need is not open is refused (see the module docstring); a decline is not.
    """
    from dxpool.needs.models import NeedStatus

    proposal = Proposal.objects.select_for_update().select_related("need", "profile", "run").get(pk=proposal.pk)
    field = proposal_side(user=actor, obj=proposal)
    require(field is not None, "この提案に回答する権限がありません。")
    if proposal.status != ProposalStatus.SENT:
        raise Conflict("回答できるのは送付済みの提案だけです。")
    if getattr(proposal, field) != Side.PENDING:
        # One answer per side: a second click (another tab, a resent form) must not turn an acceptance the
        # other side relies on into a decline. A side that changes its mind asks the secretariat to withdraw.
        raise Conflict("この提案にはすでに回答しています。変更が必要な場合は、都道府県の事務局に連絡してください。",
                       code="AlreadyAnswered")
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError("辞退の理由を記入してください。", field="reason")
    if not accept:
        PROPOSAL_MACHINE.transition(obj=proposal, to=ProposalStatus.DECLINED, actor=actor, note=reason,
                                    update={field: Side.DECLINED, "decline_reason": reason}, audit=False)
        PairRule.objects.update_or_create(need=proposal.need, profile=proposal.profile, defaults={
            "kind": "exclude", "reason": reason, "source": "declined", "created_by": actor})
    else:
        if proposal.need.status != NeedStatus.OPEN:
            raise _need_not_open(proposal.need)
        setattr(proposal, field, Side.ACCEPTED)
        if proposal.municipality_decision == Side.ACCEPTED and proposal.talent_decision == Side.ACCEPTED:
            from dxpool.needs.services import need_fill

            try:
                # The need's own service and table decide (under its row lock) whether it can be filled.
                need_fill(need=proposal.need, actor=actor)
            except Conflict as exc:
                proposal.need.refresh_from_db(fields=["status"])
                raise _need_not_open(proposal.need) from exc
            PROPOSAL_MACHINE.transition(obj=proposal, to=ProposalStatus.ACCEPTED, actor=actor,
                                        update={field: Side.ACCEPTED}, audit=False)
        else:
            proposal.save(update_fields=[field, "updated_at"])
    # One event per answer, richer than the machine's (which side, the reason), so the machine's is off.
    audit_record(actor=actor, action=AuditAction.PROPOSAL_ACCEPT if accept else AuditAction.PROPOSAL_DECLINE,
                 target=proposal, prefecture=proposal.need.prefecture, detail={"side": field, "reason": reason})
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor: User, proposal: Proposal, reason: str) -> Proposal:
    """The secretariat takes back a sent proposal; both sides then see it withdrawn, with the reason.

    Only a sent proposal can be withdrawn (the machine's table): an accepted one filled its need and opened
    the profile, a declined one is already over. The pair is not excluded from later runs — withdrawing says
    "not now, not like this", not "never" (a decline does that).
    """
    require(can_withdraw_proposal(user=actor, obj=proposal), "提案を取り下げられるのは、その都道府県の事務局だけです。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("取り下げの理由を記入してください。", field="reason")
    proposal = PROPOSAL_MACHINE.transition(obj=proposal, to=ProposalStatus.WITHDRAWN, actor=actor, note=reason,
                                           update={"withdraw_reason": reason}, audit=False)
    # Its own event rather than the machine's generic one, so the audit trail names the act and its reason.
    audit_record(actor=actor, action=AuditAction.PROPOSAL_WITHDRAW, target=proposal,
                 prefecture=proposal.run.prefecture, detail={"reason": reason})
    return proposal

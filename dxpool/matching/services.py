"""Writes for matching: start a run (queued as a background task), execute it with the engine, review
(lock/exclude, what-if re-runs), send proposals, and record each side's answer.

A declined proposal becomes an exclusion that every later run obeys; a proposal accepted by both sides fills
the need and lifts the pseudonymisation for that municipality.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone

from dxpool.accounts.models import Role, User
from dxpool.core.audit import AuditAction, audit_record
from dxpool.core.errors import Conflict, Forbidden, ValidationError
from dxpool.engine import InstanceError, MatchParams, ScoreWeights, match, result_to_dict
from dxpool.matching import adapters
from dxpool.matching.models import MatchRun, PairRule, Proposal, ProposalStatus, RunStatus, Side
from dxpool.places.reference import municipality_coordinates
from dxpool.talent.models import ApplicationStatus, TalentProfile

WEIGHT_KEYS = {f for f in ScoreWeights.__dataclass_fields__}


def _require_secretariat(actor: User, prefecture_id: int) -> None:
    if actor.role != Role.PREFECTURE or actor.prefecture_id_scope != prefecture_id:
        raise Forbidden("マッチングを操作できるのは、その都道府県の事務局だけです。")


def _need_model():
    from dxpool.needs.models import Need

    return Need


@transaction.atomic
def matchrun_start(*, actor: User, mode: str = "optimal", optimal_side: str = "need", require_training: bool = True,
                   max_assignments: int = 3, weights: dict[str, float] | None = None,
                   parent: MatchRun | None = None) -> MatchRun:
    """Record a run with its parameters and queue it; the worker executes it (immediately in tests)."""
    if actor.role != Role.PREFECTURE:
        raise Forbidden("マッチングを実行できるのは都道府県の事務局だけです。")
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
        weights=weights, progress_label="待機中",
    )
    audit_record(actor=actor, action=AuditAction.MATCHRUN_START, target=run, prefecture=run.prefecture,
                 detail={"mode": mode, "require_training": require_training})
    from dxpool.matching.tasks import run_match

    transaction.on_commit(lambda: run_match.enqueue(run.pk))
    return run


def _progress(run: MatchRun, value: int, label: str) -> None:
    MatchRun.objects.filter(pk=run.pk).update(progress=value, progress_label=label)


def pool_profiles(prefecture_id: int, *, require_training: bool):
    """Profiles that may be matched: pooled (trained) people; with the gate off, also those selected or in
    training, so the coordinator can see who could match once trained."""
    statuses = [ApplicationStatus.POOLED, ApplicationStatus.DISPATCHED]
    if not require_training:
        statuses += [ApplicationStatus.SELECTED, ApplicationStatus.IN_TRAINING]
    qs = (TalentProfile.objects.filter(prefecture_id=prefecture_id, applications__status__in=statuses,
                                       home_municipality__isnull=False)
          .select_related("home_municipality").distinct())
    trained = set(TalentProfile.objects.filter(pk__in=qs.values("pk"),
                                               applications__training_completed_at__isnull=False)
                  .values_list("pk", flat=True))
    return list(qs.order_by("pk")), trained


def matchrun_execute(*, run_id: int) -> MatchRun:
    """Build the instance from the database, run the engine, store proposals and explanations."""
    run = MatchRun.objects.get(pk=run_id)
    if run.status not in (RunStatus.QUEUED, RunStatus.FAILED):
        return run
    MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now(), progress=5,
                                              progress_label="データを読み込み中", error="")
    try:
        Need = _need_model()
        needs = list(Need.objects.filter(prefecture_id=run.prefecture_id, status="open").order_by("pk"))
        profiles, trained = pool_profiles(run.prefecture_id, require_training=run.require_training)
        _progress(run, 25, "候補の組合せを評価中")
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
        _progress(run, 50, "最適化計算中")
        result = match(engine_needs, engine_talents, municipality_coordinates(), params)
        data = result_to_dict(result)
        _progress(run, 90, "結果を保存中")
        with transaction.atomic():
            run.proposals.all().delete()
            Proposal.objects.bulk_create([
                Proposal(run=run, need_id=int(a.need[1:]), profile_id=int(a.talent[1:]), score=a.score,
                         breakdown=dict(a.breakdown), locked=a.locked)
                for a in result.assignments
            ])
            MatchRun.objects.filter(pk=run.pk).update(
                status=RunStatus.DONE, progress=100, progress_label="完了", objective=result.objective,
                bound=result.bound, gap=result.gap, stats=_jsonable(data.get("stats", {})),
                unfilled=_jsonable(data.get("unfilled", [])), explanations=_jsonable(data.get("explanations", {})),
                finished_at=timezone.now())
    except (InstanceError, ValueError) as exc:
        MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=str(exc), finished_at=timezone.now(),
                                                  progress_label="失敗")
    run.refresh_from_db()
    return run


def _jsonable(value: Any) -> Any:
    import json

    return json.loads(json.dumps(value, default=str))


@transaction.atomic
def pair_rule_set(*, actor: User, need, profile: TalentProfile, kind: str, reason: str = "") -> PairRule | None:
    """Lock or exclude a pair for later runs; kind "clear" removes the rule."""
    _require_secretariat(actor, need.prefecture_id)
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
def proposals_send(*, actor: User, run: MatchRun) -> int:
    """Send a finished run's proposals to both sides."""
    _require_secretariat(actor, run.prefecture_id)
    if run.status != RunStatus.DONE:
        raise Conflict("完了していない実行の提案は送付できません。")
    now = timezone.now()
    n = run.proposals.filter(status=ProposalStatus.PROPOSED).update(status=ProposalStatus.SENT, sent_at=now)
    audit_record(actor=actor, action=AuditAction.PROPOSALS_SEND, target=run, prefecture=run.prefecture, detail={"count": n})
    return n


@transaction.atomic
def proposal_answer(*, actor: User, proposal: Proposal, accept: bool, reason: str = "") -> Proposal:
    """The municipality (of the need) or the talent answers a sent proposal; a decline needs a reason."""
    proposal = Proposal.objects.select_for_update().select_related("need", "profile").get(pk=proposal.pk)
    if proposal.status != ProposalStatus.SENT:
        raise Conflict("回答できるのは送付済みの提案だけです。")
    if actor.role == Role.MUNICIPALITY and actor.municipality_id_scope in proposal.need.municipality_ids():
        field = "municipality_decision"
    elif actor.role == Role.TALENT and proposal.profile.user_id == actor.pk:
        field = "talent_decision"
    else:
        raise Forbidden("この提案に回答する権限がありません。")
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError("辞退の理由を記入してください。", field="reason")
    setattr(proposal, field, Side.ACCEPTED if accept else Side.DECLINED)
    now = timezone.now()
    if not accept:
        proposal.status = ProposalStatus.DECLINED
        proposal.decline_reason = reason
        proposal.decided_at = now
        PairRule.objects.update_or_create(need=proposal.need, profile=proposal.profile, defaults={
            "kind": "exclude", "reason": reason, "source": "declined", "created_by": actor})
    elif proposal.municipality_decision == Side.ACCEPTED and proposal.talent_decision == Side.ACCEPTED:
        proposal.status = ProposalStatus.ACCEPTED
        proposal.decided_at = now
        proposal.need.mark_filled()
    proposal.save()
    audit_record(actor=actor, action=AuditAction.PROPOSAL_ACCEPT if accept else AuditAction.PROPOSAL_DECLINE, target=proposal,
                 prefecture=proposal.need.prefecture, detail={"side": field, "reason": reason})
    return proposal

"""Reads for matching, scoped by the acting user.

Pseudonymisation: the secretariat reviews runs by pseudonym only (`run_review` never reads a real name), and a
municipality sees a talent's full profile only once both sides accepted a proposal for one of its needs
(`accepted_between`, which `dxpool.talent.selectors.can_see_full_profile` asks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dxpool.accounts.models import Role, User
from dxpool.core.errors import NotFound
from dxpool.core.permissions import is_secretariat
from dxpool.matching.labels import COMPONENT_LABELS, RULE_LABELS, UNFILLED_REASONS, WHY_NOT
from dxpool.matching.models import MatchRun, PairRule, Proposal, ProposalStatus, RunStatus
from dxpool.matching.permissions import can_answer_proposal, can_run_matching, can_send_proposals
from dxpool.talent.models import ApplicationStatus, TalentProfile


def run_scope(*, user: User) -> QuerySet[MatchRun]:
    # Narrower than core.scope.by_role on purpose: runs hold every pooled talent's scores, so only the
    # secretariat that ran them sees them (not the ministry, not municipalities).
    if is_secretariat(user):
        return MatchRun.objects.filter(prefecture_id=user.prefecture_id_scope)
    return MatchRun.objects.none()


# A queued run older than this without a worker is worth a word on its page (a worker polls every second).
QUEUED_NOTE_AFTER = timedelta(seconds=30)


def run_get(*, user: User, pk: int) -> MatchRun:
    """One run of the user's prefecture, with `waiting_note`: what to tell the user while it waits, or ""."""
    run = run_scope(user=user).filter(pk=pk).first()
    if run is None:
        raise NotFound("指定のマッチング実行は見つからないか、閲覧権限がありません。")
    run.waiting_note = _waiting_note(run, timezone.now())
    return run


def _waiting_note(run: MatchRun, now) -> str:
    # Read-only: the page says what it sees; failing the run is the reaper's (the worker and match-run --wait).
    from dxpool.matching.lease import lease_seconds

    if run.status == RunStatus.RUNNING:
        last = run.heartbeat_at or run.started_at
        silent = (now - last).total_seconds() if last else 0
        if silent > min(lease_seconds() / 2, 30):
            return _("ワーカーからの応答が%(n)d秒ありません。ワーカーが停止していれば、まもなく失敗として記録され、"
                     "再実行できるようになります。") % {"n": silent}
    elif run.status == RunStatus.QUEUED and now - run.created_at > QUEUED_NOTE_AFTER:
        return _("まだ開始されていません。処理を実行するワーカー（dxpool worker）が動いていないか、"
                 "他の処理を実行中です。")
    return ""


@dataclass(frozen=True)
class RunReview:
    """What the run page shows: the run, its proposals in the coordinator's words, and the unfilled needs.

    Each proposal carries `rule` ("lock", "exclude" or ""), `components` [(label, value, points)] and
    `alternatives` [{talent, score, why_not, held_by}].
    """

    run: MatchRun
    proposals: list[Proposal]
    unfilled: list[dict]
    finished: bool
    can_send: bool
    can_rerun: bool


def run_review(*, user: User, pk: int) -> RunReview:
    """One run for its secretariat, with need titles and talent pseudonyms in place of engine ids."""
    run = run_get(user=user, pk=pk)
    proposals = list(run.proposals.select_related("need", "profile", "profile__home_municipality"))
    rules = {(r.need_id, r.profile_id): r.kind
             for r in PairRule.objects.filter(need__in=[p.need_id for p in proposals])}
    need_titles, pseudonyms = _names(run)
    for p in proposals:
        p.rule = rules.get((p.need_id, p.profile_id), "")
        points = p.breakdown.get("points", {})
        p.components = [(COMPONENT_LABELS[k], p.breakdown[k], points.get(k)) for k in COMPONENT_LABELS
                        if k in p.breakdown]
        p.alternatives = _alternatives(run, f"N{p.need_id}", need_titles, pseudonyms)
    can_send = run.status == RunStatus.DONE and can_send_proposals(user=user, obj=run)
    for p in proposals:
        p.can_choose = can_send and p.status == ProposalStatus.PROPOSED
    return RunReview(run=run, proposals=proposals, unfilled=_explain_unfilled(run, need_titles, pseudonyms),
                     finished=run.is_finished,
                     can_send=can_send and any(p.can_choose for p in proposals),
                     can_rerun=run.is_finished and can_run_matching(user=user, obj=run))


@dataclass(frozen=True)
class SendPreview:
    """What the confirmation page lists before proposals are sent.

    `proposals` are the chosen proposals that can be sent, each with `municipality_names`; `problem` says why
    the choice cannot be sent as it is ("" when it can); `chosen` tells an empty choice from a refused one.
    """

    run: MatchRun
    proposals: list[Proposal]
    problem: str
    chosen: bool


def send_preview(*, user: User, run_id: int, proposal_ids: Sequence[int], all_proposed: bool = False) -> SendPreview:
    """The chosen proposals of a run as the confirmation lists them: need, municipalities and pseudonym only.

    With `all_proposed`, every proposal of the run still proposed. Ids that are not the run's (a tampered or
    stale page) or proposals no longer proposed make a `problem`: the page then offers no confirmation, as
    `proposals_send` would refuse the whole choice.
    """
    run = run_get(user=user, pk=run_id)
    if not can_send_proposals(user=user, obj=run):
        raise NotFound("指定のマッチング実行は見つからないか、閲覧権限がありません。")
    qs = run.proposals.select_related("need", "profile").prefetch_related("need__municipalities")
    wanted = {pk for pk in proposal_ids if pk > 0}
    junk = sum(1 for pk in proposal_ids if pk <= 0)  # ids the view could not read (see core.web.id_param)
    if all_proposed:
        proposals = list(qs.filter(status=ProposalStatus.PROPOSED).order_by("-score", "pk"))
    else:
        proposals = list(qs.filter(pk__in=wanted).order_by("-score", "pk"))
    missing = 0 if all_proposed else len(wanted) - len(proposals) + junk
    problem = ""
    if run.status != RunStatus.DONE:
        problem = _("完了していない実行の提案は送付できません。")
    elif missing:
        problem = _("選んだ提案のうち%(n)d件はこの実行の提案ではありません。") % {"n": missing}
    elif any(p.status != ProposalStatus.PROPOSED for p in proposals):
        problem = _("選んだ提案のうち%(n)d件はすでに送付済みか回答済みです。") % {
            "n": sum(p.status != ProposalStatus.PROPOSED for p in proposals)}
    for p in proposals:
        p.municipality_names = "、".join(m.name for m in p.need.municipalities.all())
    return SendPreview(run=run, proposals=proposals, problem=problem,
                       chosen=bool(proposals) or problem != "")


def _names(run: MatchRun) -> tuple[dict[str, str], dict[str, str]]:
    """Engine ids → what the coordinator recognises: need titles and talent pseudonyms (never real names)."""
    from dxpool.needs.models import Need

    need_titles = {f"N{pk}": title for pk, title in Need.objects.filter(
        prefecture_id=run.prefecture_id).values_list("pk", "title")}
    pseudonyms = {f"T{pk}": name for pk, name in TalentProfile.objects.filter(
        prefecture_id=run.prefecture_id).values_list("pk", "pseudonym")}
    return need_titles, pseudonyms


def _explain_unfilled(run: MatchRun, need_titles: dict[str, str], pseudonyms: dict[str, str]) -> list[dict]:
    """Unfilled needs in the coordinator's words: need titles, pseudonyms, and which rules excluded whom."""
    out = []
    for u in run.unfilled:
        detail = u.get("detail") or {}
        lines = []
        if u["reason"] == "no_eligible_talent":
            failed = {RULE_LABELS.get(k, k): v for k, v in (detail.get("failed") or {}).items() if v}
            lines.append(_("対象%(n)s人のうち、条件を満たさない人数: ") % {"n": detail.get("talents", "?")}
                         + "、".join(f"{k} {v}人" for k, v in failed.items()))
        for c in detail.get("candidates", []):
            held = "、".join(need_titles.get(h, h) for h in c.get("held_by", []))
            lines.append(_("%(t)s（スコア %(s).2f）は %(h)s に割り当て済み") % {
                "t": pseudonyms.get(c.get("talent"), c.get("talent")), "s": c.get("score") or 0, "h": held})
        out.append({"need": need_titles.get(u["need"], u["need"]),
                    "reason": UNFILLED_REASONS.get(u["reason"], u["reason"]), "lines": lines})
    return out


def _alternatives(run: MatchRun, need_key: str, need_titles: dict[str, str],
                  pseudonyms: dict[str, str]) -> list[dict]:
    """The next best talents for a proposed need and why each was not chosen (from the run's explanations)."""
    out = []
    for alt in (run.explanations.get(need_key) or {}).get("alternatives", []):
        held = [need_titles.get(h, h) for h in (alt.get("detail") or {}).get("held_by", [])]
        out.append({"talent": pseudonyms.get(alt["talent"], alt["talent"]), "score": alt.get("score"),
                    "why_not": WHY_NOT.get(alt.get("why_not"), alt.get("why_not")), "held_by": "、".join(held)})
    return out


def proposal_in_run(*, user: User, run_id: int, pk: int) -> Proposal | None:
    """A proposal of one of the user's runs, or None when the run has no such proposal.

    A run outside the user's scope raises NotFound (a 404); a proposal id that is not the run's is the
    user's stale page, which the caller answers with a message rather than an error page.
    """
    run = run_get(user=user, pk=run_id)
    return run.proposals.select_related("need", "profile").filter(pk=pk).first()


def proposal_list_for(*, user: User) -> QuerySet[Proposal]:
    """Proposals sent to the user's side: a municipality's needs, or the talent's own profile."""
    qs = Proposal.objects.select_related("need", "profile", "run").exclude(status=ProposalStatus.PROPOSED)
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.MUNICIPALITY:
        from dxpool.needs.models import Need

        needs = Need.objects.for_municipality(user.municipality_id_scope)
        return qs.filter(need__in=needs)
    if user.role == Role.TALENT:
        return qs.filter(profile__user=user)
    if user.role == Role.PREFECTURE:
        return qs.filter(run__prefecture_id=user.prefecture_id_scope)
    return qs.none()


def proposal_list(*, user: User) -> list[Proposal]:
    """The proposals page: `proposal_list_for`, each marked `can_answer` when the user may answer it now."""
    proposals = list(proposal_list_for(user=user).prefetch_related("need__municipalities"))
    for p in proposals:
        p.can_answer = p.status == ProposalStatus.SENT and can_answer_proposal(user=user, obj=p)
    return proposals


def proposal_get_for(*, user: User, pk: int) -> Proposal:
    p = proposal_list_for(user=user).filter(pk=pk).first()
    if p is None:
        raise NotFound("指定の提案は見つからないか、閲覧権限がありません。")
    return p


def accepted_between(*, municipality_id: int, profile_id: int) -> bool:
    """True once a proposal for one of the municipality's needs was accepted by both sides."""
    from dxpool.needs.models import Need

    return Proposal.objects.filter(status=ProposalStatus.ACCEPTED, profile_id=profile_id,
                                   need__in=Need.objects.for_municipality(municipality_id)).exists()


def pool_profiles(*, prefecture_id: int, require_training: bool) -> tuple[list[TalentProfile], set[int]]:
    """Profiles a run of the prefecture may match, and which of them completed the training.

    Pooled (trained) people and those already dispatched; with the gate off, also those selected or in
    training, so the coordinator can see who could match once trained. A run is the system's read on behalf
    of the secretariat that started it, hence a prefecture rather than a user.
    """
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


def open_needs(*, prefecture_id: int) -> list:
    """The needs a run of the prefecture matches: those open now, in a stable order."""
    from dxpool.needs.models import Need, NeedStatus

    # Municipalities prefetched: the adapter reads each need's municipality codes.
    return list(Need.objects.filter(prefecture_id=prefecture_id, status=NeedStatus.OPEN)
                .prefetch_related("municipalities").order_by("pk"))

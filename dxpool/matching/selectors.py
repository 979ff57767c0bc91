"""Reads for matching, scoped by the acting user.

Pseudonymisation: the secretariat reviews runs by pseudonym only (`run_review` never reads a real name), and a
municipality sees a talent's full profile only once both sides accepted a proposal for one of its needs
(`accepted_between`, which `dxpool.talent.selectors.can_see_full_profile` asks).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dxpool.accounts.models import Role, User
from dxpool.core.errors import NotFound
from dxpool.core.permissions import is_secretariat
from dxpool.matching.labels import (
    COMPONENT_LABELS,
    EXPERIENCE_PHRASES,
    PAIR_WARNINGS,
    PAIR_WARNINGS_SHORT,
    RULE_LABELS,
    UNFILLED_REASONS,
    UNFILLED_SHORT,
    WHY_NOT,
    fit_phrases,
)
from dxpool.matching.models import MatchRun, PairRule, Proposal, ProposalStatus, RunStatus, Side
from dxpool.matching.permissions import (
    can_run_matching,
    can_send_proposals,
    can_withdraw_proposal,
    proposal_side,
)
from dxpool.talent.models import ApplicationStatus, TalentProfile
from dxpool.talent.selectors import CARD_SKILL_MIN


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

    Each proposal carries `rule` ("lock", "exclude" or ""), `components` [(label, value, points)],
    `alternatives` [{talent, score, why_not, held_by}], `municipality_names`, `home` (municipality, with its
    prefecture when outside the run's), `distance_km` and `fit` (a PairFit: the fit in words and its warnings).
    `summary` counts proposals, unfilled needs by reason and warned pairs; `other_runs` are the runs the page
    offers to compare with.
    """

    run: MatchRun
    proposals: list[Proposal]
    unfilled: list[dict]
    finished: bool
    can_send: bool
    can_rerun: bool
    summary: RunSummary | None = None
    other_runs: list[MatchRun] = field(default_factory=list)


def run_review(*, user: User, pk: int) -> RunReview:
    """One run for its secretariat, with need titles and talent pseudonyms in place of engine ids."""
    run = run_get(user=user, pk=pk)
    proposals = list(run.proposals.select_related("need", "profile", "profile__home_municipality__prefecture")
                     .prefetch_related("need__municipalities"))
    rules = {(r.need_id, r.profile_id): r.kind
             for r in PairRule.objects.filter(need__in=[p.need_id for p in proposals])}
    need_titles, pseudonyms = _names(run)
    for p in proposals:
        p.rule = rules.get((p.need_id, p.profile_id), "")
        points = p.breakdown.get("points", {})
        p.components = [(COMPONENT_LABELS[k], p.breakdown[k], points.get(k)) for k in COMPONENT_LABELS
                        if k in p.breakdown]
        p.alternatives = _alternatives(run, f"N{p.need_id}", need_titles, pseudonyms)
        p.municipality_names = "、".join(m.name for m in p.need.municipalities.all())
        home = p.profile.home_municipality
        p.home = "" if home is None else (home.name if home.prefecture_id == run.prefecture_id
                                          else f"{home.prefecture.name}{home.name}")
        p.distance_km = p.breakdown.get("distance_km")
        p.fit = pair_fit(need=p.need, profile=p.profile, breakdown=p.breakdown)
    can_send = run.status == RunStatus.DONE and can_send_proposals(user=user, obj=run)
    for p in proposals:
        p.can_choose = can_send and p.status == ProposalStatus.PROPOSED
    return RunReview(run=run, proposals=proposals, unfilled=_explain_unfilled(run, need_titles, pseudonyms),
                     finished=run.is_finished,
                     can_send=can_send and any(p.can_choose for p in proposals),
                     can_rerun=run.is_finished and can_run_matching(user=user, obj=run),
                     summary=run_summary(run=run, fits=[p.fit for p in proposals]),
                     other_runs=run_compare_choices(user=user, run=run))


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
    """Unfilled needs in the coordinator's words: need titles, their municipalities, pseudonyms, and which rules
    excluded whom."""
    from dxpool.needs.models import Need

    ids = [int(u["need"][1:]) for u in run.unfilled if str(u.get("need", "")).startswith("N")
           and str(u["need"])[1:].isdigit()]
    places = {n.pk: "、".join(m.name for m in n.municipalities.all())
              for n in Need.objects.filter(pk__in=ids, prefecture_id=run.prefecture_id)
              .prefetch_related("municipalities")}
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
        key = str(u["need"])
        out.append({"need": need_titles.get(u["need"], u["need"]),
                    "municipalities": places.get(int(key[1:]), "") if key[1:].isdigit() else "",
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


# --- the run in the coordinator's words: fit, warnings, summary ------------------------------------------

# A pair whose talent lives farther than this from the need's municipality (the farthest one of a joint need)
# is flagged on the run page: beyond about 100 km a day on site means a long trip or a night away (in 長崎県,
# a ferry or a flight to the islands), which the municipality and the talent should know before they answer.
# Remote-only needs (no days on site) are not flagged: distance does not matter to them.
FAR_AWAY_KM = 100


@dataclass(frozen=True)
class PairFit:
    """How well a proposed person fits a need, in words a coordinator reads.

    `persona_met` whether the person meets the standard for the need's persona (None: the run had given
    scores, no breakdown); `skills_total` the need's emphasised skill items and `skills_covered` how many of
    them the person rates 3 (独力で実施できる) or higher; `experience` one of EXPERIENCE_PHRASES' keys or "";
    `warnings` [(code, text)] for weak pairs (codes of PAIR_WARNINGS).
    """

    persona_met: bool | None
    persona_label: str
    skills_total: int
    skills_covered: int
    experience: str
    warnings: tuple[tuple[str, str], ...]

    @property
    def experience_phrase(self) -> str:
        return str(EXPERIENCE_PHRASES[self.experience]) if self.experience else ""


def pair_fit(*, need, profile: TalentProfile, breakdown: Mapping) -> PairFit:
    """A proposal's fit in words: persona standard met, emphasised skills covered (n of m), experience, and
    warnings when no emphasised skill is covered or the person lives far from a need that needs days on site.

    Skills are counted from the profile's current self-ratings (the breakdown holds only their mean); the
    persona, experience and distance come from the run's breakdown, as the run saw them.
    """
    from dxpool.core.text import nfkc

    wanted = [nfkc(s).strip() for s in (need.skills or []) if nfkc(s).strip()]
    ratings = {nfkc(k).strip(): v for k, v in (profile.skill_ratings or {}).items()}
    covered = sum(1 for s in wanted if _rating(ratings.get(s)) >= CARD_SKILL_MIN)
    persona_met = None if "fit" not in breakdown else float(breakdown["fit"] or 0) > 0
    experience = ""
    if "experience" in breakdown:
        value = float(breakdown["experience"] or 0)
        experience = "local_government" if value >= 1 else "other" if value > 0 else "none"
    warnings = []
    if wanted and covered == 0:
        warnings.append(("no_skill", str(PAIR_WARNINGS["no_skill"])))
    km = breakdown.get("distance_km")
    # Compared as shown (whole km), so a pair flagged "far" never reads 「100 km」 against a 100 km threshold.
    if km is not None and round(km) > FAR_AWAY_KM and float(need.onsite_days_per_month or 0) > 0:
        warnings.append(("far", _("%(label)s（%(km)d km、現地 月%(days)s日）") % {
            "label": PAIR_WARNINGS["far"], "km": round(km), "days": _days(need.onsite_days_per_month)}))
    return PairFit(persona_met=persona_met, persona_label=need.get_persona_display(), skills_total=len(wanted),
                   skills_covered=covered, experience=experience, warnings=tuple(warnings))


def _rating(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _days(value) -> str:
    number = float(value or 0)
    return f"{number:g}"


@dataclass(frozen=True)
class RunSummary:
    """A run in one sentence's worth of counts: proposals, unfilled needs by reason, warned pairs by warning.

    `unfilled_by_reason` and `warnings_by_kind` are [(label, count)], largest first (ties in table order).
    """

    proposed: int
    unfilled: int
    unfilled_by_reason: list[tuple[str, int]]
    warned: int
    warnings_by_kind: list[tuple[str, int]]
    gap_percent: float | None = None  # the solver's gap as a percentage (None: stable mode, no bound)


def run_summary(*, run: MatchRun, fits: Sequence[PairFit]) -> RunSummary:
    """Count a run's proposals, its unfilled needs by reason and its pairs with warnings (a pair with two
    warnings counts once in `warned` and once under each warning)."""
    order = list(UNFILLED_SHORT)
    reasons = Counter(u.get("reason", "") for u in run.unfilled or [])
    by_reason = sorted(reasons.items(), key=lambda kv: (-kv[1], order.index(kv[0]) if kv[0] in order else 99))
    kinds = Counter(code for f in fits for code, _text in f.warnings)
    by_kind = sorted(kinds.items(), key=lambda kv: (-kv[1], list(PAIR_WARNINGS).index(kv[0])))
    return RunSummary(proposed=len(fits), unfilled=sum(reasons.values()),
                      unfilled_by_reason=[(str(UNFILLED_SHORT.get(k, UNFILLED_REASONS.get(k, k))), n)
                                          for k, n in by_reason],
                      warned=sum(1 for f in fits if f.warnings),
                      warnings_by_kind=[(str(PAIR_WARNINGS_SHORT[k]), n) for k, n in by_kind],
                      gap_percent=None if run.gap is None else round(100 * run.gap, 2))


# --- comparing two runs -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PairDiff:
    """Which needs' proposals differ between two runs, by need id (each sorted)."""

    added: tuple[int, ...]  # proposed in the run, not in the other
    removed: tuple[int, ...]  # proposed in the other run, not in this one
    changed: tuple[int, ...]  # proposed in both, to different people
    unchanged: tuple[int, ...]  # proposed in both, to the same person


def pairs_diff(*, before: Mapping[int, int], after: Mapping[int, int]) -> PairDiff:
    """Compare two runs' proposals given as {need id: profile id} (a run proposes at most one person per need).

    Pure: no database, no user; `run_compare` feeds it and names what it finds.
    """
    both = before.keys() & after.keys()
    return PairDiff(added=tuple(sorted(after.keys() - before.keys())),
                    removed=tuple(sorted(before.keys() - after.keys())),
                    changed=tuple(sorted(n for n in both if before[n] != after[n])),
                    unchanged=tuple(sorted(n for n in both if before[n] == after[n])))


@dataclass(frozen=True)
class ComparedPair:
    """One need's line in a comparison: the need in words, and who each run proposed (pseudonyms)."""

    need_id: int
    need_title: str
    municipality_names: str
    before: str  # the other run's person ("" when it proposed nobody)
    after: str  # this run's person
    before_score: float | None
    after_score: float | None


@dataclass(frozen=True)
class RunComparison:
    """The comparison page: `run` (this one) against `other` (None until one is chosen; a what-if's parent by
    default), the pairs added, removed and changed, how many stayed, and the runs one can choose instead.

    `problem` says why the figures may mislead ("" when both runs are done).
    """

    run: MatchRun
    other: MatchRun | None
    added: list[ComparedPair]
    removed: list[ComparedPair]
    changed: list[ComparedPair]
    unchanged: int
    choices: list[MatchRun]
    problem: str = ""


def run_compare_choices(*, user: User, run: MatchRun, limit: int = 30) -> list[MatchRun]:
    """The finished runs of the run's prefecture (newest first, the run itself left out) one may compare
    it with, each with `n_proposals`."""
    from django.db.models import Count

    return list(run_scope(user=user).filter(status=RunStatus.DONE).exclude(pk=run.pk)
                .annotate(n_proposals=Count("proposals")).order_by("-created_at", "-pk")[:limit])


def run_compare(*, user: User, pk: int, other_pk: int | None = None) -> RunComparison:
    """Run `pk` against run `other_pk` (by default its parent, for a what-if) of the same prefecture: the pairs
    added, removed and changed, in need titles, municipalities and pseudonyms. A run the user may not see —
    another prefecture's — is not found, either side."""
    run = run_get(user=user, pk=pk)
    choices = run_compare_choices(user=user, run=run)
    if other_pk is None:
        other_pk = run.parent_id
    if other_pk is None:
        return RunComparison(run=run, other=None, added=[], removed=[], changed=[], unchanged=0, choices=choices)
    other = run_get(user=user, pk=other_pk)
    mine, theirs = _run_pairs(run), _run_pairs(other)
    diff = pairs_diff(before={n: p.profile_id for n, p in theirs.items()},
                      after={n: p.profile_id for n, p in mine.items()})

    def line(need_id: int) -> ComparedPair:
        a, b = mine.get(need_id), theirs.get(need_id)
        need = (a or b).need
        return ComparedPair(need_id=need_id, need_title=need.title,
                            municipality_names="、".join(m.name for m in need.municipalities.all()),
                            before=b.profile.pseudonym if b else "", after=a.profile.pseudonym if a else "",
                            before_score=b.score if b else None, after_score=a.score if a else None)

    problem = ""
    if run.status != RunStatus.DONE or other.status != RunStatus.DONE:
        problem = _("完了していない実行があります。完了した実行どうしで比べてください。")
    return RunComparison(run=run, other=other, added=[line(n) for n in diff.added],
                         removed=[line(n) for n in diff.removed], changed=[line(n) for n in diff.changed],
                         unchanged=len(diff.unchanged), choices=choices, problem=problem)


def _run_pairs(run: MatchRun) -> dict[int, Proposal]:
    return {p.need_id: p for p in run.proposals.select_related("need", "profile")
            .prefetch_related("need__municipalities")}


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


def proposals_waiting(*, user: User) -> QuerySet[Proposal]:
    """Sent proposals waiting for an answer: from the user's own side (a municipality, a talent), or — for the
    secretariat that sent them — from either side. The home page's work list counts these."""
    qs = proposal_list_for(user=user).filter(status=ProposalStatus.SENT)
    if user.is_authenticated and user.role == Role.MUNICIPALITY:
        return qs.filter(municipality_decision=Side.PENDING)
    if user.is_authenticated and user.role == Role.TALENT:
        return qs.filter(talent_decision=Side.PENDING)
    return qs


def proposal_list(*, user: User, waiting: bool = False, page=None):
    """The proposals page: one page of `proposal_list_for` (or only those waiting for an answer,
    `proposals_waiting`), newest sent first, each row with what the list shows: `municipality` (its name, or the
    joint need's grouping), `state` (who has answered, in words, see `proposal_state`) and `can_answer` (the
    user may answer it now)."""
    from django.core.paginator import Paginator

    from dxpool.core.web import PAGE_SIZE

    qs = proposals_waiting(user=user) if waiting else proposal_list_for(user=user)
    qs = (qs.select_related("need__grouping", "run__prefecture").prefetch_related("need__municipalities")
          .order_by("-sent_at", "-pk"))
    shown = Paginator(qs, PAGE_SIZE).get_page(page)
    for p in shown:
        p.municipality = proposal_municipality(p.need)
        p.state = proposal_state(p, municipality=p.municipality, prefecture=p.run.prefecture.name)
        p.can_answer = _can_answer_now(user, p)
    return shown


def _can_answer_now(user: User, p: Proposal) -> bool:
    # Once a side has answered, that side has nothing left to do: no buttons for it (proposal_answer refuses too).
    side = proposal_side(user=user, obj=p)
    return p.status == ProposalStatus.SENT and side is not None and getattr(p, side) == Side.PENDING


def proposal_get_for(*, user: User, pk: int) -> Proposal:
    p = proposal_list_for(user=user).filter(pk=pk).first()
    if p is None:
        raise NotFound("指定の提案は見つからないか、閲覧権限がありません。")
    return p


def proposal_municipality(need) -> str:
    """Whom a need is for, in one name: its municipality, or the grouping (広域連携) of a joint need."""
    names = [m.name for m in need.municipalities.all()]
    if len(names) == 1:
        return names[0]
    if need.grouping_id:
        return need.grouping.name
    return "・".join(names)


def proposal_state(p: Proposal, *, municipality: str, prefecture: str) -> str:
    """Where a proposal stands, said as who has answered: 「五島市が受諾・人材の回答待ち」, 「双方受諾」 …

    The one place these phrases are made, so the list and the details page say the same.
    """
    if p.status == ProposalStatus.SENT:
        if p.municipality_decision == Side.ACCEPTED:
            return _("%(m)sが受諾・人材の回答待ち") % {"m": municipality}
        if p.talent_decision == Side.ACCEPTED:
            return _("人材が受諾・%(m)sの回答待ち") % {"m": municipality}
        return _("%(m)sと人材の回答待ち") % {"m": municipality}
    if p.status == ProposalStatus.ACCEPTED:
        return _("双方受諾")
    if p.status == ProposalStatus.DECLINED:
        if p.municipality_decision == Side.DECLINED:
            return _("%(m)sが辞退") % {"m": municipality}
        return _("人材が辞退")
    if p.status == ProposalStatus.WITHDRAWN:
        return _("取り下げ（%(p)s）") % {"p": prefecture}
    return _("未送付")


@dataclass(frozen=True)
class ProposalDetail:
    """What the proposal's page shows to one viewer (the municipality, the talent or the secretariat).

    Links are given only where the viewer may follow them: `jd_pk` (the JD page: the municipality and the
    secretariat), `card_pseudonym` (the pseudonymised pool card: the municipality and the secretariat),
    `own_profile_pk` (the talent's own profile), `full_profile_pk` (the full profile with name and contact:
    the municipality once both sides accepted, and the secretariat that holds it; opening it is audited).
    """

    proposal: Proposal
    municipality: str
    municipality_names: str
    prefecture: str
    state: str
    reasons: list[str]
    jd: object | None  # the JD's latest version (JobDescriptionVersion), shown to every side
    jd_sections: list  # its content as the JD page lays it out (needs.documents), without the checklist
    jd_pk: int | None
    card_pseudonym: str | None
    own_profile_pk: int | None
    full_profile_pk: int | None
    side: str | None
    can_answer: bool
    can_withdraw: bool
    answers: list[tuple[str, str]]


def proposal_detail(*, user: User, pk: int) -> ProposalDetail:
    """One proposal for one of its readers; "not found" outside the user's proposals (`proposal_list_for`)."""
    from dxpool.needs.documents import jd_sections
    from dxpool.needs.selectors import jd_scope, jd_words
    from dxpool.talent.permissions import can_search_pool, can_view_full_profile
    from dxpool.talent.selectors import POOL_STATUSES

    p = (proposal_list_for(user=user).select_related("need__grouping", "need__job_description", "run__prefecture",
                                                     "profile__user").prefetch_related("need__municipalities")
         .filter(pk=pk).first())
    if p is None:
        raise NotFound("指定の提案は見つからないか、閲覧権限がありません。")
    need, profile = p.need, p.profile
    municipality, prefecture = proposal_municipality(need), p.run.prefecture.name
    jd = need.job_description.latest if need.job_description_id else None
    # The talent may not open JD pages (municipal records), so the page itself shows what the JD says; the
    # acceptance checklist (who ticked what in the municipality) is the municipality's own business.
    sections = ([s for s in jd_sections(need.job_description, jd, jd_words()) if s.key != "checklist"]
                if jd else [])
    jd_pk = (need.job_description_id if jd and jd_scope(user=user).filter(pk=need.job_description_id).exists()
             else None)
    is_talent = profile.user_id == user.pk
    pooled = profile.applications.filter(status__in=POOL_STATUSES).exists()
    card = profile.pseudonym if pooled and not is_talent and can_search_pool(user=user) else None
    # The personal data behind the pseudonym: for the municipality only after both sides accepted (the rule is
    # talent.permissions.can_view_full_profile); the talent reaches it as their own profile instead.
    full = profile.pk if not is_talent and can_view_full_profile(user=user, obj=profile) else None
    answers = [(municipality, p.get_municipality_decision_display()), (_("人材"), p.get_talent_decision_display())]
    return ProposalDetail(
        proposal=p, municipality=municipality, municipality_names="、".join(m.name for m in need.municipalities.all()),
        prefecture=prefecture, state=proposal_state(p, municipality=municipality, prefecture=prefecture),
        reasons=proposal_reasons(p), jd=jd, jd_sections=sections, jd_pk=jd_pk, card_pseudonym=card,
        own_profile_pk=profile.pk if is_talent else None, full_profile_pk=full, side=proposal_side(user=user, obj=p),
        can_answer=_can_answer_now(user, p),
        can_withdraw=p.status == ProposalStatus.SENT and can_withdraw_proposal(user=user, obj=p),
        answers=answers)


def proposal_reasons(p: Proposal) -> list[str]:
    """Why the pair was proposed, in words (labels.fit_phrases over pair_fit and the run's stored breakdown)."""
    breakdown = p.breakdown or {}
    return fit_phrases(pair_fit(need=p.need, profile=p.profile, breakdown=breakdown), breakdown)


def proposal_get_withdrawable(*, user: User, pk: int) -> Proposal:
    """A proposal the user may withdraw (the withdrawal page): "not found" out of scope, refused otherwise."""
    from dxpool.core.errors import Forbidden

    p = proposal_list_for(user=user).select_related("run__prefecture", "need__grouping").filter(pk=pk).first()
    if p is None:
        raise NotFound("指定の提案は見つからないか、閲覧権限がありません。")
    if not can_withdraw_proposal(user=user, obj=p):
        raise Forbidden("提案を取り下げられるのは、その都道府県の事務局だけです。")
    p.municipality = proposal_municipality(p.need)
    p.state = proposal_state(p, municipality=p.municipality, prefecture=p.run.prefecture.name)
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

"""Matching pages: start runs, watch progress, review and send proposals, answer them."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dxpool.accounts.models import Role
from dxpool.core.errors import DomainError
from dxpool.core.web import domain_errors_to_http, paginate, role_required
from dxpool.matching import selectors, services
from dxpool.matching.forms import AnswerForm, RunForm
from dxpool.matching.models import PairRule, RunStatus
from dxpool.talent.models import TalentProfile

COMPONENT_LABELS = {
    "fit": gettext_lazy("人材像への適合"), "skills": gettext_lazy("重視スキルの充足"), "experience": gettext_lazy("経験（自治体経験を含む）"),
    "distance": gettext_lazy("距離の近さ"), "need_preference": gettext_lazy("市町村の希望順位"),
    "talent_preference": gettext_lazy("人材の希望順位"), "priority": gettext_lazy("優先度の重み"), "distance_km": gettext_lazy("距離（km）"),
}
UNFILLED_REASONS = {
    "no_eligible_talent": gettext_lazy("条件を満たす人材がいません"),
    "talents_taken": gettext_lazy("条件を満たす人材は、他のニーズに割り当て済みです"),
    "not_worth_filling": gettext_lazy("スコアが正になる候補がいません"),
    "no_acceptable_talent": gettext_lazy("条件を満たす人材はいますが、時間が枠に収まりません（安定マッチング）"),
}


RULE_LABELS = {
    "persona": gettext_lazy("人材像の標準"), "training": gettext_lazy("研修未修了"), "appointment_form": gettext_lazy("任用形態"),
    "distance": gettext_lazy("距離"), "conflict_of_interest": gettext_lazy("利益相反（兼業先）"), "dates": gettext_lazy("稼働期間"),
    "capacity": gettext_lazy("稼働時間"), "excluded": gettext_lazy("除外指定"), "not_scored": gettext_lazy("指定スコアなし"),
    "slot_size": gettext_lazy("時間枠"),
}


WHY_NOT = {
    "talent_full": gettext_lazy("この人材の稼働時間・担当枠は他のニーズで埋まっています"),
    "lower_score": gettext_lazy("提案した人材よりスコアが低い"),
    "equal_score_tie_broken_by_id": gettext_lazy("スコアが同点のため、登録順で提案した人材を選びました"),
    "not_improving": gettext_lazy("空きはありますが、入れ替えても全体の合計スコアが上がりません"),
    "need_prefers_assigned": gettext_lazy("市町村側の順位では提案した人材が上です（安定マッチング）"),
    "talent_prefers_its_needs": gettext_lazy("この人材は担当中のニーズを優先します（安定マッチング）"),
    "blocking_pair": gettext_lazy("不安定な組（本来は起こりません。管理者に連絡してください）"),
}


def _names(run) -> tuple[dict[str, str], dict[str, str]]:
    """Engine ids → what the coordinator recognises: need titles and talent pseudonyms (never real names)."""
    from dxpool.needs.models import Need

    need_titles = {f"N{pk}": title for pk, title in Need.objects.filter(
        prefecture_id=run.prefecture_id).values_list("pk", "title")}
    pseudonyms = {f"T{pk}": name for pk, name in TalentProfile.objects.filter(
        prefecture_id=run.prefecture_id).values_list("pk", "pseudonym")}
    return need_titles, pseudonyms


def _explain_unfilled(run, need_titles: dict[str, str], pseudonyms: dict[str, str]) -> list[dict]:
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


def _alternatives(run, need_key: str, need_titles: dict[str, str], pseudonyms: dict[str, str]) -> list[dict]:
    """The next best talents for a proposed need and why each was not chosen (from the run's explanations)."""
    out = []
    for alt in (run.explanations.get(need_key) or {}).get("alternatives", []):
        held = [need_titles.get(h, h) for h in (alt.get("detail") or {}).get("held_by", [])]
        out.append({"talent": pseudonyms.get(alt["talent"], alt["talent"]), "score": alt.get("score"),
                    "why_not": WHY_NOT.get(alt.get("why_not"), alt.get("why_not")), "held_by": "、".join(held)})
    return out


@role_required(Role.PREFECTURE)
@domain_errors_to_http
def run_list(request):
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            run = services.matchrun_start(actor=request.user, mode=d["mode"], optimal_side=d["optimal_side"],
                                          require_training=d["require_training"], max_assignments=d["max_assignments"],
                                          weights={"priority": d["priority"], "distance": d["distance"]})
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("matching:run_detail", pk=run.pk)
    return render(request, "matching/run_list.html", {"form": form,
                                                      "page": paginate(request, selectors.run_scope(user=request.user))})


@role_required(Role.PREFECTURE)
@domain_errors_to_http
def run_detail(request, pk: int):
    run = selectors.run_get(user=request.user, pk=pk)
    proposals = run.proposals.select_related("need", "profile", "profile__home_municipality")
    rules = {(r.need_id, r.profile_id): r.kind
             for r in PairRule.objects.filter(need__in=[p.need_id for p in proposals])}
    need_titles, pseudonyms = _names(run)
    for p in proposals:
        p.rule = rules.get((p.need_id, p.profile_id), "")
        points = p.breakdown.get("points", {})
        p.components = [(COMPONENT_LABELS[k], p.breakdown[k], points.get(k)) for k in COMPONENT_LABELS
                        if k in p.breakdown]
        p.alternatives = _alternatives(run, f"N{p.need_id}", need_titles, pseudonyms)
    unfilled = _explain_unfilled(run, need_titles, pseudonyms)
    return render(request, "matching/run_detail.html", {"run": run, "proposals": proposals, "unfilled": unfilled,
                                                        "finished": run.status in (RunStatus.DONE, RunStatus.FAILED)})


@role_required(Role.PREFECTURE)
@domain_errors_to_http
def run_progress(request, pk: int):
    """The progress fragment the run page polls (HTMX) until the run finishes."""
    run = selectors.run_get(user=request.user, pk=pk)
    response = render(request, "matching/_progress.html", {"run": run,
                                                           "finished": run.status in (RunStatus.DONE, RunStatus.FAILED)})
    if run.status in (RunStatus.DONE, RunStatus.FAILED):
        response["HX-Refresh"] = "true"  # reload once to show the proposals
    return response


@role_required(Role.PREFECTURE)
@domain_errors_to_http
@require_POST
def run_rerun(request, pk: int):
    run = selectors.run_get(user=request.user, pk=pk)
    new = services.matchrun_start(actor=request.user, mode=run.mode, optimal_side=run.optimal_side,
                                  require_training=run.require_training, max_assignments=run.max_assignments,
                                  weights=run.weights, parent=run)
    messages.success(request, _("条件を引き継いで再実行しました（what-if）。"))
    return redirect("matching:run_detail", pk=new.pk)


@role_required(Role.PREFECTURE)
@domain_errors_to_http
@require_POST
def run_send(request, pk: int):
    run = selectors.run_get(user=request.user, pk=pk)
    try:
        n = services.proposals_send(actor=request.user, run=run)
        messages.success(request, _("%(n)d件の提案を市町村と人材に送付しました。") % {"n": n})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("matching:run_detail", pk=run.pk)


@role_required(Role.PREFECTURE)
@domain_errors_to_http
@require_POST
def pair_rule(request, pk: int):
    """Lock / exclude / clear the pair of one proposal of a run."""
    run = selectors.run_get(user=request.user, pk=pk)
    raw = request.POST.get("proposal", "")
    proposal = run.proposals.select_related("need", "profile").filter(pk=int(raw)).first() if raw.isdigit() else None
    if proposal is None:
        messages.error(request, _("指定された提案がこの実行にありません。画面を更新してやり直してください。"))
        return redirect("matching:run_detail", pk=run.pk)
    try:
        services.pair_rule_set(actor=request.user, need=proposal.need, profile=proposal.profile,
                               kind=request.POST.get("kind", ""), reason=request.POST.get("reason", ""))
        messages.success(request, _("次回の実行に反映されます。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("matching:run_detail", pk=run.pk)


@role_required(Role.MUNICIPALITY, Role.TALENT, Role.PREFECTURE)
@domain_errors_to_http
def proposal_list(request):
    proposals = selectors.proposal_list_for(user=request.user)
    return render(request, "matching/proposal_list.html", {"proposals": proposals, "form": AnswerForm()})


@role_required(Role.MUNICIPALITY, Role.TALENT)
@domain_errors_to_http
@require_POST
def proposal_answer(request, pk: int):
    proposal = selectors.proposal_get_for(user=request.user, pk=pk)
    form = AnswerForm(request.POST)
    form.is_valid()
    try:
        services.proposal_answer(actor=request.user, proposal=proposal, accept=request.POST.get("answer") == "accept",
                                 reason=form.cleaned_data.get("reason", ""))
        messages.success(request, _("回答を記録しました。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("matching:proposal_list")


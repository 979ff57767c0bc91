"""The coordinator's words for the engine's codes: score components, unfilled reasons, failed rules, why-nots.

One table each, so the run page (and anything else that explains a run) never shows a solver term
(docs/architecture.md: 「候補なし（理由）」, not solver terms).
"""

from django.utils.translation import gettext_lazy

COMPONENT_LABELS = {
    "fit": gettext_lazy("人材像への適合"), "skills": gettext_lazy("重視スキルの充足"),
    "experience": gettext_lazy("経験（自治体経験を含む）"), "distance": gettext_lazy("距離の近さ"),
    "need_preference": gettext_lazy("市町村の希望順位"), "talent_preference": gettext_lazy("人材の希望順位"),
    "priority": gettext_lazy("優先度の重み"), "distance_km": gettext_lazy("距離（km）"),
}

UNFILLED_REASONS = {
    "no_eligible_talent": gettext_lazy("条件を満たす人材がいません"),
    "talents_taken": gettext_lazy("条件を満たす人材は、他のニーズに割り当て済みです"),
    "not_worth_filling": gettext_lazy("スコアが正になる候補がいません"),
    "no_acceptable_talent": gettext_lazy("条件を満たす人材はいますが、時間が枠に収まりません（安定マッチング）"),
}

RULE_LABELS = {
    "persona": gettext_lazy("人材像の標準"), "training": gettext_lazy("研修未修了"),
    "appointment_form": gettext_lazy("任用形態"), "distance": gettext_lazy("距離"),
    "conflict_of_interest": gettext_lazy("利益相反（兼業先）"), "dates": gettext_lazy("稼働期間"),
    "capacity": gettext_lazy("稼働時間"), "excluded": gettext_lazy("除外指定"),
    "not_scored": gettext_lazy("指定スコアなし"), "slot_size": gettext_lazy("時間枠"),
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

# The run summary's short words for why needs got no candidate (UNFILLED_REASONS says it in full per need).
UNFILLED_SHORT = {
    "no_eligible_talent": gettext_lazy("条件を満たす人材なし"),
    "talents_taken": gettext_lazy("候補は他のニーズに割り当て済み"),
    "not_worth_filling": gettext_lazy("適合する候補なし"),
    "no_acceptable_talent": gettext_lazy("時間が枠に収まらない"),
}

# Weak pairs the coordinator should look at before sending (see selectors.pair_fit for when each applies):
# the row's words, and the run summary's shorter ones.
PAIR_WARNINGS = {
    "no_skill": gettext_lazy("重視スキルを満たす項目がありません"),
    "far": gettext_lazy("居住地から遠く離れています"),
}
PAIR_WARNINGS_SHORT = {
    "no_skill": gettext_lazy("重視スキルの該当なし"),
    "far": gettext_lazy("遠方"),
}

# How the breakdown's experience value (0, 0.5, 1.0; see docs/matching.md) reads to a coordinator.
EXPERIENCE_PHRASES = {
    "local_government": gettext_lazy("自治体での経験あり"),
    "other": gettext_lazy("求める経験あり（自治体以外）"),
    "none": gettext_lazy("求める経験の記載なし"),
}


def fit_phrases(fit, breakdown) -> list[str]:
    """A proposal's reasons as its readers say them: 「人材像: 標準を満たす」「重視スキル: 3項目中2項目」「距離: 約12km」.

    `fit` is the pair's selectors.PairFit (the one place that counts the emphasised skills a person covers, so
    the run page and the proposal page never disagree); `breakdown` the run's stored score breakdown for what
    PairFit does not carry (distance, the municipality's preference). Never a raw decimal: the numbers stay on
    the run page.
    """
    from django.utils.translation import gettext

    out = []
    if fit.persona_met or "given" in breakdown:
        out.append(gettext("人材像: %(p)sの標準を満たす") % {"p": fit.persona_label} if fit.persona_label
                   else gettext("人材像: 標準を満たす"))
    if fit.skills_total:
        out.append(gettext("重視スキル: %(n)d項目中%(m)d項目") % {"n": fit.skills_total, "m": fit.skills_covered})
    else:
        out.append(gettext("重視スキル: 指定なし"))
    if fit.experience:
        out.append(gettext("経験: %(e)s") % {"e": fit.experience_phrase})
    km = breakdown.get("distance_km")
    if km is not None:
        out.append(gettext("距離: 同じ市町村") if km < 0.5 else gettext("距離: 約%(km)skm") % {"km": f"{km:,.0f}"})
    if breakdown.get("need_preference", 0) > 0:
        out.append(gettext("市町村の希望: 希望した人材"))
    return out

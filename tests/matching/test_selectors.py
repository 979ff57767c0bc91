"""dxpool.matching.selectors: who sees which proposals, and who sees whom by name, before and after acceptance."""

import pytest
from django.contrib.auth.models import AnonymousUser

from dxpool.core.demo import demo_load
from dxpool.core.errors import NotFound
from dxpool.matching import selectors, services
from dxpool.matching.models import MatchRun, PairRule, RunStatus
from dxpool.talent.models import Application, ApplicationStatus
from dxpool.talent.selectors import can_see_full_profile
from tests.matching.conftest import every_proposal

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "nagasaki", "hiroshima", "goto", "iki", "tsushima", "national", "talent", "other_talent"]


def who(world, name):
    return AnonymousUser() if name == "anonymous" else getattr(world, name)


def visible(world, name) -> set[int]:
    return set(selectors.proposal_list_for(user=who(world, name)).values_list("pk", flat=True))


def accept_both(world, proposal):
    services.proposal_answer(actor=world.goto, proposal=proposal, accept=True)
    services.proposal_answer(actor=world.talent, proposal=proposal, accept=True)


def test_nobody_sees_a_proposal_before_it_is_sent(world):
    for name in ROLES:
        assert visible(world, name) == set(), name


@pytest.mark.parametrize("name, expected", [
    ("anonymous", set()),
    ("nagasaki", {"proposal", "joint_proposal"}),
    ("hiroshima", set()),
    ("goto", {"proposal", "joint_proposal"}),
    ("iki", {"joint_proposal"}),  # a joint need's proposal reaches each of its municipalities
    ("tsushima", set()),
    ("national", set()),
    ("talent", {"proposal", "joint_proposal"}),
    ("other_talent", set()),
])
def test_sent_proposals_reach_their_sides_and_the_secretariat(world, name, expected):
    services.proposals_send(actor=world.nagasaki, run=world.run, proposal_ids=every_proposal(world.run))
    assert visible(world, name) == {getattr(world, attr).pk for attr in expected}
    for attr in ("proposal", "joint_proposal"):
        pk = getattr(world, attr).pk
        if attr in expected:
            assert selectors.proposal_get_for(user=who(world, name), pk=pk).pk == pk
        else:
            with pytest.raises(NotFound):
                selectors.proposal_get_for(user=who(world, name), pk=pk)


@pytest.mark.parametrize("name, answerable", [
    ("nagasaki", set()), ("goto", {"proposal", "joint_proposal"}), ("iki", {"joint_proposal"}),
    ("talent", {"proposal", "joint_proposal"}),
])
def test_the_proposals_page_offers_an_answer_only_to_a_side_of_a_sent_proposal(world, name, answerable):
    services.proposals_send(actor=world.nagasaki, run=world.run, proposal_ids=every_proposal(world.run))
    rows = {p.pk: p.can_answer for p in selectors.proposal_list(user=who(world, name))}
    assert {pk for pk, can in rows.items() if can} == {getattr(world, a).pk for a in answerable}
    if name == "goto":
        accept_both(world, world.proposal)
        rows = {p.pk: p.can_answer for p in selectors.proposal_list(user=world.goto)}
        assert rows[world.proposal.pk] is False  # accepted: nothing left to answer


# Who sees the talent's full profile (name, contact) — False = pseudonym only.
BEFORE = {"anonymous": False, "nagasaki": True, "hiroshima": False, "goto": False, "iki": False,
          "tsushima": False, "national": False, "talent": True, "other_talent": False}


@pytest.mark.parametrize("name", ROLES)
def test_pseudonymisation_lifts_only_for_the_municipality_of_the_accepted_need(world, name):
    user = who(world, name)
    assert can_see_full_profile(user=user, profile=world.profile) is BEFORE[name]
    services.proposals_send(actor=world.nagasaki, run=world.run, proposal_ids=every_proposal(world.run))
    assert can_see_full_profile(user=user, profile=world.profile) is BEFORE[name]  # sent is not enough
    accept_both(world, world.proposal)
    assert can_see_full_profile(user=user, profile=world.profile) is (BEFORE[name] or name == "goto")
    # The talent who was not part of the accepted proposal stays pseudonymous (but for themself).
    assert can_see_full_profile(user=user, profile=world.other_profile) is (name in ("nagasaki", "other_talent"))


def test_an_accepted_joint_need_lifts_it_for_each_of_its_municipalities(world):
    services.proposals_send(actor=world.nagasaki, run=world.run, proposal_ids=every_proposal(world.run))
    assert not selectors.accepted_between(municipality_id=world.iki.municipality_id_scope,
                                          profile_id=world.profile.pk)
    services.proposal_answer(actor=world.iki, proposal=world.joint_proposal, accept=True)
    assert not selectors.accepted_between(municipality_id=world.iki.municipality_id_scope,
                                          profile_id=world.profile.pk)  # one side is not both
    services.proposal_answer(actor=world.talent, proposal=world.joint_proposal, accept=True)
    for officer in (world.goto, world.iki):
        assert selectors.accepted_between(municipality_id=officer.municipality_id_scope, profile_id=world.profile.pk)
        assert can_see_full_profile(user=officer, profile=world.profile)
    assert not can_see_full_profile(user=world.tsushima, profile=world.profile)


def test_a_declined_proposal_lifts_nothing(world):
    services.proposals_send(actor=world.nagasaki, run=world.run, proposal_ids=every_proposal(world.run))
    services.proposal_answer(actor=world.goto, proposal=world.proposal, accept=True)
    services.proposal_answer(actor=world.talent, proposal=world.proposal, accept=False, reason="家庭の事情")
    assert not can_see_full_profile(user=world.goto, profile=world.profile)


# --- the run review -----------------------------------------------------------------------------------------


def test_run_review_speaks_in_titles_and_pseudonyms_never_names(world):
    run = world.run
    run.explanations = {f"N{world.need.pk}": {"alternatives": [
        {"talent": f"T{world.other_profile.pk}", "score": 0.5, "why_not": "talent_full",
         "detail": {"held_by": [f"N{world.joint.pk}"]}}]}}
    run.unfilled = [{"need": f"N{world.joint.pk}", "reason": "no_eligible_talent",
                     "detail": {"talents": 2, "failed": {"persona": 1, "training": 0, "distance": 1}}}]
    run.save()
    PairRule.objects.create(need=world.need, profile=world.profile, kind="lock")
    review = selectors.run_review(user=world.nagasaki, pk=run.pk)
    assert review.finished and review.can_send
    by_need = {p.need_id: p for p in review.proposals}
    assert by_need[world.need.pk].rule == "lock" and by_need[world.joint.pk].rule == ""
    assert [(str(label), value) for label, value, _ in by_need[world.need.pk].components] == [("人材像への適合", 0.8)]
    (alt,) = by_need[world.need.pk].alternatives
    assert alt["talent"] == "T-BBBB" and alt["held_by"] == "離島の共同CIO補佐官"
    assert str(alt["why_not"]) == "この人材の稼働時間・担当枠は他のニーズで埋まっています"
    (u,) = review.unfilled
    assert u["need"] == "離島の共同CIO補佐官" and str(u["reason"]) == "条件を満たす人材がいません"
    assert u["lines"] == ["対象2人のうち、条件を満たさない人数: 人材像の標準 1人、距離 1人"]
    text = repr([alt, u])
    assert "佐世保" not in text and "長崎 太郎" not in text


def test_run_review_is_for_the_runs_secretariat_only(world):
    for name in ("hiroshima", "goto", "talent", "national"):
        with pytest.raises(NotFound):
            selectors.run_review(user=who(world, name), pk=world.run.pk)
    MatchRun.objects.filter(pk=world.run.pk).update(status=RunStatus.RUNNING)
    review = selectors.run_review(user=world.nagasaki, pk=world.run.pk)
    assert not review.finished and not review.can_send


def test_proposal_in_run(world):
    other_run = MatchRun.objects.create(prefecture=world.run.prefecture, status=RunStatus.DONE)
    assert selectors.proposal_in_run(user=world.nagasaki, run_id=world.run.pk, pk=world.proposal.pk) == world.proposal
    assert selectors.proposal_in_run(user=world.nagasaki, run_id=other_run.pk, pk=world.proposal.pk) is None
    assert selectors.proposal_in_run(user=world.nagasaki, run_id=world.run.pk, pk=0) is None
    with pytest.raises(NotFound):
        selectors.proposal_in_run(user=world.hiroshima, run_id=world.run.pk, pk=world.proposal.pk)


def test_open_needs_are_the_prefectures_open_ones(world):
    from dxpool.needs.models import Need, NeedStatus

    Need.objects.filter(pk=world.joint.pk).update(status=NeedStatus.CLOSED)
    assert [n.pk for n in selectors.open_needs(prefecture_id=world.run.prefecture_id)] == [world.need.pk]
    assert selectors.open_needs(prefecture_id=world.hiroshima.prefecture_id_scope) == []


def test_pool_profiles_follow_the_training_gate(db):
    demo_load()
    from dxpool.places.models import Prefecture

    pref = Prefecture.objects.get(code="42")
    gated, trained = selectors.pool_profiles(prefecture_id=pref.pk, require_training=True)
    open_gate, trained_all = selectors.pool_profiles(prefecture_id=pref.pk, require_training=False)
    pooled = {ApplicationStatus.POOLED, ApplicationStatus.DISPATCHED}
    assert gated and [p.pk for p in gated] == sorted(p.pk for p in gated)
    assert {p.pk for p in gated} < {p.pk for p in open_gate} and trained == trained_all & {p.pk for p in gated}
    for p in open_gate:
        assert p.prefecture_id == pref.pk and p.home_municipality_id is not None
        statuses = set(Application.objects.filter(profile=p).values_list("status", flat=True))
        assert statuses & (pooled | {ApplicationStatus.SELECTED, ApplicationStatus.IN_TRAINING})
        assert (p in gated) == bool(statuses & pooled)
        completed = Application.objects.filter(profile=p, training_completed_at__isnull=False).exists()
        assert (p.pk in trained_all) == completed



# --- the run in the coordinator's words (issue 13 item 2) ------------------------------------------------------


def _breakdown(**kw):
    base = {"fit": 0.8, "skills": 0.5, "experience": 1.0, "distance": 0.5, "need_preference": 0.0,
            "talent_preference": 0.0, "priority": 1.0, "distance_km": 20.0}
    return {**base, **kw}


def test_pair_fit_counts_the_emphasised_skills_the_talent_rates_3_or_more(world):
    world.need.skills = ["全体方針立案", "情報セキュリティ", "ｺﾐｭﾆｹｰｼｮﾝ"]  # half-width kana: compared after NFKC
    world.profile.skill_ratings = {"全体方針立案": 4, "情報セキュリティ": 2, "コミュニケーション": 3}
    fit = selectors.pair_fit(need=world.need, profile=world.profile, breakdown=_breakdown())
    assert (fit.persona_met, fit.skills_total, fit.skills_covered) == (True, 3, 2)
    assert fit.experience_phrase == "自治体での経験あり" and fit.warnings == ()
    assert fit.persona_label == "プロデューサー（CIO補佐官等）"


def test_pair_fit_warns_when_no_emphasised_skill_is_covered(world):
    world.need.skills = ["データ活用"]
    world.profile.skill_ratings = {"データ活用": 2, "品質管理": 4}
    fit = selectors.pair_fit(need=world.need, profile=world.profile, breakdown=_breakdown(skills=0.0))
    assert fit.skills_covered == 0
    assert [code for code, _ in fit.warnings] == ["no_skill"]
    assert fit.warnings[0][1] == "重視スキルを満たす項目がありません"
    # A need that emphasises nothing cannot miss its skills.
    world.need.skills = []
    assert selectors.pair_fit(need=world.need, profile=world.profile, breakdown=_breakdown()).warnings == ()


@pytest.mark.parametrize("km, onsite, warned", [
    (selectors.FAR_AWAY_KM, 2, False),  # at the threshold: not yet far
    (selectors.FAR_AWAY_KM + 1, 2, True),
    (204.4, 0, False),  # remote-only: distance does not matter
])
def test_pair_fit_warns_when_the_talent_lives_far_from_a_need_with_days_on_site(world, km, onsite, warned):
    world.need.onsite_days_per_month = onsite
    fit = selectors.pair_fit(need=world.need, profile=world.profile, breakdown=_breakdown(distance_km=km))
    far = [text for code, text in fit.warnings if code == "far"]
    assert bool(far) is warned
    if warned:
        assert far == [f"居住地から遠く離れています（{round(km)} km、現地 月2日）"]


def test_pair_fit_without_a_breakdown_says_no_more_than_it_knows(world):
    fit = selectors.pair_fit(need=world.need, profile=world.profile, breakdown={"given": 0.9, "distance_km": 3})
    assert fit.persona_met is None and fit.experience == "" and fit.experience_phrase == ""


def test_run_summary_counts_unfilled_needs_by_reason_and_warned_pairs(world):
    run = world.run
    run.unfilled = [{"need": "N1", "reason": "talents_taken"}, {"need": "N2", "reason": "no_eligible_talent"},
                    {"need": "N3", "reason": "talents_taken"}]
    fits = [selectors.PairFit(True, "", 2, 0, "", (("no_skill", "x"), ("far", "y"))),
            selectors.PairFit(True, "", 2, 1, "", (("far", "y"),)),
            selectors.PairFit(True, "", 2, 2, "", ())]
    summary = selectors.run_summary(run=run, fits=fits)
    assert (summary.proposed, summary.unfilled, summary.warned) == (3, 3, 2)
    assert summary.unfilled_by_reason == [("候補は他のニーズに割り当て済み", 2), ("条件を満たす人材なし", 1)]
    assert summary.warnings_by_kind == [("遠方", 2), ("重視スキルの該当なし", 1)]
    run.unfilled = []
    empty = selectors.run_summary(run=run, fits=[])
    assert (empty.proposed, empty.unfilled, empty.warned, empty.unfilled_by_reason) == (0, 0, 0, [])


def test_run_review_names_the_municipality_home_distance_and_fit_of_each_pair(world):
    from dxpool.places.models import Municipality

    fukuoka = Municipality.objects.get(name="志免町", prefecture__code="40")
    world.other_profile.home_municipality = fukuoka
    world.other_profile.save()
    world.joint_proposal.profile = world.other_profile
    world.joint_proposal.breakdown = _breakdown(distance_km=150.2)
    world.joint_proposal.save()
    world.joint.onsite_days_per_month = 2
    world.joint.skills = ["全体方針立案"]
    world.joint.save()
    review = selectors.run_review(user=world.nagasaki, pk=world.run.pk)
    by_need = {p.need_id: p for p in review.proposals}
    single, joint = by_need[world.need.pk], by_need[world.joint.pk]
    assert single.municipality_names == "五島市" and joint.municipality_names == "壱岐市、五島市"  # in code order
    assert single.home == "五島市"  # in the run's prefecture: the municipality alone
    assert joint.home == "福岡県志免町" and joint.distance_km == 150.2
    assert [code for code, _ in joint.fit.warnings] == ["no_skill", "far"]
    assert review.summary.proposed == 2 and review.summary.warned == 1
    assert "佐世保" not in repr([joint.home, joint.fit])  # still no real name


def test_the_unsent_state_reads_as_not_yet_sent(world):
    assert world.proposal.get_status_display() == "未送付（確認中）"

"""Match runs from the database: background execution, proposals, what-if rules, answers, pseudonymisation."""

import inspect
import re

import pytest

from dxpool.core.demo import demo_load
from dxpool.core.errors import Conflict, Forbidden, ValidationError
from dxpool.engine import explain
from dxpool.matching import services
from dxpool.matching.labels import WHY_NOT
from dxpool.matching.models import MatchRun, PairRule, ProposalStatus, RunStatus
from dxpool.needs.models import Need, NeedStatus
from dxpool.talent.models import TalentProfile
from dxpool.talent.selectors import can_see_full_profile
from tests.matching.conftest import every_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    demo_load()
    from dxpool.accounts.models import User

    return {u: User.objects.get(username=u) for u in ("nagasaki", "goto", "hiroshima", "talent")}


def start(user, capture, **kw):
    with capture(execute=True):
        run = services.matchrun_start(actor=user, **kw)
    run.refresh_from_db()
    return run


def test_run_executes_in_background_and_proposes(demo, django_capture_on_commit_callbacks):
    run = start(demo["nagasaki"], django_capture_on_commit_callbacks)
    assert run.status == RunStatus.DONE and run.progress == 100
    proposals = list(run.proposals.select_related("need", "profile"))
    assert proposals and run.objective == pytest.approx(sum(p.score for p in proposals))
    assert run.gap is not None and run.gap <= 0.01
    for p in proposals:
        assert p.profile.prefecture_id == p.need.prefecture_id
        assert p.need.persona in p.profile.personas_met.split()
        assert p.breakdown
    # Every open need is either proposed or explained.
    explained = {u["need"] for u in run.unfilled}
    assert {f"N{n.pk}" for n in Need.objects.filter(status="open", prefecture__code="42")} == \
        {f"N{p.need_id}" for p in proposals} | explained


def test_training_gate_can_be_switched_off_and_is_recorded(demo, django_capture_on_commit_callbacks):
    gated = start(demo["nagasaki"], django_capture_on_commit_callbacks)
    open_gate = start(demo["nagasaki"], django_capture_on_commit_callbacks, require_training=False)
    assert gated.require_training is True and open_gate.require_training is False
    assert open_gate.objective >= gated.objective


def test_exclusion_and_lock_shape_the_rerun(demo, django_capture_on_commit_callbacks):
    run = start(demo["nagasaki"], django_capture_on_commit_callbacks)
    first = run.proposals.select_related("need", "profile").first()
    services.pair_rule_set(actor=demo["nagasaki"], need=first.need, profile=first.profile, kind="exclude",
                           reason="本人の希望")
    rerun = start(demo["nagasaki"], django_capture_on_commit_callbacks, parent=run)
    assert not rerun.proposals.filter(need=first.need, profile=first.profile).exists()
    services.pair_rule_set(actor=demo["nagasaki"], need=first.need, profile=first.profile, kind="lock")
    locked = start(demo["nagasaki"], django_capture_on_commit_callbacks, parent=rerun)
    assert locked.proposals.filter(need=first.need, profile=first.profile, locked=True).exists()


def test_send_accept_fills_need_and_lifts_pseudonymisation(demo, django_capture_on_commit_callbacks):
    from dxpool.accounts.models import Organisation, Role, User

    run = start(demo["nagasaki"], django_capture_on_commit_callbacks)
    proposal = run.proposals.select_related("need", "profile").exclude(need__grouping__isnull=False).first()
    municipality = proposal.need.municipalities.first()
    officer = User.objects.create(username="officer-x", role=Role.MUNICIPALITY,
                                  organisation=Organisation.objects.get(municipality=municipality))
    assert not can_see_full_profile(user=officer, profile=proposal.profile)
    with pytest.raises(Conflict):
        services.proposal_answer(actor=officer, proposal=proposal, accept=True)  # not sent yet
    assert services.proposals_send(actor=demo["nagasaki"], run=run, proposal_ids=every_proposal(run)) == run.proposals.count()
    proposal.refresh_from_db()
    with pytest.raises(Forbidden):
        services.proposal_answer(actor=demo["hiroshima"], proposal=proposal, accept=True)
    services.proposal_answer(actor=officer, proposal=proposal, accept=True)
    services.proposal_answer(actor=proposal.profile.user, proposal=proposal, accept=True)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert Need.objects.get(pk=proposal.need_id).status == NeedStatus.FILLED
    assert can_see_full_profile(user=officer, profile=proposal.profile)


def test_decline_needs_reason_and_excludes_pair(demo, django_capture_on_commit_callbacks):
    run = start(demo["nagasaki"], django_capture_on_commit_callbacks)
    services.proposals_send(actor=demo["nagasaki"], run=run, proposal_ids=every_proposal(run))
    proposal = run.proposals.select_related("profile").first()
    with pytest.raises(ValidationError):
        services.proposal_answer(actor=proposal.profile.user, proposal=proposal, accept=False, reason=" ")
    services.proposal_answer(actor=proposal.profile.user, proposal=proposal, accept=False, reason="日程が合わない")
    rule = PairRule.objects.get(need=proposal.need, profile=proposal.profile)
    assert rule.kind == "exclude" and rule.source == "declined"
    rerun = start(demo["nagasaki"], django_capture_on_commit_callbacks, parent=run)
    assert not rerun.proposals.filter(need=proposal.need, profile=proposal.profile).exists()


def test_permissions_and_validation(demo):
    with pytest.raises(Forbidden):
        services.matchrun_start(actor=demo["goto"])
    with pytest.raises(ValidationError):
        services.matchrun_start(actor=demo["nagasaki"], mode="random")
    with pytest.raises(ValidationError, match="重み"):
        services.matchrun_start(actor=demo["nagasaki"], weights={"luck": 1})


def test_pages_and_progress(client, demo, django_capture_on_commit_callbacks):
    client.force_login(demo["nagasaki"])
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/matching/", {"mode": "optimal", "optimal_side": "need", "require_training": "on",
                                       "max_assignments": 3, "priority": 1, "distance": 0.3})
    assert r.status_code == 302
    run = MatchRun.objects.filter(prefecture__code="42").first()
    body = client.get(f"/matching/runs/{run.pk}/").content.decode()
    assert "<progress" in body and "未充足のニーズと理由" in body
    r = client.get(f"/matching/runs/{run.pk}/progress/")
    assert r.status_code == 200 and "100%" in r.content.decode()
    client.force_login(demo["hiroshima"])
    assert client.get(f"/matching/runs/{run.pk}/").status_code == 404


def test_run_page_shows_alternatives_with_reasons_in_words(client, demo, django_capture_on_commit_callbacks):
    run = start(demo["nagasaki"], django_capture_on_commit_callbacks)
    with_alts = {k: v for k, v in run.explanations.items() if v["alternatives"]}
    assert with_alts, "the demo run should have needs with runners-up"
    need_key, expl = next(iter(with_alts.items()))
    client.force_login(demo["nagasaki"])
    body = client.get(f"/matching/runs/{run.pk}/").content.decode()
    assert "次点の候補" in body and "選ばれなかった理由" in body
    alt = expl["alternatives"][0]
    pseudonym = TalentProfile.objects.get(pk=int(alt["talent"][1:])).pseudonym
    assert pseudonym in body and str(WHY_NOT[alt["why_not"]]) in body
    # Engine ids never leak into the page as the talent's name.
    assert f">{alt['talent']}（" not in body
    # Every reason the engine can give has words for the coordinator.
    reasons = set(re.findall(r'return "([a-z_]+)"', inspect.getsource(explain._why_not)))
    assert reasons <= set(WHY_NOT)


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_pair_rule_with_a_bad_proposal_is_a_message_not_a_crash(client, demo, django_capture_on_commit_callbacks,
                                                                value):
    run = start(demo["nagasaki"], django_capture_on_commit_callbacks)
    client.force_login(demo["nagasaki"])
    r = client.post(f"/matching/runs/{run.pk}/pair/", {"proposal": value, "kind": "lock"}, follow=True)
    assert r.status_code == 200
    assert "指定された提案がこの実行にありません" in r.content.decode()
    assert not PairRule.objects.exists()


def test_pair_rules_and_their_removal_are_audited(demo, django_capture_on_commit_callbacks):
    from dxpool.core.models import AuditEvent

    run = start(demo["nagasaki"], django_capture_on_commit_callbacks)
    p = run.proposals.select_related("need", "profile").first()
    services.pair_rule_set(actor=demo["nagasaki"], need=p.need, profile=p.profile, kind="lock")
    services.pair_rule_set(actor=demo["nagasaki"], need=p.need, profile=p.profile, kind="clear")
    services.pair_rule_set(actor=demo["nagasaki"], need=p.need, profile=p.profile, kind="clear")  # nothing left
    actions = list(AuditEvent.objects.filter(action__startswith="pair.").values_list("action", flat=True))
    assert sorted(actions) == ["pair.clear", "pair.lock"]
    assert not PairRule.objects.exists()


def _sent_proposal_and_officer(demo, capture):
    from dxpool.accounts.models import Organisation, Role, User

    run = start(demo["nagasaki"], capture)
    proposal = run.proposals.select_related("need", "profile").exclude(need__grouping__isnull=False).first()
    officer = User.objects.create(username="officer-x", role=Role.MUNICIPALITY, organisation=Organisation.objects.get(
        municipality=proposal.need.municipalities.first()))
    services.proposals_send(actor=demo["nagasaki"], run=run, proposal_ids=every_proposal(run))
    proposal.refresh_from_db()
    return proposal, officer


def test_a_need_closed_after_sending_is_never_filled(demo, django_capture_on_commit_callbacks):
    """Regression (issue 11): the need became FILLED when both sides accepted, though closed needs only reopen."""
    from dxpool.core.models import AuditEvent
    from dxpool.needs.services import need_set_status

    proposal, officer = _sent_proposal_and_officer(demo, django_capture_on_commit_callbacks)
    need_set_status(actor=demo["nagasaki"], need=proposal.need, status=NeedStatus.CLOSED)
    for side in (officer, proposal.profile.user):
        with pytest.raises(Conflict, match="募集中ではない") as refused:
            services.proposal_answer(actor=side, proposal=proposal, accept=True)
        assert refused.value.status == 409
    proposal.refresh_from_db()
    assert Need.objects.get(pk=proposal.need_id).status == NeedStatus.CLOSED
    assert proposal.status == ProposalStatus.SENT
    assert proposal.municipality_decision == proposal.talent_decision == "pending"
    assert not AuditEvent.objects.filter(action="proposal.accept").exists()
    assert not can_see_full_profile(user=officer, profile=proposal.profile)


def test_the_last_acceptance_on_a_closed_need_rolls_back_and_reopening_allows_it(demo,
                                                                                 django_capture_on_commit_callbacks):
    from dxpool.needs.services import need_set_status

    proposal, officer = _sent_proposal_and_officer(demo, django_capture_on_commit_callbacks)
    services.proposal_answer(actor=officer, proposal=proposal, accept=True)  # while the need is open
    need_set_status(actor=demo["nagasaki"], need=proposal.need, status=NeedStatus.CLOSED)
    with pytest.raises(Conflict, match="募集中ではない"):
        services.proposal_answer(actor=proposal.profile.user, proposal=proposal, accept=True)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.municipality_decision, proposal.talent_decision) == (
        ProposalStatus.SENT, "accepted", "pending")
    assert Need.objects.get(pk=proposal.need_id).status == NeedStatus.CLOSED
    # The secretariat reopens the need: the match can now complete.
    need_set_status(actor=demo["nagasaki"], need=proposal.need, status=NeedStatus.OPEN)
    services.proposal_answer(actor=proposal.profile.user, proposal=proposal, accept=True)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert Need.objects.get(pk=proposal.need_id).status == NeedStatus.FILLED


def test_a_proposal_of_a_closed_need_can_still_be_declined(demo, django_capture_on_commit_callbacks):
    from dxpool.needs.services import need_set_status

    proposal, officer = _sent_proposal_and_officer(demo, django_capture_on_commit_callbacks)
    need_set_status(actor=demo["nagasaki"], need=proposal.need, status=NeedStatus.CLOSED)
    services.proposal_answer(actor=officer, proposal=proposal, accept=False, reason="ニーズを取り下げたため")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    assert PairRule.objects.get(need=proposal.need, profile=proposal.profile).source == "declined"

"""Proposals people can decide on (issue 13, item 1): the list and the details page each side reads, the state
said as who has answered, the reasons in words, answering from the details, the full profile after both accept
(audited, and nothing to edit), and the secretariat's withdrawal with a reason."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dxpool.core.audit import AuditAction
from dxpool.core.errors import Conflict, Forbidden, ValidationError
from dxpool.core.machine import history_of
from dxpool.core.models import AuditEvent
from dxpool.matching import selectors, services
from dxpool.matching.labels import fit_phrases
from dxpool.matching.machines import PROPOSAL_MACHINE
from dxpool.matching.models import Proposal, ProposalStatus, Side
from dxpool.matching.selectors import PairFit
from dxpool.needs.models import Need
from dxpool.talent.models import Application, ApplicationStatus, ConsentText, RecruitmentRound, TalentProfile
from tests.matching.conftest import every_proposal
from tests.needs.builders import make_jd

pytestmark = pytest.mark.django_db

BREAKDOWN = {"fit": 0.7812, "skills": 0.625, "experience": 1.0, "distance": 0.8, "need_preference": 0.0,
             "talent_preference": 0.0, "priority": 1.5, "distance_km": 12.4,
             "points": {"fit": 1.17, "skills": 0.47, "experience": 0.45, "distance": 0.36}}


@pytest.fixture
def sent(world):
    """The world's proposals sent, the single need with a JD, three emphasised skills (two rated 3+) and a
    stored breakdown; the talent pooled so that its card exists."""
    jd = make_jd(world.nagasaki)
    Need.objects.filter(pk=world.need.pk).update(job_description=jd, skills=["全体方針立案", "情報セキュリティ",
                                                                            "コーディネート"])
    TalentProfile.objects.filter(pk=world.profile.pk).update(
        skill_ratings={"全体方針立案": 3, "情報セキュリティ": 4, "コーディネート": 1})
    Proposal.objects.filter(pk=world.proposal.pk).update(breakdown=BREAKDOWN, score=2.5)
    now = timezone.now()
    rnd = RecruitmentRound.objects.create(prefecture=world.run.prefecture, title="公募", role="支援", duties="支援",
                                          personas=["producer"], appointment_forms=["contract"], deadline=now)
    consent = ConsentText.objects.create(version="t-1", title="同意", body="本文", published_at=now)
    Application.objects.create(round=rnd, profile=world.profile, persona="producer", consent=consent,
                               consented_at=now, applied_at=now, status=ApplicationStatus.POOLED)
    services.proposals_send(actor=world.nagasaki, run=world.run, proposal_ids=every_proposal(world.run))
    world.proposal.refresh_from_db()
    return world


def page(client, user, name, **kw):
    client.force_login(user)
    return client.get(reverse(name, kwargs=kw))


def text(response) -> str:
    return response.content.decode()


# --- the state in words ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "municipality", "talent", "phrase"), [
    (ProposalStatus.SENT, Side.PENDING, Side.PENDING, "五島市と人材の回答待ち"),
    (ProposalStatus.SENT, Side.ACCEPTED, Side.PENDING, "五島市が受諾・人材の回答待ち"),
    (ProposalStatus.SENT, Side.PENDING, Side.ACCEPTED, "人材が受諾・五島市の回答待ち"),
    (ProposalStatus.ACCEPTED, Side.ACCEPTED, Side.ACCEPTED, "双方受諾"),
    (ProposalStatus.DECLINED, Side.DECLINED, Side.PENDING, "五島市が辞退"),
    (ProposalStatus.DECLINED, Side.ACCEPTED, Side.DECLINED, "人材が辞退"),
    (ProposalStatus.WITHDRAWN, Side.ACCEPTED, Side.PENDING, "取り下げ（長崎県）"),
])
def test_the_state_says_who_has_answered(status, municipality, talent, phrase):
    p = Proposal(status=status, municipality_decision=municipality, talent_decision=talent)
    assert selectors.proposal_state(p, municipality="五島市", prefecture="長崎県") == phrase


def test_a_joint_need_is_named_by_its_grouping_or_its_towns(world):
    assert selectors.proposal_municipality(world.need) == "五島市"
    assert selectors.proposal_municipality(world.joint) == "壱岐市・五島市"  # in code order
    from dxpool.places.models import Grouping

    world.joint.grouping = Grouping.objects.create(name="離島DXシェアリング", kind="prefecture",
                                                   prefecture=world.need.prefecture)
    assert selectors.proposal_municipality(world.joint) == "離島DXシェアリング"


# --- reasons in words ---------------------------------------------------------------------------------------

def test_fit_phrases_say_the_reasons_without_decimals():
    fit = PairFit(persona_met=True, persona_label="プロデューサー", skills_total=3, skills_covered=2,
                  experience="local_government", warnings=())
    phrases = fit_phrases(fit, BREAKDOWN)
    assert phrases == ["人材像: プロデューサーの標準を満たす", "重視スキル: 3項目中2項目", "経験: 自治体での経験あり",
                       "距離: 約12km"]
    assert not any(ch in " ".join(phrases) for ch in ("0.", "1.4"))
    bare = PairFit(persona_met=True, persona_label="", skills_total=0, skills_covered=0, experience="none",
                   warnings=())
    none = fit_phrases(bare, {"fit": 0.6, "experience": 0.0, "distance_km": 0.0})
    assert none == ["人材像: 標準を満たす", "重視スキル: 指定なし", "経験: 求める経験の記載なし", "距離: 同じ市町村"]


def test_the_reasons_count_the_emphasised_skills_rated_three_or_more(sent):
    p = selectors.proposal_get_for(user=sent.goto, pk=sent.proposal.pk)
    assert "重視スキル: 3項目中2項目" in selectors.proposal_reasons(p)


# --- the list -----------------------------------------------------------------------------------------------

def test_the_list_names_municipality_need_person_state_and_links_to_the_details(client, sent):
    html = text(page(client, sent.goto, "matching:proposal_list"))
    for expected in ("五島市", "五島市のDX推進", "T-AAAA", "五島市と人材の回答待ち", "（要回答）",
                     reverse("matching:proposal_detail", kwargs={"pk": sent.proposal.pk})):
        assert expected in html
    assert 'name="answer"' not in html  # answering is on the details page
    assert "送付日" in html and "件" in html  # the count line of the pagination include


def test_the_secretariat_reaches_the_proposals_from_its_menu(client, sent):
    html = text(page(client, sent.nagasaki, "matching:proposal_list"))
    assert f'href="{reverse("matching:proposal_list")}"' in html and "五島市のDX推進" in html


# --- the details page, per side ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["goto", "talent", "nagasaki"])
def test_each_side_sees_municipality_need_jd_person_and_reasons(client, sent, name):
    html = text(page(client, getattr(sent, name), "matching:proposal_detail", pk=sent.proposal.pk))
    for expected in ("五島市", "五島市のDX推進", "T-AAAA", "標準化の進捗管理", "重視スキル: 3項目中2項目",
                     "距離: 約12km", "五島市と人材の回答待ち", "長崎県"):
        assert expected in html, expected
    assert "0.7812" not in html and "2.5" not in html  # no engine decimals
    jd_link = reverse("needs:jd_detail", kwargs={"pk": Need.objects.get(pk=sent.need.pk).job_description_id})
    card_link = reverse("talent:pool_member", kwargs={"pseudonym": "T-AAAA"})
    if name == "talent":
        # The talent may not open municipal records: the page shows the JD's content instead of a link.
        assert jd_link not in html and card_link not in html and "業務内容" in html
        assert reverse("talent:profile_detail", kwargs={"pk": sent.profile.pk}) in html
    else:
        assert jd_link in html and card_link in html
    assert ('name="answer"' in html) == (name != "nagasaki")
    assert ("取り下げる（確認へ）" in html) == (name == "nagasaki")
    assert "長崎 太郎" not in html  # the real name stays hidden until both accept (the secretariat's link aside)


@pytest.mark.parametrize("name", ["iki", "tsushima", "hiroshima", "other_talent"])
def test_others_do_not_find_the_proposal(client, sent, name):
    assert page(client, getattr(sent, name), "matching:proposal_detail", pk=sent.proposal.pk).status_code == 404


def test_national_users_are_refused(client, sent):
    assert page(client, sent.national, "matching:proposal_detail", pk=sent.proposal.pk).status_code == 403


# --- answering from the details page ------------------------------------------------------------------------

def test_a_decline_without_reason_shows_the_error_at_the_top_and_records_nothing(client, sent):
    client.force_login(sent.goto)
    url = reverse("matching:proposal_answer", kwargs={"pk": sent.proposal.pk})
    html = text(client.post(url, {"answer": "decline", "reason": " "}))
    assert "error-summary" in html and 'href="#id_reason"' in html and "辞退の理由を記入してください" in html
    sent.proposal.refresh_from_db()
    assert sent.proposal.status == ProposalStatus.SENT and sent.proposal.municipality_decision == Side.PENDING


def test_after_one_side_accepts_it_sees_no_buttons_and_the_state_says_so(client, sent):
    client.force_login(sent.goto)
    response = client.post(reverse("matching:proposal_answer", kwargs={"pk": sent.proposal.pk}), {"answer": "accept"})
    assert response.status_code == 302
    html = text(client.get(response["Location"]))
    assert "五島市が受諾・人材の回答待ち" in html and 'name="answer"' not in html
    assert "あなたの回答は記録済みです" in html
    rows = {p.pk: p.can_answer for p in selectors.proposal_list(user=sent.goto)}
    assert rows == {sent.proposal.pk: False, sent.joint_proposal.pk: True}
    with pytest.raises(Conflict, match="すでに回答"):
        services.proposal_answer(actor=sent.goto, proposal=sent.proposal, accept=False, reason="やはり")
    talent_html = text(page(client, sent.talent, "matching:proposal_detail", pk=sent.proposal.pk))
    assert "五島市が受諾・人材の回答待ち" in talent_html and 'name="answer"' in talent_html


def test_the_talent_first_then_the_municipality(client, sent):
    services.proposal_answer(actor=sent.talent, proposal=sent.proposal, accept=True)
    html = text(page(client, sent.goto, "matching:proposal_detail", pk=sent.proposal.pk))
    assert "人材が受諾・五島市の回答待ち" in html and 'name="answer"' in html


# --- both accepted: the full profile, audited, and nothing to edit ------------------------------------------

def both_accept(world):
    services.proposal_answer(actor=world.goto, proposal=world.proposal, accept=True)
    services.proposal_answer(actor=world.talent, proposal=world.proposal, accept=True)


def test_before_acceptance_the_municipality_has_no_way_to_the_full_profile(client, sent):
    html = text(page(client, sent.goto, "matching:proposal_detail", pk=sent.proposal.pk))
    assert reverse("talent:profile_detail", kwargs={"pk": sent.profile.pk}) not in html
    assert page(client, sent.goto, "talent:profile_detail", pk=sent.profile.pk).status_code == 404
    card = text(page(client, sent.goto, "talent:pool_member", pseudonym="T-AAAA"))
    assert "提案が受諾されるまで" in card


def test_after_both_accept_the_municipality_opens_the_full_profile_from_a_link_audited(client, sent):
    both_accept(sent)
    html = text(page(client, sent.goto, "matching:proposal_detail", pk=sent.proposal.pk))
    profile_url = reverse("talent:profile_detail", kwargs={"pk": sent.profile.pk})
    assert "双方受諾" in html and f'href="{profile_url}"' in html and "氏名・連絡先を含むプロフィールを見る" in html
    before = AuditEvent.objects.filter(action=AuditAction.PROFILE_VIEW_FULL).count()
    profile = text(client.get(profile_url))
    assert "長崎 太郎" in profile and "T-AAAA@example.jp" in profile
    assert "編集する" not in profile
    assert reverse("talent:profile_edit", kwargs={"pk": sent.profile.pk}) not in profile
    event = AuditEvent.objects.filter(action=AuditAction.PROFILE_VIEW_FULL).order_by("pk").last()
    assert AuditEvent.objects.filter(action=AuditAction.PROFILE_VIEW_FULL).count() == before + 1
    assert event.actor_id == sent.goto.pk and event.target_id == str(sent.profile.pk)
    # The pool card no longer says names are hidden: it links to the full profile.
    card = text(client.get(reverse("talent:pool_member", kwargs={"pseudonym": "T-AAAA"})))
    assert "提案が受諾されるまで" not in card and f'href="{profile_url}"' in card


def test_the_municipality_may_not_open_the_edit_form_even_after_acceptance(client, sent):
    both_accept(sent)
    client.force_login(sent.goto)
    before = AuditEvent.objects.count()
    url = reverse("talent:profile_edit", kwargs={"pk": sent.profile.pk})
    assert client.get(url).status_code == 403
    assert client.post(url, {"full_name": "書き換え"}).status_code == 403
    assert AuditEvent.objects.count() == before  # refused before anything was shown or written
    assert TalentProfile.objects.get(pk=sent.profile.pk).full_name == "長崎 太郎"


def test_the_applicant_and_the_secretariat_still_see_the_edit_action(client, sent):
    both_accept(sent)
    for user in (sent.talent, sent.nagasaki):
        html = text(page(client, user, "talent:profile_detail", pk=sent.profile.pk))
        assert "編集する" in html
        assert page(client, user, "talent:profile_edit", pk=sent.profile.pk).status_code == 200


def test_another_municipality_gets_nothing_from_the_acceptance(client, sent):
    both_accept(sent)
    assert page(client, sent.iki, "talent:profile_detail", pk=sent.profile.pk).status_code == 404
    assert page(client, sent.iki, "talent:profile_edit", pk=sent.profile.pk).status_code == 404
    assert "提案が受諾されるまで" in text(page(client, sent.iki, "talent:pool_member", pseudonym="T-AAAA"))


# --- withdrawal by the secretariat ------------------------------------------------------------------------------

def test_withdrawal_asks_for_a_reason_on_a_page_of_its_own(client, sent):
    client.force_login(sent.nagasaki)
    url = reverse("matching:proposal_withdraw", kwargs={"pk": sent.proposal.pk})
    html = text(client.get(url))
    assert "この提案を取り下げますか。取り下げると元に戻せません。" in html and "五島市" in html
    html = text(client.post(url, {"reason": ""}))
    assert "error-summary" in html and 'href="#id_reason"' in html
    sent.proposal.refresh_from_db()
    assert sent.proposal.status == ProposalStatus.SENT
    response = client.post(url, {"reason": "ニーズの内容が変わったため"})
    assert response.status_code == 302
    sent.proposal.refresh_from_db()
    assert sent.proposal.status == ProposalStatus.WITHDRAWN and sent.proposal.withdrawn_at is not None
    assert sent.proposal.withdraw_reason == "ニーズの内容が変わったため"
    assert [(h.from_status, h.to_status, h.note) for h in history_of(PROPOSAL_MACHINE, sent.proposal)][-1] == (
        "sent", "withdrawn", "ニーズの内容が変わったため")
    event = AuditEvent.objects.get(action=AuditAction.PROPOSAL_WITHDRAW)
    assert event.detail["reason"] == "ニーズの内容が変わったため" and event.actor_id == sent.nagasaki.pk


def test_both_sides_then_see_withdrawn_with_the_reason_and_cannot_answer(client, sent):
    services.proposal_answer(actor=sent.goto, proposal=sent.proposal, accept=True)
    services.proposal_withdraw(actor=sent.nagasaki, proposal=sent.proposal, reason="誤って送付したため")
    for user in (sent.goto, sent.talent):
        html = text(page(client, user, "matching:proposal_detail", pk=sent.proposal.pk))
        assert "取り下げ（長崎県）" in html and "誤って送付したため" in html and 'name="answer"' not in html
        assert "取り下げ（長崎県）" in text(client.get(reverse("matching:proposal_list")))
    with pytest.raises(Conflict):
        services.proposal_answer(actor=sent.talent, proposal=sent.proposal, accept=True)


def test_withdrawal_rules(sent):
    with pytest.raises(ValidationError):
        services.proposal_withdraw(actor=sent.nagasaki, proposal=sent.proposal, reason="  ")
    for user in (sent.goto, sent.talent, sent.hiroshima):
        with pytest.raises(Forbidden):
            services.proposal_withdraw(actor=user, proposal=sent.proposal, reason="理由")
    both_accept(sent)
    with pytest.raises(Conflict):  # an accepted proposal filled its need: final
        services.proposal_withdraw(actor=sent.nagasaki, proposal=sent.proposal, reason="理由")
    assert not AuditEvent.objects.filter(action=AuditAction.PROPOSAL_WITHDRAW).exists()


def test_only_the_secretariat_of_the_run_reaches_the_withdrawal_page(client, sent):
    for user, status in ((sent.goto, 403), (sent.talent, 403), (sent.hiroshima, 404), (sent.nagasaki, 200)):
        assert page(client, user, "matching:proposal_withdraw", pk=sent.proposal.pk).status_code == status


def test_a_proposal_no_longer_sent_offers_no_withdrawal(client, sent):
    both_accept(sent)
    html = text(page(client, sent.nagasaki, "matching:proposal_withdraw", pk=sent.proposal.pk))
    assert "取り下げられるのは、送付済みで回答が揃っていない提案だけです" in html and 'name="reason"' not in html
    assert "取り下げる（確認へ）" not in text(page(client, sent.nagasaki, "matching:proposal_detail",
                                                 pk=sent.proposal.pk))


# --- the demo ------------------------------------------------------------------------------------------------

def test_the_demo_sends_a_proposal_of_goto_to_the_demo_talent(db):
    from dxpool.accounts.models import User
    from dxpool.core.demo import demo_load

    demo_load()
    talent = User.objects.get(username="talent")
    rows = list(selectors.proposal_list(user=talent))
    assert rows and all(p.status == ProposalStatus.SENT for p in rows)
    assert any(p.municipality == "五島市" and p.can_answer for p in rows)
    goto = User.objects.get(username="goto")
    assert {p.pk for p in rows} <= {p.pk for p in selectors.proposal_list(user=goto)}

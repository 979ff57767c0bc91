"""Sending proposals takes a choice and a confirmation (issue 12 item 10): the coordinator ticks which proposals
to send (none ticked by default), sees 「N件の提案を送付します。よろしいですか」 with what will be sent, and only
the confirmation's POST sends — exactly the listed proposals, atomically."""

import inspect

import pytest

from dxpool.core.errors import Conflict, ValidationError
from dxpool.core.models import AuditEvent
from dxpool.matching import services
from dxpool.matching.models import MatchRun, Proposal, ProposalStatus, RunStatus

pytestmark = pytest.mark.django_db

P, S = ProposalStatus.PROPOSED, ProposalStatus.SENT


def statuses(*proposals):
    return [Proposal.objects.get(pk=p.pk).status for p in proposals]


# --- the service -------------------------------------------------------------------------------------------


def test_proposals_send_takes_the_chosen_ids_and_has_no_send_everything_default():
    param = inspect.signature(services.proposals_send).parameters["proposal_ids"]
    assert param.kind is inspect.Parameter.KEYWORD_ONLY and param.default is inspect.Parameter.empty


def test_only_the_chosen_proposals_are_sent(world):
    assert services.proposals_send(actor=world.nagasaki, run=world.run, proposal_ids=[world.proposal.pk]) == 1
    assert statuses(world.proposal, world.joint_proposal) == [S, P]
    event = AuditEvent.objects.get(action="proposals.send")
    assert event.detail["count"] == 1 and event.detail["proposals"] == [world.proposal.pk]


def test_no_choice_is_refused(world):
    with pytest.raises(ValidationError, match="選んで"):
        services.proposals_send(actor=world.nagasaki, run=world.run, proposal_ids=[])
    assert statuses(world.proposal, world.joint_proposal) == [P, P]


def test_an_id_of_another_run_is_refused_and_nothing_is_sent(world):
    other = MatchRun.objects.create(prefecture=world.run.prefecture, status=RunStatus.DONE)
    foreign = Proposal.objects.create(run=other, need=world.need, profile=world.other_profile, score=0.5)
    with pytest.raises(Conflict, match="この実行"):
        services.proposals_send(actor=world.nagasaki, run=world.run, proposal_ids=[world.proposal.pk, foreign.pk])
    assert statuses(world.proposal, foreign) == [P, P]
    assert not AuditEvent.objects.filter(action="proposals.send").exists()


def test_an_id_already_sent_is_refused_and_nothing_is_sent(world):
    services.proposals_send(actor=world.nagasaki, run=world.run, proposal_ids=[world.proposal.pk])
    with pytest.raises(Conflict, match="送付済み"):
        services.proposals_send(actor=world.nagasaki, run=world.run,
                                proposal_ids=[world.proposal.pk, world.joint_proposal.pk])
    assert statuses(world.proposal, world.joint_proposal) == [S, P]


# --- the pages ---------------------------------------------------------------------------------------------


def run_url(world, tail=""):
    return f"/matching/runs/{world.run.pk}/{tail}"


def test_the_run_page_offers_a_choice_with_nothing_ticked(client, world):
    client.force_login(world.nagasaki)
    body = client.get(run_url(world)).content.decode()
    for p in (world.proposal, world.joint_proposal):
        assert f'name="proposal" value="{p.pk}" form="send-form"' in body
    assert " checked" not in body
    assert f'<form id="send-form" method="get" action="{run_url(world, "send/confirm/")}"' in body


def test_the_confirmation_lists_what_will_be_sent_and_sends_nothing(client, world):
    client.force_login(world.nagasaki)
    r = client.get(run_url(world, "send/confirm/"), {"proposal": [world.proposal.pk, world.joint_proposal.pk]})
    body = r.content.decode()
    assert r.status_code == 200
    assert "2件の提案を送付します。よろしいですか" in body
    assert "五島市のDX推進" in body and "離島の共同CIO補佐官" in body and "壱岐市" in body
    assert "T-AAAA" in body and "長崎 太郎" not in body  # pseudonyms, never real names
    assert f'<form method="post" action="{run_url(world, "send/")}"' in body
    assert f'<input type="hidden" name="proposal" value="{world.proposal.pk}">' in body
    assert f'href="{run_url(world)}"' in body  # back, without sending
    assert statuses(world.proposal, world.joint_proposal) == [P, P]


def test_choosing_all_lists_every_proposed_proposal(client, world):
    services.proposals_send(actor=world.nagasaki, run=world.run, proposal_ids=[world.proposal.pk])
    client.force_login(world.nagasaki)
    body = client.get(run_url(world, "send/confirm/"), {"all": "1"}).content.decode()
    assert "1件の提案を送付します。よろしいですか" in body
    assert f'value="{world.joint_proposal.pk}"' in body and f'value="{world.proposal.pk}"' not in body


def test_confirming_sends_exactly_the_listed_proposals(client, world):
    client.force_login(world.nagasaki)
    r = client.post(run_url(world, "send/"), {"proposal": [world.joint_proposal.pk]}, follow=True)
    assert "1件の提案を市町村と人材に送付しました" in r.content.decode()
    assert statuses(world.proposal, world.joint_proposal) == [P, S]


def test_a_post_without_a_choice_sends_nothing(client, world):
    """Regression: one POST of 「提案を市町村と人材に送付する」 sent every proposal of the run."""
    client.force_login(world.nagasaki)
    r = client.post(run_url(world, "send/"), follow=True)
    assert "送付する提案を選んでください" in r.content.decode()
    assert statuses(world.proposal, world.joint_proposal) == [P, P]


def test_a_confirmation_without_a_choice_returns_to_the_run(client, world):
    client.force_login(world.nagasaki)
    r = client.get(run_url(world, "send/confirm/"))
    assert r.status_code == 302 and r["Location"] == run_url(world)
    assert "送付する提案を選んでください" in client.get(run_url(world)).content.decode()


@pytest.mark.parametrize("junk", ["abc", "99999999", "-1", "1e3", "９"])
def test_a_stale_or_junk_choice_is_said_and_offers_no_confirmation(client, world, junk):
    services.proposals_send(actor=world.nagasaki, run=world.run, proposal_ids=[world.proposal.pk])
    client.force_login(world.nagasaki)
    for choice in ([world.proposal.pk, world.joint_proposal.pk], [junk, world.joint_proposal.pk]):
        r = client.get(run_url(world, "send/confirm/"), {"proposal": choice})
        body = r.content.decode()
        assert r.status_code == 200 and "送付できない提案" in body
        assert 'action="' + run_url(world, "send/") + '"' not in body
    assert statuses(world.joint_proposal) == [P]


def test_a_nul_byte_in_the_choice_is_a_client_error(client, world):
    client.force_login(world.nagasaki)
    assert 400 <= client.get(run_url(world, "send/confirm/"), {"proposal": "1\x00"}).status_code < 500


def test_another_prefecture_cannot_see_the_confirmation(client, world):
    client.force_login(world.hiroshima)
    assert client.get(run_url(world, "send/confirm/"), {"all": "1"}).status_code == 404

"""`proposals_waiting` and `/matching/proposals/?waiting=1`: the home page's "proposals to answer" (issue 13,
item 6) are sent proposals whose answer is due from the user's side (either side, for the secretariat)."""

import pytest

from dxpool.matching import selectors
from dxpool.matching.models import ProposalStatus, Side

pytestmark = pytest.mark.django_db


def ids(qs):
    return sorted(p.pk for p in qs)


def test_waiting_follows_each_side(world):
    world.run.proposals.update(status=ProposalStatus.SENT)
    p, joint = world.proposal, world.joint_proposal
    assert ids(selectors.proposals_waiting(user=world.goto)) == ids([p, joint])
    type(p).objects.filter(pk=p.pk).update(municipality_decision=Side.ACCEPTED)
    assert ids(selectors.proposals_waiting(user=world.goto)) == [joint.pk]
    assert ids(selectors.proposals_waiting(user=world.iki)) == [joint.pk]
    assert ids(selectors.proposals_waiting(user=world.talent)) == ids([p, joint])
    assert ids(selectors.proposals_waiting(user=world.nagasaki)) == ids([p, joint])  # the talent still owes both
    assert ids(selectors.proposals_waiting(user=world.other_talent)) == []
    assert ids(selectors.proposals_waiting(user=world.hiroshima)) == []


def test_unsent_and_closed_proposals_do_not_wait(world):
    type(world.proposal).objects.filter(pk=world.proposal.pk).update(status=ProposalStatus.ACCEPTED)
    assert ids(selectors.proposals_waiting(user=world.goto)) == []  # the joint one is not sent yet


def test_the_list_page_filters_on_waiting(client, world):
    world.run.proposals.update(status=ProposalStatus.SENT)
    type(world.proposal).objects.filter(pk=world.proposal.pk).update(municipality_decision=Side.ACCEPTED)
    client.force_login(world.goto)
    everything = client.get("/matching/proposals/").content.decode()
    waiting = client.get("/matching/proposals/?waiting=1").content.decode()
    assert world.need.title in everything and world.joint.title in everything
    assert "回答を待っている提案だけを表示しています" in waiting
    assert world.joint.title in waiting and world.need.title not in waiting

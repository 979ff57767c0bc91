"""dxpool.matching.permissions: every predicate for every role and tenant, and the services that enforce them."""

import pytest
from django.contrib.auth.models import AnonymousUser

from dxpool.core.errors import Forbidden
from dxpool.matching import permissions as perm
from dxpool.matching import services
from dxpool.matching.models import MatchRun, ProposalStatus
from tests.matching.conftest import every_proposal

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "nagasaki", "hiroshima", "goto", "iki", "tsushima", "national", "talent", "other_talent"]


def who(world, name):
    return AnonymousUser() if name == "anonymous" else getattr(world, name)


@pytest.mark.parametrize("name", ROLES)
def test_run_matching_is_for_any_secretariat_and_rerun_for_the_runs_own(world, name):
    user = who(world, name)
    assert perm.can_run_matching(user=user) is (name in ("nagasaki", "hiroshima"))
    assert perm.can_run_matching(user=user, obj=world.run) is (name == "nagasaki")


@pytest.mark.parametrize("name", ROLES)
def test_review_rules_and_sending_belong_to_the_runs_secretariat(world, name):
    user = who(world, name)
    expected = name == "nagasaki"
    assert perm.can_review_run(user=user, obj=world.run) is expected
    assert perm.can_send_proposals(user=user, obj=world.run) is expected
    assert perm.can_set_pair_rule(user=user, obj=world.need) is expected
    assert perm.can_set_pair_rule(user=user, obj=world.joint) is expected


@pytest.mark.parametrize("name, single, joint", [
    ("anonymous", None, None),
    ("nagasaki", None, None),  # the secretariat sends; it never answers for a side
    ("hiroshima", None, None),
    ("goto", "municipality_decision", "municipality_decision"),
    ("iki", None, "municipality_decision"),  # any municipality of a joint need answers for it
    ("tsushima", None, None),
    ("national", None, None),
    ("talent", "talent_decision", "talent_decision"),
    ("other_talent", None, None),
])
def test_a_proposal_is_answered_by_its_two_sides_only(world, name, single, joint):
    user = who(world, name)
    assert perm.proposal_side(user=user, obj=world.proposal) == single
    assert perm.proposal_side(user=user, obj=world.joint_proposal) == joint
    assert perm.can_answer_proposal(user=user, obj=world.proposal) is (single is not None)
    assert perm.can_answer_proposal(user=user, obj=world.joint_proposal) is (joint is not None)


def test_a_secretariat_without_a_prefecture_may_not_run(world):
    world.nagasaki.organisation = None
    assert not perm.can_run_matching(user=world.nagasaki)
    assert not perm.can_review_run(user=world.nagasaki, obj=world.run)


# --- services enforce them ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["goto", "talent", "national"])
def test_only_a_secretariat_starts_a_run(world, name):
    with pytest.raises(Forbidden):
        services.matchrun_start(actor=who(world, name))
    assert MatchRun.objects.count() == 1


def test_a_what_if_of_another_prefectures_run_is_refused(world):
    with pytest.raises(Forbidden):
        services.matchrun_rerun(actor=world.hiroshima, parent=world.run)
    assert MatchRun.objects.count() == 1


@pytest.mark.parametrize("name", ["hiroshima", "goto", "talent", "national"])
def test_others_can_neither_send_nor_set_rules(world, name):
    user = who(world, name)
    with pytest.raises(Forbidden):
        services.proposals_send(actor=user, run=world.run, proposal_ids=every_proposal(world.run))
    with pytest.raises(Forbidden):
        services.pair_rule_set(actor=user, need=world.need, profile=world.profile, kind="lock")
    world.proposal.refresh_from_db()
    assert world.proposal.status == ProposalStatus.PROPOSED


@pytest.mark.parametrize("name", ["nagasaki", "hiroshima", "iki", "other_talent", "national"])
def test_only_the_two_sides_answer(world, name):
    services.proposals_send(actor=world.nagasaki, run=world.run, proposal_ids=every_proposal(world.run))
    with pytest.raises(Forbidden):
        services.proposal_answer(actor=who(world, name), proposal=world.proposal, accept=True)
    world.proposal.refresh_from_db()
    assert world.proposal.municipality_decision == world.proposal.talent_decision == "pending"

"""A small matching world without the engine: one run of 長崎県 with proposals made by hand.

Rows are created directly (not through services) so that selector, permission and machine tests do not depend
on the engine or on the demo data; tests of the whole path use the demo (test_runs.py).
"""

from dataclasses import dataclass

import pytest

from dxpool.accounts.models import User
from dxpool.matching.models import MatchRun, Proposal, RunStatus
from dxpool.needs.models import Need
from dxpool.places.models import Municipality, Prefecture
from dxpool.talent.models import TalentProfile
from tests.factories import municipality_officer, national_user, prefecture_user, talent_user


@dataclass
class World:
    nagasaki: User  # the secretariat of 長崎県, which holds the run
    hiroshima: User  # another prefecture's secretariat
    goto: User  # officer of 五島市 (the single need's municipality)
    iki: User  # officer of 壱岐市 (only in the joint need)
    tsushima: User  # officer of 対馬市 (in no need)
    national: User
    talent: User  # proposed for both needs
    other_talent: User  # in the pool, proposed for nothing
    need: Need  # 五島市 alone
    joint: Need  # 五島市 and 壱岐市 together
    profile: TalentProfile
    other_profile: TalentProfile
    run: MatchRun
    proposal: Proposal  # need ← profile
    joint_proposal: Proposal  # joint ← profile


def make_need(title: str, *municipalities: Municipality) -> Need:
    need = Need.objects.create(prefecture=municipalities[0].prefecture, title=title, persona="producer",
                               hours_per_week=8)
    need.municipalities.set(municipalities)
    return need


def make_profile(user: User, pseudonym: str, full_name: str, home: Municipality) -> TalentProfile:
    return TalentProfile.objects.create(user=user, prefecture=home.prefecture, pseudonym=pseudonym,
                                        full_name=full_name, email=f"{pseudonym}@example.jp", home_municipality=home,
                                        hours_per_week=20, personas_met=" producer ")


@pytest.fixture
def world(db) -> World:
    pref = Prefecture.objects.get(code="42")
    goto_m = Municipality.objects.get(name="五島市", prefecture=pref)
    iki_m = Municipality.objects.get(name="壱岐市", prefecture=pref)
    talent, other_talent = talent_user(), talent_user()
    need = make_need("五島市のDX推進", goto_m)
    joint = make_need("離島の共同CIO補佐官", goto_m, iki_m)
    profile = make_profile(talent, "T-AAAA", "長崎 太郎", goto_m)
    other_profile = make_profile(other_talent, "T-BBBB", "佐世保 花子", iki_m)
    nagasaki = prefecture_user("42")
    run = MatchRun.objects.create(prefecture=pref, created_by=nagasaki, status=RunStatus.DONE, progress=100)
    proposal = Proposal.objects.create(run=run, need=need, profile=profile, score=0.9, breakdown={"fit": 0.8})
    joint_proposal = Proposal.objects.create(run=run, need=joint, profile=profile, score=0.7, breakdown={})
    return World(nagasaki=nagasaki, hiroshima=prefecture_user("34"), goto=municipality_officer("五島市"),
                 iki=municipality_officer("壱岐市"), tsushima=municipality_officer("対馬市"), national=national_user(),
                 talent=talent, other_talent=other_talent, need=need, joint=joint, profile=profile,
                 other_profile=other_profile, run=run, proposal=proposal, joint_proposal=joint_proposal)


def every_proposal(run: MatchRun) -> list[int]:
    """All of a run's proposal ids: what the coordinator ticks to send everything (proposals_send has no default)."""
    return list(run.proposals.values_list("pk", flat=True))

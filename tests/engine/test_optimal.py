"""Optimal mode: feasible, optimal (against an exact MILP), bound valid even when candidates are pruned."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxpool.engine import InstanceError, MatchParams, Need, Talent, match

from .support import COORDS, assert_feasible, exact_optimum, instances, pair_table


@settings(max_examples=150, deadline=None)
@given(instances())
def test_feasible_and_equal_to_exact_milp(inst):
    needs, talents = inst
    params = MatchParams()
    result = match(needs, talents, COORDS, params)
    assert_feasible(result, needs, talents, params)
    best = exact_optimum(needs, talents, params)
    assert math.isclose(result.objective, best, rel_tol=1e-9, abs_tol=1e-9)
    assert result.bound >= result.objective - 1e-12
    assert result.gap <= 1e-9


@settings(max_examples=150, deadline=None)
@given(instances(max_needs=8, max_talents=8), st.sampled_from([None, 1, 2]))
def test_heuristic_path_bound_is_valid_with_and_without_pruning(inst, top_k):
    """Without the exact MILP polish, the reported bound still bounds the true optimum from above."""
    needs, talents = inst
    params = MatchParams(exact=False, top_k=top_k)
    result = match(needs, talents, COORDS, params)
    assert_feasible(result, needs, talents, params)
    best = exact_optimum(needs, talents, MatchParams())
    assert result.objective <= best + 1e-9
    assert result.bound >= best - 1e-7
    assert 0 <= result.gap


@settings(max_examples=100, deadline=None)
@given(instances(), st.data())
def test_locked_and_excluded_pairs_are_honoured(inst, data):
    needs, talents = inst
    table = pair_table(needs, talents, MatchParams())
    eligible = sorted(k for k, e in table.items() if e.eligible)
    excluded = tuple(data.draw(st.lists(st.sampled_from(sorted(table)), max_size=3, unique=True)))
    locked = ()
    candidates = [p for p in eligible if p not in excluded]
    if candidates:
        pick = data.draw(st.sampled_from(candidates))
        locked = (pick,)
    params = MatchParams(locked=locked, excluded=excluded)
    result = match(needs, talents, COORDS, params)
    assert_feasible(result, needs, talents, params)
    assert math.isclose(result.objective, exact_optimum(needs, talents, params), rel_tol=1e-9, abs_tol=1e-9)
    assert all(a.locked == ((a.need, a.talent) in set(locked)) for a in result.assignments)


def test_priority_weight_decides_who_gets_the_only_talent():
    needs = [
        Need("N1", ("131016",), "engineer", 8, 2, weight=1.0),
        Need("N2", ("131016",), "engineer", 8, 2, weight=2.0),  # ひとり情シス: weighted first
    ]
    talents = [Talent("T1", "131041", 8, 1, 30, False, True, {"engineer": 0.9})]
    result = match(needs, talents, COORDS)
    assert [(a.need, a.talent) for a in result.assignments] == [("N2", "T1")]
    assert result.unfilled[0].need == "N1" and result.unfilled[0].reason == "talents_taken"


def test_hours_knapsack_beats_greedy_slots():
    # T1 (16 h, 2 slots) can take the two 8-hour needs or the single 16-hour one.
    needs = [
        Need("N1", ("131016",), "engineer", 16, 0),
        Need("N2", ("131016",), "engineer", 8, 0),
        Need("N3", ("131016",), "engineer", 8, 0),
    ]
    talents = [Talent("T1", "131016", 16, 2, 10, True, True, {"engineer": 1.0})]
    result = match(needs, talents, COORDS)
    assert sorted(a.need for a in result.assignments) == ["N2", "N3"]


def test_joint_need_uses_farthest_municipality():
    # 千代田区 and 横浜市 jointly: a talent from 新宿区 with 20 km range reaches 千代田 but not 横浜.
    needs = [Need("N1", ("131016", "141003"), "engineer", 8, 2)]
    near = Talent("T1", "131041", 16, 2, 20, True, True, {"engineer": 1.0})
    far = Talent("T2", "131041", 16, 2, 60, True, True, {"engineer": 0.5})
    result = match(needs, [near, far], COORDS)
    assert [(a.need, a.talent) for a in result.assignments] == [("N1", "T2")]
    assert result.assignments[0].breakdown["distance_km"] > 20


def test_remote_only_need_ignores_distance_for_remote_talent_only():
    need = Need("N1", ("422011",), "engineer", 8, 0)
    remote = Talent("T1", "131016", 16, 2, 10, True, True, {"engineer": 0.5})
    onsite = Talent("T2", "131016", 16, 2, 10, False, True, {"engineer": 1.0})
    result = match([need], [remote, onsite], COORDS)
    assert [(a.need, a.talent) for a in result.assignments] == [("N1", "T1")]


def test_training_gate_can_be_switched_off_and_is_recorded():
    needs = [Need("N1", ("131016",), "engineer", 8, 2)]
    talents = [Talent("T1", "131016", 16, 2, 10, False, False, {"engineer": 1.0})]
    gated = match(needs, talents, COORDS)
    assert gated.assignments == () and gated.stats["require_training"] is True
    assert gated.unfilled[0].detail["failed"]["training"] == 1
    open_ = match(needs, talents, COORDS, MatchParams(require_training=False))
    assert len(open_.assignments) == 1 and open_.stats["require_training"] is False


def test_conflict_of_interest_compares_nfkc_normalised_names():
    needs = [Need("N1", ("131016",), "engineer", 8, 2, excluded_employers=("ＡＢＣ株式会社",))]
    talents = [Talent("T1", "131016", 16, 2, 10, False, True, {"engineer": 1.0}, employers=("abc株式会社",))]
    result = match(needs, talents, COORDS)
    assert result.assignments == ()
    assert result.unfilled[0].detail["failed"]["conflict_of_interest"] == 1


def test_ineligible_lock_is_an_instance_error():
    needs = [Need("N1", ("131016",), "engineer", 8, 2)]
    talents = [Talent("T1", "422011", 16, 2, 10, False, True, {"engineer": 1.0})]
    with pytest.raises(InstanceError, match="not eligible: distance"):
        match(needs, talents, COORDS, MatchParams(locked=(("N1", "T1"),)))


def test_locks_beyond_capacity_are_an_instance_error():
    needs = [Need("N1", ("131016",), "engineer", 8, 2), Need("N2", ("131016",), "engineer", 8, 2)]
    talents = [Talent("T1", "131016", 8, 2, 10, False, True, {"engineer": 1.0})]
    with pytest.raises(InstanceError, match="capacity of talent T1"):
        match(needs, talents, COORDS, MatchParams(locked=(("N1", "T1"), ("N2", "T1"))))


def test_given_scores_drive_the_objective():
    needs = [Need("N1", ("131016",), "engineer", 8, 2), Need("N2", ("131016",), "engineer", 8, 2)]
    talents = [Talent("T1", "131016", 8, 1, 10, False, True, {"engineer": 1.0})]
    result = match(needs, talents, COORDS, scores=[("N1", "T1", 0.2), ("N2", "T1", 0.9)])
    assert [(a.need, a.talent, a.score) for a in result.assignments] == [("N2", "T1", 0.9)]
    assert result.assignments[0].breakdown["given"] == 0.9


@settings(max_examples=80, deadline=None)
@given(instances(), st.data())
def test_given_scores_optimum_equals_exact_milp(inst, data):
    needs, talents = inst
    pairs = [(n.id, t.id) for n in needs for t in talents]
    chosen = data.draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    scores = {p: data.draw(st.sampled_from((-0.2, 0.0, 0.3, 0.7, 1.0))) for p in chosen}
    params = MatchParams()
    result = match(needs, talents, COORDS, params, scores=scores)
    assert_feasible(result, needs, talents, params, scores)
    assert {(a.need, a.talent) for a in result.assignments} <= set(chosen)
    assert math.isclose(
        result.objective, exact_optimum(needs, talents, params, scores), rel_tol=1e-9, abs_tol=1e-9
    )

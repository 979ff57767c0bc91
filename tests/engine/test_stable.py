"""Stable mode: no blocking pair, equal to the `matching` library, lazy lists exact, checker independent."""

from hypothesis import given, settings
from hypothesis import strategies as st

from dxpool.engine import MatchParams, Need, Talent, find_blocking_pairs, match

from .support import COORDS, assert_feasible, instances, library_stable, pair_table


@settings(max_examples=150, deadline=None)
@given(instances(max_needs=7, max_talents=6), st.sampled_from(["need", "talent"]))
def test_no_blocking_pair_and_equal_to_matching_library(inst, side):
    needs, talents = inst
    params = MatchParams(mode="stable", optimal=side)
    result = match(needs, talents, COORDS, params)
    assert_feasible(result, needs, talents, params, stable=True)
    assert find_blocking_pairs(needs, talents, COORDS, params, result) == []
    ours = {(a.need, a.talent) for a in result.assignments}
    assert ours == library_stable(needs, talents, params, optimal=side)


@settings(max_examples=100, deadline=None)
@given(instances(max_needs=7, max_talents=8), st.sampled_from([1, 2]))
def test_pruned_lists_extend_to_the_same_matching(inst, k):
    needs, talents = inst
    full = match(needs, talents, COORDS, MatchParams(mode="stable"))
    pruned = match(needs, talents, COORDS, MatchParams(mode="stable", top_k=k))
    assert full.assignments == pruned.assignments


@settings(max_examples=60, deadline=None)
@given(instances(max_needs=6, max_talents=5), st.data())
def test_locked_pairs_are_fixed_and_the_rest_is_stable(inst, data):
    needs, talents = inst
    table = pair_table(needs, talents, MatchParams())
    eligible = sorted(k for k, e in table.items() if e.eligible)
    if not eligible:
        return
    lock = data.draw(st.sampled_from(eligible))
    params = MatchParams(mode="stable", locked=(lock,))
    result = match(needs, talents, COORDS, params)
    assert lock in {(a.need, a.talent) for a in result.assignments}
    assert_feasible(result, needs, talents, params, stable=True)
    assert find_blocking_pairs(needs, talents, COORDS, params, result) == []


def test_need_optimal_and_talent_optimal_differ_as_theory_says():
    # Classic 2×2 with opposed preferences: needs get their first choices when they propose, talents theirs
    # when they do.
    needs = [
        Need("N1", ("131016",), "engineer", 8, 0, preferences=("T1", "T2")),
        Need("N2", ("131016",), "engineer", 8, 0, preferences=("T2", "T1")),
    ]
    talents = [
        Talent("T1", "131016", 8, 1, 10, True, True, {"engineer": 1.0}, preferences=("N2", "N1")),
        Talent("T2", "131016", 8, 1, 10, True, True, {"engineer": 1.0}, preferences=("N1", "N2")),
    ]
    by_need = match(needs, talents, COORDS, MatchParams(mode="stable", optimal="need"))
    by_talent = match(needs, talents, COORDS, MatchParams(mode="stable", optimal="talent"))
    assert {(a.need, a.talent) for a in by_need.assignments} == {("N1", "T1"), ("N2", "T2")}
    assert {(a.need, a.talent) for a in by_talent.assignments} == {("N1", "T2"), ("N2", "T1")}


def test_slot_size_limits_acceptable_needs():
    # 16 hours over 2 slots = 8-hour slots: the 12-hour need does not fit, whatever the capacity left.
    needs = [Need("N1", ("131016",), "engineer", 12, 0)]
    talents = [Talent("T1", "131016", 16, 2, 10, True, True, {"engineer": 1.0})]
    result = match(needs, talents, COORDS, MatchParams(mode="stable"))
    assert result.assignments == ()
    assert result.unfilled[0].reason == "no_acceptable_talent"
    assert result.unfilled[0].detail["failed"]["slot_size"] == 1


def test_checker_finds_a_blocking_pair():
    needs = [Need("N1", ("131016",), "engineer", 8, 0), Need("N2", ("131016",), "engineer", 8, 0)]
    talents = [
        Talent("T1", "131016", 8, 1, 10, True, True, {"engineer": 1.0}),
        Talent("T2", "131016", 8, 1, 10, True, True, {"engineer": 0.2}),
    ]
    params = MatchParams(mode="stable")
    # Both needs prefer T1 (higher fit); T1 ranks by score then id, so it prefers N1 on a tie.
    assert find_blocking_pairs(needs, talents, COORDS, params, [("N2", "T1"), ("N1", "T2")]) == [("N1", "T1")]
    assert find_blocking_pairs(needs, talents, COORDS, params, [("N1", "T1")]) == [("N2", "T2")]
    assert find_blocking_pairs(needs, talents, COORDS, params, [("N1", "T1"), ("N2", "T2")]) == []


@settings(max_examples=60, deadline=None)
@given(instances(max_needs=6, max_talents=6), st.data(), st.sampled_from(["need", "talent"]))
def test_given_scores_drive_stable_preferences(inst, data, side):
    needs, talents = inst
    pairs = [(n.id, t.id) for n in needs for t in talents]
    chosen = data.draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    scores = {p: data.draw(st.sampled_from((0.1, 0.5, 0.5, 0.9))) for p in chosen}
    params = MatchParams(mode="stable", optimal=side)
    result = match(needs, talents, COORDS, params, scores=scores)
    assert {(a.need, a.talent) for a in result.assignments} <= set(chosen)
    assert find_blocking_pairs(needs, talents, COORDS, params, result, scores=scores) == []

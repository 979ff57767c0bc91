"""The vectorised kernel agrees bit for bit with the scalar reference, and pruning keeps list heads exact."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dxpool.engine import MatchParams, ScoreWeights
from dxpool.engine.geo import haversine_km, haversine_matrix
from dxpool.engine.instance import compile_instance
from dxpool.engine.reference import evaluate_pair
from dxpool.engine.scoring import block_fails, build_candidates, edge_components, fails_to_rules

from .support import COORDS, instances

PARAMS = st.sampled_from(
    [
        MatchParams(),
        MatchParams(require_training=False),
        MatchParams(min_fit=0.5),
        MatchParams(min_fit=0.0, weights=ScoreWeights(skills=0.0, priority=0.0)),
        MatchParams(weights=ScoreWeights(fit=0.3, distance=1.0, distance_scale_km=10.0, need_preference=2.0)),
    ]
)


@settings(max_examples=150, deadline=None)
@given(instances(), PARAMS, st.booleans())
def test_candidates_match_scalar_reference(inst, params, stable):
    needs, talents = inst
    c = compile_instance(needs, talents, COORDS, params, None)
    cand = build_candidates(c, None, stable=stable)
    for i, n in enumerate(c.needs):
        expected = {}
        for t in c.talents:
            ev = evaluate_pair(n, t, COORDS, params, stable=stable)
            if ev.eligible:
                expected[t.id] = ev.score
        row = cand.talent[i]
        got = {
            c.talents[j].id: s
            for j, s in zip(row[row >= 0].tolist(), cand.score[i][row >= 0].tolist(), strict=True)
        }
        assert got == expected  # exact float equality, not approximate
        assert cand.n_eligible[i] == len(expected)
        # Best first, ties by id.
        order = sorted(expected, key=lambda tid: (-expected[tid], tid))
        assert [c.talents[j].id for j in row[row >= 0].tolist()] == order


@settings(max_examples=100, deadline=None)
@given(instances(), PARAMS, st.booleans())
def test_edge_components_match_reference(inst, params, stable):
    needs, talents = inst
    c = compile_instance(needs, talents, COORDS, params, None)
    n = np.repeat(np.arange(c.n_needs), c.n_talents)
    t = np.tile(np.arange(c.n_talents), c.n_needs)
    comp = edge_components(c, n, t, stable=stable)
    # The dense form used for explanations' rule counts applies the same rules (it is written separately for
    # speed, so it is held to the pairwise one here).
    dense = block_fails(c, np.arange(c.n_needs), stable=stable)
    assert dense.ravel().tolist() == comp["fails"].tolist()
    for k, (i, j) in enumerate(zip(n.tolist(), t.tolist(), strict=True)):
        ev = evaluate_pair(c.needs[i], c.talents[j], COORDS, params, stable=stable)
        assert tuple(fails_to_rules(int(comp["fails"][k]))) == ev.fails
        assert comp["score"][k] == ev.score
        for name in ("fit", "skills", "experience", "distance", "need_preference", "talent_preference"):
            assert comp[name][k] == ev.components[name], name


@settings(max_examples=100, deadline=None)
@given(instances(max_needs=5, max_talents=8), st.integers(1, 3))
def test_pruned_windows_are_heads_of_full_lists(inst, k):
    needs, talents = inst
    c = compile_instance(needs, talents, COORDS, MatchParams(), None)
    full = build_candidates(c, None)
    pruned = build_candidates(c, k)
    for i in range(c.n_needs):
        n_full = int((full.talent[i] >= 0).sum())
        n_kept = int((pruned.talent[i] >= 0).sum())
        assert n_kept == min(k, n_full)
        assert pruned.talent[i][:n_kept].tolist() == full.talent[i][:n_kept].tolist()
        assert pruned.n_eligible[i] == full.n_eligible[i]
        if n_full > n_kept:
            assert pruned.cutoff[i] == full.score[i][n_kept]  # best score among the dropped pairs
        else:
            assert pruned.cutoff[i] == -np.inf


def test_given_scores_replace_computed_ones_and_restrict_pairs():
    from dxpool.engine import Need, Talent

    needs = [Need("N1", ("131016",), "engineer", 8, 0), Need("N2", ("131016",), "engineer", 8, 0)]
    talents = [Talent("T1", "131041", 16, 2, 50, True, True, {"engineer": 0.5})]
    c = compile_instance(needs, talents, COORDS, MatchParams(), {("N1", "T1"): 0.25})
    cand = build_candidates(c, None)
    assert cand.talent[0].tolist()[:1] == [0] and cand.score[0][0] == 0.25
    assert cand.n_eligible.tolist() == [1, 0]


def test_haversine_known_distance_and_agreement():
    # 千代田区 → 長崎市 is about 960 km as the crow flies.
    d = haversine_km(COORDS["131016"], COORDS["422011"])
    assert 950 < d < 970
    codes = sorted(COORDS)
    lat = [COORDS[x][0] for x in codes]
    lng = [COORDS[x][1] for x in codes]
    m = haversine_matrix(lat, lng, lat, lng)
    for a, ca in enumerate(codes):
        for b, cb in enumerate(codes):
            assert m[a, b] == haversine_km(COORDS[ca], COORDS[cb])
    assert np.allclose(m, m.T) and (np.diag(m) == 0).all()


def test_windows_break_boundary_ties_by_id():
    from dxpool.engine import Need, Talent

    needs = [Need("N1", ("131016",), "engineer", 8, 0)]
    # Nine identical talents, given in reverse id order: every score ties.
    talents = [Talent(f"T{j}", "131016", 16, 2, 10, True, True, {"engineer": 0.5}) for j in range(9, 0, -1)]
    c = compile_instance(needs, talents, COORDS, MatchParams(), None)
    for k in (1, 2, 5):
        cand = build_candidates(c, k)
        assert [c.talents[t].id for t in cand.talent[0]] == [f"T{j}" for j in range(1, k + 1)]
        assert cand.cutoff[0] == cand.score[0][0]

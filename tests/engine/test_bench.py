"""`dxpool bench matching`: the figures it prints are there, medians of the runs it says it made, and its
baselines really ran (same matching as the library, the MILP's objective bounding ours)."""

import statistics

import pytest

from dxpool.engine import bench


def test_stable_bench_times_both_sides_the_same_way_and_checks_the_library_agrees():
    out = bench.run(scale="custom", needs=40, talents=15, mode="stable", seed=3, repeat=3)
    sec = out["seconds"]
    assert len(sec["end_to_end_runs"]) == 3
    # The runs are listed to 0.1 ms and the median to 1 ms: equal within 0.5 + 0.05 ms of rounding.
    assert abs(sec["end_to_end"] - statistics.median(sec["end_to_end_runs"])) <= 0.0006
    assert "median of 3 runs after one warm-up run" in out["timing"]
    lib = out["baselines"]["matching"]
    assert lib["status"] == "ok" and len(lib["runs"]) == 3
    assert lib["same_matching"] is True
    assert lib["time_ratio_end_to_end"] > 0 and lib["time_ratio_solve"] > 0
    assert out["needs"] == 40 and out["talents"] == 15 and out["pairs_total"] == 600


def test_optimal_bench_reports_bound_gap_and_an_exact_milp():
    out = bench.run(scale="custom", needs=30, talents=20, mode="optimal", seed=1, repeat=1)
    milp = out["baselines"]["milp"]
    assert milp["optimal"] is True
    # The exact optimum lies between our objective and our bound.
    assert out["objective"] <= milp["objective"] + 1e-6
    assert milp["objective"] <= out["bound"] + 1e-6
    assert 0 <= out["gap"] <= 1


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="--repeat"):
        bench.run(scale="custom", needs=5, talents=5, repeat=0)
    with pytest.raises(ValueError, match="--needs and --talents"):
        bench.run(scale="custom", needs=5)

"""`dxpool bench matching`: the JSON it prints has the documented shape, every median it reports is the
median of the runs it lists, and its baselines really ran (same matching as the library, the MILP's objective
bounding ours). Timing itself is not asserted here: figures belong in docs/benchmarks.md, not in tests."""

import json
import statistics

import pytest

from dxpool.engine import bench

SECONDS_KEYS = {"generate", "validate", "compile", "scoring", "solving", "explain", "end_to_end", "end_to_end_runs"}
TOP_KEYS = {"benchmark", "scale", "mode", "seed", "needs", "talents", "pairs_total", "pairs_evaluated",
            "pairs_eligible", "candidates_kept", "top_k", "seconds", "timing", "peak_rss_mb", "objective", "bound",
            "gap", "assigned", "unfilled", "solver"}


def _is_number(x) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _assert_shape(out: dict, *, repeat: int) -> None:
    assert TOP_KEYS <= set(out), TOP_KEYS - set(out)
    json.dumps(out)  # the CLI prints it as JSON: every value must serialise
    sec = out["seconds"]
    assert set(sec) == SECONDS_KEYS
    assert all(_is_number(v) and v >= 0 for k, v in sec.items() if k != "end_to_end_runs")
    runs = sec["end_to_end_runs"]
    assert len(runs) == repeat and all(_is_number(x) and x >= 0 for x in runs)
    # The reported median is the median of the listed runs, exactly (no rounding in between).
    assert sec["end_to_end"] == statistics.median(runs)
    assert out["timing"] == f"median of {repeat} runs after one warm-up run, in one process"
    assert _is_number(out["peak_rss_mb"]) and out["peak_rss_mb"] > 0


def test_stable_bench_times_both_sides_the_same_way_and_checks_the_library_agrees():
    out = bench.run(scale="custom", needs=40, talents=15, mode="stable", seed=3, repeat=3)
    _assert_shape(out, repeat=3)
    assert out["mode"] == "stable" and out["optimal"] == "need"
    lib = out["baselines"]["matching"]
    assert lib["status"] == "ok" and len(lib["runs"]) == 3
    assert lib["seconds"] == statistics.median(lib["runs"])
    assert _is_number(lib["create_seconds"]) and _is_number(lib["solve_seconds"])
    assert lib["same_matching"] is True
    # The ratios are the library's median over ours, as documented (recomputed from the reported figures).
    assert lib["time_ratio_end_to_end"] == lib["seconds"] / out["seconds"]["end_to_end"]
    assert lib["time_ratio_solve"] > 0
    assert out["needs"] == 40 and out["talents"] == 15 and out["pairs_total"] == 600


def test_optimal_bench_reports_bound_gap_and_an_exact_milp():
    out = bench.run(scale="custom", needs=30, talents=20, mode="optimal", seed=1, repeat=1)
    _assert_shape(out, repeat=1)
    assert "optimal" not in out  # the favoured side only means something for the stable mode
    milp = out["baselines"]["milp"]
    assert milp["optimal"] is True
    # The exact optimum lies between our objective and our bound.
    assert out["objective"] <= milp["objective"] + 1e-6
    assert milp["objective"] <= out["bound"] + 1e-6
    assert 0 <= out["gap"] <= 1


def test_even_repeat_counts_report_the_mean_of_the_middle_two_runs():
    out = bench.run(scale="custom", needs=10, talents=6, mode="stable", seed=2, repeat=2, baselines=False)
    _assert_shape(out, repeat=2)
    a, b = out["seconds"]["end_to_end_runs"]
    assert out["seconds"]["end_to_end"] == (a + b) / 2
    assert "baselines" not in out


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="--repeat"):
        bench.run(scale="custom", needs=5, talents=5, repeat=0)
    with pytest.raises(ValueError, match="--needs and --talents"):
        bench.run(scale="custom", needs=5)

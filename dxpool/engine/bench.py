"""`dxpool bench matching`: time the engine on generated instances over real municipality coordinates, with
baselines from the same run.

Scales: `prefecture` (150 needs × 600 talents in 長崎県 and its neighbours), `national` (6,000 × 20,000 over
all 1,741 municipalities), `custom` (--needs × --talents over all municipalities, or one prefecture with
--prefecture). Baselines (--baselines, on by default):

- optimal mode: an exact MILP over every eligible pair with scipy.optimize.milp (HiGHS), time limit 120 s;
  above MILP_MAX_PAIRS eligible pairs (national scale) building it alone would take minutes and gigabytes, so
  it runs on the engine's candidate windows instead and says so in `scope`;
- stable mode: the `matching` library's HospitalResident (needs as residents, talents as hospitals with
  their free slots as capacity) on the same preference lists; its recursion limit makes it fail on larger
  instances (here already at 1,000 × 200), which is caught and reported; it is then retried in a thread with
  a 1 GiB stack and a raised recursion limit so a time comparison exists. Skipped above LIBRARY_MAX_PAIRS.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
import warnings
from typing import Any

import numpy as np

from .api import candidate_width, match
from .generate import generate_instance, national_instance, prefecture_instance
from .instance import compile_instance
from .model import MatchParams
from .scoring import all_edges, build_candidates
from .stable import free_slots, locked_usage

SCALES = {"prefecture": (150, 600), "national": (6000, 20000)}
MILP_MAX_PAIRS = 1_500_000
MILP_TIME_LIMIT_S = 120.0
LIBRARY_MAX_PAIRS = 400_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `dxpool bench matching`."""
    parser.add_argument("--scale", choices=("prefecture", "national", "custom"), default="prefecture")
    parser.add_argument("--needs", type=int, default=None, help="custom scale: number of needs")
    parser.add_argument("--talents", type=int, default=None, help="custom scale: number of talents")
    parser.add_argument(
        "--prefecture",
        default=None,
        help="2-digit prefecture code for prefecture/custom scale (default 42 長崎県 for prefecture)",
    )
    parser.add_argument("--mode", choices=("optimal", "stable"), default="optimal")
    parser.add_argument(
        "--optimal", choices=("need", "talent"), default="need", help="stable mode: proposing side"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="timed runs after one untimed warm-up run, for the engine and the matching library alike; "
        "figures are medians (default 5, national scale 3)",
    )
    parser.add_argument(
        "--baselines",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run the exact MILP (optimal) or the matching library (stable)",
    )


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run(**options: Any) -> dict[str, Any]:
    """Generate an instance, match it, run the baselines; return the figures (unknown options ignored)."""
    from dxpool.places.reference import municipality_coordinates

    scale = options.get("scale") or "prefecture"
    mode = options.get("mode") or "optimal"
    side = options.get("optimal") or "need"
    seed = int(options.get("seed") or 0)
    baselines = options.get("baselines", True)
    prefecture = options.get("prefecture")
    if scale == "custom":
        if not options.get("needs") or not options.get("talents"):
            raise ValueError("--scale custom needs --needs and --talents")
        n_needs, n_talents = int(options["needs"]), int(options["talents"])
    else:
        n_needs, n_talents = SCALES[scale]
        n_needs = int(options.get("needs") or n_needs)
        n_talents = int(options.get("talents") or n_talents)
    if n_needs < 1 or n_talents < 1:
        raise ValueError("--needs and --talents must be positive")

    coords = municipality_coordinates()
    t0 = time.perf_counter()
    if scale == "prefecture" or (scale == "custom" and prefecture):
        needs, talents = prefecture_instance(coords, prefecture or "42", n_needs, n_talents, seed=seed)
    elif scale == "national":
        needs, talents = national_instance(coords, n_needs, n_talents, seed=seed)
    else:
        needs, talents = generate_instance(coords, n_needs, n_talents, seed=seed)
    t_gen = time.perf_counter() - t0

    repeat = options.get("repeat")
    repeat = (3 if scale == "national" else 5) if repeat is None else int(repeat)
    if repeat < 1:
        raise ValueError("--repeat must be positive")
    params = MatchParams(mode=mode, optimal=side)
    # One untimed warm-up run (first-call costs: lazy imports, allocator growth), then `repeat` timed runs;
    # every figure is the median over the timed runs. The same is done for the matching library below.
    match(needs, talents, coords, params)
    runs, phases = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = match(needs, talents, coords, params)
        # Listed to 0.1 ms, and the median is taken of the listed figures, so a reader (and the test) can
        # recompute every reported median from the runs shown.
        runs.append(round(time.perf_counter() - t0, 4))
        phases.append(result.stats["seconds"])
    end_to_end = statistics.median(runs)
    rss = _rss_mb()
    sec = {key: statistics.median(p[key] for p in phases) for key in phases[0]}
    out: dict[str, Any] = {
        "benchmark": "matching",
        "scale": scale,
        "mode": mode,
        **({"optimal": side} if mode == "stable" else {}),
        "seed": seed,
        "needs": len(needs),
        "talents": len(talents),
        "pairs_total": result.stats["pairs_total"],
        "pairs_evaluated": result.stats["pairs_evaluated"],
        "pairs_eligible": result.stats["pairs_eligible"],
        "candidates_kept": result.stats["candidates_kept"],
        "top_k": result.stats["top_k"],
        "seconds": {
            "generate": round(t_gen, 3),
            "validate": round(sec["validate"], 3),
            "compile": round(sec["compile"], 3),
            "scoring": round(sec["scoring"], 3),
            "solving": round(sec["solve"], 3),
            "explain": round(sec["explain"], 3),
            "end_to_end": end_to_end,
            "end_to_end_runs": runs,
        },
        "timing": f"median of {repeat} runs after one warm-up run, in one process",
        "peak_rss_mb": round(rss, 1),
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "assigned": len(result.assignments),
        "unfilled": len(result.unfilled),
        "solver": result.stats["solver"],
    }
    if baselines:
        if mode == "optimal":
            out["baselines"] = {
                "milp": _milp_baseline(needs, talents, coords, params, result.objective, end_to_end)
            }
        else:
            out["baselines"] = {
                "matching": _library_baseline(
                    needs, talents, coords, params, result, end_to_end, sec["solve"], repeat
                )
            }
        out["peak_rss_mb_with_baselines"] = round(_rss_mb(), 1)
    return out


def _milp_baseline(needs, talents, coords, params, objective, seconds) -> dict[str, Any]:
    """Exact MILP over every eligible pair (no pruning, no heuristics)."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_matrix, vstack

    t0 = time.perf_counter()
    c = compile_instance(needs, talents, coords, params, None)
    n, t, s = all_edges(c)
    keep = s > 0
    n, t, s = n[keep], t[keep], s[keep]
    scope = "all eligible pairs"
    if len(n) > MILP_MAX_PAIRS:
        # Too big to build in reasonable time and memory: fall back to the same candidate windows the engine
        # solves on, which still shows how far a general MILP solver gets within the time limit.
        total = len(n)
        cand = build_candidates(c, candidate_width(params, c.n_needs, c.n_talents))
        rows, k = np.nonzero((cand.talent >= 0) & (cand.score > 0))
        n, t, s = rows, cand.talent[rows, k], cand.score[rows, k]
        scope = f"candidate windows only ({len(n)} of {total} eligible pairs)"
    N, T, m = c.n_needs, c.n_talents, len(n)
    cols = np.arange(m)
    A = vstack(
        [
            csr_matrix((np.ones(m), (n, cols)), shape=(N, m)),
            csr_matrix((c.hours[n], (t, cols)), shape=(T, m)),
            csr_matrix((np.ones(m), (t, cols)), shape=(T, m)),
        ]
    ).tocsr()
    lb = np.zeros(m)
    for i, j in c.locked:
        lb[(n == i) & (t == j)] = 1.0
    ub = np.concatenate([np.ones(N), c.cap + 1e-9, c.slots.astype(float)])
    res = milp(
        -s,
        constraints=LinearConstraint(A, -np.inf, ub),
        integrality=np.ones(m),
        bounds=Bounds(lb, np.ones(m)),
        options={"time_limit": MILP_TIME_LIMIT_S},
    )
    elapsed = time.perf_counter() - t0
    out: dict[str, Any] = {"scope": scope, "pairs": m, "seconds": round(elapsed, 3), "status": res.message}
    if res.x is not None:
        milp_obj = -float(res.fun)
        out.update(
            objective=milp_obj,
            dual_bound=-float(res.mip_dual_bound) if res.mip_dual_bound is not None else None,
            optimal=res.status == 0,
            objective_ratio=objective / milp_obj if milp_obj else None,
            # How many times longer the exact MILP takes than our whole run.
            time_ratio=elapsed / seconds if seconds else None,
        )
    return out


def _library_baseline(
    needs, talents, coords, params, result, seconds, solve_seconds, repeat=1
) -> dict[str, Any]:
    """The `matching` library on the same preference lists; checks it gives the same matching.

    Its time is create (building its players from the preference lists) + solve, the median of `repeat`
    runs after a warm-up, compared with our median end to end (`seconds`) and our solver alone
    (`solve_seconds`: from our candidate lists, the counterpart of its preference lists, to the matching)."""
    from matching.games import HospitalResident

    c = compile_instance(needs, talents, coords, params, None)
    t0 = time.perf_counter()
    assign, lh, ln = locked_usage(c)
    caps = free_slots(c, lh, ln)
    n, t, s = all_edges(c, stable=True)
    free = assign[n] < 0
    n, t, s = n[free], t[free], s[free]
    ok = caps[t] >= 1
    n, t, s = n[ok], t[ok], s[ok]
    if len(n) > LIBRARY_MAX_PAIRS:
        return {
            "pairs": int(len(n)),
            "status": "skipped",
            "reason": f"{len(n)} acceptable pairs exceed {LIBRARY_MAX_PAIRS}; building its player graph alone takes minutes",
        }
    npref = [{c.talent_index[x]: k for k, x in enumerate(need.preferences)} for need in c.needs]
    tpref = [{c.need_index[x]: k for k, x in enumerate(tal.preferences)} for tal in c.talents]
    BIG = 1 << 30
    nkey = np.array([npref[i].get(j, BIG) for i, j in zip(n.tolist(), t.tolist(), strict=True)])
    tkey = np.array([tpref[j].get(i, BIG) for i, j in zip(n.tolist(), t.tolist(), strict=True)])
    o = np.lexsort((t, -s, nkey, n))
    resident_prefs: dict[str, list[str]] = {}
    for i, j in zip(n[o].tolist(), t[o].tolist(), strict=True):
        resident_prefs.setdefault(c.needs[i].id, []).append(c.talents[j].id)
    o = np.lexsort((n, -s, tkey, t))
    hospital_prefs: dict[str, list[str]] = {}
    for i, j in zip(n[o].tolist(), t[o].tolist(), strict=True):
        hospital_prefs.setdefault(c.talents[j].id, []).append(c.needs[i].id)
    capacities = {
        c.talents[j].id: int(caps[j]) for j in range(c.n_talents) if c.talents[j].id in hospital_prefs
    }
    prep = time.perf_counter() - t0
    out: dict[str, Any] = {"pairs": int(len(n)), "prepare_seconds": round(prep, 3)}
    side = "resident" if params.optimal == "need" else "hospital"
    attempt = _run_library(HospitalResident, resident_prefs, hospital_prefs, capacities, side, None, repeat)
    if attempt["status"] == "failed":
        # The library deep-copies its player graph recursively; at the default recursion limit it fails on
        # all but small instances. Report that, then retry in a thread with a large stack and a high limit.
        out["default_recursion_limit"] = {k: v for k, v in attempt.items() if k != "solution"}
        attempt = _run_library(
            HospitalResident, resident_prefs, hospital_prefs, capacities, side, RAISED_RECURSION_LIMIT, repeat
        )
        out["recursion_limit"] = RAISED_RECURSION_LIMIT
    if attempt["status"] == "failed":
        out.update({k: v for k, v in attempt.items() if k != "solution"})
        return out
    theirs = attempt.pop("solution")
    ours = {(a.need, a.talent) for a in result.assignments if not a.locked}
    out.update(
        attempt,
        same_matching=theirs == ours,
        # How many times longer the library takes than our whole run, and than our solver alone.
        time_ratio_end_to_end=attempt["seconds"] / seconds if seconds else None,
        time_ratio_solve=attempt["seconds"] / solve_seconds if solve_seconds else None,
    )
    return out


RAISED_RECURSION_LIMIT = 200_000
THREAD_STACK_BYTES = 1 << 30


def _run_library(
    game_cls, resident_prefs, hospital_prefs, capacities, side, recursion_limit, repeat=1
) -> dict[str, Any]:
    """Run HospitalResident (create + solve) once untimed, then `repeat` timed runs (medians reported),
    optionally in a big-stack thread with a raised recursion limit. A RecursionError ends it at once."""
    box: dict[str, Any] = {}

    def once():
        t1 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            game = game_cls.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
            t2 = time.perf_counter()
            solution = game.solve(optimal=side)
        t3 = time.perf_counter()
        return t3 - t1, t2 - t1, t3 - t2, solution

    def work():
        times = []
        t0 = time.perf_counter()
        try:
            for _ in range(repeat + 1):
                total, create, solve, solution = once()
                times.append((round(total, 4), round(create, 4), round(solve, 4)))
        except RecursionError:
            box.update(status="failed", error="RecursionError", seconds=round(time.perf_counter() - t0, 3))
            return
        timed = times[1:]  # the first run warms up
        box.update(
            status="ok",
            seconds=statistics.median(x[0] for x in timed),
            create_seconds=statistics.median(x[1] for x in timed),
            solve_seconds=statistics.median(x[2] for x in timed),
            runs=[x[0] for x in timed],
            solution={(r.name, h.name) for h, rs in solution.items() for r in rs},
        )

    if recursion_limit is None:
        work()
        return box
    import sys
    import threading

    old_limit = sys.getrecursionlimit()
    old_stack = threading.stack_size()
    try:
        sys.setrecursionlimit(recursion_limit)
        threading.stack_size(THREAD_STACK_BYTES)
        thread = threading.Thread(target=work, name="matching-baseline")
        thread.start()
        thread.join()
    finally:
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
    return box

"""The engine's front door: `match`, `explain_pair` and `result_to_dict`."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

import numpy as np

from .errors import InstanceError
from .explain import Context, breakdowns, explain_need, explain_needs, unfilled_needs
from .instance import compile_instance
from .model import Assignment, MatchParams, MatchResult, Need, Talent
from .optimal import place_locked, solve_optimal
from .scoring import build_candidates, edge_components
from .stable import free_slots, locked_usage, solve_stable
from .validate import ScoresInput, normalise_scores, validate_instance

#: Below this many (need × talent) pairs nothing is pruned: every eligible pair is a candidate.
AUTO_FULL_PAIRS = 4_000_000
#: Candidates kept per need above that size. Optimal mode certifies its bound over the pruned pairs;
#: stable mode extends a need's list exactly when it runs out.
AUTO_TOP_K = {"optimal": 64, "stable": 32}


def candidate_width(params: MatchParams, n_needs: int, n_talents: int) -> int | None:
    """Candidates kept per need: params.top_k, else all on small instances, else AUTO_TOP_K[mode]."""
    if params.top_k is not None:
        return params.top_k
    if n_needs * n_talents <= AUTO_FULL_PAIRS:
        return None
    return AUTO_TOP_K[params.mode]


def match(
    needs: Sequence[Need],
    talents: Sequence[Talent],
    coords: Mapping[str, tuple[float, float]],
    params: MatchParams | None = None,
    scores: ScoresInput | None = None,
) -> MatchResult:
    """Match needs to talents.

    `coords` maps 6-digit municipality codes to (lat, lng). `scores` (optional) replaces computed scores:
    a mapping (need id, talent id) → score or (need id, talent id, score) triples; pairs not listed are
    ineligible, every other rule still applies. Raises InstanceError (one line) on a malformed instance.
    """
    params = params or MatchParams()
    t0 = time.perf_counter()
    validate_instance(needs, talents, coords, params, scores)
    t1 = time.perf_counter()
    c = compile_instance(needs, talents, coords, params, normalise_scores(scores))
    t2 = time.perf_counter()
    stable = params.mode == "stable"
    k = candidate_width(params, c.n_needs, c.n_talents)
    cand = build_candidates(c, k, stable=stable)
    t3 = time.perf_counter()
    if stable:
        place_locked(c)  # raises on an ineligible lock or locks beyond a talent's capacity
        _, locked_h, locked_n = locked_usage(c)
        outcome = solve_stable(c, cand)
        objective, bound, gap = outcome.objective, None, None
    else:
        outcome = solve_optimal(c, cand, exact=params.exact)
        objective, bound = outcome.objective, outcome.bound
        gap = (bound - objective) / max(abs(bound), 1e-9)
    assign = outcome.assign
    t4 = time.perf_counter()

    rows = np.flatnonzero(assign >= 0)
    comp = edge_components(c, rows, assign[rows])
    locked = set(c.locked)
    needs, talents = c.needs, c.talents
    assignments = tuple(
        Assignment(needs[i].id, talents[j].id, s, b, (i, j) in locked)
        for i, j, s, b in zip(
            rows.tolist(), assign[rows].tolist(), comp["score"].tolist(), breakdowns(c, comp), strict=True
        )
    )
    used_h = np.bincount(assign[rows], weights=c.hours[rows], minlength=c.n_talents)
    used_n = np.bincount(assign[rows], minlength=c.n_talents)
    if stable:
        slots_left = free_slots(c, locked_h, locked_n) - (used_n - locked_n)
    else:
        slots_left = c.slots - used_n
    ctx = Context(
        c=c, cand=cand, assign=assign, stable=stable, hours_left=c.cap - used_h, slots_left=slots_left
    )
    unfilled = tuple(unfilled_needs(ctx))
    t5 = time.perf_counter()

    stats: dict[str, Any] = {
        "needs": c.n_needs,
        "talents": c.n_talents,
        "pairs_total": c.n_needs * c.n_talents,
        "pairs_evaluated": cand.pairs_evaluated,
        "pairs_eligible": int(cand.n_eligible.sum()),
        "candidates_kept": int((cand.talent >= 0).sum()),
        "top_k": k,
        "assigned": len(assignments),
        "unfilled": len(unfilled),
        "locked": len(c.locked),
        "excluded": len(params.excluded),
        "require_training": params.require_training,
        "min_fit": params.min_fit,
        "scores_given": scores is not None,
        "solver": {key: v for key, v in outcome.stats.items() if not key.startswith("seconds")},
        "seconds": {
            "validate": t1 - t0,
            "compile": t2 - t1,
            "scoring": t3 - t2,
            "solve": t4 - t3,
            "explain": t5 - t4,
            "total": t5 - t0,
        },
    }
    return MatchResult(
        mode=params.mode,
        optimal=params.optimal if stable else None,
        assignments=assignments,
        objective=float(objective),
        bound=None if bound is None else float(bound),
        gap=None if gap is None else float(gap),
        unfilled=unfilled,
        stats=stats,
        params=params,
        context=ctx,
    )


def explain_pair(result: MatchResult, need_id: str, k: int = 3) -> dict[str, Any]:
    """For one need: its talent and score breakdown, and its next k best alternatives with why they were
    not chosen (see dxpool.engine.explain for the format)."""
    ctx = result.context
    if ctx is None:
        raise InstanceError("this result carries no context to explain (was it built by match()?)")
    i = ctx.c.need_index.get(need_id)
    if i is None:
        raise InstanceError(f"unknown need {need_id!r}")
    return explain_need(ctx, i, k)


def result_to_dict(result: MatchResult, *, explanations: bool = True, k: int = 3) -> dict[str, Any]:
    """A JSON-ready dict of the result (the `dxpool match` output)."""
    out: dict[str, Any] = {
        "mode": result.mode,
        "assignments": [
            {
                "need": a.need,
                "talent": a.talent,
                "score": a.score,
                "breakdown": dict(a.breakdown),
                **({"locked": True} if a.locked else {}),
            }
            for a in result.assignments
        ],
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "unfilled": [{"need": u.need, "reason": u.reason, "detail": dict(u.detail)} for u in result.unfilled],
    }
    if result.optimal is not None:
        out["optimal"] = result.optimal
    if explanations and result.context is not None:
        ctx = result.context
        needs = [ctx.c.need_index[a.need] for a in result.assignments]
        out["explanations"] = {e["need"]: e for e in explain_needs(ctx, needs, k)}
    stats = dict(result.stats)
    stats["params"] = {
        "mode": result.params.mode,
        "optimal": result.params.optimal,
        "require_training": result.params.require_training,
        "min_fit": result.params.min_fit,
        "weights": asdict(result.params.weights),
        "top_k": result.params.top_k,
    }
    out["stats"] = stats
    return out

"""Explanations: score breakdowns, why a need stayed unfilled, and why other talents were not chosen.

Formats (all JSON-ready):

- breakdown: {"fit", "skills", "experience", "distance", "need_preference", "talent_preference"} each the
  component's value in 0–1, "priority" the need's multiplier, "distance_km", and "points" = priority ×
  weight × value per component (their sum is the score up to rounding). With user-given scores:
  {"given": score, "distance_km": km}.
- unfilled reason: `no_eligible_talent` {"talents": T, "failed": {rule: talents failing it}}; in stable mode
  `no_acceptable_talent` when eligible talents exist but the need's hours exceed all their slot sizes;
  `talents_taken` {"eligible": n, "candidates": [{"talent", "score", "held_by", "hours_left",
  "slots_left"}], "more": n}; `not_worth_filling` when no eligible pair scores above zero.
- explain_pair: {"need", "talent", "score", "breakdown", "alternatives": [{"talent", "score", "breakdown",
  "why_not", "detail"}]} with why_not one of `talent_full` (its capacity went to the needs in held_by),
  `lower_score`, `equal_score_tie_broken_by_id`, `not_improving` (optimal mode: it has room and a higher
  score, but moving there would not raise the total once knock-on effects are counted — only possible
  when the reported gap is not zero), and in stable mode `need_prefers_assigned` /
  `talent_prefers_its_needs`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .instance import RULES, Compiled
from .model import Unfilled
from .scoring import _BIT, Candidates, edge_components, full_row

COMPONENTS = ("fit", "skills", "experience", "distance", "need_preference", "talent_preference")
#: The rules every no-eligible-talent explanation lists even when their count is zero.
CORE_RULES = (
    "persona",
    "training",
    "appointment_form",
    "distance",
    "conflict_of_interest",
    "dates",
    "capacity",
)
SHOW_CANDIDATES = 3


@dataclass
class Context:
    """What explain_pair needs from a match run."""

    c: Compiled
    cand: Candidates
    assign: np.ndarray
    stable: bool
    hours_left: np.ndarray
    slots_left: np.ndarray

    def held_by(self) -> dict[int, list[int]]:
        """Talent index → indices of the needs assigned to it (computed once per result)."""
        cached = getattr(self, "_held", None)
        if cached is None:
            cached = {}
            for i in np.flatnonzero(self.assign >= 0).tolist():
                cached.setdefault(int(self.assign[i]), []).append(i)
            self._held = cached
        return cached


def breakdown(c: Compiled, comp: dict[str, np.ndarray], k: int) -> dict[str, Any]:
    """The named components of pair k of an edge_components result."""
    if "given" in comp:
        return {"given": float(comp["given"][k]), "distance_km": round(float(comp["distance_km"][k]), 3)}
    w = c.params.weights
    prio = float(comp["priority"][k])
    out: dict[str, Any] = {name: round(float(comp[name][k]), 6) for name in COMPONENTS}
    out["priority"] = prio
    out["distance_km"] = round(float(comp["distance_km"][k]), 3)
    out["points"] = {name: round(prio * getattr(w, name) * float(comp[name][k]), 6) for name in COMPONENTS}
    return out


def rule_counts(c: Compiled, needs: np.ndarray, *, stable: bool) -> dict[int, tuple[dict[str, int], bool]]:
    """For each need: how many talents fail each rule (a talent may fail several), and whether some talent
    fails only the stable mode's slot-size rule."""
    T = c.n_talents
    out: dict[int, tuple[dict[str, int], bool]] = {}
    per = max(1, 1_000_000 // max(1, T))
    slot_bit = _BIT["slot_size"]
    for lo in range(0, len(needs), per):
        chunk = needs[lo : lo + per]
        n = np.repeat(chunk, T)
        t = np.tile(np.arange(T), len(chunk))
        fails = edge_components(c, n, t, stable=stable)["fails"].reshape(len(chunk), T)
        failed = {rule: ((fails & _BIT[rule]) != 0).sum(axis=1) for rule in RULES}
        only_slot = (fails == slot_bit).any(axis=1)
        for r, i in enumerate(chunk.tolist()):
            counts = {rule: int(failed[rule][r]) for rule in RULES if failed[rule][r] or rule in CORE_RULES}
            out[i] = (counts, bool(only_slot[r]))
    return out


def unfilled_needs(ctx: Context) -> list[Unfilled]:
    """A reason with detail for every need left without a talent."""
    c, cand = ctx.c, ctx.cand
    open_needs = np.flatnonzero(ctx.assign < 0)
    if len(open_needs) == 0:
        return []
    held = ctx.held_by()
    states: dict[int, dict] = {}  # many unfilled needs share candidates
    zero = open_needs[cand.n_eligible[open_needs] == 0]
    counts = rule_counts(c, zero, stable=ctx.stable) if len(zero) else {}
    out = []
    # Only the head of each window is shown: slice it for all open needs at once.
    head_t = cand.talent[open_needs, :SHOW_CANDIDATES].tolist()
    head_s = cand.score[open_needs, :SHOW_CANDIDATES].tolist()
    n_elig = cand.n_eligible[open_needs].tolist()
    for i, ts, ss, ne in zip(open_needs.tolist(), head_t, head_s, n_elig, strict=True):
        nid = c.needs[i].id
        if i in counts:
            failed, only_slot = counts[i]
            reason = "no_acceptable_talent" if ctx.stable and only_slot else "no_eligible_talent"
            out.append(Unfilled(nid, reason, {"talents": c.n_talents, "failed": failed}))
            continue
        shown_t = [t for t in ts if t >= 0]
        if not ctx.stable and (not shown_t or ss[0] <= 0):
            best = ss[0] if shown_t else None
            out.append(Unfilled(nid, "not_worth_filling", {"eligible": ne, "best_score": best}))
            continue
        shown = []
        for t, s in zip(shown_t, ss, strict=False):
            state = states.get(t)
            if state is None:
                state = states[t] = _talent_state(ctx, t, held)
            shown.append(
                {"talent": state["talent"], "score": s, **{k: v for k, v in state.items() if k != "talent"}}
            )
        detail = {"eligible": ne, "candidates": shown, "more": max(0, ne - len(shown))}
        out.append(Unfilled(nid, "talents_taken", detail))
    return out


def _talent_state(ctx: Context, t: int, held: dict[int, list[int]]) -> dict:
    c = ctx.c
    return {
        "talent": c.talents[t].id,
        "held_by": [c.needs[j].id for j in sorted(held.get(t, []))],
        "hours_left": round(float(ctx.hours_left[t]), 6),
        "slots_left": int(ctx.slots_left[t]),
    }


def _heads(ctx: Context, needs: list[int], want: int) -> list[list[int]]:
    """The first `want` talents of each need's own ranking (stable mode: listed preferences first)."""
    c, cand = ctx.c, ctx.cand
    rows = cand.talent[needs, :want].tolist() if needs else []
    out = []
    for i, row in zip(needs, rows, strict=True):
        ts = [t for t in row if t >= 0]
        if len(ts) < want and np.isfinite(cand.cutoff[i]):
            ts = full_row(c, i, stable=ctx.stable)[0][: want + len(c.needs[i].preferences)].tolist()
        if ctx.stable and c.needs[i].preferences:
            listed = [c.talent_index[x] for x in c.needs[i].preferences]
            comp = edge_components(c, np.full(len(listed), i), np.array(listed), stable=True)
            front = [t for t, f in zip(listed, comp["fails"].tolist(), strict=True) if f == 0]
            ts = front + [t for t in ts if t not in set(front)]
        out.append(ts[:want])
    return out


def explain_needs(ctx: Context, needs: list[int], k: int = 3) -> list[dict[str, Any]]:
    """explain_need for many needs at once (one vectorised scoring call for all the pairs shown)."""
    c = ctx.c
    heads = _heads(ctx, needs, k + 1)
    locked = {a for a, _ in c.locked}
    held = ctx.held_by()
    pair_n: list[int] = []
    pair_t: list[int] = []
    plans = []
    for i, ranked in zip(needs, heads, strict=True):
        chosen = int(ctx.assign[i])
        alts = [t for t in ranked if t != chosen][:k]
        first = len(pair_n)
        if chosen >= 0:
            pair_n.append(i)
            pair_t.append(chosen)
        pair_n.extend([i] * len(alts))
        pair_t.extend(alts)
        plans.append((i, chosen, ranked, alts, first))
    comp = edge_components(
        c, np.array(pair_n, dtype=np.int64), np.array(pair_t, dtype=np.int64), stable=ctx.stable
    )
    scores = comp["score"].tolist()
    states: dict[int, dict] = {}
    results = []
    for i, chosen, ranked, alts, first in plans:
        out: dict[str, Any] = {"need": c.needs[i].id, "talent": None, "score": None, "breakdown": None}
        off = first
        chosen_score = None
        if chosen >= 0:
            chosen_score = scores[first]
            out.update(talent=c.talents[chosen].id, score=chosen_score, breakdown=breakdown(c, comp, first))
            off += 1
        if i in locked:
            out["locked"] = True
        # The chosen talent may lie past the ranking's head (a list extension or a fill): all shown rank above.
        chosen_rank = ranked.index(chosen) if chosen in ranked else len(ranked)
        alternatives = []
        for r, t in enumerate(alts):
            s = scores[off + r]
            state = states.get(t)
            if state is None:
                state = states[t] = _talent_state(ctx, t, held)
            alternatives.append(
                {
                    "talent": state["talent"],
                    "score": s,
                    "breakdown": breakdown(c, comp, off + r),
                    "why_not": _why_not(ctx, i, t, s, chosen, chosen_score, ranked.index(t) > chosen_rank),
                    "detail": {key: v for key, v in state.items() if key != "talent"},
                }
            )
        out["alternatives"] = alternatives
        results.append(out)
    return results


def _why_not(
    ctx: Context, i: int, t: int, s: float, chosen: int, chosen_score: float | None, ranked_below: bool
) -> str:
    if ctx.stable:
        # Slot model: every acceptable need fits one slot, so only the count of free slots matters.
        if chosen >= 0 and ranked_below:
            return "need_prefers_assigned"
        if ctx.slots_left[t] < 1:
            return "talent_prefers_its_needs"
        return "blocking_pair"  # cannot happen in a stable matching; shown rather than hidden
    room = ctx.hours_left[t] >= ctx.c.hours[i] - 1e-9 and ctx.slots_left[t] >= 1
    if not room and (chosen_score is None or s >= chosen_score):
        return "talent_full"
    if chosen_score is not None and s < chosen_score:
        return "lower_score"
    if chosen_score is not None and s == chosen_score:
        return "equal_score_tie_broken_by_id"
    if not room:
        return "talent_full"
    return "not_improving"


def explain_need(ctx: Context, i: int, k: int = 3) -> dict[str, Any]:
    """Chosen talent (if any) with its breakdown, and the next k alternatives with why they were not chosen."""
    return explain_needs(ctx, [i], k)[0]

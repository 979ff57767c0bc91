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
from .scoring import _BIT, Candidates, block_fails, edge_components, full_row

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


def breakdowns(
    c: Compiled, comp: dict[str, np.ndarray], ks: np.ndarray | None = None
) -> list[dict[str, Any]]:
    """The named components of pairs ks (default: all) of an edge_components result, rounded as a whole
    (one numpy rounding per component instead of one Python call per value)."""
    if ks is None:
        ks = np.arange(len(comp["fails"]))
    # Distances sit on a 1 mm grid, so rounding them to metres meets exact ties: Python's round (correct for
    # the binary value) rather than numpy's (scale, rint, unscale), which can round such a tie the other way.
    km = [round(x, 3) for x in comp["distance_km"][ks].tolist()]
    if "given" in comp:
        return [{"given": g, "distance_km": d} for g, d in zip(comp["given"][ks].tolist(), km, strict=True)]
    w = c.params.weights
    prio = comp["priority"][ks]
    values = [np.round(comp[name][ks], 6).tolist() for name in COMPONENTS]
    points = [np.round(prio * getattr(w, name) * comp[name][ks], 6).tolist() for name in COMPONENTS]
    return [
        {
            **dict(zip(COMPONENTS, v, strict=True)),
            "priority": p,
            "distance_km": d,
            "points": dict(zip(COMPONENTS, pt, strict=True)),
        }
        for v, p, d, pt in zip(
            zip(*values, strict=True), prio.tolist(), km, zip(*points, strict=True), strict=True
        )
    ]


def rule_counts(c: Compiled, needs: np.ndarray, *, stable: bool) -> dict[int, tuple[dict[str, int], bool]]:
    """For each need: how many talents fail each rule (a talent may fail several), and whether some talent
    fails only the stable mode's slot-size rule."""
    T = c.n_talents
    out: dict[int, tuple[dict[str, int], bool]] = {}
    per = max(1, 1_000_000 // max(1, T))
    slot_bit = _BIT["slot_size"]
    bits = np.array([_BIT[rule] for rule in RULES])
    always = np.array([rule in CORE_RULES for rule in RULES])
    for lo in range(0, len(needs), per):
        chunk = needs[lo : lo + per]
        fails = block_fails(c, chunk, stable=stable)
        # (chunk, rules) counts in one pass; then only the rules that count or are always shown.
        failed = np.stack([np.count_nonzero(fails & b, axis=1) for b in bits.tolist()], axis=1)
        only_slot = (fails == slot_bit).any(axis=1).tolist()
        shown = (failed > 0) | always
        for r, (i, row, show) in enumerate(zip(chunk.tolist(), failed.tolist(), shown.tolist(), strict=True)):
            counts = {rule: v for rule, v, s in zip(RULES, row, show, strict=True) if s}
            out[i] = (counts, only_slot[r])
    return out


def unfilled_needs(ctx: Context) -> list[Unfilled]:
    """A reason with detail for every need left without a talent."""
    c, cand = ctx.c, ctx.cand
    open_needs = np.flatnonzero(ctx.assign < 0)
    if len(open_needs) == 0:
        return []
    zero = open_needs[cand.n_eligible[open_needs] == 0]
    counts = rule_counts(c, zero, stable=ctx.stable) if len(zero) else {}
    # Only the head of each window is shown: slice it for all open needs at once, and describe each talent
    # shown once (many unfilled needs share the same few talents).
    head_t = cand.talent[open_needs, :SHOW_CANDIDATES]
    head_s = cand.score[open_needs, :SHOW_CANDIDATES].tolist()
    states = _talent_states(ctx, np.unique(head_t[head_t >= 0]))
    n_elig = cand.n_eligible[open_needs].tolist()
    needs = c.needs
    out = []
    for i, ts, ss, ne in zip(open_needs.tolist(), head_t.tolist(), head_s, n_elig, strict=True):
        nid = needs[i].id
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
            tid, held_by, hours_left, slots_left = states[t]
            shown.append(
                {
                    "talent": tid,
                    "score": s,
                    "held_by": held_by,
                    "hours_left": hours_left,
                    "slots_left": slots_left,
                }
            )
        detail = {"eligible": ne, "candidates": shown, "more": max(0, ne - len(shown))}
        out.append(Unfilled(nid, "talents_taken", detail))
    return out


def _talent_states(ctx: Context, ts: np.ndarray) -> dict[int, tuple[str, list[str], float, int]]:
    """(id, needs held, hours left, slots left) of each talent in ts, as shown next to a candidate."""
    c = ctx.c
    held = ctx.held_by()
    hours = [round(x, 6) for x in ctx.hours_left[ts].tolist()]
    slots = ctx.slots_left[ts].tolist()
    return {
        t: (c.talents[t].id, [c.needs[j].id for j in sorted(held.get(t, ()))], h, s)
        for t, h, s in zip(ts.tolist(), hours, slots, strict=True)
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
    parts = breakdowns(c, comp)
    shown = sorted({t for _, _, _, alts, _ in plans for t in alts})
    states = _talent_states(ctx, np.array(shown, dtype=np.int64))
    results = []
    for i, chosen, ranked, alts, first in plans:
        out: dict[str, Any] = {"need": c.needs[i].id, "talent": None, "score": None, "breakdown": None}
        off = first
        chosen_score = None
        if chosen >= 0:
            chosen_score = scores[first]
            out.update(talent=c.talents[chosen].id, score=chosen_score, breakdown=parts[first])
            off += 1
        if i in locked:
            out["locked"] = True
        # The chosen talent may lie past the ranking's head (a list extension or a fill): all shown rank above.
        chosen_rank = ranked.index(chosen) if chosen in ranked else len(ranked)
        alternatives = []
        for r, t in enumerate(alts):
            s = scores[off + r]
            tid, held_by, hours_left, slots_left = states[t]
            alternatives.append(
                {
                    "talent": tid,
                    "score": s,
                    "breakdown": parts[off + r],
                    "why_not": _why_not(ctx, i, t, s, chosen, chosen_score, ranked.index(t) > chosen_rank),
                    "detail": {"held_by": held_by, "hours_left": hours_left, "slots_left": slots_left},
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

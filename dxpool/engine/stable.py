"""Stable mode: deferred acceptance (Gale–Shapley) with capacities, and an independent blocking-pair check.

The slot model: a talent's weekly hours are split into `max_assignments` equal slots of
capacity / max_assignments hours, and a need is acceptable to a talent (and the talent to the need) only when
the pair is eligible and the need's hours fit one slot. The talent's capacity is then simply its number of
free slots, which makes this the hospital–resident problem (needs = residents, talents = hospitals).

Preferences: a side that lists preferences ranks the listed acceptable partners first, in the listed order;
everyone else acceptable follows by score (descending), ties broken by id. Without preferences the order
is by score alone. Listing never makes an ineligible partner acceptable.

Need-proposing (the default, `optimal="need"`) gives every need its best partner among all stable matchings;
`optimal="talent"` gives the talent-optimal one. Need-side lists start from the scoring pass's pruned windows
and are extended to the exact full list only when a need reaches its window's cutoff, so the outcome is the
same as with full lists.
"""

from __future__ import annotations

import heapq
import math
import time
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .instance import Compiled
from .model import MatchParams, MatchResult, Need, Talent
from .reference import evaluate_pair
from .scoring import Candidates, _sparse_lookup, all_edges, edge_components, full_row

SLOT_TOL = 1e-9


@dataclass
class StableOutcome:
    assign: np.ndarray
    objective: float
    stats: dict = field(default_factory=dict)


def free_slots(c: Compiled, locked_hours: np.ndarray, locked_count: np.ndarray) -> np.ndarray:
    """Slots left for the market once locked pairs are placed (never negative)."""
    slot = c.cap / c.slots
    with np.errstate(divide="ignore", invalid="ignore"):
        by_hours = np.where(
            slot > 0, np.floor((c.cap - locked_hours) / np.where(slot > 0, slot, 1.0) + SLOT_TOL), c.slots
        )
    return np.maximum(0, np.minimum(c.slots - locked_count, by_hours)).astype(np.int64)


def locked_usage(c: Compiled) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Locked pairs as (assign (N,), hours used (T,), assignments used (T,))."""
    assign = np.full(c.n_needs, -1, dtype=np.int64)
    hours = np.zeros(c.n_talents)
    count = np.zeros(c.n_talents, dtype=np.int64)
    for i, j in c.locked:
        assign[i] = j
        hours[j] += c.hours[i]
        count[j] += 1
    return assign, hours, count


class _NeedLists:
    """Each need's preference list over acceptable talents, extended lazily to the exact full list.

    lists[i] / scores[i] are parallel: talent indices in the need's order and the pair scores.
    certified[i] counts the leading entries known to equal the head of the full list.
    """

    def __init__(self, c: Compiled, cand: Candidates, free: np.ndarray):
        self.c = c
        self.cutoff = cand.cutoff.copy()
        self.extended = 0
        self.lists: dict[int, list[int]] = {}
        self.scores: dict[int, list[float]] = {}
        self.certified: dict[int, int] = {}
        self.front: dict[int, int] = {}
        tal = cand.talent[free]
        sco = cand.score[free]
        valid = tal >= 0  # a prefix of each row: windows are padded at the end
        counts = valid.sum(axis=1)
        # Entries above the cutoff are exactly the head of the full list; at or below it a pruned talent with
        # an equal score and a smaller id could come first, so those need the full row.
        cert = np.where(
            np.isfinite(self.cutoff[free]), (sco > self.cutoff[free][:, None]).sum(axis=1), counts
        ).tolist()
        # Only the valid entries leave numpy (one flat list each), and every list is a slice of them.
        flat_t, flat_s = tal[valid].tolist(), sco[valid].tolist()
        ends = np.cumsum(counts).tolist()
        listed = self._listed(free)
        start = 0
        for r, i in enumerate(free.tolist()):
            end = ends[r]
            ts, ss = flat_t[start:end], flat_s[start:end]
            start = end
            n_cert = cert[r]
            front = listed.get(i)
            if front:
                taken = {t for t, _ in front}
                n_cert = len(front) + sum(1 for t in ts[:n_cert] if t not in taken)
                rest = [(t, x) for t, x in zip(ts, ss, strict=True) if t not in taken]
                ts = [t for t, _ in front] + [t for t, _ in rest]
                ss = [x for _, x in front] + [x for _, x in rest]
                self.front[i] = len(front)
            self.lists[i] = ts
            self.scores[i] = ss
            self.certified[i] = n_cert

    def _listed(self, free: np.ndarray) -> dict[int, list[tuple[int, float]]]:
        c = self.c
        pairs = [(i, c.talent_index[tid]) for i in free.tolist() for tid in c.needs[i].preferences]
        if not pairs:
            return {}
        n = np.array([p[0] for p in pairs], dtype=np.int64)
        t = np.array([p[1] for p in pairs], dtype=np.int64)
        comp = edge_components(c, n, t, stable=True)
        out: dict[int, list[tuple[int, float]]] = {}
        for k, (i, j) in enumerate(pairs):
            if comp["fails"][k] == 0:
                out.setdefault(i, []).append((j, float(comp["score"][k])))
        return out

    def get(self, i: int, pos: int) -> int:
        """The talent at position pos of need i's list, or -1 past the end."""
        if pos >= self.certified[i] and math.isfinite(self.cutoff[i]):
            self._extend(i)
        lst = self.lists[i]
        return lst[pos] if pos < len(lst) else -1

    def _extend(self, i: int) -> None:
        t, s = full_row(self.c, i, stable=True)
        nf = self.front.get(i, 0)
        front_t, front_s = self.lists[i][:nf], self.scores[i][:nf]
        taken = set(front_t)
        rest = [(a, b) for a, b in zip(t.tolist(), s.tolist(), strict=True) if a not in taken]
        self.lists[i] = front_t + [a for a, _ in rest]
        self.scores[i] = front_s + [b for _, b in rest]
        self.certified[i] = len(self.lists[i])
        self.cutoff[i] = -np.inf
        self.extended += 1


def _talent_prefs(c: Compiled) -> list[dict[int, int]]:
    return [{c.need_index[nid]: pos for pos, nid in enumerate(t.preferences)} for t in c.talents]


def solve_stable(c: Compiled, cand: Candidates) -> StableOutcome:
    """Deferred acceptance on the slot model; the proposing side is `c.params.optimal`."""
    t0 = time.perf_counter()
    assign, locked_h, locked_n = locked_usage(c)
    slots = free_slots(c, locked_h, locked_n)
    free = np.flatnonzero(assign < 0)
    if c.params.optimal == "talent":
        match, stats = _talent_proposing(c, free, slots)
    else:
        match, stats = _need_proposing(c, cand, free, slots)
    total = 0.0
    for i in sorted(match):  # a fixed summation order
        t, s = match[i]
        assign[i] = t
        total += s
    if c.locked:
        n = np.array([a for a, _ in c.locked])
        t = np.array([b for _, b in c.locked])
        total += float(edge_components(c, n, t)["score"].sum())
    stats["seconds_solve"] = time.perf_counter() - t0
    return StableOutcome(assign=assign, objective=total, stats=stats)


def _need_proposing(c: Compiled, cand: Candidates, free: np.ndarray, slots: np.ndarray):
    """Need-proposing deferred acceptance; returns ({need: (talent, score)}, stats)."""
    lists = _NeedLists(c, cand, free)
    tprefs = _talent_prefs(c)
    cap = slots.tolist()
    held: list[list] = [[] for _ in range(c.n_talents)]
    nxt = dict.fromkeys(free.tolist(), 0)
    queue = deque(free.tolist())
    proposals = 0
    lst_of, cert_of, score_of = lists.lists, lists.certified, lists.scores
    heappush, heapreplace = heapq.heappush, heapq.heapreplace
    while queue:
        i = queue.popleft()
        pos = nxt[i]
        lst, cert, sc = lst_of[i], cert_of[i], score_of[i]
        while True:
            if pos >= cert:
                t = lists.get(i, pos)  # may extend the pruned list to the exact full one
                lst, cert, sc = lst_of[i], cert_of[i], score_of[i]
                if t < 0:
                    break
            else:
                t = lst[pos]
            pos += 1
            if cap[t] <= 0:
                continue
            proposals += 1
            p = tprefs[t].get(i)
            s = sc[pos - 1]
            # Min-heap whose top is the talent's worst held need: listed needs rank above unlisted ones;
            # among unlisted, higher score first, then smaller index (= smaller id).
            key = (1, -p, 0) if p is not None else (0, s, -i)
            h = held[t]
            if len(h) < cap[t]:
                heappush(h, (key, i, s))
                break
            if key > h[0][0]:
                out = heapreplace(h, (key, i, s))[1]
                queue.append(out)
                break
        nxt[i] = pos
    match = {}
    for t, h in enumerate(held):
        for _, i, s in h:
            match[i] = (t, s)
    return match, {"proposals": proposals, "lists_extended": lists.extended}


def _talent_proposing(c: Compiled, free: np.ndarray, slots: np.ndarray):
    """Talent-proposing deferred acceptance over every acceptable pair; returns ({need: (talent, score)}, stats).

    Run in rounds, vectorised: every talent with free slots proposes to as many of its next needs as it has
    free slots; each need keeps the best of its holder and its new proposers. Deferred acceptance ends in the
    same (talent-optimal) matching whatever order proposals are made in, so rounds are as good as one by one.
    """
    n, t, s = all_edges(c, stable=True)
    is_free = np.zeros(c.n_needs, dtype=bool)
    is_free[free] = True
    keep = is_free[n]
    n, t, s = n[keep], t[keep], s[keep]
    E = len(n)
    # Both sides' orders are sorted with single integer keys (far faster than a multi-key lexsort over
    # millions of pairs): rank of the score (0 = best, ties share a rank), with listed partners moved in
    # front by their list position, then the partner's index.
    _, score_rank = np.unique(-s, return_inverse=True)
    score_rank = score_rank.reshape(-1).astype(np.int64)
    R = int(score_rank.max(initial=0)) + 1
    pos = _sparse_lookup(c.pref_n, c.pref_t, c.n_talents, n, t)
    pv = c.pref_v[np.maximum(pos, 0)] if len(c.pref_v) else np.zeros((E, 2))
    n_len = np.array([len(x.preferences) for x in c.needs], dtype=np.int64)
    t_len = np.array([len(x.preferences) for x in c.talents], dtype=np.int64)
    big = int(max(n_len.max(initial=0), t_len.max(initial=0))) + 1
    # A listed partner's value is 1 − pos/L, so its position is (1 − value)·L.
    need_listed = (pos >= 0) & (pv[:, 0] > 0)
    talent_listed = (pos >= 0) & (pv[:, 1] > 0)
    need_r = (
        np.where(need_listed, np.rint((1 - pv[:, 0]) * n_len[n]).astype(np.int64) - big, score_rank) + big
    )
    talent_r = (
        np.where(talent_listed, np.rint((1 - pv[:, 1]) * t_len[t]).astype(np.int64) - big, score_rank) + big
    )
    width = R + big
    need_rank = np.empty(E, dtype=np.int64)
    need_rank[np.argsort((n * width + need_r) * c.n_talents + t)] = np.arange(E)
    order = np.argsort((t * width + talent_r) * c.n_needs + n)
    n, t, s, need_rank = n[order], t[order], s[order], need_rank[order]
    starts = np.searchsorted(t, np.arange(c.n_talents + 1))
    nxt, end = starts[:-1].copy(), starts[1:]
    cap = slots.astype(np.int64)
    used = np.zeros(c.n_talents, dtype=np.int64)
    holder = np.full(c.n_needs, -1, dtype=np.int64)  # edge index held by each need
    holder_rank = np.full(c.n_needs, np.iinfo(np.int64).max)
    proposals = rounds = 0
    while True:
        room = cap - used
        active = np.flatnonzero((room > 0) & (nxt < end))
        if len(active) == 0:
            break
        rounds += 1
        k = np.minimum(room[active], end[active] - nxt[active])
        first = np.repeat(nxt[active], k)
        offset = np.arange(int(k.sum())) - np.repeat(np.cumsum(k) - k, k)
        e = first + offset
        nxt[active] += k
        proposals += len(e)
        # Best new proposer per need, then keep it if it beats the current holder.
        o = np.lexsort((need_rank[e], n[e]))
        e = e[o]
        lead = np.ones(len(e), dtype=bool)
        lead[1:] = n[e][1:] != n[e][:-1]
        e = e[lead]
        wins = need_rank[e] < holder_rank[n[e]]
        e = e[wins]
        needs = n[e]
        old = holder[needs]
        used -= np.bincount(t[old[old >= 0]], minlength=c.n_talents)
        used += np.bincount(t[e], minlength=c.n_talents)
        holder[needs] = e
        holder_rank[needs] = need_rank[e]
    held = np.flatnonzero(holder >= 0)
    match = {int(i): (int(t[holder[i]]), float(s[holder[i]])) for i in held}
    return match, {"proposals": proposals, "rounds": rounds, "pairs_enumerated": int(E)}


# --- independent checker -------------------------------------------------------------------------------


def find_blocking_pairs(
    needs: Sequence[Need],
    talents: Sequence[Talent],
    coords: Mapping[str, tuple[float, float]],
    params: MatchParams,
    assignments: Iterable[tuple[str, str]] | MatchResult,
    scores: Mapping[tuple[str, str], float] | None = None,
) -> list[tuple[str, str]]:
    """Every (need id, talent id) pair that blocks `assignments` under the slot model of stable mode.

    Independent of the solver: eligibility and scores come from the scalar reference, preferences are
    rebuilt from the records. A pair blocks when both find each other acceptable, are not matched together,
    the need is unmatched or prefers the talent to its partner, and the talent has a free slot or prefers
    the need to one of its (non-locked) needs. Locked pairs are fixed: their needs never block and their
    hours and slots are taken off the talent first.
    """
    from .validate import normalise_scores

    if isinstance(assignments, MatchResult):
        assignments = [(a.need, a.talent) for a in assignments.assignments]
    scores = normalise_scores(scores)
    locked = {(a, b) for a, b in params.locked}
    locked_needs = {a for a, _ in locked}
    partner: dict[str, str] = {}
    held: dict[str, list[str]] = {}
    for a, b in assignments:
        if (a, b) in locked:
            continue
        partner[a] = b
        held.setdefault(b, []).append(a)
    need_by_id = {n.id: n for n in needs}
    evals = {}
    for n in needs:
        for t in talents:
            evals[(n.id, t.id)] = evaluate_pair(n, t, coords, params, scores, stable=True)

    def acceptable(a, b):
        return evals[(a, b)].eligible

    def need_key(a, b):  # smaller is better
        prefs = need_by_id[a].preferences
        if b in prefs:
            return (0, prefs.index(b), 0.0, "")
        return (1, 0, -evals[(a, b)].score, b)

    talent_by_id = {t.id: t for t in talents}

    def talent_key(b, a):
        prefs = talent_by_id[b].preferences
        if a in prefs:
            return (0, prefs.index(a), 0.0, "")
        return (1, 0, -evals[(a, b)].score, a)

    free_slots_of = {}
    for t in talents:
        lk = [a for a, b in locked if b == t.id]
        lh = sum(float(need_by_id[a].hours_per_week) for a in lk)
        slot = t.capacity_hours_per_week / t.max_assignments
        by_hours = (
            math.floor((t.capacity_hours_per_week - lh) / slot + SLOT_TOL) if slot > 0 else t.max_assignments
        )
        free_slots_of[t.id] = max(0, min(t.max_assignments - len(lk), by_hours))

    blocking = []
    for n in needs:
        if n.id in locked_needs:
            continue
        for t in talents:
            a, b = n.id, t.id
            if partner.get(a) == b or not acceptable(a, b):
                continue
            cur = partner.get(a)
            if cur is not None and not need_key(a, b) < need_key(a, cur):
                continue
            mine = held.get(b, [])
            if len(mine) < free_slots_of[b] or any(talent_key(b, a) < talent_key(b, x) for x in mine):
                blocking.append((a, b))
    return blocking

"""Vectorised eligibility and scoring, and the pruned candidate lists the solvers work on.

National scale is 6,000 needs × 20,000 talents = 120M pairs, too many to hold as dense float64 matrices with
every feature. The candidate builder therefore

1. blocks by persona: only talents meeting that persona's standard (and trained, when the gate is on) are
   columns of that persona's blocks — talent-only rules never cost a pair evaluation;
2. sorts each persona's needs by location and cuts them into chunks; a chunk's columns are only the talents
   that can reach at least one of the chunk's locations (or work remotely, for remote-only needs), found
   from one (locations × homes) distance lookup;
3. evaluates every remaining rule and the score on the (chunk × columns) block (~1M cells at a time) and
   keeps the top-K eligible talents per need, recording `cutoff` = the best score among the eligible pairs
   it dropped. Scores are non-increasing past the cutoff, which is what lets the optimal solver certify its
   bound over *all* eligible pairs (see optimal.py) and the stable solver extend a list lazily and exactly.

All scores are computed as the same fixed sequence of float64 operations as the scalar reference in
reference.py, so both paths agree bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .instance import RULES, Compiled

#: Cells per evaluated block: small enough that a block's few float64 arrays stay in cache.
BLOCK_CELLS = 1 << 18
#: Tolerance on the slot-size comparison (hours are decimal numbers such as 7.5).
HOURS_EPS = 1e-9

_BIT = {rule: 1 << i for i, rule in enumerate(RULES)}


@dataclass
class Candidates:
    """Per-need candidate lists, best first (score descending, then talent id)."""

    talent: np.ndarray  # (N, K) talent index, -1 = padding
    score: np.ndarray  # (N, K) score, -inf = padding
    cutoff: np.ndarray  # (N,) best score among eligible pairs not kept; -inf when nothing was dropped
    n_eligible: np.ndarray  # (N,) eligible pairs of the need, kept or not
    pairs_evaluated: int = 0

    @property
    def width(self) -> int:
        return self.talent.shape[1]


def slot_size(c: Compiled) -> np.ndarray:
    """Hours of one slot per talent (stable mode): capacity split evenly over max_assignments."""
    return c.cap / c.slots


def _sparse_lookup(tn: np.ndarray, tt: np.ndarray, T: int, n: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Positions of edge pairs (n[i], t[i]) in a sparse table sorted by (need, talent); -1 when absent."""
    if len(tn) == 0:
        return np.full(np.broadcast(n, t).shape, -1, dtype=np.int64)
    keys = tn * T + tt
    q = (n * T + t).astype(np.int64)
    pos = np.searchsorted(keys, q)
    pos = np.minimum(pos, len(keys) - 1)
    return np.where(keys[pos] == q, pos, -1)


def _sparse_block(tn, tt, rows, cols, T):
    """Entries of a sparse table falling inside the block rows × cols: (table index, block row, block col)."""
    if len(tn) == 0:
        z = np.zeros(0, np.int64)
        return z, z, z
    # Rows of a chunk are few; select the table entries of those needs by binary search on the sorted column.
    lo = np.searchsorted(tn, rows, side="left")
    hi = np.searchsorted(tn, rows, side="right")
    counts = hi - lo
    if counts.sum() == 0:
        z = np.zeros(0, np.int64)
        return z, z, z
    # The concatenation of the ranges lo[r]..hi[r], without a Python loop over rows.
    total = int(counts.sum())
    idx = np.repeat(lo - (np.cumsum(counts) - counts), counts) + np.arange(total)
    brow = np.repeat(np.arange(len(rows)), counts)
    bcol = np.searchsorted(cols, tt[idx])
    bcol_c = np.minimum(bcol, len(cols) - 1)
    hit = (bcol < len(cols)) & (cols[bcol_c] == tt[idx])
    return idx[hit], brow[hit], bcol_c[hit]


def block_scores(c: Compiled, rows: np.ndarray, cols: np.ndarray, p: int, *, stable: bool = False):
    """Eligibility and score of every (need in rows) × (talent in cols) pair of persona p.

    Talent-only rules (persona standard, training) are assumed already applied to `cols`. Returns
    (eligible bool (a, b), score float (a, b) with -inf where ineligible).
    """
    w = c.params.weights
    T = c.n_talents
    d = c.dist[c.loc[rows]][:, c.home[cols]]
    ok = d <= c.travel[cols]
    ro = c.remote_only[rows]
    if ro.any():
        ok |= ro[:, None] & c.remote_ok[cols]
    if c.form_table is not None:
        # One lookup in the (need form set × talent form set) compatibility table instead of bit arithmetic.
        ok &= c.form_table[c.nform_id[rows][:, None], c.tform_id[cols]]
    if c.has_dates:
        nfrom, nto, tfrom, tto = c.nfrom[rows], c.nto[rows], c.tfrom[cols], c.tto[cols]
        if (
            nfrom.max() > tfrom.min()
            or nto.min() < tto.max()
            or tfrom.max() > nfrom.min()
            or tto.min() < nto.max()
        ):
            ok &= (nfrom[:, None] <= tto) & (tfrom <= nto[:, None])
    hours = c.hours[rows]
    # A need longer than the talent's whole week can never be taken by it (skipped when no pair is close).
    if hours.max() > c.cap[cols].min() + HOURS_EPS:
        ok &= hours[:, None] <= c.cap[cols] + HOURS_EPS
    if stable:
        ok &= hours[:, None] <= slot_size(c)[cols] + HOURS_EPS
    for tn, tt in ((c.coi_n, c.coi_t), (c.excl_n, c.excl_t)):
        _, br, bc = _sparse_block(tn, tt, rows, cols, T)
        ok[br, bc] = False

    # Score: the same float64 operations, in the same order, as reference.evaluate_pair — so the two agree
    # bit for bit (numpy's elementwise + and × are correctly rounded and never fused).
    tb = w.fit * c.fit[cols, p] + w.experience * c.exp[cols]
    pb = d  # the distance buffer becomes the distance term: w · 1 / (1 + d / scale)
    pb /= w.distance_scale_km
    pb += 1.0
    np.divide(1.0, pb, out=pb)
    pb *= w.distance
    counts = c.nskill_count[rows]
    if w.skills != 0 and counts.any():
        # Ratings sit on a 1/1024 grid, so the matrix product's sums are exact whatever BLAS's order.
        cov = c.nskills[rows] @ c.ratings[:, cols]
        cov /= np.maximum(counts, 1.0)[:, None]
        cov *= w.skills
        cov += pb  # skills term + distance term
        pb = cov
    pb += tb  # talent part + pair part
    idx, br, bc = _sparse_block(c.pref_n, c.pref_t, rows, cols, T)
    if len(idx):
        v = c.pref_v[idx]
        pb[br, bc] = pb[br, bc] + (w.need_preference * v[:, 0] + w.talent_preference * v[:, 1])
    pb *= c.mult[rows][:, None]
    np.copyto(pb, -np.inf, where=~ok)
    return ok, pb


def edge_fails(c: Compiled, n: np.ndarray, t: np.ndarray, *, stable: bool = False):
    """Rule failures of explicit pairs (n[i], t[i]) as a bitmask per RULES (0 = eligible), the fit values
    (NaN = absent) and the distances; no score is computed (rule counts need only this)."""
    p = c.params
    T = c.n_talents
    fit = c.fit[t, c.persona[n]]
    with np.errstate(invalid="ignore"):
        fit_ok = (fit > 0) if p.min_fit is None else (fit >= p.min_fit)
    fit_ok &= ~np.isnan(fit)
    fails = np.where(fit_ok, 0, _BIT["persona"])
    if p.require_training:
        fails |= np.where(c.trained[t], 0, _BIT["training"])
    if c.form_table is not None:
        fails |= np.where(c.form_table[c.nform_id[n], c.tform_id[t]], 0, _BIT["appointment_form"])
    d = c.dist[c.loc[n], c.home[t]]
    fails |= np.where((d <= c.travel[t]) | (c.remote_only[n] & c.remote_ok[t]), 0, _BIT["distance"])
    if len(c.coi_n):
        fails |= np.where(_sparse_lookup(c.coi_n, c.coi_t, T, n, t) >= 0, _BIT["conflict_of_interest"], 0)
    if c.has_dates:
        fails |= np.where((c.nfrom[n] <= c.tto[t]) & (c.tfrom[t] <= c.nto[n]), 0, _BIT["dates"])
    hours = c.hours[n]
    fails |= np.where(hours <= c.cap[t] + HOURS_EPS, 0, _BIT["capacity"])
    if len(c.excl_n):
        fails |= np.where(_sparse_lookup(c.excl_n, c.excl_t, T, n, t) >= 0, _BIT["excluded"], 0)
    if stable:
        fails |= np.where(hours <= slot_size(c)[t] + HOURS_EPS, 0, _BIT["slot_size"])
    if c.given_n is not None:
        fails |= np.where(_sparse_lookup(c.given_n, c.given_t, T, n, t) >= 0, 0, _BIT["not_scored"])
    return fails, fit, d


def block_fails(c: Compiled, rows: np.ndarray, *, stable: bool = False) -> np.ndarray:
    """edge_fails for every (need in rows) × (talent) pair as a dense (rows, T) bitmask, by broadcasting."""
    p = c.params
    T = c.n_talents
    fit = c.fit[:, c.persona[rows]].T  # (rows, T)
    with np.errstate(invalid="ignore"):
        fit_ok = (fit > 0) if p.min_fit is None else (fit >= p.min_fit)
    fit_ok &= ~np.isnan(fit)
    fails = np.where(fit_ok, 0, _BIT["persona"])
    if p.require_training:
        fails |= np.where(c.trained, 0, _BIT["training"])
    if c.form_table is not None:
        fails |= np.where(c.form_table[c.nform_id[rows][:, None], c.tform_id], 0, _BIT["appointment_form"])
    d = c.dist[c.loc[rows]][:, c.home]
    reach = (d <= c.travel) | (c.remote_only[rows][:, None] & c.remote_ok)
    fails |= np.where(reach, 0, _BIT["distance"])
    for tn, tt, bit in ((c.coi_n, c.coi_t, "conflict_of_interest"), (c.excl_n, c.excl_t, "excluded")):
        _, br, bc = _sparse_block(tn, tt, rows, np.arange(T), T)
        fails[br, bc] |= _BIT[bit]
    if c.has_dates:
        overlap = (c.nfrom[rows][:, None] <= c.tto) & (c.tfrom <= c.nto[rows][:, None])
        fails |= np.where(overlap, 0, _BIT["dates"])
    hours = c.hours[rows][:, None]
    fails |= np.where(hours <= c.cap + HOURS_EPS, 0, _BIT["capacity"])
    if stable:
        fails |= np.where(hours <= slot_size(c) + HOURS_EPS, 0, _BIT["slot_size"])
    if c.given_n is not None:
        _, br, bc = _sparse_block(c.given_n, c.given_t, rows, np.arange(T), T)
        scored = np.zeros(fails.shape, dtype=bool)
        scored[br, bc] = True
        fails |= np.where(scored, 0, _BIT["not_scored"])
    return fails


def edge_components(
    c: Compiled, n: np.ndarray, t: np.ndarray, *, stable: bool = False
) -> dict[str, np.ndarray]:
    """Rule failures (bitmask per RULES), score and named components for explicit pairs (n[i], t[i]).

    The score is computed even for ineligible pairs (explanations show it); `fails == 0` means eligible.
    """
    n = np.asarray(n, dtype=np.int64)
    t = np.asarray(t, dtype=np.int64)
    w = c.params.weights
    T = c.n_talents
    fails, fit, d = edge_fails(c, n, t, stable=stable)
    out: dict[str, np.ndarray] = {"fails": fails, "distance_km": d}
    if c.given_n is not None:
        pos = _sparse_lookup(c.given_n, c.given_t, T, n, t)
        given = c.given_v[np.maximum(pos, 0)] if len(c.given_v) else np.full(len(n), np.nan)
        out["score"] = np.where(pos >= 0, given, np.nan)
        out["given"] = out["score"]
        return out

    fitv = np.where(np.isnan(fit), 0.0, fit)
    tb = w.fit * fitv + w.experience * c.exp[t]
    ds = 1.0 / (1.0 + d / w.distance_scale_km)
    cnt = c.nskill_count[n]
    cov = np.einsum("ij,ji->i", c.nskills[n], c.ratings[:, t]) / np.maximum(cnt, 1.0)
    pb = w.skills * cov + w.distance * ds
    core = tb + pb
    pos = _sparse_lookup(c.pref_n, c.pref_t, T, n, t)
    pv = c.pref_v[np.maximum(pos, 0)] if len(c.pref_v) else np.zeros((len(n), 2))
    npref = np.where(pos >= 0, pv[:, 0], 0.0)
    tpref = np.where(pos >= 0, pv[:, 1], 0.0)
    core = np.where(pos >= 0, core + (w.need_preference * npref + w.talent_preference * tpref), core)
    out.update(
        score=c.mult[n] * core,
        fit=fitv,
        skills=cov,
        experience=c.exp[t],
        distance=ds,
        need_preference=npref,
        talent_preference=tpref,
        priority=c.mult[n],
    )
    return out


def fails_to_rules(mask: int) -> list[str]:
    """The names of the rules set in a failure bitmask."""
    return [rule for rule in RULES if mask & _BIT[rule]]


def _chunks(order: np.ndarray, size: int):
    for i in range(0, len(order), size):
        yield order[i : i + size]


def _persona_columns(c: Compiled, p: int) -> np.ndarray:
    return np.flatnonzero(c.talent_passes(p))


def _chunk_columns(c: Compiled, rows: np.ndarray, group: np.ndarray, remote: bool) -> np.ndarray:
    """Talents of the persona group that can reach at least one of the chunk's locations."""
    locs = np.unique(c.loc[rows])
    mind = c.dist[locs].min(axis=0)
    reach = mind[c.home[group]] <= c.travel[group]
    if remote:
        reach |= c.remote_ok[group]
    return group[reach]


def _blocks(c: Compiled):
    """The (persona, rows, cols) blocks that cover every pair worth evaluating.

    A persona whose needs × talents fit one block is evaluated as one block: on small instances fixed costs
    per block dominate. Larger ones are split into remote-only and on-site needs, sorted by location and cut
    into chunks whose columns are the talents that can reach the chunk: on large instances pruning pays.
    """
    for p in range(len(c.personas)):
        group = _persona_columns(c, p)
        needs_p = np.flatnonzero(c.persona == p)
        if len(needs_p) == 0 or len(group) == 0:
            continue
        if len(needs_p) * len(group) <= BLOCK_CELLS:
            parts = [(needs_p, bool(c.remote_only[needs_p].any()))]
        else:
            parts = [(needs_p[c.remote_only[needs_p] == remote], remote) for remote in (False, True)]
        for sel, remote in parts:
            if len(sel) == 0:
                continue
            sel = sel[np.argsort(c.loc[sel], kind="stable")]
            # Chunk height from the widest possible column set so a block stays near BLOCK_CELLS.
            height = max(1, min(len(sel), BLOCK_CELLS // max(1, len(group))))
            for rows in _chunks(sel, height):
                cols = _chunk_columns(c, rows, group, remote)
                if len(cols):
                    yield p, rows, cols


def build_candidates(c: Compiled, k: int | None, *, stable: bool = False) -> Candidates:
    """Top-k eligible talents of every need (k None keeps all of them) with cutoffs and eligible counts."""
    N = c.n_needs
    if c.given_n is not None:
        return _given_candidates(c, stable=stable)
    rows_out: list[np.ndarray] = []
    tal_out: list[np.ndarray] = []
    sc_out: list[np.ndarray] = []
    cutoff = np.full(N, -np.inf)
    n_elig = np.zeros(N, dtype=np.int64)
    evaluated = 0
    for p, rows, cols in _blocks(c):
        evaluated += len(rows) * len(cols)
        ok, score = block_scores(c, rows, cols, p, stable=stable)
        n_elig[rows] = ok.sum(axis=1)
        width = len(cols) if k is None else min(k, len(cols))
        if width < len(cols):
            part = np.argpartition(-score, width, axis=1)
            top = part[:, :width].copy()
            cut = np.take_along_axis(score, part[:, width : width + 1], axis=1)[:, 0]
            cutoff[rows] = cut
            # Where the boundary splits equal scores, keep the smallest ids (columns are in id order)
            # so a window is always the exact head of the need's full list.
            kept_min = np.take_along_axis(score, top, axis=1).min(axis=1)
            for r in np.flatnonzero((kept_min == cut) & np.isfinite(cut)).tolist():
                above = np.flatnonzero(score[r] > cut[r])
                tied = np.flatnonzero(score[r] == cut[r])
                top[r] = np.concatenate([above, tied[: width - len(above)]])
            tsc = np.take_along_axis(score, top, axis=1)
            order = np.lexsort((top, -tsc), axis=-1)
            top = np.take_along_axis(top, order, axis=1)
            tsc = np.take_along_axis(tsc, order, axis=1)
        else:
            # Everything kept: a stable sort by score alone keeps equal scores in column (= id) order.
            top = np.argsort(-score, axis=1, kind="stable")
            tsc = np.take_along_axis(score, top, axis=1)
        # Trim columns that are padding for every row of the chunk.
        keep = int(np.isfinite(tsc).sum(axis=1).max(initial=0))
        rows_out.append(rows)
        tal_out.append(np.where(np.isfinite(tsc[:, :keep]), cols[top[:, :keep]], -1))
        sc_out.append(tsc[:, :keep])
    return _assemble(N, rows_out, tal_out, sc_out, cutoff, n_elig, evaluated)


def _assemble(N, rows_out, tal_out, sc_out, cutoff, n_elig, evaluated) -> Candidates:
    width = max((a.shape[1] for a in tal_out), default=0)
    width = max(width, 1)
    talent = np.full((N, width), -1, dtype=np.int64)
    score = np.full((N, width), -np.inf)
    for rows, tal, sc in zip(rows_out, tal_out, sc_out, strict=True):
        talent[rows, : tal.shape[1]] = tal
        score[rows, : sc.shape[1]] = sc
    return Candidates(talent=talent, score=score, cutoff=cutoff, n_eligible=n_elig, pairs_evaluated=evaluated)


def _given_candidates(c: Compiled, *, stable: bool) -> Candidates:
    """With user-given scores the candidates are exactly the given pairs that pass every other rule."""
    N = c.n_needs
    n, t = c.given_n, c.given_t
    comp = edge_components(c, n, t, stable=stable)
    ok = comp["fails"] == 0
    n, t, s = n[ok], t[ok], comp["score"][ok]
    order = np.lexsort((t, -s, n))
    n, t, s = n[order], t[order], s[order]
    counts = np.bincount(n, minlength=N)
    width = max(1, int(counts.max(initial=0)))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    col = np.arange(len(n)) - starts[n]
    talent = np.full((N, width), -1, dtype=np.int64)
    score = np.full((N, width), -np.inf)
    talent[n, col] = t
    score[n, col] = s
    return Candidates(
        talent=talent,
        score=score,
        cutoff=np.full(N, -np.inf),
        n_eligible=counts,
        pairs_evaluated=len(c.given_n),
    )


def all_edges(c: Compiled, *, stable: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every eligible pair (need, talent, score), unpruned; for the talent-proposing stable mode."""
    if c.given_n is not None:
        comp = edge_components(c, c.given_n, c.given_t, stable=stable)
        ok = comp["fails"] == 0
        return c.given_n[ok], c.given_t[ok], comp["score"][ok]
    ns, ts, ss = [], [], []
    for p, rows, cols in _blocks(c):
        ok, score = block_scores(c, rows, cols, p, stable=stable)
        r, k = np.nonzero(ok)
        ns.append(rows[r])
        ts.append(cols[k])
        ss.append(score[r, k])
    if not ns:
        z = np.zeros(0, np.int64)
        return z, z, np.zeros(0)
    return np.concatenate(ns), np.concatenate(ts), np.concatenate(ss)


def full_row(c: Compiled, i: int, *, stable: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """All eligible talents of need i with scores, best first (score descending, then id)."""
    if c.given_n is not None:
        lo, hi = np.searchsorted(c.given_n, [i, i + 1])
        t = c.given_t[lo:hi]
        comp = edge_components(c, np.full(len(t), i), t, stable=stable)
        ok = comp["fails"] == 0
        t, s = t[ok], comp["score"][ok]
    else:
        p = int(c.persona[i])
        group = _persona_columns(c, p)
        rows = np.array([i])
        cols = _chunk_columns(c, rows, group, bool(c.remote_only[i]))
        if len(cols) == 0:
            return np.zeros(0, np.int64), np.zeros(0)
        ok, score = block_scores(c, rows, cols, p, stable=stable)
        t, s = cols[ok[0]], score[0][ok[0]]
    order = np.lexsort((t, -s))
    return t[order], s[order]

"""Optimal mode: maximise the total score subject to one talent per need and each talent's hours and
number of assignments (a generalised assignment problem).

Pipeline (every step deterministic; time limits are only a safety net):

1. Locked pairs are placed first and their hours and slots taken off the talents.
2. LP relaxation over the candidate windows, by column generation on HiGHS's dual simplex: start from each
   need's best candidate, its best two under rough prices (a few subgradient steps) and the pairs of a quick
   greedy under those prices, then repeatedly add the columns with positive reduced cost and re-solve warm
   until none is left or the bound below is within LP_REL_TOL of the restricted LP.
3. Upper bound: the Lagrangian value D(λ, μ) = Σ_n max(0, max_t s_nt − λ_t·h_n − μ_t) + Σ_t λ_t·C_t + μ_t·M_t
   at the LP's talent prices, which is valid for *any* λ, μ ≥ 0 and for the full problem: for a need whose
   window was pruned the max runs over every eligible talent, and the pruned ones are only rescored when the
   window's best reduced score falls below the need's cutoff (the best pruned raw score, which bounds every
   pruned reduced score because prices are non-negative).
4. Incumbent: greedy rounding ordered by LP value then reduced score, a fill pass for needs whose windows
   are exhausted, and a local search (move to a better talent with room; take a talent by moving or
   dropping one of its needs; widening a pruned window from the full row when a moved need finds no room)
   bounded by a work counter, not a clock.
5. Small instances (few candidate pairs) go to an exact MILP (HiGHS via scipy.optimize.milp), which proves
   optimality.

Reported gap = (bound − objective) / bound.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from .errors import InstanceError
from .instance import Compiled
from .scoring import (
    Candidates,
    _chunk_columns,
    _persona_columns,
    block_scores,
    edge_components,
    fails_to_rules,
    full_row,
)

try:  # HiGHS's own Python bindings: a model kept between solves, so adding columns re-solves warm.
    import highspy as _highs
except ImportError:  # pragma: no cover - highspy is in the lock; linprog (cold solves) is the fallback
    _highs = None

HOURS_TOL = 1e-9
#: Instances with at most this many candidate pairs are solved exactly by MILP.
EXACT_MAX_EDGES = 4000
#: Column generation: at most MAX_LP_ROUNDS solves, each round adding ≤ COLS_PER_ROUND columns per need, and
#: stopping once the Lagrangian bound is within LP_REL_TOL (relative) of the restricted LP. The first LP
#: holds INIT_RAW_COLS best columns per need, INIT_REDUCED_COLS best under prices from SUBGRADIENT_STEPS
#: subgradient steps, and a greedy solution over each need's GREEDY_SEED_COLS best under those prices.
#: Tuned on the national benchmark; any values give a valid bound, they only move time and gap.
MAX_LP_ROUNDS = 12
COLS_PER_ROUND = 3
LP_REL_TOL = 5e-4
SUBGRADIENT_STEPS = 30
INIT_RAW_COLS = 1
INIT_REDUCED_COLS = 2
GREEDY_SEED_COLS = 16
#: Local search budget in elementary steps (≈ 0.4 µs each): ~0.3 s at national scale, and a count rather
#: than a clock so the result does not depend on machine speed.
LOCAL_SEARCH_STEPS = 800_000
#: Local search widens at most MAX_EXTENSIONS pruned windows (to EXTEND_WIDTH talents; each costs one row
#: rescoring, ~1 ms) when a need it would move has no talent with room in its window.
MAX_EXTENSIONS = 200
EXTEND_WIDTH = 256


@dataclass
class OptimalOutcome:
    assign: np.ndarray  # (N,) talent index or -1
    objective: float
    bound: float
    stats: dict = field(default_factory=dict)


@dataclass
class _Problem:
    free: np.ndarray  # need indices to decide
    TI: np.ndarray  # (F, K) talent index, -1 pad
    S: np.ndarray  # (F, K) score, -inf pad; only positive scores are usable
    cutoff: np.ndarray  # (F,)
    h: np.ndarray  # (F,)
    cap: np.ndarray  # (T,) residual hours
    slots: np.ndarray  # (T,) residual assignments

    @property
    def valid(self) -> np.ndarray:
        return (self.TI >= 0) & (self.S > 0)


def place_locked(c: Compiled) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Assign locked pairs; return (assign, residual hours, residual slots, locked score)."""
    assign = np.full(c.n_needs, -1, dtype=np.int64)
    cap = c.cap.copy()
    slots = c.slots.astype(np.float64).copy()
    total = 0.0
    if not c.locked:
        return assign, cap, slots, total
    n = np.array([a for a, _ in c.locked], dtype=np.int64)
    t = np.array([b for _, b in c.locked], dtype=np.int64)
    # The slot-size rule of stable mode does not apply to locks: a person chose them deliberately.
    comp = edge_components(c, n, t, stable=False)
    for k, (i, j) in enumerate(zip(n.tolist(), t.tolist(), strict=True)):
        if comp["fails"][k]:
            rules = ", ".join(fails_to_rules(int(comp["fails"][k])))
            raise InstanceError(f"locked pair ({c.needs[i].id}, {c.talents[j].id}) is not eligible: {rules}")
        assign[i] = j
        cap[j] -= c.hours[i]
        slots[j] -= 1
        total += float(comp["score"][k])
    for j in np.flatnonzero((cap < -HOURS_TOL) | (slots < 0)):
        raise InstanceError(f"locked pairs exceed the capacity of talent {c.talents[j].id}")
    return assign, cap, slots, total


def _subgradient(P: _Problem, iterations: int) -> tuple[np.ndarray, np.ndarray]:
    """A few projected subgradient steps on D to get rough prices for the first LP columns."""
    T = len(P.cap)
    lam = np.zeros(T)
    mu = np.zeros(T)
    valid = P.valid
    if not valid.any():
        return lam, mu
    TIc = np.where(valid, P.TI, 0)
    Sv = np.where(valid, P.S, -np.inf)
    rows = np.arange(len(P.free))
    target = 0.97 * np.maximum(Sv.max(axis=1, initial=0.0), 0.0).sum()
    for _ in range(iterations):
        R = Sv - lam[TIc] * P.h[:, None] - mu[TIc]
        j = np.argmax(R, axis=1)
        r = R[rows, j]
        B = np.maximum(r, 0).sum() + lam @ P.cap + mu @ P.slots
        sel = r > 0
        chosen = TIc[rows, j][sel]
        gl = P.cap - np.bincount(chosen, weights=P.h[sel], minlength=T)
        gm = P.slots - np.bincount(chosen, minlength=T)
        gl = np.where((lam <= 0) & (gl > 0), 0.0, gl)
        gm = np.where((mu <= 0) & (gm > 0), 0.0, gm)
        norm2 = gl @ gl + gm @ gm
        if norm2 <= 0 or B <= target:
            break
        step = (B - target) / norm2
        lam = np.maximum(0.0, lam - step * gl)
        mu = np.maximum(0.0, mu - step * gm)
    return lam, mu


def _lp(P: _Problem, stats: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """LP relaxation over the windows. Returns (X (F, K) fractional solution, λ, μ)."""
    F, K = P.TI.shape
    T = len(P.cap)
    valid = P.valid
    X = np.zeros((F, K))
    E = int(valid.sum())
    if E == 0:
        return X, np.zeros(T), np.zeros(T)
    if _highs is None:  # pragma: no cover - exercised only on scipy builds without the HiGHS object
        return _lp_linprog(P, stats)
    TIc = np.where(valid, P.TI, 0)
    active = np.unique(P.TI[valid])
    tmap = np.full(T, -1, dtype=np.int64)
    tmap[active] = np.arange(len(active))
    A = len(active)
    TA = np.where(valid, tmap[TIc], 0)

    H = _highs.Highs()
    H.disableCallbacks()  # no Python callback on the solver's hot path
    H.setOptionValue("output_flag", False)
    H.setOptionValue("solver", "simplex")
    H.setOptionValue("simplex_strategy", 1)  # dual simplex: warm re-solves after adding columns are cheap
    H.setOptionValue("threads", 1)
    H.setOptionValue("random_seed", 0)
    inf = _highs.kHighsInf
    nrow = F + 2 * A
    H.addRows(
        nrow,
        np.full(nrow, -inf),
        np.concatenate([np.ones(F), P.cap[active], P.slots[active]]),
        0,
        np.zeros(0, np.int32),
        np.zeros(0, np.int32),
        np.zeros(0),
    )
    H.changeObjectiveSense(_highs.ObjSense.kMaximize)
    in_lp = np.zeros((F, K), dtype=bool)
    col_pos: list[np.ndarray] = []

    def add(mask: np.ndarray) -> int:
        n, k = np.nonzero(mask)
        m = len(n)
        if m == 0:
            return 0
        ta = TA[n, k]
        starts = np.arange(0, 3 * m, 3, dtype=np.int32)
        index = np.stack([n, F + ta, F + A + ta], axis=1).ravel().astype(np.int32)
        value = np.stack([np.ones(m), P.h[n], np.ones(m)], axis=1).ravel()
        H.addCols(m, P.S[n, k].astype(np.float64), np.zeros(m), np.ones(m), 3 * m, starts, index, value)
        in_lp[n, k] = True
        col_pos.append(n * K + k)
        return m

    if E <= 60_000:
        add(valid)
    else:
        # Start from columns likely to be in the LP optimum: each need's best, its best two under rough
        # prices, and the pairs of a greedy solution under those prices (so the first LP is already as good
        # as that solution and the warm re-solves only polish it).
        lam0, mu0 = _subgradient(P, SUBGRADIENT_STEPS)
        R0 = np.where(valid, P.S - lam0[TIc] * P.h[:, None] - mu0[TIc], -np.inf)
        init = np.zeros_like(valid)
        init[:, :INIT_RAW_COLS] = True
        top = np.argsort(-R0, axis=1, kind="stable")[:, :INIT_REDUCED_COLS]
        np.put_along_axis(init, top, True, axis=1)
        # The greedy looks only at each need's best few columns under the rough prices: cheap, and enough
        # to seed the LP with a solution that fills most needs.
        near = np.zeros_like(valid)
        np.put_along_axis(near, np.argsort(-R0, axis=1, kind="stable")[:, :GREEDY_SEED_COLS], True, axis=1)
        asg0 = [-1] * F
        _greedy_pass(P, near & valid, (-R0,), asg0, P.cap.tolist(), P.slots.tolist())
        rows = np.flatnonzero(np.asarray(asg0) >= 0)
        if len(rows):
            tal = np.asarray(asg0)[rows]
            init[rows, np.argmax(P.TI[rows] == tal[:, None], axis=1)] = True
        add(init & valid)
    rounds = 0
    lam = np.zeros(T)
    mu = np.zeros(T)
    while True:
        H.run()
        rounds += 1
        sol = H.getSolution()
        y = np.asarray(sol.row_dual)
        lam[active] = np.maximum(0.0, y[F : F + A])
        mu[active] = np.maximum(0.0, y[F + A :])
        u = y[:F]
        if rounds >= MAX_LP_ROUNDS or in_lp.sum() == E:
            break
        red = np.where(valid, P.S - lam[TIc] * P.h[:, None] - mu[TIc], -np.inf)
        # Stop once the Lagrangian bound at these prices is within LP_REL_TOL of the restricted LP: more
        # columns could not raise the LP (nor lower the bound) by more than that.
        lp_obj = float(H.getInfo().objective_function_value)
        bound = float(np.maximum(red.max(axis=1, initial=0.0), 0.0).sum() + lam @ P.cap + mu @ P.slots)
        if bound - lp_obj <= LP_REL_TOL * max(1.0, abs(bound)):
            break
        RC = np.where(in_lp, -np.inf, red - u[:, None])
        viol = RC > 1e-9
        if not viol.any():
            break
        top = (
            np.argpartition(-RC, COLS_PER_ROUND, axis=1)[:, :COLS_PER_ROUND]
            if K > COLS_PER_ROUND
            else np.broadcast_to(np.arange(K), (F, K))
        )
        sel = np.zeros_like(viol)
        np.put_along_axis(sel, top, True, axis=1)
        add(sel & viol)
    x = np.asarray(sol.col_value)
    pos = np.concatenate(col_pos)
    X.ravel()[pos] = x
    stats.update(
        lp_rounds=rounds,
        lp_columns=int(in_lp.sum()),
        lp_objective=float(H.getInfo().objective_function_value),
    )
    return X, lam, mu


def _lp_linprog(P: _Problem, stats: dict):  # pragma: no cover - fallback path
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix, vstack

    F, K = P.TI.shape
    T = len(P.cap)
    valid = P.valid
    if valid.sum() > 200_000:
        lam, mu = _subgradient(P, 300)
        return np.zeros((F, K)), lam, mu
    n, k = np.nonzero(valid)
    t = P.TI[n, k]
    m = len(n)
    cols = np.arange(m)
    A = vstack(
        [
            csr_matrix((np.ones(m), (n, cols)), shape=(F, m)),
            csr_matrix((P.h[n], (t, cols)), shape=(T, m)),
            csr_matrix((np.ones(m), (t, cols)), shape=(T, m)),
        ]
    ).tocsr()
    r = linprog(
        -P.S[n, k],
        A_ub=A,
        b_ub=np.concatenate([np.ones(F), P.cap, P.slots]),
        bounds=(0, 1),
        method="highs-ds",
    )
    X = np.zeros((F, K))
    X[n, k] = r.x
    y = -r.ineqlin.marginals
    stats.update(lp_rounds=1, lp_columns=m, lp_objective=float(-r.fun))
    return X, np.maximum(0.0, y[F : F + T]), np.maximum(0.0, y[F + T :])


def _certify(c: Compiled, P: _Problem, lam: np.ndarray, mu: np.ndarray, stats: dict) -> float:
    """The exact Lagrangian bound over *all* eligible pairs at prices (λ, μ)."""
    valid = P.valid
    TIc = np.where(valid, P.TI, 0)
    R = np.where(valid, P.S - lam[TIc] * P.h[:, None] - mu[TIc], -np.inf)
    u = np.maximum(0.0, R.max(axis=1, initial=-np.inf))
    suspect = np.flatnonzero(P.cutoff > u)
    stats["bound_rescanned_needs"] = int(len(suspect))
    if len(suspect):
        # Rescore the suspects' whole rows: the pruned pairs' reduced scores may exceed the window's best.
        needs = P.free[suspect]
        exact = np.zeros(len(suspect))
        pos = {int(n): i for i, n in enumerate(needs)}
        for p in np.unique(c.persona[needs]):
            group = _persona_columns(c, int(p))
            for remote in (False, True):
                sel = needs[(c.persona[needs] == p) & (c.remote_only[needs] == remote)]
                for lo in range(0, len(sel), 64):
                    rows = sel[lo : lo + 64]
                    cols = _chunk_columns(c, rows, group, remote)
                    if len(cols) == 0:
                        continue
                    ok, score = block_scores(c, rows, cols, int(p), stable=False)
                    red = score - lam[cols][None, :] * c.hours[rows][:, None] - mu[cols][None, :]
                    red[~ok] = -np.inf
                    best = red.max(axis=1)
                    for r, n in enumerate(rows.tolist()):
                        exact[pos[n]] = max(0.0, float(best[r]))
        u[suspect] = exact
    return float(u.sum() + lam @ P.cap + mu @ P.slots)


class _State:
    """Mutable assignment with per-talent residual capacity, for greedy and local search (plain Python)."""

    def __init__(self, P: _Problem):
        F = len(P.free)
        self.h = P.h.tolist()
        self.cap = P.cap.tolist()
        self.slots = P.slots.tolist()
        self.asg = [-1] * F
        self.held: dict[int, list[int]] = {}
        # Windows are sorted best first; slicing flat lists keeps the per-need work in C.
        n, k = np.nonzero(P.valid)
        t = P.TI[n, k].tolist()
        s = P.S[n, k].tolist()
        ends = np.cumsum(np.bincount(n, minlength=F)).tolist()
        self.lists: list[list[tuple[int, float]]] = []
        start = 0
        for end in ends:
            self.lists.append(list(zip(t[start:end], s[start:end], strict=True)))
            start = end
        self.score: list[dict[int, float]] = [dict(lst) for lst in self.lists]
        self._c: Compiled | None = None
        self._cutoff = P.cutoff.tolist()
        self._free = P.free.tolist()
        self.extensions = 0

    def attach(self, c: Compiled) -> None:
        """Allow extending pruned windows to full rows (needs the compiled instance)."""
        self._c = c

    def can_extend(self, i: int) -> bool:
        return self._c is not None and self._cutoff[i] > 0 and self.extensions < MAX_EXTENSIONS

    def extend(self, i: int) -> None:
        """Widen need i's window: its best EXTEND_WIDTH eligible talents (positive scores, best first)."""
        t, s = full_row(self._c, self._free[i], stable=False)
        keep = s > 0
        t, s = t[keep], s[keep]
        width = max(EXTEND_WIDTH, 2 * len(self.lists[i]))
        self.lists[i] = list(zip(t[:width].tolist(), s[:width].tolist(), strict=True))
        self.score[i].update(self.lists[i])
        self._cutoff[i] = float(s[width]) if len(s) > width else -np.inf
        self.extensions += 1

    def fits(self, t: int, i: int, extra_h: float = 0.0, extra_s: int = 0) -> bool:
        return self.cap[t] + extra_h >= self.h[i] - HOURS_TOL and self.slots[t] + extra_s >= 1

    def put(self, i: int, t: int) -> None:
        self.asg[i] = t
        self.cap[t] -= self.h[i]
        self.slots[t] -= 1
        self.held.setdefault(t, []).append(i)

    def take(self, i: int) -> None:
        t = self.asg[i]
        if t < 0:
            return
        self.asg[i] = -1
        self.cap[t] += self.h[i]
        self.slots[t] += 1
        self.held[t].remove(i)

    def total(self) -> float:
        return sum(self.score[i][t] for i, t in enumerate(self.asg) if t >= 0)


def _greedy_pass(
    P: _Problem, mask: np.ndarray, keys: tuple, asg: list[int], cap: list[float], slots: list[float]
) -> None:
    """Take the pairs of `mask` in the order of `keys` (lexsort keys, last = primary) while there is room."""
    n, k = np.nonzero(mask)
    t = P.TI[n, k]
    order = np.lexsort((t, n, *(key[n, k] for key in keys)))
    h = P.h.tolist()
    for i, j in zip(n[order].tolist(), t[order].tolist(), strict=True):
        if asg[i] < 0 and cap[j] >= h[i] - HOURS_TOL and slots[j] >= 1:
            asg[i] = j
            cap[j] -= h[i]
            slots[j] -= 1


def _greedy(P: _Problem, X: np.ndarray, reduced: np.ndarray) -> _State:
    """Round the LP: take pairs by LP value, then by reduced score, whenever the talent still has room."""
    asg = [-1] * len(P.free)
    cap = P.cap.tolist()
    slots = P.slots.tolist()
    valid = P.valid
    # Pass 1 covers the LP's support only (a few columns per need); pass 2 the remaining needs' windows.
    _greedy_pass(P, valid & (X > 1e-9), (-reduced, -X), asg, cap, slots)
    open_rows = np.array([a < 0 for a in asg], dtype=bool)
    _greedy_pass(P, valid & open_rows[:, None], (-reduced,), asg, cap, slots)
    st = _State(P)
    for i, t in enumerate(asg):
        if t >= 0:
            st.put(i, t)
    return st


def _local_search(st: _State, budget: int, sweeps: int = 4) -> tuple[int, int]:
    """Improve by (a) moving a need to a better talent with room, (b) taking a better talent by moving one
    of its needs to that need's best talent with room, or dropping it. Returns (moves, steps used)."""
    F = len(st.asg)
    steps = 0
    moves = 0
    h, cap, slots, asg, lists, score, held = st.h, st.cap, st.slots, st.asg, st.lists, st.score, st.held
    for _ in range(sweeps):
        # Each sweep revisits every need: capacity freed by earlier moves may admit needs already seen.
        queue = deque(range(F))
        queued = [True] * F
        moved = 0
        while queue and steps < budget:
            i = queue.popleft()
            queued[i] = False
            cur = asg[i]
            cs = score[i][cur] if cur >= 0 else 0.0
            for t, s in lists[i]:
                steps += 1
                if s <= cs + 1e-12:
                    break
                if t == cur:
                    continue
                if cap[t] >= h[i] - HOURS_TOL and slots[t] >= 1:
                    st.take(i)
                    st.put(i, t)
                    moved += 1
                    break
                best = None
                for i2 in held.get(t, ()):
                    steps += 1
                    if cap[t] + h[i2] < h[i] - HOURS_TOL:
                        continue
                    alt, alt_s = -1, 0.0
                    for attempt in (0, 1):
                        for t2, ss in lists[i2]:
                            steps += 1
                            if t2 == t:
                                continue
                            room_h = cap[t2] + (h[i] if t2 == cur else 0.0)
                            room_s = slots[t2] + (1 if t2 == cur else 0)
                            if room_h >= h[i2] - HOURS_TOL and room_s >= 1:
                                alt, alt_s = t2, ss
                                break
                        # Nobody in i2's window has room: its pruned pairs may (they score ≤ its cutoff).
                        if alt >= 0 or attempt or not st.can_extend(i2):
                            break
                        st.extend(i2)
                        lists = st.lists
                        steps += len(lists[i2])
                    gain = s - cs - score[i2][t] + alt_s
                    if gain > 1e-9 and (best is None or gain > best[0]):
                        best = (gain, i2, alt)
                if best is not None:
                    _, i2, alt = best
                    st.take(i2)
                    st.take(i)
                    st.put(i, t)
                    if alt >= 0:
                        st.put(i2, alt)
                    if not queued[i2]:
                        queue.append(i2)
                        queued[i2] = True
                    moved += 1
                    break
        moves += moved
        if moved == 0 or steps >= budget:
            break
    return moves, steps


def _fill(st: _State) -> int:
    """Give unassigned needs whose windows were pruned a talent with room from their full rows."""
    added = 0
    for i in range(len(st.asg)):
        if st.asg[i] >= 0 or not st.can_extend(i):
            continue
        st.extend(i)
        for t, _ in st.lists[i]:
            if st.fits(t, i):
                st.put(i, t)
                added += 1
                break
    return added


def _milp(P: _Problem, st: _State, time_limit: float, stats: dict) -> tuple[_State | None, float | None]:
    """Exact MILP over the windows (HiGHS); returns (state or None, proven dual bound or None)."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_matrix, vstack

    F = len(P.free)
    T = len(P.cap)
    valid = P.valid
    n, k = np.nonzero(valid)
    if len(n) == 0:
        return None, 0.0
    t = P.TI[n, k]
    m = len(n)
    cols = np.arange(m)
    used = np.unique(t)
    tmap = np.full(T, -1)
    tmap[used] = np.arange(len(used))
    tt = tmap[t]
    A = vstack(
        [
            csr_matrix((np.ones(m), (n, cols)), shape=(F, m)),
            csr_matrix((P.h[n], (tt, cols)), shape=(len(used), m)),
            csr_matrix((np.ones(m), (tt, cols)), shape=(len(used), m)),
        ]
    ).tocsr()
    ub = np.concatenate([np.ones(F), P.cap[used] + HOURS_TOL, P.slots[used]])
    res = milp(
        -P.S[n, k],
        constraints=LinearConstraint(A, -np.inf, ub),
        integrality=np.ones(m),
        bounds=Bounds(0, 1),
        options={"time_limit": float(time_limit), "disp": False},
    )
    stats["milp_status"] = int(res.status)
    if res.x is None:
        return None, None
    new = _State(P)
    for e in np.flatnonzero(res.x > 0.5).tolist():
        i, j = int(n[e]), int(t[e])
        if new.asg[i] >= 0 or not new.fits(j, i):
            return None, None  # a tolerance artefact: keep the heuristic answer
        new.put(i, j)
    bound = -float(res.mip_dual_bound) if res.status == 0 and res.mip_dual_bound is not None else None
    return new, bound


def solve_optimal(c: Compiled, cand: Candidates, *, exact: bool | None = None) -> OptimalOutcome:
    """Solve optimal mode on the candidate windows; see the module docstring."""
    params = c.params
    t0 = time.perf_counter()
    stats: dict = {}
    assign, cap, slots, locked_total = place_locked(c)
    free = np.flatnonzero(assign < 0)
    P = _Problem(
        free=free,
        TI=cand.talent[free],
        S=cand.score[free],
        cutoff=cand.cutoff[free],
        h=c.hours[free],
        cap=np.maximum(cap, 0.0),
        slots=np.maximum(slots, 0.0),
    )
    E = int(P.valid.sum())
    stats["candidate_pairs"] = E
    if E == 0 and not np.isfinite(P.cutoff).any():
        # Nothing to decide: every free need lacks a positive-scoring eligible talent.
        stats.update(method="trivial", seconds_solve=time.perf_counter() - t0)
        return OptimalOutcome(assign=assign, objective=locked_total, bound=locked_total, stats=stats)
    X, lam, mu = _lp(P, stats)
    stats["seconds_lp"] = time.perf_counter() - t0
    bound = _certify(c, P, lam, mu, stats)
    # Rounding: LP value first (integral columns are taken as they are), then reduced score.
    TIc = np.where(P.valid, P.TI, 0)
    reduced = P.S - lam[TIc] * P.h[:, None] - mu[TIc]
    st = _greedy(P, X, reduced)
    st.attach(c)
    stats["filled_from_full_rows"] = _fill(st)
    moves, steps = _local_search(st, LOCAL_SEARCH_STEPS)
    stats["filled_from_full_rows"] += _fill(st)
    stats.update(local_search_moves=moves, local_search_steps=steps, windows_extended=st.extensions)
    objective = st.total()
    stats["method"] = "lp_rounding_local_search"
    no_pruning = not np.isfinite(P.cutoff).any()
    want_exact = exact if exact is not None else E <= EXACT_MAX_EDGES
    if want_exact and bound - objective > 1e-9 * max(1.0, abs(bound)):
        new, milp_bound = _milp(P, st, params.time_limit_s, stats)
        if new is not None and new.total() >= objective - 1e-12:
            st = new
            objective = new.total()
            stats["method"] = "milp"
        if milp_bound is not None and no_pruning:
            bound = min(bound, milp_bound)
    bound = max(bound, objective)  # solver tolerances must not report a negative gap
    for i, t in enumerate(st.asg):
        if t >= 0:
            assign[int(free[i])] = t
    stats["seconds_solve"] = time.perf_counter() - t0
    return OptimalOutcome(
        assign=assign, objective=locked_total + objective, bound=locked_total + bound, stats=stats
    )

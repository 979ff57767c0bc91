"""Shared helpers for the engine tests: small hand-made coordinates, hypothesis strategies for random
instances, an exact MILP reference, a feasibility checker and the `matching` library adapter."""

from __future__ import annotations

import math
import warnings
from datetime import date

import numpy as np
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from dxpool.engine import MatchParams, MatchResult, Need, Talent
from dxpool.engine.reference import evaluate_pair

# Real office coordinates (rounded) of a handful of municipalities: far apart and close together.
COORDS = {
    "131016": (35.6940, 139.7536),  # 千代田区
    "131041": (35.6938, 139.7035),  # 新宿区
    "141003": (35.4437, 139.6380),  # 横浜市
    "012025": (41.7687, 140.7288),  # 函館市
    "422011": (32.7503, 129.8777),  # 長崎市
    "422029": (33.1799, 129.7151),  # 佐世保市
    "401307": (33.5902, 130.4017),  # 福岡市 (fictional code, real place)
    "472018": (26.2124, 127.6809),  # 那覇市
}
CODES = sorted(COORDS)
PERSONAS = ("engineer", "project_manager")
FORMS = ("業務委託", "特定任期付職員", "会計年度任用職員")
SKILLS = ("要求分析", "デジタルツール実装", "リーダーシップ")
DATES = (None, date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1))


@st.composite
def instances(draw, max_needs: int = 6, max_talents: int = 6, prefs: bool = True):
    """A random small instance: (needs, talents)."""
    n_needs = draw(st.integers(1, max_needs))
    n_talents = draw(st.integers(1, max_talents))
    need_ids = [f"N{i}" for i in range(n_needs)]
    talent_ids = [f"T{j}" for j in range(n_talents)]

    def interval():
        a = draw(st.sampled_from(DATES))
        b = draw(st.sampled_from(DATES))
        if a is not None and b is not None and a > b:
            a, b = b, a
        return a, b

    needs = []
    for nid in need_ids:
        a, b = interval()
        munis = tuple(draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=2, unique=True)))
        needs.append(
            Need(
                id=nid,
                municipalities=munis,
                persona=draw(st.sampled_from(PERSONAS + ("ＥＮＧＩＮＥＥＲ",))),
                hours_per_week=float(draw(st.sampled_from((4, 8, 12, 16)))),
                onsite_days_per_month=float(draw(st.sampled_from((0, 0, 2, 4)))),
                weight=float(draw(st.sampled_from((1.0, 1.0, 1.5, 2.0)))),
                excluded_employers=tuple(draw(st.lists(st.sampled_from(("A社", "Ｂ社")), max_size=1))),
                preferences=tuple(draw(st.permutations(talent_ids)))[: draw(st.integers(0, 2))]
                if prefs
                else (),
                skills=tuple(draw(st.lists(st.sampled_from(SKILLS), max_size=3, unique=True))),
                appointment_forms=tuple(draw(st.lists(st.sampled_from(FORMS), max_size=2, unique=True))),
                available_from=a,
                available_to=b,
            )
        )
    talents = []
    for tid in talent_ids:
        a, b = interval()
        fit = {}
        for p in PERSONAS:
            v = draw(st.sampled_from((None, 0.0, 0.3, 0.7, 1.0)))
            if v is not None:
                fit[p] = v
        talents.append(
            Talent(
                id=tid,
                home=draw(st.sampled_from(CODES)),
                capacity_hours_per_week=float(draw(st.sampled_from((8, 12, 16, 24)))),
                max_assignments=draw(st.integers(1, 3)),
                travel_km=float(draw(st.sampled_from((0, 30, 100, 1000, 3000)))),
                remote_ok=draw(st.booleans()),
                trained=draw(st.sampled_from((True, True, False))),
                fit=fit,
                employers=tuple(
                    draw(st.lists(st.sampled_from(("a社", "B社", "C社")), max_size=2, unique=True))
                ),
                preferences=tuple(draw(st.permutations(need_ids)))[: draw(st.integers(0, 2))]
                if prefs
                else (),
                skill_ratings={
                    s: draw(st.sampled_from((0.0, 0.25, 0.5, 1.0))) for s in SKILLS if draw(st.booleans())
                },
                experiences=tuple(
                    draw(
                        st.lists(
                            st.sampled_from(("local_government", "project_lead")), max_size=2, unique=True
                        )
                    )
                ),
                appointment_forms=tuple(draw(st.lists(st.sampled_from(FORMS), max_size=2, unique=True))),
                available_from=a,
                available_to=b,
            )
        )
    return needs, talents


def pair_table(needs, talents, params, scores=None, *, stable=False):
    """{(need id, talent id): PairEvaluation} from the scalar reference."""
    return {
        (n.id, t.id): evaluate_pair(n, t, COORDS, params, scores, stable=stable)
        for n in needs
        for t in talents
    }


def exact_optimum(needs, talents, params, scores=None) -> float:
    """The optimal total score by MILP (HiGHS) over every eligible pair, with locks and exclusions."""
    table = pair_table(needs, talents, params, scores)
    edges = [(a, b, e.score) for (a, b), e in table.items() if e.eligible]
    locked = {tuple(p) for p in params.locked}
    if not edges:
        return 0.0
    need_row = {n.id: i for i, n in enumerate(needs)}
    talent_row = {t.id: i for i, t in enumerate(talents)}
    hours = {n.id: n.hours_per_week for n in needs}
    m = len(edges)
    rows, cols, vals = [], [], []
    N, T = len(needs), len(talents)
    for e, (a, b, _) in enumerate(edges):
        rows += [need_row[a], N + talent_row[b], N + T + talent_row[b]]
        cols += [e, e, e]
        vals += [1.0, hours[a], 1.0]
    A = csr_matrix((vals, (rows, cols)), shape=(N + 2 * T, m))
    ub = np.concatenate(
        [
            np.ones(N),
            [t.capacity_hours_per_week + 1e-9 for t in talents],
            [t.max_assignments for t in talents],
        ]
    )
    lb_x = np.array([1.0 if (a, b) in locked else 0.0 for a, b, _ in edges])
    res = milp(
        -np.array([s for _, _, s in edges]),
        constraints=LinearConstraint(A, -np.inf, ub),
        integrality=np.ones(m),
        bounds=Bounds(lb_x, np.ones(m)),
    )
    assert res.status == 0, res.message
    return -float(res.fun)


def assert_feasible(result: MatchResult, needs, talents, params, scores=None, *, stable=False):
    """Every assignment eligible, capacities respected, locks kept, exclusions honoured."""
    need_by = {n.id: n for n in needs}
    talent_by = {t.id: t for t in talents}
    seen = set()
    hours: dict[str, float] = {}
    count: dict[str, int] = {}
    locked = {tuple(p) for p in params.locked}
    for a in result.assignments:
        assert a.need not in seen, f"need {a.need} assigned twice"
        seen.add(a.need)
        ev = evaluate_pair(
            need_by[a.need],
            talent_by[a.talent],
            COORDS,
            params,
            scores,
            stable=stable and (a.need, a.talent) not in locked,
        )
        assert ev.eligible, (a.need, a.talent, ev.fails)
        assert math.isclose(a.score, ev.score, abs_tol=1e-12), (a.score, ev.score)
        hours[a.talent] = hours.get(a.talent, 0.0) + need_by[a.need].hours_per_week
        count[a.talent] = count.get(a.talent, 0) + 1
    for tid, h in hours.items():
        assert h <= talent_by[tid].capacity_hours_per_week + 1e-9, (tid, h)
        assert count[tid] <= talent_by[tid].max_assignments, (tid, count[tid])
    pairs = {(a.need, a.talent) for a in result.assignments}
    assert locked <= pairs
    assert not ({tuple(p) for p in params.excluded} & pairs)
    assert math.isclose(result.objective, sum(a.score for a in result.assignments), abs_tol=1e-9)


def library_stable(needs, talents, params, *, optimal: str) -> set[tuple[str, str]]:
    """The `matching` library's hospital–resident answer (needs = residents, talents = hospitals)."""
    from matching.games import HospitalResident

    table = pair_table(needs, talents, params, stable=True)

    def need_key(n, tid):
        if tid in n.preferences:
            return (0, n.preferences.index(tid), 0.0, "")
        return (1, 0, -table[(n.id, tid)].score, tid)

    def talent_key(t, nid):
        if nid in t.preferences:
            return (0, t.preferences.index(nid), 0.0, "")
        return (1, 0, -table[(nid, t.id)].score, nid)

    caps = {t.id: t.max_assignments for t in talents}
    hospitals = {t.id for t in talents if caps[t.id] >= 1}
    resident_prefs = {}
    for n in needs:
        ok = [t.id for t in talents if t.id in hospitals and table[(n.id, t.id)].eligible]
        if ok:
            resident_prefs[n.id] = sorted(ok, key=lambda tid, n=n: need_key(n, tid))
    hospital_prefs = {}
    for t in talents:
        if t.id not in hospitals:
            continue
        ok = [nid for nid in resident_prefs if t.id in resident_prefs[nid]]
        if ok:
            hospital_prefs[t.id] = sorted(ok, key=lambda nid, t=t: talent_key(t, nid))
    resident_prefs = {r: [h for h in p if h in hospital_prefs] for r, p in resident_prefs.items()}
    resident_prefs = {r: p for r, p in resident_prefs.items() if p}
    if not resident_prefs:
        return set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(
            resident_prefs, hospital_prefs, {h: caps[h] for h in hospital_prefs}
        )
        solution = game.solve(optimal="resident" if optimal == "need" else "hospital")
    return {(r.name, h.name) for h, rs in solution.items() for r in rs}


def plain_params(**kw) -> MatchParams:
    return MatchParams(**kw)

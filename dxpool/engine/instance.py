"""Compile needs and talents into numpy arrays once, so scoring and solving never touch Python objects.

Needs and talents are indexed in id order: tie-breaking by index is then tie-breaking by id, which makes the
result independent of the order records arrive in.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import chain
from operator import attrgetter

import numpy as np

from .errors import InstanceError
from .geo import haversine_matrix
from .model import LOCAL_GOVERNMENT, MatchParams, Need, Talent, norm

#: Sentinels for open-ended availability (ordinal days).
DATE_MIN = -(2**40)
DATE_MAX = 2**40

#: Skill ratings are read on a 1/1024 grid: sums of a few such values are exact in float64 whatever the
#: order, so a BLAS matrix product and a plain Python loop give bit-identical coverage.
RATING_GRID = 1024.0

#: Eligibility rules, in the order explanations list them.
RULES = (
    "persona",
    "training",
    "appointment_form",
    "distance",
    "conflict_of_interest",
    "dates",
    "capacity",
    "excluded",
    "not_scored",
    "slot_size",
)


def quantise_rating(value: float) -> float:
    """A skill rating clipped to 0–1 and rounded to the 1/1024 grid."""
    # Python's round() is round-half-even like numpy's, and ×1024 is exact, so this is the grid point.
    return round(min(1.0, max(0.0, float(value))) * RATING_GRID) / RATING_GRID


@lru_cache(maxsize=4096)
def _experience_value(experiences: tuple[str, ...]) -> float:
    tags = {norm(e) for e in experiences if norm(e)}
    if not tags:
        return 0.0
    return 1.0 if LOCAL_GOVERNMENT in tags else 0.5


def experience_value(experiences: Sequence[str]) -> float:
    """0.5 for any desired experience (the standard accepts any one), +0.5 when it includes local government."""
    if type(experiences) is tuple:
        return _experience_value(experiences)
    tags = {norm(e) for e in experiences if norm(e)}
    if not tags:
        return 0.0
    return 1.0 if LOCAL_GOVERNMENT in tags else 0.5


def priority_multiplier(weight: float, priority: float) -> float:
    """need.weight ** priority: priority 0 ignores municipality weights, 1 uses them as given."""
    return float(weight) ** float(priority)


def preference_value(position: int, length: int) -> float:
    """Rank position (0 = first) in a list of `length` → 1 for the first, 1/length for the last."""
    return 1.0 - position / length


def fit_passes(fit: float, min_fit: float | None) -> bool:
    """Whether a fit value meets the persona standard (min_fit None means strictly positive)."""
    if fit is None or math.isnan(fit):
        return False
    return fit > 0 if min_fit is None else fit >= min_fit


def _sparse(pairs: list[tuple[int, int]], values: list | None = None, width: int = 1):
    if not pairs:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, width))
    arr = np.asarray(pairs, dtype=np.int64)
    vals = np.asarray(values, dtype=np.float64).reshape(len(pairs), width) if values is not None else None
    order = np.lexsort((arr[:, 1], arr[:, 0]))
    return arr[order, 0], arr[order, 1], (vals[order] if vals is not None else np.zeros((len(pairs), width)))


@dataclass
class Compiled:
    """Arrays describing one instance; built by `compile_instance`."""

    needs: list[Need]
    talents: list[Talent]
    need_index: dict[str, int]
    talent_index: dict[str, int]
    params: MatchParams
    personas: list[str]
    # needs
    persona: np.ndarray  # (N,) persona index
    hours: np.ndarray
    onsite: np.ndarray
    remote_only: np.ndarray  # onsite days == 0
    mult: np.ndarray  # priority multiplier
    loc: np.ndarray  # (N,) row into dist
    nforms: np.ndarray  # int64 bitmask, 0 = any
    nform_id: np.ndarray  # index of the need's form set in form_table's rows
    nfrom: np.ndarray
    nto: np.ndarray
    nskills: np.ndarray  # (N, S) 0/1 float
    nskill_count: np.ndarray
    # talents
    home: np.ndarray  # (T,) column into dist
    cap: np.ndarray
    slots: np.ndarray  # max_assignments
    travel: np.ndarray
    remote_ok: np.ndarray
    trained: np.ndarray
    fit: np.ndarray  # (T, P) NaN = absent
    exp: np.ndarray
    tforms: np.ndarray
    tform_id: np.ndarray
    form_table: np.ndarray | None  # (need form sets × talent form sets) → compatible; None = no forms given
    tfrom: np.ndarray
    tto: np.ndarray
    ratings: np.ndarray  # (S, T) quantised
    # geography
    dist: np.ndarray  # (L, H) km, joint needs take the max over their municipalities
    # sparse pair tables, sorted by (need, talent)
    pref_n: np.ndarray
    pref_t: np.ndarray
    pref_v: np.ndarray  # (E, 2): need's preference value, talent's preference value
    coi_n: np.ndarray
    coi_t: np.ndarray
    excl_n: np.ndarray
    excl_t: np.ndarray
    given_n: np.ndarray | None
    given_t: np.ndarray | None
    given_v: np.ndarray | None
    locked: list[tuple[int, int]]

    @cached_property
    def has_dates(self) -> bool:
        """Whether any record bounds its availability (otherwise the dates rule is skipped)."""
        return bool(
            (self.nfrom > DATE_MIN).any()
            or (self.nto < DATE_MAX).any()
            or (self.tfrom > DATE_MIN).any()
            or (self.tto < DATE_MAX).any()
        )

    @property
    def n_needs(self) -> int:
        return len(self.needs)

    @property
    def n_talents(self) -> int:
        return len(self.talents)

    def talent_passes(self, p: int) -> np.ndarray:
        """Boolean (T,) of talents meeting persona p's standard and (if required) trained."""
        f = self.fit[:, p]
        with np.errstate(invalid="ignore"):
            ok = (f > 0) if self.params.min_fit is None else (f >= self.params.min_fit)
        ok &= ~np.isnan(f)
        if self.params.require_training:
            ok &= self.trained
        return ok


def _bitmask(forms: Sequence[str], vocab: dict[str, int], cache: dict | None = None) -> int:
    if cache is not None:
        hit = cache.get(forms)
        if hit is not None:
            return hit
    mask = 0
    for f in forms:
        key = norm(f)
        if key:
            mask |= 1 << vocab[key]
    if cache is not None:
        cache[forms] = mask
    return mask


def _vocab_ids(raw: Sequence[str], vocab: dict[str, int]) -> list[int]:
    """Vocabulary indices of the distinct normalised non-empty items of raw, in order (adds new items)."""
    ids: list[int] = []
    for item in raw:
        key = norm(item)
        if key:
            j = vocab.setdefault(key, len(vocab))
            if j not in ids:
                ids.append(j)
    return ids


_BY_ID = attrgetter("id")


def _ordinal(d, default: int) -> int:
    return default if d is None else d.toordinal()


def compile_instance(
    needs: Sequence[Need],
    talents: Sequence[Talent],
    coords: Mapping[str, tuple[float, float]],
    params: MatchParams,
    scores: Mapping[tuple[str, str], float] | None,
) -> Compiled:
    """Index the (already validated) instance into arrays."""
    needs = sorted(needs, key=_BY_ID)
    talents = sorted(talents, key=_BY_ID)
    need_index = {n.id: i for i, n in enumerate(needs)}
    talent_index = {t.id: i for i, t in enumerate(talents)}
    N, T = len(needs), len(talents)
    w = params.weights

    personas = sorted({norm(n.persona) for n in needs})
    pidx = {p: i for i, p in enumerate(personas)}
    fit = np.full((T, max(1, len(personas))), np.nan)
    for i, t in enumerate(talents):
        for persona, value in t.fit.items():
            j = pidx.get(norm(persona))
            if j is not None:
                fit[i, j] = float(value)

    form_vocab: dict[str, int] = {}
    for rec in (*needs, *talents):
        for f in rec.appointment_forms:
            key = norm(f)
            if key and key not in form_vocab:
                form_vocab[key] = len(form_vocab)
    if len(form_vocab) > 62:
        raise InstanceError(f"at most 62 distinct appointment forms are supported, got {len(form_vocab)}")

    # Each distinct skill list is translated once (needs raised from one JD template share theirs).
    skill_vocab: dict[str, int] = {}
    skill_cache: dict[tuple, list[int]] = {}
    need_skill_ids = []
    for n in needs:
        raw = tuple(n.skills)
        ids = skill_cache.get(raw)
        if ids is None:
            ids = skill_cache[raw] = _vocab_ids(raw, skill_vocab)
        need_skill_ids.append(ids)
    S = max(1, len(skill_vocab))
    nskills = np.zeros((N, S))
    skill_counts = [len(ids) for ids in need_skill_ids]
    nskills[np.repeat(np.arange(N), skill_counts), list(chain.from_iterable(need_skill_ids))] = 1.0
    ratings = np.zeros((S, T))
    # Talents of one persona share the same rating keys: translate each distinct key tuple once.
    key_cols: dict[tuple, np.ndarray] = {}
    parts, counts, values = [], [], []
    for t in talents:
        r = t.skill_ratings
        counts.append(len(r))
        if not r:
            continue
        keys = tuple(r)
        cols = key_cols.get(keys)
        if cols is None:
            cols = key_cols[keys] = np.array([skill_vocab.get(norm(k), -1) for k in keys], dtype=np.int64)
        parts.append(cols)
        values.extend(r.values())
    if values:
        rk = np.concatenate(parts)
        rj = np.repeat(np.arange(T), counts)
        rv = np.asarray(values, dtype=np.float64)
        hit = rk >= 0
        # Same grid as quantise_rating (np.rint is round-half-even too); later duplicates win, as in a dict.
        ratings[rk[hit], rj[hit]] = np.rint(np.clip(rv[hit], 0.0, 1.0) * RATING_GRID) / RATING_GRID

    # Geography: a distance table from each distinct need location (one municipality or a joint set)
    # to each distinct talent home, so a pair's distance is one lookup.
    homes = sorted({t.home for t in talents})
    home_col = {h: i for i, h in enumerate(homes)}
    need_loc = [
        (ms[0],) if len(ms) == 1 else tuple(sorted(set(ms))) for ms in (n.municipalities for n in needs)
    ]
    locations = sorted(set(need_loc))
    loc_row = {loc: i for i, loc in enumerate(locations)}
    munis = sorted({m for loc in locations for m in loc})
    muni_row = {m: i for i, m in enumerate(munis)}
    if munis and homes:
        mlat = np.array([coords[m][0] for m in munis], dtype=np.float64)
        mlng = np.array([coords[m][1] for m in munis], dtype=np.float64)
        hlat = np.array([coords[h][0] for h in homes], dtype=np.float64)
        hlng = np.array([coords[h][1] for h in homes], dtype=np.float64)
        md = haversine_matrix(mlat, mlng, hlat, hlng)
        if all(len(loc) == 1 for loc in locations):  # then locations and munis are the same rows
            dist = md
        else:
            dist = md[[muni_row[loc[0]] for loc in locations]]
            joint = [i for i, loc in enumerate(locations) if len(loc) > 1]
            if joint:
                # A joint location is as far as its farthest municipality: gather every joint location's
                # rows at once (padded with its first municipality) and take the maximum.
                width = max(len(locations[i]) for i in joint)
                idx = [
                    [muni_row[m] for m in locations[i]]
                    + [muni_row[locations[i][0]]] * (width - len(locations[i]))
                    for i in joint
                ]
                dist[joint] = md[np.array(idx)].max(axis=1)
    else:
        dist = np.zeros((max(1, len(locations)), max(1, len(homes))))

    pref_pairs: dict[tuple[int, int], list[float]] = {}
    for i, n in enumerate(needs):
        L = len(n.preferences)
        for pos, tid in enumerate(n.preferences):
            pref_pairs.setdefault((i, talent_index[tid]), [0.0, 0.0])[0] = preference_value(pos, L)
    for j, t in enumerate(talents):
        L = len(t.preferences)
        for pos, nid in enumerate(t.preferences):
            pref_pairs.setdefault((need_index[nid], j), [0.0, 0.0])[1] = preference_value(pos, L)
    pref_n, pref_t, pref_v = _sparse(list(pref_pairs), list(pref_pairs.values()), width=2)

    by_employer: dict[str, list[int]] = {}
    for j, t in enumerate(talents):
        if t.employers:
            for e in {norm(e) for e in t.employers}:
                if e:
                    by_employer.setdefault(e, []).append(j)
    employer_talents = {e: np.array(v, dtype=np.int64) for e, v in by_employer.items()}
    coi_parts_n, coi_parts_t = [], []
    for i, n in enumerate(needs):
        if n.excluded_employers:
            hits = [
                employer_talents[e] for e in {norm(e) for e in n.excluded_employers} if e in employer_talents
            ]
            if hits:
                ts = np.unique(np.concatenate(hits))
                coi_parts_n.append(np.full(len(ts), i, dtype=np.int64))
                coi_parts_t.append(ts)
    if coi_parts_n:
        coi_n, coi_t = np.concatenate(coi_parts_n), np.concatenate(coi_parts_t)  # sorted by (need, talent)
    else:
        coi_n = coi_t = np.zeros(0, dtype=np.int64)

    excl = sorted({(need_index[a], talent_index[b]) for a, b in params.excluded})
    excl_n, excl_t, _ = _sparse(excl)

    if scores is not None:
        items = sorted(((need_index[a], talent_index[b]), v) for (a, b), v in scores.items())
        given_n, given_t, given_v = _sparse([k for k, _ in items], [v for _, v in items])
        given_v = given_v[:, 0]
    else:
        given_n = given_t = given_v = None

    # Column by column: one comprehension per field is several times faster than a tuple per record.
    form_cache: dict = {}
    nforms = np.array(
        [
            _bitmask(tuple(f), form_vocab, form_cache) if f else 0
            for f in (n.appointment_forms for n in needs)
        ],
        dtype=np.int64,
    )
    onsite = np.array([n.onsite_days_per_month for n in needs], dtype=np.float64)
    need_arrays = {
        "persona": np.array([pidx[norm(n.persona)] for n in needs], dtype=np.int64),
        "hours": np.array([n.hours_per_week for n in needs], dtype=np.float64),
        "onsite": onsite,
        "remote_only": onsite == 0,
        "mult": np.array([priority_multiplier(n.weight, w.priority) for n in needs], dtype=np.float64),
        "loc": np.array([loc_row[key] for key in need_loc], dtype=np.int64),
        "nfrom": np.array([_ordinal(n.available_from, DATE_MIN) for n in needs], dtype=np.int64),
        "nto": np.array([_ordinal(n.available_to, DATE_MAX) for n in needs], dtype=np.int64),
    }
    talent_cols = (
        list(
            zip(
                *(
                    (
                        home_col[t.home],
                        float(t.capacity_hours_per_week),
                        int(t.max_assignments),
                        float(t.travel_km),
                        bool(t.remote_ok),
                        bool(t.trained),
                        experience_value(t.experiences) if t.experiences else 0.0,
                        _bitmask(tuple(t.appointment_forms), form_vocab, form_cache)
                        if t.appointment_forms
                        else 0,
                        _ordinal(t.available_from, DATE_MIN),
                        _ordinal(t.available_to, DATE_MAX),
                    )
                    for t in talents
                ),
                strict=True,
            )
        )
        or [()] * 10
    )
    tforms = np.array(talent_cols[7], dtype=np.int64)
    n_sets, nform_id = np.unique(nforms, return_inverse=True)
    t_sets, tform_id = np.unique(tforms, return_inverse=True)
    form_table = None
    if nforms.any() and tforms.any():
        form_table = (
            (n_sets[:, None] == 0) | (t_sets[None, :] == 0) | ((n_sets[:, None] & t_sets[None, :]) != 0)
        )

    return Compiled(
        needs=needs,
        talents=talents,
        need_index=need_index,
        talent_index=talent_index,
        params=params,
        personas=personas,
        **need_arrays,
        nforms=nforms,
        nform_id=nform_id.reshape(-1).astype(np.int64),
        nskills=nskills,
        nskill_count=np.array(skill_counts, dtype=np.float64),
        home=np.array(talent_cols[0], dtype=np.int64),
        cap=np.array(talent_cols[1], dtype=np.float64),
        slots=np.array(talent_cols[2], dtype=np.int64),
        travel=np.array(talent_cols[3], dtype=np.float64),
        remote_ok=np.array(talent_cols[4], dtype=bool),
        trained=np.array(talent_cols[5], dtype=bool),
        fit=fit,
        exp=np.array(talent_cols[6], dtype=np.float64),
        tforms=tforms,
        tform_id=tform_id.reshape(-1).astype(np.int64),
        form_table=form_table,
        tfrom=np.array(talent_cols[8], dtype=np.int64),
        tto=np.array(talent_cols[9], dtype=np.int64),
        ratings=ratings,
        dist=dist,
        pref_n=pref_n,
        pref_t=pref_t,
        pref_v=pref_v,
        coi_n=coi_n,
        coi_t=coi_t,
        excl_n=excl_n,
        excl_t=excl_t,
        given_n=given_n,
        given_t=given_t,
        given_v=given_v,
        locked=sorted((need_index[a], talent_index[b]) for a, b in params.locked),
    )

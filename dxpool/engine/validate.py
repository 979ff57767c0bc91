"""Checks an instance before matching; every problem is one `InstanceError` line naming the record."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from itertools import chain
from numbers import Real

import numpy as np

from .errors import InstanceError
from .model import MODES, OPTIMAL_SIDES, MatchParams, Need, ScoreWeights, Talent

ScoresInput = Mapping[tuple[str, str], float] | Iterable[Sequence]


def _finite(value, what: str, *, minimum: float | None = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InstanceError(f"{what} must be a number, got {value!r}")
    try:
        v = float(value)
    except OverflowError:  # an int beyond float range (JSON allows any number of digits)
        v = math.inf
    if not math.isfinite(v):
        raise InstanceError(f"{what} must be a finite number, got {value!r}")
    if minimum is not None and v < minimum:
        raise InstanceError(f"{what} must not be negative, got {value!r}")
    return v


_FLOAT_MAX_INT = int(np.finfo(np.float64).max)


def _ok(value) -> bool:
    """Fast path for the common case: a finite, non-negative plain int or float."""
    if type(value) is float:
        return math.isfinite(value) and value >= 0
    # An int is finite unless it is beyond float range, which _finite then reports.
    return type(value) is int and 0 <= value <= _FLOAT_MAX_INT


def _dates(start, end, what: str) -> None:
    for v, name in ((start, "available_from"), (end, "available_to")):
        if v is not None and not isinstance(v, date):
            raise InstanceError(f"{what}: {name} must be a date, got {v!r}")
    if start is not None and end is not None and start > end:
        raise InstanceError(
            f"{what}: available_from {start.isoformat()} is after available_to {end.isoformat()}"
        )


def _ids(seq, what: str, field: str = "") -> tuple[str, ...]:
    """The strings of a list/tuple field; the message (what + field) is only built on error."""
    if type(seq) is tuple and all(type(x) is str for x in seq):
        return seq  # the common case, checked without building any message
    name = f"{what}: {field}" if field else what
    if isinstance(seq, str):
        raise InstanceError(f"{name} must be a list, got a string")
    if not isinstance(seq, list | tuple | set | frozenset):
        raise InstanceError(f"{name} must be a list, got {type(seq).__name__}")
    out = tuple(seq)
    for x in out:
        if not isinstance(x, str):
            raise InstanceError(f"{name} must hold strings, got {x!r}")
    return out


def normalise_scores(scores: ScoresInput | None) -> dict[tuple[str, str], float] | None:
    """Turn `scores` (a mapping (need, talent) → score, or (need, talent, score) triples) into a dict."""
    if scores is None:
        return None
    items = (
        scores.items()
        if isinstance(scores, Mapping)
        else ((tuple(s[:2]), s[2]) if len(s) == 3 else (s, None) for s in scores)
    )
    out: dict[tuple[str, str], float] = {}
    for key, value in items:
        if value is None or len(key) != 2:
            raise InstanceError(f"a score must be [need, talent, score], got {list(key)!r}")
        n, t = key
        if not isinstance(n, str) or not isinstance(t, str):
            raise InstanceError(f"a score must name a need and a talent by id, got {[n, t]!r}")
        v = _finite(value, f"score of ({n}, {t})", minimum=None)
        if (n, t) in out:
            raise InstanceError(f"score of ({n}, {t}) is given twice")
        out[(n, t)] = v
    return out


def _validate_params(params: MatchParams) -> None:
    if params.mode not in MODES:
        raise InstanceError(f"mode must be one of {', '.join(MODES)}, got {params.mode!r}")
    if params.optimal not in OPTIMAL_SIDES:
        raise InstanceError(f"optimal must be one of {', '.join(OPTIMAL_SIDES)}, got {params.optimal!r}")
    if params.min_fit is not None:
        _finite(params.min_fit, "min_fit", minimum=None)
    w = params.weights
    if not isinstance(w, ScoreWeights):
        raise InstanceError("weights must be a ScoreWeights")
    for name in (
        "fit",
        "skills",
        "experience",
        "distance",
        "need_preference",
        "talent_preference",
        "priority",
    ):
        _finite(getattr(w, name), f"weight {name}", minimum=None)
    if _finite(w.distance_scale_km, "weight distance_scale_km") <= 0:
        raise InstanceError("weight distance_scale_km must be positive")
    if _finite(params.time_limit_s, "time_limit_s") <= 0:
        raise InstanceError("time_limit_s must be positive")
    if params.exact is not None and not isinstance(params.exact, bool):
        raise InstanceError(f"exact must be True, False or None, got {params.exact!r}")
    if params.top_k is not None and (
        isinstance(params.top_k, bool) or not isinstance(params.top_k, int) or params.top_k < 1
    ):
        raise InstanceError(f"top_k must be a positive integer or None, got {params.top_k!r}")


def validate_instance(
    needs: Sequence[Need],
    talents: Sequence[Talent],
    coords: Mapping[str, tuple[float, float]],
    params: MatchParams | None = None,
    scores: ScoresInput | None = None,
) -> None:
    """Raise `InstanceError` (one line) on the first problem found; return None when the instance is sound.

    Checked: duplicate ids; unknown municipality codes (not in `coords`); negative or non-finite hours,
    capacity, travel, weight, fit and ratings; max_assignments < 1; preferences naming unknown or repeated
    ids; dates out of order; scores naming unknown ids or not finite; locked/excluded pairs naming unknown
    ids, a need locked twice, or a pair both locked and excluded.

    A sound instance is recognised by whole-column checks (one pass per field over all records, numbers
    checked with numpy); only when one of them fails does the record-by-record check run, which finds and
    names the first problem. Both paths accept exactly the same instances (a property test holds them to it).
    """
    params = params or MatchParams()
    _validate_params(params)
    try:
        sound = _looks_sound(needs, talents, coords)
    except Exception:  # anything odd (unhashable ids, huge ints, strange mappings): let the slow path name it
        sound = False
    if not sound:
        _validate_records(needs, talents, coords)
    _validate_pairs(needs, talents, params, scores)


_NUMBER_TYPES = frozenset((int, float))
_DATE_TYPES = frozenset((type(None), date))


def _strings(values: list) -> bool:
    return set(map(type, values)) <= {str}


def _non_negative(values: list) -> bool:
    """All plain finite non-negative ints/floats (bool is excluded: type(True) is bool)."""
    if not values:
        return True
    if not set(map(type, values)) <= _NUMBER_TYPES:
        return False
    arr = np.array(values, dtype=np.float64)  # a huge int raises OverflowError: caught by the caller
    return bool(np.isfinite(arr).all() and (arr >= 0).all())


def _tuples_of_strings(columns: list[list]) -> bool:
    """Every value of every column is a tuple of strings."""
    for col in columns:
        if not set(map(type, col)) <= {tuple}:
            return False
        if not _strings(list(chain.from_iterable(col))):
            return False
    return True


def _dates_sound(starts: list, ends: list) -> bool:
    if not set(map(type, starts)) <= _DATE_TYPES or not set(map(type, ends)) <= _DATE_TYPES:
        return False
    return all(a <= b for a, b in zip(starts, ends, strict=True) if a is not None and b is not None)


def _unique_lists(lists: list[tuple], known: set[str]) -> bool:
    """Preference lists: no repeats, every id known."""
    listed = [p for p in lists if p]
    if not listed:
        return True
    return all(len(set(p)) == len(p) for p in listed) and known.issuperset(chain.from_iterable(listed))


def _looks_sound(needs, talents, coords) -> bool:
    """True only when every record-level rule of _validate_records holds (False may be a false alarm)."""
    if set(map(type, needs)) - {Need} or set(map(type, talents)) - {Talent}:
        return False
    need_ids = [n.id for n in needs]
    talent_ids = [t.id for t in talents]
    if not (_strings(need_ids) and _strings(talent_ids)):
        return False
    need_set, talent_set = set(need_ids), set(talent_ids)
    if len(need_set) != len(need_ids) or len(talent_set) != len(talent_ids) or "" in need_set | talent_set:
        return False

    munis = [n.municipalities for n in needs]
    personas = [n.persona for n in needs]
    need_prefs = [n.preferences for n in needs]
    talent_prefs = [t.preferences for t in talents]
    if not _tuples_of_strings(
        [
            munis,
            need_prefs,
            [n.excluded_employers for n in needs],
            [n.skills for n in needs],
            [n.appointment_forms for n in needs],
            talent_prefs,
            [t.employers for t in talents],
            [t.experiences for t in talents],
            [t.appointment_forms for t in talents],
        ]
    ):
        return False
    if not all(munis) or not _strings(personas) or not all(p.strip() for p in set(personas)):
        return False
    homes = [t.home for t in talents]
    used = set(chain.from_iterable(munis))
    used.update(homes)
    if not all(code in coords for code in used):
        return False
    if not _non_negative(
        [n.hours_per_week for n in needs]
        + [n.onsite_days_per_month for n in needs]
        + [n.weight for n in needs]
        + [t.capacity_hours_per_week for t in talents]
        + [t.travel_km for t in talents]
    ):
        return False
    slots = [t.max_assignments for t in talents]
    if not set(map(type, slots)) <= {int} or (slots and min(slots) < 1):
        return False
    fits = [t.fit for t in talents]
    ratings = [t.skill_ratings for t in talents]
    if not set(map(type, fits)) <= {dict} or not set(map(type, ratings)) <= {dict}:
        return False
    if not _non_negative(list(chain.from_iterable(f.values() for f in fits))):
        return False
    if not _non_negative(list(chain.from_iterable(r.values() for r in ratings))):
        return False
    if not _unique_lists(need_prefs, talent_set):
        return False
    if not _unique_lists(talent_prefs, need_set):
        return False
    if not _dates_sound([n.available_from for n in needs], [n.available_to for n in needs]):
        return False
    if not _dates_sound([t.available_from for t in talents], [t.available_to for t in talents]):
        return False
    if used:
        pts = [coords[code] for code in used]
        if not set(map(type, pts)) <= {tuple} or {len(p) for p in pts} != {2}:
            return False
        flat = list(chain.from_iterable(pts))
        if not set(map(type, flat)) <= _NUMBER_TYPES:
            return False
        arr = np.array(flat, dtype=np.float64).reshape(-1, 2)
        if not np.isfinite(arr).all():
            return False
        if not ((np.abs(arr[:, 0]) <= 90).all() and (np.abs(arr[:, 1]) <= 180).all()):
            return False
    return True


def _validate_records(needs, talents, coords) -> None:
    """Record by record: raise on the first problem, naming the record and the field."""
    need_ids: set[str] = set()
    talent_ids: set[str] = set()
    used_codes: set[str] = set()
    for n in needs:
        if not isinstance(n, Need):
            raise InstanceError(f"needs must be Need records, got {type(n).__name__}")
        if not isinstance(n.id, str) or not n.id:
            raise InstanceError(f"need id must be a non-empty string, got {n.id!r}")
        if n.id in need_ids:
            raise InstanceError(f"duplicate need id {n.id}")
        need_ids.add(n.id)
    for t in talents:
        if not isinstance(t, Talent):
            raise InstanceError(f"talents must be Talent records, got {type(t).__name__}")
        if not isinstance(t.id, str) or not t.id:
            raise InstanceError(f"talent id must be a non-empty string, got {t.id!r}")
        if t.id in talent_ids:
            raise InstanceError(f"duplicate talent id {t.id}")
        talent_ids.add(t.id)

    for n in needs:
        what = f"need {n.id}"
        munis = _ids(n.municipalities, what, "municipalities")
        if not munis:
            raise InstanceError(f"{what}: no municipality given")
        for code in munis:
            if code not in coords:
                raise InstanceError(f"{what}: unknown municipality code {code!r} (not in coords)")
            used_codes.add(code)
        if not isinstance(n.persona, str) or not n.persona.strip():
            raise InstanceError(f"{what}: persona must be a non-empty string")
        for name in ("hours_per_week", "onsite_days_per_month", "weight"):
            if not _ok(getattr(n, name)):
                _finite(getattr(n, name), f"{what}: {name}")
        prefs = _ids(n.preferences, what, "preferences")
        seen: set[str] = set()
        for p in prefs:
            if p not in talent_ids:
                raise InstanceError(f"{what}: preference names unknown talent {p!r}")
            if p in seen:
                raise InstanceError(f"{what}: preference lists talent {p} twice")
            seen.add(p)
        for name in ("excluded_employers", "skills", "appointment_forms"):
            _ids(getattr(n, name), what, name)
        _dates(n.available_from, n.available_to, what)

    for t in talents:
        what = f"talent {t.id}"
        if not isinstance(t.home, str):
            raise InstanceError(f"{what}: home must be a municipality code, got {t.home!r}")
        if t.home not in coords:
            raise InstanceError(f"{what}: unknown municipality code {t.home!r} (not in coords)")
        used_codes.add(t.home)
        if not _ok(t.capacity_hours_per_week):
            _finite(t.capacity_hours_per_week, f"{what}: capacity_hours_per_week")
        if isinstance(t.max_assignments, bool) or not isinstance(t.max_assignments, int):
            raise InstanceError(f"{what}: max_assignments must be an integer, got {t.max_assignments!r}")
        if t.max_assignments < 1:
            raise InstanceError(f"{what}: max_assignments must be at least 1, got {t.max_assignments}")
        if not _ok(t.travel_km):
            _finite(t.travel_km, f"{what}: travel_km")
        if not isinstance(t.fit, Mapping):
            raise InstanceError(f"{what}: fit must be a mapping persona → number")
        for persona, value in t.fit.items():
            if not _ok(value):
                _finite(value, f"{what}: fit[{persona}]")
        if not isinstance(t.skill_ratings, Mapping):
            raise InstanceError(f"{what}: skill_ratings must be a mapping skill → number")
        for skill, value in t.skill_ratings.items():
            if not _ok(value):
                _finite(value, f"{what}: skill_ratings[{skill}]")
        prefs = _ids(t.preferences, what, "preferences")
        seen = set()
        for p in prefs:
            if p not in need_ids:
                raise InstanceError(f"{what}: preference names unknown need {p!r}")
            if p in seen:
                raise InstanceError(f"{what}: preference lists need {p} twice")
            seen.add(p)
        for name in ("employers", "experiences", "appointment_forms"):
            _ids(getattr(t, name), what, name)
        _dates(t.available_from, t.available_to, what)

    for code in sorted(used_codes):
        try:
            lat, lng = coords[code]
        except (TypeError, ValueError):
            raise InstanceError(f"coords[{code}] must be a (lat, lng) pair") from None
        lat = _finite(lat, f"coords[{code}] latitude", minimum=None)
        lng = _finite(lng, f"coords[{code}] longitude", minimum=None)
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise InstanceError(f"coords[{code}] = ({lat}, {lng}) is not a latitude/longitude")


def _validate_pairs(needs, talents, params: MatchParams, scores) -> None:
    """Scores and locked/excluded pairs (records are already known to be sound)."""
    need_ids = {n.id for n in needs}
    talent_ids = {t.id for t in talents}
    normalised = normalise_scores(scores)
    for n, t in normalised or ():
        if n not in need_ids:
            raise InstanceError(f"score names unknown need {n!r}")
        if t not in talent_ids:
            raise InstanceError(f"score names unknown talent {t!r}")

    locked_needs: set[str] = set()
    for kind, pairs in (("locked", params.locked), ("excluded", params.excluded)):
        for pair in pairs:
            if len(pair) != 2:
                raise InstanceError(f"{kind} pair must be (need, talent), got {pair!r}")
            n, t = pair
            if n not in need_ids:
                raise InstanceError(f"{kind} pair names unknown need {n!r}")
            if t not in talent_ids:
                raise InstanceError(f"{kind} pair names unknown talent {t!r}")
            if kind == "locked":
                if n in locked_needs:
                    raise InstanceError(f"need {n} is locked to more than one talent")
                locked_needs.add(n)
    both = set(map(tuple, params.locked)) & set(map(tuple, params.excluded))
    if both:
        n, t = sorted(both)[0]
        raise InstanceError(f"pair ({n}, {t}) is both locked and excluded")

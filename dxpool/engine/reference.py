"""The scalar reference for eligibility and score: one pair at a time, straight from the records.

It shares no code with the vectorised kernel in scoring.py beyond the tiny value helpers, so tests can hold
the two against each other, and the blocking-pair checker can judge a stable matching independently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .geo import haversine_km
from .instance import experience_value, fit_passes, preference_value, priority_multiplier, quantise_rating
from .model import MatchParams, Need, Talent, norm
from .scoring import HOURS_EPS


@dataclass(frozen=True)
class PairEvaluation:
    """Rules the pair fails (empty = eligible), its score and the named components."""

    fails: tuple[str, ...]
    score: float
    components: Mapping[str, float] = field(default_factory=dict)

    @property
    def eligible(self) -> bool:
        return not self.fails


def pair_distance_km(need: Need, talent: Talent, coords: Mapping[str, tuple[float, float]]) -> float:
    """Great-circle km from the talent's home to the farthest of the need's municipalities."""
    return max(haversine_km(coords[m], coords[talent.home]) for m in set(need.municipalities))


def _fit(need: Need, talent: Talent) -> float | None:
    persona = norm(need.persona)
    value = None
    for key, v in talent.fit.items():
        if norm(key) == persona:
            value = float(v)
    return value


def evaluate_pair(
    need: Need,
    talent: Talent,
    coords: Mapping[str, tuple[float, float]],
    params: MatchParams,
    scores: Mapping[tuple[str, str], float] | None = None,
    *,
    stable: bool = False,
) -> PairEvaluation:
    """Evaluate one (need, talent) pair against every eligibility rule and compute its score."""
    w = params.weights
    fails: list[str] = []
    fit = _fit(need, talent)
    if fit is None or not fit_passes(fit, params.min_fit):
        fails.append("persona")
    if params.require_training and not talent.trained:
        fails.append("training")
    nforms = {norm(f) for f in need.appointment_forms} - {""}
    tforms = {norm(f) for f in talent.appointment_forms} - {""}
    if nforms and tforms and not (nforms & tforms):
        fails.append("appointment_form")
    d = pair_distance_km(need, talent, coords)
    remote = float(need.onsite_days_per_month) == 0 and talent.remote_ok
    if not (d <= talent.travel_km or remote):
        fails.append("distance")
    if ({norm(e) for e in need.excluded_employers} - {""}) & ({norm(e) for e in talent.employers} - {""}):
        fails.append("conflict_of_interest")
    starts = [x for x in (need.available_from, talent.available_from) if x is not None]
    ends = [x for x in (need.available_to, talent.available_to) if x is not None]
    if starts and ends and max(starts) > min(ends):
        fails.append("dates")
    if float(need.hours_per_week) > talent.capacity_hours_per_week + HOURS_EPS:
        fails.append("capacity")
    if (need.id, talent.id) in {tuple(p) for p in params.excluded}:
        fails.append("excluded")
    if scores is not None and (need.id, talent.id) not in scores:
        fails.append("not_scored")
    if (
        stable
        and float(need.hours_per_week) > talent.capacity_hours_per_week / talent.max_assignments + HOURS_EPS
    ):
        fails.append("slot_size")

    if scores is not None:
        given = scores.get((need.id, talent.id))
        return PairEvaluation(
            tuple(fails), float("nan") if given is None else float(given), {"given": given, "distance_km": d}
        )

    fitv = 0.0 if fit is None else fit
    exp = experience_value(talent.experiences)
    tb = w.fit * fitv + w.experience * exp
    ds = 1.0 / (1.0 + d / w.distance_scale_km)
    skills: list[str] = []
    for s in need.skills:
        key = norm(s)
        if key and key not in skills:
            skills.append(key)
    ratings: dict[str, float] = {}
    for key, v in talent.skill_ratings.items():
        ratings[norm(key)] = quantise_rating(v)
    total = 0.0
    for s in skills:
        total += ratings.get(s, 0.0)
    cov = total / max(float(len(skills)), 1.0)
    pb = w.skills * cov + w.distance * ds
    core = tb + pb
    npref = tpref = 0.0
    listed = False
    if talent.id in need.preferences:
        npref = preference_value(need.preferences.index(talent.id), len(need.preferences))
        listed = True
    if need.id in talent.preferences:
        tpref = preference_value(talent.preferences.index(need.id), len(talent.preferences))
        listed = True
    if listed:
        core = core + (w.need_preference * npref + w.talent_preference * tpref)
    mult = priority_multiplier(need.weight, w.priority)
    score = mult * core
    return PairEvaluation(
        tuple(fails),
        score,
        {
            "fit": fitv,
            "skills": cov,
            "experience": exp,
            "distance": ds,
            "need_preference": npref,
            "talent_preference": tpref,
            "priority": mult,
            "distance_km": d,
        },
    )

"""The engine's value types: frozen dataclasses in, frozen dataclasses out.

Ids are opaque strings compared exactly; every other piece of text (personas, employers, appointment forms,
skill items, experience tags) is compared after NFKC normalisation and case folding, because the same
company is typed as `Ａ社` in one sheet and `A社` in another.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

#: The experience tag that counts as knowledge of local government (seed 000: essential for every persona).
LOCAL_GOVERNMENT = "local_government"

MODES = ("optimal", "stable")
OPTIMAL_SIDES = ("need", "talent")


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """NFKC-normalise, trim and case-fold a piece of text for comparison."""
    return unicodedata.normalize("NFKC", str(text)).strip().casefold()


@dataclass(frozen=True)
class Need:
    """A job a municipality (or a grouping of municipalities) wants filled.

    `municipalities` lists 6-digit local government codes; more than one means a joint need served by one
    person (distance is then the farthest of them). `preferences` ranks talent ids, best first.
    `onsite_days_per_month == 0` means the work can be done fully remotely.
    """

    id: str
    municipalities: tuple[str, ...]
    persona: str
    hours_per_week: float
    onsite_days_per_month: float
    weight: float = 1.0
    excluded_employers: tuple[str, ...] = ()
    preferences: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    appointment_forms: tuple[str, ...] = ()
    available_from: date | None = None
    available_to: date | None = None


@dataclass(frozen=True)
class Talent:
    """A person in the pool.

    `fit` maps persona → how well the person meets that persona's standard (0–1; absent = not met).
    `skill_ratings` maps skill item → self/assessed rating in 0–1. `experiences` are tags; `local_government`
    is the one the score rewards most. `preferences` ranks need ids, best first.
    """

    id: str
    home: str
    capacity_hours_per_week: float
    max_assignments: int
    travel_km: float
    remote_ok: bool
    trained: bool
    fit: Mapping[str, float]
    employers: tuple[str, ...] = ()
    preferences: tuple[str, ...] = ()
    skill_ratings: Mapping[str, float] = field(default_factory=dict)
    experiences: tuple[str, ...] = ()
    appointment_forms: tuple[str, ...] = ()
    available_from: date | None = None
    available_to: date | None = None


@dataclass(frozen=True)
class ScoreWeights:
    """Weights of the named score components (each component lies in 0–1).

    score = priority_multiplier × ((fit·fit + experience·experience) + (skills·skills + distance·distance)
                                    + (need_preference·need_pref + talent_preference·talent_pref))
    with priority_multiplier = need.weight ** priority, and the distance component = 1 / (1 + km / distance_scale_km).
    """

    fit: float = 1.0
    skills: float = 0.5
    experience: float = 0.3
    distance: float = 0.3
    need_preference: float = 0.4
    talent_preference: float = 0.2
    priority: float = 1.0
    distance_scale_km: float = 50.0


@dataclass(frozen=True)
class MatchParams:
    """How to run a match.

    mode: `optimal` (maximise the total weighted score) or `stable` (deferred acceptance, no blocking pair).
    optimal: in stable mode, which side proposes and so gets its best stable partner (`need` or `talent`).
    require_training: the training-completed gate; switch it off to see who could match once trained.
    min_fit: a talent meets a persona's standard when fit ≥ min_fit; None means fit > 0.
    locked / excluded: (need id, talent id) pairs that must / must not be in the result.
    time_limit_s: wall-clock budget for the optional exact polish of the optimal mode.
    top_k: candidates kept per need before solving; None chooses automatically (all of them on small
        instances). Pruning never makes the reported bound invalid (see docs/matching.md).
    exact: optimal mode only — True proves optimality with a MILP (within time_limit_s), False never runs
        it, None (default) runs it on small instances (≤ 4,000 candidate pairs).
    """

    mode: str = "optimal"
    optimal: str = "need"
    require_training: bool = True
    min_fit: float | None = None
    weights: ScoreWeights = field(default_factory=ScoreWeights)
    locked: tuple[tuple[str, str], ...] = ()
    excluded: tuple[tuple[str, str], ...] = ()
    time_limit_s: float = 10.0
    top_k: int | None = None
    exact: bool | None = None


@dataclass(frozen=True)
class Assignment:
    """One need filled by one talent, with the score and its named components."""

    need: str
    talent: str
    score: float
    breakdown: Mapping[str, Any]
    locked: bool = False


@dataclass(frozen=True)
class Unfilled:
    """A need left unfilled and why.

    reason is `no_eligible_talent` (detail counts the talents failing each rule), `talents_taken`
    (every eligible talent's capacity went to other needs; detail names them and by whom),
    `not_worth_filling` (only non-positive scores were available) or `no_acceptable_talent` (stable mode:
    eligible talents exist but the need's hours exceed their slot size).
    """

    need: str
    reason: str
    detail: Mapping[str, Any]


@dataclass(frozen=True)
class MatchResult:
    """The outcome of `match`.

    objective: total score of the assignments. bound: an upper bound on the best possible total over *all*
    eligible pairs (optimal mode; None in stable mode). gap: (bound − objective) / max(|bound|, 1e-9).
    stats: counts and timings (pairs considered, seconds per phase, the training gate used, …).
    """

    mode: str
    optimal: str | None
    assignments: tuple[Assignment, ...]
    objective: float
    bound: float | None
    gap: float | None
    unfilled: tuple[Unfilled, ...]
    stats: Mapping[str, Any]
    params: MatchParams
    # Compiled instance and candidate lists, kept so explain_pair can answer without rescoring everything.
    context: Any = field(default=None, repr=False, compare=False)

"""Database rows → engine value types. The only place that knows both shapes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dxpool.engine import Need as EngineNeed
from dxpool.engine import Talent as EngineTalent
from dxpool.talent.models import TalentProfile

if TYPE_CHECKING:
    from dxpool.needs.models import Need

RATING_MAX = 4


def talent_fit(profile: TalentProfile) -> dict[str, float]:
    """Fit per persona the profile meets: 0.5 for meeting the standard plus up to 0.5 for skill coverage.

    Personas not met are absent, which the engine reads as ineligible (unless the run lowers min_fit).
    """
    met = set(profile.personas_met.split())
    fit = {}
    for p in profile.assessment.get("personas", []):
        if p["code"] in met:
            fit[p["code"]] = round(0.5 + 0.5 * float(p.get("skill_score", 0.0)), 4)
    return fit


def profile_to_engine(profile: TalentProfile, *, trained: bool, max_assignments: int) -> EngineTalent:
    """A pool profile as the engine's talent `T<pk>`: home municipality code, capacity, fit, ratings in 0–1.

    Self-ratings are stored on the standard's 0–4 scale and given to the engine as a share of the maximum.
    """
    code = profile.home_municipality.code if profile.home_municipality else ""
    return EngineTalent(
        id=f"T{profile.pk}",
        home=code,
        capacity_hours_per_week=float(profile.hours_per_week),
        max_assignments=max_assignments,
        travel_km=float(profile.travel_km),
        remote_ok=profile.remote_ok,
        trained=trained,
        fit=talent_fit(profile),
        employers=tuple(e for e in [profile.employer, *profile.side_employers] if e),
        skill_ratings={k: v / RATING_MAX for k, v in profile.skill_ratings.items()},
        experiences=tuple(e.get("code", "") for e in profile.experiences if isinstance(e, dict)),
        appointment_forms=tuple(profile.appointment_forms),
        available_from=profile.available_from,
        available_to=profile.available_to,
    )


def need_to_engine(need: Need) -> EngineNeed:
    """An open need as the engine's need `N<pk>`, with every municipality of a joint need (sorted codes)."""
    return EngineNeed(
        id=f"N{need.pk}",
        municipalities=tuple(need.municipality_codes()),
        persona=need.persona,
        hours_per_week=float(need.hours_per_week),
        onsite_days_per_month=float(need.onsite_days_per_month),
        weight=float(need.weight),
        excluded_employers=tuple(need.excluded_employers or ()),
        skills=tuple(need.skills or ()),
        appointment_forms=tuple(need.appointment_forms or ()),
        available_from=getattr(need, "period_from", None),
        available_to=getattr(need, "period_to", None),
    )

"""Explainable assessment of a profile against the skill standard.

A persona's standard is met when (any one desired skill level or qualification is held) AND (any one desired
experience is held) — the standard's 「いずれか」 on both sides (seed 000_01556ea2d2b360de.txt). The service
designer names no level or qualification, so only experience counts there. Skill-item ratings (0–4) give a
coverage score per persona that is reported beside, not inside, the yes/no of the standard.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dxpool.standard.errors import ProfileError
from dxpool.standard.loader import FRAMEWORKS, Standard, load_standard, normalise

MAX_RATING = 4


@dataclass(frozen=True)
class SkillLevel:
    framework: str
    field: str
    level: int


@dataclass(frozen=True)
class Experience:
    code: str
    years: float | None = None


@dataclass(frozen=True)
class Profile:
    """Assessment inputs, already validated and named as the standard names them."""

    qualifications: tuple[str, ...] = ()
    skill_levels: tuple[SkillLevel, ...] = ()
    experiences: tuple[Experience, ...] = ()
    skill_ratings: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Criterion:
    met: bool
    required: bool
    by: tuple[str, ...]


@dataclass(frozen=True)
class PersonaAssessment:
    code: str
    name: str
    meets_standard: bool
    level_or_qualification: Criterion
    experience: Criterion
    skill_score: float
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    standard: str
    personas: tuple[PersonaAssessment, ...]


# --- parsing ---------------------------------------------------------------------------------------------

def _nfkc(text: Any) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


def _list(data: Mapping, key: str) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise ProfileError(f"{key} must be a list, got {type(value).__name__}")
    return value


def parse_profile(data: Mapping[str, Any], standard: Standard | None = None) -> Profile:
    """Validate raw input (the `dxpool assess` JSON) into a Profile; ProfileError names any bad value."""
    standard = standard or load_standard()
    if not isinstance(data, Mapping):
        raise ProfileError("the profile must be a JSON object with qualifications, skill_levels, experiences, skill_ratings")
    known_keys = {"qualifications", "skill_levels", "experiences", "skill_ratings"}
    extra = sorted(set(data) - known_keys)
    if extra:
        raise ProfileError(f"unknown key {extra[0]!r}; accepted: {', '.join(sorted(known_keys))}")

    quals = []
    for q in _list(data, "qualifications"):
        name = standard.canonical_qualification(str(q))
        if name is None:
            accepted = "、".join(x.name for x in standard.qualifications)
            raise ProfileError(f"unknown qualification {_nfkc(q)!r}; accepted: {accepted} (and aliases such as システムアーキテクト)")
        if name not in quals:
            quals.append(name)

    levels = []
    for item in _list(data, "skill_levels"):
        if not isinstance(item, Mapping):
            raise ProfileError("each skill_levels entry must be an object with framework, field, level")
        framework = _nfkc(item.get("framework", "")).upper()
        if framework not in FRAMEWORKS:
            raise ProfileError(f"unknown framework {_nfkc(item.get('framework', ''))!r}; accepted: {', '.join(FRAMEWORKS)}")
        fields = standard.fields(framework)
        by_key = {normalise(f): f for f in fields}
        fld = by_key.get(normalise(item.get("field", "")))
        if fld is None:
            raise ProfileError(f"unknown {framework} field {_nfkc(item.get('field', ''))!r}; accepted: {'、'.join(fields)}")
        level = item.get("level")
        if isinstance(level, bool) or not isinstance(level, (int, float)) or int(level) != level or not 1 <= level <= 7:
            raise ProfileError(f"level {level!r} for {framework} {fld} is outside 1–7; accepted: 1, 2, 3, 4, 5, 6, 7")
        levels.append(SkillLevel(framework, fld, int(level)))

    exps = []
    for item in _list(data, "experiences"):
        if isinstance(item, str):
            item = {"code": item}
        if not isinstance(item, Mapping):
            raise ProfileError("each experiences entry must be an object with code (and years where counted)")
        code = _nfkc(item.get("code", ""))
        if code not in standard.experience_codes:
            raise ProfileError(f"unknown experience code {code!r}; accepted: {', '.join(standard.experience_codes)}")
        years = item.get("years")
        if years is not None and (isinstance(years, bool) or not isinstance(years, (int, float)) or years < 0 or years > 60):
            raise ProfileError(f"years {years!r} for {code} must be a number from 0 to 60")
        exps.append(Experience(code, float(years) if years is not None else None))

    ratings_raw = data.get("skill_ratings") or {}
    if not isinstance(ratings_raw, Mapping):
        raise ProfileError("skill_ratings must be an object mapping skill item names to 0–4")
    names = {normalise(s.name): s.name for s in standard.skill_items()}
    ratings: dict[str, int] = {}
    for key, value in ratings_raw.items():
        name = names.get(normalise(key))
        if name is None:
            raise ProfileError(f"unknown skill item {_nfkc(key)!r}; accepted: {'、'.join(names.values())}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value or not 0 <= value <= MAX_RATING:
            raise ProfileError(f"rating {value!r} for {name} is outside 0–4; accepted: 0, 1, 2, 3, 4")
        ratings[name] = int(value)
    return Profile(tuple(quals), tuple(levels), tuple(exps), ratings)


# --- assessing ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Rules:
    """One persona's rules, precomputed once per standard so that assessing is set lookups only."""

    code: str
    name: str
    required: bool
    levels: Mapping[tuple[str, str], int]
    qualifications: frozenset[str]
    experiences: Mapping[str, int | None]
    experience_labels: Mapping[str, str]
    skills: tuple[str, ...]
    zeros: tuple[int, ...]
    missing_level: str
    missing_experience: str


_EXPERIENCE_SHORT = {
    "digital_strategy_lead": "デジタル戦略の責任者経験",
    "digital_dept_manager": "デジタル・情報システム部門の管理職経験",
    "local_government": "自治体での勤務又は受託業務の経験",
    "digital_project_lead": "デジタルプロジェクトの責任者経験",
    "consumer_service_development": "一般消費者向けデジタルサービスの企画・開発経験",
    "digital_tool_implementation": "企業でのデジタルツール実装経験",
}


@functools.cache
def _rules(version: str) -> tuple[_Rules, ...]:
    standard = load_standard(version)
    out = []
    for p in standard.personas:
        levels = {(req.framework, f): req.min_level for req in p.levels for f in req.fields}
        level_text = "、".join(f"{req.framework} {'/'.join(req.fields)} レベル{req.min_level}以上" for req in p.levels)
        qual_text = "、".join(p.qualifications)
        exps = {e.code: e.min_years for e in p.experiences}
        labels = {e.code: _EXPERIENCE_SHORT.get(e.code, e.code) + (f"（{e.min_years}年以上）" if e.min_years else "")
                  for e in p.experiences}
        out.append(_Rules(
            code=p.code, name=p.name, required=p.requires_level_or_qualification, levels=levels,
            qualifications=frozenset(p.qualifications), experiences=exps, experience_labels=labels,
            skills=tuple(s.name for s in p.skills), zeros=(0,) * len(p.skills),
            missing_level=f"スキルレベル又は資格のいずれか（{level_text}{'、資格 ' + qual_text if qual_text else ''}）",
            missing_experience=f"経験のいずれか（{'、'.join(labels.values())}）",
        ))
    return tuple(out)


def _assess_persona(r: _Rules, profile: Profile) -> PersonaAssessment:
    by_level = []
    if r.required:
        levels = r.levels
        for lv in profile.skill_levels:
            minimum = levels.get((lv.framework, lv.field))
            if minimum is not None and lv.level >= minimum:
                by_level.append(f"{lv.framework} {lv.field} レベル{lv.level}（{minimum}以上）")
        for q in profile.qualifications:
            if q in r.qualifications:
                by_level.append("資格: " + q)
    level_met = bool(by_level) or not r.required
    by_exp, short = [], []
    for e in profile.experiences:
        if e.code not in r.experiences:
            continue
        min_years = r.experiences[e.code]
        if min_years is None:
            by_exp.append(r.experience_labels[e.code])
        elif e.years is not None and e.years >= min_years:
            by_exp.append(f"{r.experience_labels[e.code]}: {e.years:g}年")
        else:
            short.append(f"{r.experience_labels[e.code]}（申告 {'不明' if e.years is None else f'{e.years:g}年'}）")
    exp_met = bool(by_exp)
    missing = []
    if not level_met:
        missing.append(r.missing_level)
    if not exp_met:
        missing.append(r.missing_experience + (f"; 年数不足: {'、'.join(short)}" if short else ""))
    # Ratings were checked to lie in 0–4 by parse_profile; map(dict.get) keeps this the cheap part.
    score = sum(map(profile.skill_ratings.get, r.skills, r.zeros)) / (MAX_RATING * len(r.skills)) if r.skills else 0.0
    return PersonaAssessment(
        code=r.code, name=r.name, meets_standard=level_met and exp_met,
        level_or_qualification=Criterion(level_met, r.required, tuple(by_level) if r.required else ("要件なし（—）",)),
        experience=Criterion(exp_met, True, tuple(by_exp)), skill_score=round(score, 4), missing=tuple(missing),
    )


def assess(profile: Profile, standard: Standard | None = None) -> Assessment:
    """Assess a profile against every persona of the standard (in the standard's order)."""
    version = (standard or load_standard()).version
    return Assessment(version, tuple(_assess_persona(r, profile) for r in _rules(version)))


def assessment_to_dict(a: Assessment) -> dict:
    """The JSON shape of `dxpool assess`: {"standard": …, "personas": [{code, meets_standard, …}, …]}."""
    return {
        "standard": a.standard,
        "personas": [
            {
                "code": p.code,
                "name": p.name,
                "meets_standard": p.meets_standard,
                "level_or_qualification": {"met": p.level_or_qualification.met,
                                           "required": p.level_or_qualification.required,
                                           "by": list(p.level_or_qualification.by)},
                "experience": {"met": p.experience.met, "by": list(p.experience.by)},
                "skill_score": p.skill_score,
                "missing": list(p.missing),
            }
            for p in a.personas
        ],
    }

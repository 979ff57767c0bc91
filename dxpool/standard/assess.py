"""Explainable assessment of a profile against the skill standard.

A persona's standard is met when (any one desired skill level or qualification is held) AND (any one desired
experience is held) — the standard's 「いずれか」 on both sides (seed 000_01556ea2d2b360de.txt). The service
designer names no level or qualification (「—」), so only experience counts there. Skill-item ratings (0–4)
give a coverage score per persona that is reported beside, not inside, the yes/no of the standard.

`parse_profile` is the only door for untrusted input: it normalises (NFKC, aliases) and validates, so
`assess` can trust a Profile's names and stay cheap (a screening run assesses thousands of profiles).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dxpool.standard.errors import ProfileError
from dxpool.standard.loader import FRAMEWORKS, LEVEL_RANGE, Standard, load_standard

MAX_RATING = 4
MAX_YEARS = 60
PROFILE_KEYS = ("qualifications", "skill_levels", "experiences", "skill_ratings")


@dataclass(frozen=True)
class SkillLevel:
    """A level (1–7) held in one field of ITSS or UISS."""

    framework: str
    field: str
    level: int


@dataclass(frozen=True)
class Experience:
    """An experience by contract code; `years` where the standard counts them (None: not stated)."""

    code: str
    years: float | None = None


@dataclass(frozen=True)
class Profile:
    """Assessment inputs, already validated and named as the standard names them (see parse_profile)."""

    qualifications: tuple[str, ...] = ()
    skill_levels: tuple[SkillLevel, ...] = ()
    experiences: tuple[Experience, ...] = ()
    skill_ratings: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Criterion:
    """One side of a persona's rule: whether it is met, whether the standard requires it, and by what."""

    met: bool
    required: bool
    by: tuple[str, ...]


@dataclass(frozen=True)
class PersonaAssessment:
    """The verdict for one persona, with the evidence for it and what is lacking."""

    code: str
    name: str
    meets_standard: bool
    level_or_qualification: Criterion
    experience: Criterion
    skill_score: float  # 0.0–1.0: mean of the persona's skill-item ratings / 4, unrated items count 0
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    """A profile assessed against every persona of one version of the standard."""

    standard: str
    personas: tuple[PersonaAssessment, ...]


# --- parsing ---------------------------------------------------------------------------------------------

def _show(value: Any) -> str:
    """A value for an error message: NFKC text quoted, anything else as repr, on one short line."""
    text = repr(unicodedata.normalize("NFKC", value).strip()) if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _list(data: Mapping, key: str) -> list:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise ProfileError(f"{key} must be a list, got {type(value).__name__} {_show(value)}")
    return list(value)


def _finite(value: int | float | Decimal) -> bool:
    return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)


def _integer(value: Any) -> int | None:
    """The integer a JSON number stands for (3 or 3.0), or None for anything else (True, "3", NaN, 3.5)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal)) and _finite(value) and value == int(value):
        return int(value)
    return None


def _years(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)) or not _finite(value):
        return None
    return float(value) if 0 <= value <= MAX_YEARS else None


def _accepted_qualifications(standard: Standard) -> str:
    aliases = "、".join(standard.qualification_aliases)
    return (f"{'、'.join(q.name for q in standard.qualifications)} "
            f"(also their aliases {aliases}, in any width, with or without 試験 or (IPA))")


def parse_profile(data: Mapping[str, Any], standard: Standard | None = None) -> Profile:
    """Validate raw input (the `dxpool assess` JSON) into a Profile named as the standard names things.

    Text is compared after NFKC (full-width/half-width alike), without spaces, case-folded; aliases are
    accepted. Anything unknown or out of range raises ProfileError with one line that names the bad value
    and lists the accepted ones.
    """
    standard = standard or load_standard()
    if not isinstance(data, Mapping):
        raise ProfileError(f"the profile must be a JSON object with keys {', '.join(PROFILE_KEYS)}; "
                           f"got {type(data).__name__}")
    extra = sorted(str(k) for k in data if k not in PROFILE_KEYS)
    if extra:
        raise ProfileError(f"unknown key {_show(extra[0])}; accepted: {', '.join(PROFILE_KEYS)}")

    quals: list[str] = []
    for q in _list(data, "qualifications"):
        name = standard.canonical_qualification(q) if isinstance(q, str) else None
        if name is None:
            raise ProfileError(f"unknown qualification {_show(q)}; accepted: {_accepted_qualifications(standard)}")
        if name not in quals:
            quals.append(name)

    levels: list[SkillLevel] = []
    for item in _list(data, "skill_levels"):
        if not isinstance(item, Mapping):
            raise ProfileError(f"each skill_levels entry must be an object with framework, field, level; got {_show(item)}")
        raw_fw = item.get("framework")
        framework = standard.canonical_framework(raw_fw) if isinstance(raw_fw, str) else None
        if framework is None:
            raise ProfileError(f"unknown framework {_show(raw_fw)}; accepted: {', '.join(FRAMEWORKS)}")
        raw_field = item.get("field")
        fld = standard.canonical_field(framework, raw_field) if isinstance(raw_field, str) else None
        if fld is None:
            raise ProfileError(f"unknown {framework} field {_show(raw_field)}; accepted: "
                               f"{'、'.join(standard.fields(framework))}")
        level = _integer(item.get("level"))
        if level is None or not LEVEL_RANGE[0] <= level <= LEVEL_RANGE[1]:
            raise ProfileError(f"level {_show(item.get('level'))} for {framework} {fld} is not a level; "
                               f"accepted: {', '.join(str(n) for n in range(LEVEL_RANGE[0], LEVEL_RANGE[1] + 1))}")
        levels.append(SkillLevel(framework, fld, level))

    exps: list[Experience] = []
    for item in _list(data, "experiences"):
        if isinstance(item, str):  # a bare code: the experience without years
            item = {"code": item}
        if not isinstance(item, Mapping):
            raise ProfileError(f"each experiences entry must be an object with code (and years where counted); "
                               f"got {_show(item)}")
        raw_code = item.get("code")
        code = unicodedata.normalize("NFKC", raw_code).strip().casefold() if isinstance(raw_code, str) else None
        if code not in standard.experience_codes:
            raise ProfileError(f"unknown experience code {_show(raw_code)}; accepted: {', '.join(standard.experience_codes)}")
        raw_years = item.get("years")
        years = None if raw_years is None else _years(raw_years)
        if raw_years is not None and years is None:
            raise ProfileError(f"years {_show(raw_years)} for {code} is not a number of years; accepted: 0 to {MAX_YEARS}")
        exps.append(Experience(code, years))

    ratings_raw = data.get("skill_ratings")
    if ratings_raw is None:
        ratings_raw = {}
    if not isinstance(ratings_raw, Mapping):
        raise ProfileError(f"skill_ratings must be an object mapping skill item names to 0–4; got {_show(ratings_raw)}")
    ratings: dict[str, int] = {}
    for key, value in ratings_raw.items():
        name = standard.canonical_skill_item(key) if isinstance(key, str) else None
        if name is None:
            raise ProfileError(f"unknown skill item {_show(key)}; accepted: "
                               f"{'、'.join(s.name for s in standard.skill_items())}")
        rating = _integer(value)
        if rating is None or not 0 <= rating <= MAX_RATING:
            raise ProfileError(f"rating {_show(value)} for {name} is not a rating; accepted: 0, 1, 2, 3, 4")
        ratings[name] = rating
    return Profile(tuple(quals), tuple(levels), tuple(exps), ratings)


# --- rule tables ----------------------------------------------------------------------------------------
# Built once per standard (kept on the Standard via Standard.memo) so that assessing one profile is a few
# dict lookups per item it holds, plus one small object per persona: the ≤ 2 s budget for 20,000 profiles
# on the 2-core machine leaves no room for normalising or formatting the standard per call.

# Shown for a side of the rule the standard leaves empty (the service designer's level or qualification is
# 「—」). It is not evidence of anything the person holds, so it is never put in `by`.
LEVEL_NOT_REQUIRED = "要件なし（スキル標準で定めなし）"


def level_label(framework: str, field_name: str, level: int, minimum: int) -> str:
    """How a level that meets a requirement is cited in `by`: 「ITSS コンサルタント レベル5（基準: レベル4以上）」.

    Thresholds are written in words (「レベル4以上」), as the standard writes them, never as 「≥4」.
    """
    return f"{framework} {field_name} レベル{level}（基準: レベル{minimum}以上）"


def years_label(label: str, years: float | None, minimum: int) -> str:
    """How counted experience is cited: 「…管理職経験 6年（基準: 5年以上）」; 年数不明 when not stated."""
    held = "年数不明" if years is None else f"{years:g}年"
    return f"{label} {held}（基準: {minimum}年以上）"


@dataclass(frozen=True)
class _PersonaRules:
    code: str
    name: str
    required: bool
    skills: tuple[str, ...]
    zeros: tuple[int, ...]
    denominator: int
    level_unmet: Criterion
    level_trivial: Criterion
    experience_required: bool
    experience_unmet: Criterion
    missing_level: str
    missing_experience: str


@dataclass(frozen=True)
class _Rules:
    personas: tuple[_PersonaRules, ...]
    # (framework, field) → ((persona index, min level, {level: by-label}), …)
    levels: Mapping[tuple[str, str], tuple[tuple[int, int, Mapping[int, str]], ...]]
    # qualification → ((persona index, by-label), …)
    qualifications: Mapping[str, tuple[tuple[int, str], ...]]
    # experience code → ((persona index, min years or None, label), …)
    experiences: Mapping[str, tuple[tuple[int, int | None, str], ...]]


def _compile(standard: Standard) -> _Rules:
    personas = []
    levels: dict[tuple[str, str], list] = {}
    quals: dict[str, list] = {}
    exps: dict[str, list] = {}
    for i, p in enumerate(standard.personas):
        for req in p.levels:
            for f in req.fields:
                labels = {lv: level_label(req.framework, f, lv, req.min_level)
                          for lv in range(req.min_level, LEVEL_RANGE[1] + 1)}
                levels.setdefault((req.framework, f), []).append((i, req.min_level, labels))
        for q in p.qualifications:
            quals.setdefault(q, []).append((i, "資格: " + q))
        wanted = []
        for e in p.experiences:
            label = standard.experience_label(e.code)
            exps.setdefault(e.code, []).append((i, e.min_years, label))
            wanted.append(f"{label}（{e.min_years}年以上）" if e.min_years else label)
        level_text = "、".join(f"{req.framework} {'/'.join(req.fields)} レベル{req.min_level}以上" for req in p.levels)
        qual_text = "資格 " + "/".join(p.qualifications) if p.qualifications else ""
        personas.append(_PersonaRules(
            code=p.code, name=p.name, required=p.requires_level_or_qualification,
            skills=tuple(s.name for s in p.skills), zeros=(0,) * len(p.skills),
            denominator=MAX_RATING * len(p.skills),
            level_unmet=Criterion(False, True, ()),
            level_trivial=Criterion(True, False, ()),
            experience_required=bool(p.experiences),
            experience_unmet=Criterion(False, bool(p.experiences), ()),
            missing_level="スキルレベル又は資格のいずれか: " + "、".join(x for x in (level_text, qual_text) if x),
            missing_experience="経験のいずれか: " + "、".join(wanted),
        ))
    return _Rules(
        personas=tuple(personas),
        levels={k: tuple(v) for k, v in levels.items()},
        qualifications={k: tuple(v) for k, v in quals.items()},
        experiences={k: tuple(v) for k, v in exps.items()},
    )


def _add(bucket: list, i: int, text: str) -> None:
    held = bucket[i]
    if held is None:
        bucket[i] = [text]
    elif text not in held:
        held.append(text)


# --- assessing ------------------------------------------------------------------------------------------

def assess(profile: Profile, standard: Standard | None = None) -> Assessment:
    """Assess a profile against every persona of the standard (in the standard's order).

    The profile's names must be the standard's (as parse_profile gives them); names the standard does not
    know simply meet nothing.
    """
    standard = standard or load_standard()
    rules: _Rules = standard.memo("assess_rules", _compile)
    n = len(rules.personas)
    by_level: list = [None] * n
    by_experience: list = [None] * n
    short: list = [None] * n  # counted experience held, but with too few (or unstated) years

    level_rules = rules.levels
    for lv in profile.skill_levels:
        for i, minimum, labels in level_rules.get((lv.framework, lv.field), ()):
            if lv.level >= minimum:
                _add(by_level, i, labels.get(lv.level) or level_label(lv.framework, lv.field, lv.level, minimum))
    qual_rules = rules.qualifications
    for q in profile.qualifications:
        for i, label in qual_rules.get(q, ()):
            _add(by_level, i, label)
    exp_rules = rules.experiences
    for e in profile.experiences:
        for i, min_years, label in exp_rules.get(e.code, ()):
            if min_years is None:
                _add(by_experience, i, label)
            elif e.years is not None and e.years >= min_years:
                _add(by_experience, i, years_label(label, e.years, min_years))
            else:
                _add(short, i, years_label(label, e.years, min_years))

    ratings = profile.skill_ratings
    get = ratings.get
    out = []
    for i, r in enumerate(rules.personas):
        held = by_level[i]
        if not r.required:
            level_c, level_met = r.level_trivial, True
        elif held:
            level_c, level_met = Criterion(True, True, tuple(held)), True
        else:
            level_c, level_met = r.level_unmet, False
        held = by_experience[i]
        if held:
            exp_c, exp_met = Criterion(True, r.experience_required, tuple(held)), True
        else:
            exp_c, exp_met = r.experience_unmet, False
        if level_met and exp_met:
            missing: tuple[str, ...] = ()
        else:
            lacking = [] if level_met else [r.missing_level]
            if not exp_met:
                lacking.append(r.missing_experience + (f"; 年数不足: {'、'.join(short[i])}" if short[i] else ""))
            missing = tuple(lacking)
        # Ratings were checked to lie in 0–4 by parse_profile; map(dict.get) keeps this the cheap part.
        score = sum(map(get, r.skills, r.zeros)) / r.denominator if ratings and r.denominator else 0.0
        out.append(PersonaAssessment(r.code, r.name, level_met and exp_met, level_c, exp_c, score, missing))
    return Assessment(standard.version, tuple(out))


def assessment_to_dict(a: Assessment) -> dict:
    """The JSON shape of `dxpool assess` and the API: {"standard": …, "personas": [{code, name,
    meets_standard, level_or_qualification {met, required, by}, experience {met, required, by}, skill_score,
    missing}]}. `skill_score` is the coverage of the persona's skill items (see dxpool.standard.display)."""
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
                "experience": {"met": p.experience.met, "required": p.experience.required,
                               "by": list(p.experience.by)},
                "skill_score": round(p.skill_score, 4),
                "missing": list(p.missing),
            }
            for p in a.personas
        ],
    }

"""Loading the skill standard from its versioned data files (data/<version>.json).

A new version of the standard is a new JSON file beside the others: no code changes. The newest version
(by the `published` date in the file) is the default; assessments record which version they used.
Loaded standards are cached for the life of the process (`clear_cache()` forgets them, for tests).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from dxpool.standard.errors import StandardError

DATA_DIR = Path(__file__).resolve().parent / "data"
FRAMEWORKS = ("ITSS", "UISS")
CATEGORIES = {"technical": "テクニカルスキル", "human": "ヒューマンスキル"}
LEVEL_RANGE = (1, 7)
# Version ids become file names: keep them to a safe alphabet so `--standard ../x` cannot leave DATA_DIR.
_VERSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# A long-vowel mark at the end of a katakana word (マネージャー vs IPA's マネージャ, デザイナー vs デザイナ):
# Japanese writes both, JIS Z 8301 style drops it, so keys drop it. A medial ー (リーダーシップ) stays.
_TRAILING_CHOON = re.compile(r"(?<=[\u30a1-\u30fa])ー(?![\u30a1-\u30fa\u30fc])")
# Suffixes people add to a qualification name that do not change which one it is.
_QUALIFICATION_SUFFIXES = ("(ipa)", "(pmi)", "合格", "試験")

T = TypeVar("T")


def normalise(text: Any) -> str:
    """The comparison key of a name: NFKC, no white space, case-folded, no word-final ー, no ®."""
    key = "".join(unicodedata.normalize("NFKC", str(text)).split()).casefold().replace("®", "")
    return _TRAILING_CHOON.sub("", key)


def _qualification_key(text: Any) -> str:
    key = normalise(text)
    stripped = True
    while stripped:  # 「ITストラテジスト試験合格 (IPA)」 carries several suffixes
        stripped = False
        for suffix in _QUALIFICATION_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key, stripped = key[: -len(suffix)], True
    return key


@dataclass(frozen=True)
class SkillItem:
    """One skill item of a persona: category (technical/human), name and the standard's description."""

    category: str  # "technical" (テクニカルスキル) or "human" (ヒューマンスキル)
    name: str
    description: str
    notes: str = ""

    @property
    def category_ja(self) -> str:
        """The category as the standard writes it: テクニカルスキル or ヒューマンスキル."""
        return CATEGORIES.get(self.category, self.category)


@dataclass(frozen=True)
class LevelRequirement:
    """A desired ITSS/UISS level: any of `fields` at `min_level` or above."""

    framework: str
    fields: tuple[str, ...]
    min_level: int
    text: str
    notes: str = ""


@dataclass(frozen=True)
class ExperienceRequirement:
    """A desired experience by contract code; `min_years` when the standard counts years."""

    code: str
    text: str
    min_years: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class Qualification:
    """A qualification the standard names, with its issuer (IPA, PMI).

    `source` is empty for the standard's own; another seed's file name marks a qualification recognised for
    that seed's rule (the accelerator requirement of seed 001), which no persona of the standard counts.
    """

    name: str
    issuer: str
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class Persona:
    """One 人材像 of the standard with its skill items and desired levels, qualifications and experiences."""

    code: str
    number: int
    name: str
    name_en: str
    scope: str
    roles: tuple[str, ...]
    skills: tuple[SkillItem, ...]
    requirement_text: str
    levels: tuple[LevelRequirement, ...]
    qualifications: tuple[str, ...]
    qualification_text: tuple[str, ...]
    experience_text: str
    experiences: tuple[ExperienceRequirement, ...]
    role_summary: str = ""
    main_skills: str = ""

    @property
    def requires_level_or_qualification(self) -> bool:
        """False for the service designer, whose standard names no level or qualification (「—」)."""
        return bool(self.levels or self.qualifications)


@dataclass(frozen=True)
class Standard:
    """One version of the skill standard, as loaded from its data file."""

    version: str
    title: str
    published: str
    source: str
    notes: tuple[str, ...]
    qualifications: tuple[Qualification, ...]
    qualification_aliases: Mapping[str, str]  # alias as written → the standard's name
    experience_codes: Mapping[str, str]  # code → English description
    personas: tuple[Persona, ...]
    curriculum: Mapping[str, Any]
    issuer: str = ""
    source_title: str = ""
    experience_labels: Mapping[str, str] = field(default_factory=dict)  # code → short Japanese label
    framework_aliases: Mapping[str, str] = field(default_factory=dict)  # alias → ITSS/UISS
    field_aliases: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # Lookup tables derived from the data, built once per standard on first use (assess keeps its rule
    # tables here too). The dict is mutated, never the attribute, so the dataclass stays frozen.
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def memo(self, key: str, build: Callable[[Standard], T]) -> T:
        """`build(self)`, computed once per standard and kept: derived tables must not be rebuilt per call."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = build(self)
            return value

    def persona(self, code: str) -> Persona:
        """The persona with this code; KeyError when unknown."""
        for p in self.personas:
            if p.code == code:
                return p
        raise KeyError(code)

    def fields(self, framework: str) -> tuple[str, ...]:
        """Every ITSS/UISS field the standard names for a framework, in order of first mention."""
        seen: dict[str, None] = {}
        for p in self.personas:
            for req in p.levels:
                if req.framework == framework:
                    for f in req.fields:
                        seen.setdefault(f, None)
        return tuple(seen)

    def skill_items(self) -> tuple[SkillItem, ...]:
        """Skill items by name, first description wins (要求分析 etc. recur across personas)."""
        seen: dict[str, SkillItem] = {}
        for p in self.personas:
            for s in p.skills:
                seen.setdefault(s.name, s)
        return tuple(seen.values())

    def experience_label(self, code: str) -> str:
        """A short Japanese label for an experience code (the code itself when the file gives none)."""
        return self.experience_labels.get(code, code)

    def canonical_qualification(self, name: Any) -> str | None:
        """The standard's name for a qualification, accepting widths, spacing, suffixes (試験, (IPA)) and
        aliases (current and former IPA exam names); None when unknown."""
        return self.memo("qualification_index", _qualification_index).get(_qualification_key(name))

    def canonical_framework(self, name: Any) -> str | None:
        """ITSS or UISS for a framework code or name in any width or case; None when unknown."""
        return self.memo("framework_index", _framework_index).get(normalise(name))

    def canonical_field(self, framework: str, name: Any) -> str | None:
        """The standard's name of a field of that framework (widths, a word-final ー, aliases); None when unknown."""
        return self.memo("field_index", _field_index).get(framework, {}).get(normalise(name))

    def canonical_skill_item(self, name: Any) -> str | None:
        """The standard's name of a skill item in any width or spacing; None when unknown."""
        return self.memo("skill_index", lambda s: {normalise(i.name): i.name for i in s.skill_items()}).get(
            normalise(name))


def _qualification_index(standard: Standard) -> dict[str, str]:
    index = {_qualification_key(q.name): q.name for q in standard.qualifications}
    for alias, target in standard.qualification_aliases.items():
        index.setdefault(_qualification_key(alias), target)
    return index


def _framework_index(standard: Standard) -> dict[str, str]:
    index = {normalise(fw): fw for fw in FRAMEWORKS}
    for alias, fw in standard.framework_aliases.items():
        index.setdefault(normalise(alias), fw)
    return index


def _field_index(standard: Standard) -> dict[str, dict[str, str]]:
    index: dict[str, dict[str, str]] = {}
    for fw in FRAMEWORKS:
        index[fw] = {normalise(f): f for f in standard.fields(fw)}
        for alias, target in standard.field_aliases.get(fw, {}).items():
            index[fw].setdefault(normalise(alias), target)
    return index


# --- reading and checking a data file --------------------------------------------------------------------

def _check(condition: bool, message: str) -> None:
    if not condition:
        raise StandardError(message)


def _aliases(raw: Any) -> dict[str, str]:
    # Current format: a list of {"alias", "name", "note"}; a plain {alias: name} object is accepted too.
    if isinstance(raw, Mapping):
        return dict(raw)
    return {a["alias"]: a["name"] for a in raw}


def _build(raw: dict, expected_version: str) -> Standard:
    try:
        personas = tuple(
            Persona(
                code=p["code"], number=int(p["number"]), name=p["name"], name_en=p["name_en"], scope=p["scope"],
                roles=tuple(p["roles"]),
                skills=tuple(SkillItem(s["category"], s["name"], s["description"], s.get("notes", ""))
                             for s in p["skills"]),
                requirement_text=p["requirement_text"],
                levels=tuple(LevelRequirement(lv["framework"], tuple(lv["fields"]), int(lv["min_level"]), lv["text"],
                                              lv.get("notes", ""))
                             for lv in p["levels"]),
                qualifications=tuple(p["qualifications"]), qualification_text=tuple(p["qualification_text"]),
                experience_text=p["experience_text"],
                experiences=tuple(ExperienceRequirement(e["code"], e["text"], e.get("min_years"), e.get("notes", ""))
                                  for e in p["experiences"]),
                role_summary=p.get("overview", {}).get("role", ""),
                main_skills=p.get("overview", {}).get("main_skills", ""),
            )
            for p in raw["personas"]
        )
        frameworks = raw.get("frameworks", {})
        standard = Standard(
            version=raw["version"], title=raw["title"], published=raw["published"], source=raw["source"],
            notes=tuple(raw.get("notes", ())),
            qualifications=tuple(Qualification(q["name"], q["issuer"], q.get("source", ""), q.get("note", ""))
                                 for q in raw["qualifications"]),
            qualification_aliases=_aliases(raw.get("qualification_aliases", {})),
            experience_codes=dict(raw["experience_codes"]), personas=personas,
            curriculum=raw.get("curriculum", {}),
            issuer=raw.get("issuer", ""), source_title=raw.get("source_title", ""),
            experience_labels=dict(raw.get("experience_labels", {})),
            framework_aliases={alias: fw for fw, spec in frameworks.items() for alias in spec.get("aliases", ())},
            field_aliases={fw: dict(m) for fw, m in raw.get("field_aliases", {}).items()},
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StandardError(f"malformed standard data file {expected_version}.json: {exc!r}") from None
    _validate(standard, expected_version)
    return standard


def _validate(s: Standard, expected_version: str) -> None:
    """Cross-references a hand-edited file can break; caught at load, not in the middle of an assessment."""
    where = f"standard data file {expected_version}.json"
    _check(s.version == expected_version, f"{where}: version {s.version!r} does not match the file name")
    _check(bool(s.personas), f"{where}: no personas")
    codes = [p.code for p in s.personas]
    _check(len(set(codes)) == len(codes), f"{where}: duplicate persona codes")
    qual_names = {q.name for q in s.qualifications}
    borrowed = {q.name: q.source for q in s.qualifications if q.source and q.source != s.source}
    for alias, target in s.qualification_aliases.items():
        _check(target in qual_names, f"{where}: alias {alias!r} names unknown qualification {target!r}")
    for alias, fw in s.framework_aliases.items():
        _check(fw in FRAMEWORKS, f"{where}: framework alias {alias!r} names unknown framework {fw!r}")
    for p in s.personas:
        for item in p.skills:
            _check(item.category in CATEGORIES, f"{where}: {p.code}/{item.name}: category {item.category!r} "
                   f"is not one of {', '.join(CATEGORIES)}")
        for req in p.levels:
            _check(req.framework in FRAMEWORKS, f"{where}: {p.code}: unknown framework {req.framework!r}")
            _check(LEVEL_RANGE[0] <= req.min_level <= LEVEL_RANGE[1], f"{where}: {p.code}: min_level {req.min_level}")
        for q in p.qualifications:
            _check(q in qual_names, f"{where}: {p.code}: qualification {q!r} is not in qualifications")
            # A qualification recognised for another seed's rule must not creep into the standard's personas.
            _check(q not in borrowed, f"{where}: {p.code}: qualification {q!r} comes from {borrowed.get(q)}, "
                   "not from the standard")
        for e in p.experiences:
            _check(e.code in s.experience_codes, f"{where}: {p.code}: experience code {e.code!r} is not in experience_codes")
            _check(e.min_years is None or (isinstance(e.min_years, int) and e.min_years > 0),
                   f"{where}: {p.code}: min_years {e.min_years!r}")
    # Two different qualifications must not collapse to one key, or an alias would silently pick one.
    keys: dict[str, str] = {}
    for q in s.qualifications:
        other = keys.setdefault(_qualification_key(q.name), q.name)
        _check(other == q.name, f"{where}: qualifications {other!r} and {q.name!r} compare equal")
    for alias, target in s.qualification_aliases.items():
        other = keys.setdefault(_qualification_key(alias), target)
        _check(other == target, f"{where}: alias {alias!r} compares equal to {other!r}")


def _read(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as f:
            raw = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StandardError(f"cannot read standard data file {path.name}: {exc}") from None
    _check(isinstance(raw, dict), f"standard data file {path.name} is not a JSON object")
    return raw


@functools.cache
def _versions() -> tuple[str, ...]:
    found = []
    for path in DATA_DIR.glob("*.json"):
        raw = _read(path)
        found.append((str(raw.get("published", "")), path.stem))
    return tuple(v for _, v in sorted(found))


def available_versions() -> tuple[str, ...]:
    """Version ids of every data file, oldest first (by the file's `published` date)."""
    return _versions()


@functools.cache
def _load(version: str) -> Standard:
    if not _VERSION_RE.match(version) or not (DATA_DIR / f"{version}.json").is_file():
        raise StandardError(f"unknown standard version {version!r}; available: {', '.join(available_versions())}")
    return _build(_read(DATA_DIR / f"{version}.json"), version)


def load_standard(version: str | None = None) -> Standard:
    """The standard of that version, or the newest one; cached, so callers may call it freely."""
    if version is None:
        versions = available_versions()
        if not versions:
            raise StandardError(f"no standard data file in {DATA_DIR}")
        version = versions[-1]
    return _load(version)


def clear_cache() -> None:
    """Forget loaded standards and the version list (tests that add a data file; a server never needs it)."""
    _versions.cache_clear()
    _load.cache_clear()

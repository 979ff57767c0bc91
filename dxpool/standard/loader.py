"""Loading the skill standard from its versioned data files (data/<version>.json).

A new version of the standard is a new JSON file beside the others: no code changes. The newest version
(by the `published` date in the file) is the default; assessments record which version they used.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dxpool.standard.errors import StandardError

DATA_DIR = Path(__file__).resolve().parent / "data"
FRAMEWORKS = ("ITSS", "UISS")


def normalise(text: str) -> str:
    """NFKC, no spaces, case-folded: the key used to compare qualification and field names."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


@dataclass(frozen=True)
class SkillItem:
    category: str  # "technical" (テクニカルスキル) or "human" (ヒューマンスキル)
    name: str
    description: str
    notes: str = ""

    @property
    def category_ja(self) -> str:
        return "テクニカルスキル" if self.category == "technical" else "ヒューマンスキル"


@dataclass(frozen=True)
class LevelRequirement:
    framework: str
    fields: tuple[str, ...]
    min_level: int
    text: str


@dataclass(frozen=True)
class ExperienceRequirement:
    code: str
    text: str
    min_years: int | None = None


@dataclass(frozen=True)
class Qualification:
    name: str
    issuer: str


@dataclass(frozen=True)
class Persona:
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

    @property
    def requires_level_or_qualification(self) -> bool:
        """The service designer's standard names no level or qualification (「—」)."""
        return bool(self.levels or self.qualifications)


@dataclass(frozen=True)
class Standard:
    version: str
    title: str
    published: str
    source: str
    notes: tuple[str, ...]
    qualifications: tuple[Qualification, ...]
    qualification_aliases: Mapping[str, str]
    experience_codes: Mapping[str, str]
    personas: tuple[Persona, ...]
    curriculum: Mapping

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

    def canonical_qualification(self, name: str) -> str | None:
        """The standard's name for a qualification, accepting width variants, an issuer suffix and aliases."""
        return _qualification_index(self.version).get(_strip_issuer(normalise(name)))


def _strip_issuer(key: str) -> str:
    for suffix in ("(ipa)", "(pmi)"):
        if key.endswith(suffix):
            return key[: -len(suffix)]
    return key


@functools.cache
def _qualification_index(version: str) -> dict[str, str]:
    standard = load_standard(version)
    index = {normalise(q.name): q.name for q in standard.qualifications}
    for alias, target in standard.qualification_aliases.items():
        index[_strip_issuer(normalise(alias))] = target
    return index


def _build(raw: dict) -> Standard:
    try:
        personas = tuple(
            Persona(
                code=p["code"], number=p["number"], name=p["name"], name_en=p["name_en"], scope=p["scope"],
                roles=tuple(p["roles"]),
                skills=tuple(SkillItem(s["category"], s["name"], s["description"], s.get("notes", ""))
                             for s in p["skills"]),
                requirement_text=p["requirement_text"],
                levels=tuple(LevelRequirement(lv["framework"], tuple(lv["fields"]), int(lv["min_level"]), lv["text"])
                             for lv in p["levels"]),
                qualifications=tuple(p["qualifications"]), qualification_text=tuple(p["qualification_text"]),
                experience_text=p["experience_text"],
                experiences=tuple(ExperienceRequirement(e["code"], e["text"], e.get("min_years"))
                                  for e in p["experiences"]),
            )
            for p in raw["personas"]
        )
        return Standard(
            version=raw["version"], title=raw["title"], published=raw["published"], source=raw["source"],
            notes=tuple(raw.get("notes", ())),
            qualifications=tuple(Qualification(q["name"], q["issuer"]) for q in raw["qualifications"]),
            qualification_aliases=dict(raw.get("qualification_aliases", {})),
            experience_codes=dict(raw["experience_codes"]), personas=personas,
            curriculum=raw.get("curriculum", {}),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise StandardError(f"malformed standard data file: {exc!r}") from None


def available_versions() -> tuple[str, ...]:
    """Version ids of every data file, oldest first (by the file's `published` date)."""
    versions = []
    for path in DATA_DIR.glob("*.json"):
        with path.open(encoding="utf-8") as f:
            raw = json.load(f)
        versions.append((raw.get("published", ""), raw.get("version", path.stem)))
    return tuple(v for _, v in sorted(versions))


@functools.cache
def load_standard(version: str | None = None) -> Standard:
    """The standard of that version, or the newest one; cached, so callers may call it freely."""
    if version is None:
        versions = available_versions()
        if not versions:
            raise StandardError(f"no standard data file in {DATA_DIR}")
        version = versions[-1]
    path = DATA_DIR / f"{version}.json"
    if not path.exists():
        raise StandardError(f"unknown standard version {version!r}; available: {', '.join(available_versions())}")
    with path.open(encoding="utf-8") as f:
        return _build(json.load(f))

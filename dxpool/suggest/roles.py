"""Role suggestion for a hearing record: the issue text (dxpool.suggest.text) plus the hearing's facts.

A measure that is 未着手/計画中, a step not done, no CIO補佐官, ひとり情シス … each points at personas through the
data file data/measure_personas.json (extendable without code). Evidence is added on the suggestion module's
scale: a persona's text score s is the weight −ln(1 − s), rule weights add to it (capped per persona by the
file's max_weight_from_status, so the municipality's own words weigh most), and the result is 1 − e^(−Σ).

Pure Python (no Django, no app): callers pass plain values.

The codes and labels of the measures, steps and their statuses are read from dxpool.needs.reference rather than
copied here: they are the hearing record's stored codes, defined once beside the record they describe (seed
001's wording), and the needs app, its Excel sheet and its forms read the same lists. That one module is the
only thing this package reads from an app; pyproject.toml lets this one import through and holds
dxpool.needs.reference itself to no Django and no app by a contract of its own (as the engine does for
dxpool.places.reference).
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from dxpool.needs.reference import MEASURE_STATUSES, MEASURES, STEP_STATUSES, STEPS, labels
from dxpool.standard.i18n import gettext_noop, is_english
from dxpool.standard.personas import PERSONA_CODES, PERSONA_NAMES
from dxpool.suggest.text import suggest

MAPPING_FILE = Path(__file__).resolve().parent / "data" / "measure_personas.json"
# The labels are msgids of dxpool/locale (gettext_noop); the Django side passes its translation as `label`.
FACTS = {
    "no_cio_adviser": gettext_noop("CIO補佐官等が未任用"),
    "hitori_joshis": gettext_noop("ひとり情シス"),
    "standardisation_behind": gettext_noop("標準化に未着手・準備中の業務あり"),
}


class MappingError(ValueError):
    """The mapping file is unreadable or malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Rule:
    persona: str
    skills: tuple[str, ...]
    weight: float
    reason: str
    reason_en: str = ""  # dxpool's English (the file's "reason_en"); the Japanese when a file gives none


@dataclass(frozen=True)
class RuleSet:
    max_weight: float
    measure_statuses: frozenset[str]
    step_statuses: frozenset[str]
    measures: Mapping[str, tuple[Rule, ...]]
    steps: Mapping[str, tuple[Rule, ...]]
    facts: Mapping[str, tuple[Rule, ...]]


@dataclass(frozen=True)
class RoleSuggestion:
    code: str
    name: str
    score: float
    skills: tuple[str, ...]
    reasons: tuple[str, ...]


def _rules(path: Path, section: str, raw: dict, known: Iterable[str]) -> dict[str, tuple[Rule, ...]]:
    known = set(known)
    out: dict[str, tuple[Rule, ...]] = {}
    if not isinstance(raw, dict):
        raise MappingError(f"{path}: '{section}' must be an object")
    for key, items in raw.items():
        if key not in known:
            raise MappingError(f"{path}: {section}.{key} is unknown; accepted: {', '.join(sorted(known))}")
        rules = []
        for i, r in enumerate(items or [], start=1):
            where = f"{path}: {section}.{key}[{i}]"
            if not isinstance(r, dict) or r.get("persona") not in PERSONA_CODES:
                raise MappingError(f"{where} needs persona, one of {', '.join(PERSONA_CODES)}")
            w = r.get("weight", 0.5)
            if isinstance(w, bool) or not isinstance(w, (int, float)) or not 0 < w <= 5:
                raise MappingError(f"{where} has weight {w!r}; use a number in (0, 5]")
            if not r.get("reason") or not isinstance(r.get("skills", []), list):
                raise MappingError(f"{where} needs a reason and a skills list")
            rules.append(Rule(r["persona"], tuple(r.get("skills", [])), float(w), r["reason"],
                              str(r.get("reason_en") or r["reason"])))
        out[key] = tuple(rules)
    return out


@functools.cache
def load_mapping(paths: tuple[Path, ...] = (MAPPING_FILE,)) -> RuleSet:
    """The packaged mapping, merged with extra files (their rules are added); cached per path tuple."""
    merged: dict[str, dict[str, list[Rule]]] = {"measures": {}, "steps": {}, "facts": {}}
    measure_statuses: set[str] = set()
    step_statuses: set[str] = set()
    max_weight = 1.0
    for path in paths:
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise MappingError(f"cannot read {path}: {exc.strerror}") from None
        except json.JSONDecodeError as exc:
            raise MappingError(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}") from None
        ms = set(raw.get("measure_statuses", ["not_started", "planning"]))
        ss = set(raw.get("step_statuses", ["not_started", "in_progress"]))
        if not ms <= set(labels(MEASURE_STATUSES)) or not ss <= set(labels(STEP_STATUSES)):
            raise MappingError(f"{path}: unknown status in measure_statuses/step_statuses")
        cap = raw.get("max_weight_from_status", max_weight)
        if isinstance(cap, bool) or not isinstance(cap, (int, float)) or not 0 < cap <= 10:
            raise MappingError(f"{path}: max_weight_from_status must be a number in (0, 10]")
        max_weight = float(cap)
        measure_statuses |= ms
        step_statuses |= ss
        for section, known in (("measures", labels(MEASURES)), ("steps", labels(STEPS)), ("facts", FACTS)):
            for key, rules in _rules(Path(path), section, raw.get(section, {}), known).items():
                merged[section].setdefault(key, []).extend(rules)
    return RuleSet(max_weight, frozenset(measure_statuses), frozenset(step_statuses),
                    *({k: tuple(v) for k, v in merged[s].items()} for s in ("measures", "steps", "facts")))


def suggest_roles(*, issues: str, measures: Mapping[str, str | None], steps: Mapping[str, str | None],
                  facts: Iterable[str], mapping: RuleSet | None = None, language: str = "ja",
                  label: Callable[[str], str] | None = None) -> list[RoleSuggestion]:
    """Personas the hearing supports, most relevant first, each with skill items and every reason.

    `measures` and `steps` map codes to status codes; `facts` are codes of FACTS that hold. Reasons are written
    in `language` (Japanese, or English from the data files' `reason_en`); `label` translates the labels of
    dxpool.needs.reference and FACTS quoted in them (the Django side passes its catalogue; default: as they are).
    Persona names and skill items stay the standard's Japanese: the Django side shows them with `data_label`.
    """
    mapping = mapping or load_mapping()
    en = is_english(language)
    lb = label or (lambda text: text)
    weight: dict[str, float] = {}
    from_status: dict[str, float] = {}
    skills: dict[str, list[str]] = {}
    reasons: dict[str, list[str]] = {}

    def add(persona: str, w: float, new_skills: Iterable[str], reason: str) -> None:
        from_status[persona] = from_status.get(persona, 0.0) + w
        for s in new_skills:
            if s not in skills.setdefault(persona, []):
                skills[persona].append(s)
        if reason not in reasons.setdefault(persona, []):
            reasons[persona].append(reason)

    if issues and issues.strip():
        for p in suggest(issues).personas:
            w = -math.log(1 - min(p.score, 0.999))
            weight[p.code] = weight.get(p.code, 0.0) + w
            for s in p.skills:
                if s not in skills.setdefault(p.code, []):
                    skills[p.code].append(s)
            if en:
                quoted = dict.fromkeys(e.text_en for e in p.evidence) if p.evidence else p.reasons
                reasons.setdefault(p.code, []).extend(f"In the issue text, {r}" for r in quoted)
            else:
                reasons.setdefault(p.code, []).extend(f"課題の記述 {r}" for r in p.reasons)
    measure_labels, status_labels = labels(MEASURES), labels(MEASURE_STATUSES)
    for code, rules in mapping.measures.items():
        status = measures.get(code)  # unanswered is not the same as not started
        if status in mapping.measure_statuses:
            for r in rules:
                add(r.persona, r.weight, r.skills,
                    f"Priority measure “{lb(measure_labels[code])}” ({lb(status_labels[status])}): {r.reason_en}"
                    if en else f"重点取組等「{measure_labels[code]}」が{status_labels[status]}: {r.reason}")
    step_labels, step_status_labels = labels(STEPS), labels(STEP_STATUSES)
    for code, rules in mapping.steps.items():
        status = steps.get(code)
        if status in mapping.step_statuses:
            for r in rules:
                add(r.persona, r.weight, r.skills,
                    f"{lb(step_labels[code])} ({lb(step_status_labels[status])}): {r.reason_en}" if en
                    else f"{step_labels[code]}が{step_status_labels[status]}: {r.reason}")
    for fact in facts:
        for r in mapping.facts.get(fact, ()):
            add(r.persona, r.weight, r.skills, f"{lb(FACTS[fact])}: {r.reason_en if en else r.reason}")
    for persona, w in from_status.items():
        weight[persona] = weight.get(persona, 0.0) + min(w, mapping.max_weight)
    out = [RoleSuggestion(code, PERSONA_NAMES[code], round(1 - math.exp(-weight[code]), 3), tuple(skills[code]),
                          tuple(reasons[code])) for code in PERSONA_CODES if code in weight]
    out.sort(key=lambda r: (-r.score, PERSONA_CODES.index(r.code)))
    return out


def roles_to_dict(roles: Iterable[RoleSuggestion]) -> dict:
    """The JSON shape: {"personas": [{"code", "name", "score", "skills", "reasons"}]} like `dxpool suggest`."""
    return {"personas": [{"code": r.code, "name": r.name, "score": r.score, "skills": list(r.skills),
                          "reasons": list(r.reasons)} for r in roles]}

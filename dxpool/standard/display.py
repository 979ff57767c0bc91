"""An assessment as a person reads it: the persona applied for first, each side of the rule in words.

The stored assessment (`assessment_to_dict`, kept on every profile) is the machine's record; this turns it into
what the talent and screening pages show (issue 13, item 3):

- the persona applied for comes first and is marked (「応募した人材像」);
- each side of the standard's rule reads 「満たす」 with its evidence, 「未達」, or — where the standard names
  nothing (the service designer's level or qualification is 「—」) — 「要件なし（スキル標準で定めなし）」, never
  「満たす」 with 「根拠: 要件なし」;
- the skill-item figure is a coverage (「スキル項目の充足率」), an integer percent beside the verdict, not a score;
- the standard is named by its title and publication date, not its version code;
- thresholds read 「レベル4以上」 / 「5年以上」: assessments stored before the wording changed said 「≥4」, and
  `in_words` rewrites them as they are shown, so old rows read like new ones without a data migration.

Pure Python (no Django): the Django side only formats the date (wareki) and translates the fixed labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from dxpool.standard.errors import StandardError
from dxpool.standard.loader import load_standard

MET = "met"
UNMET = "unmet"
NOT_REQUIRED = "not_required"

# Legacy wording of stored assessments (before issue 13): 「レベル5 (≥4)」, 「レベル≥4」, 「6年 (≥5年)」, 「(≥5年)」.
_LEVEL_HELD = re.compile(r"レベル(\d+) \(≥(\d+)\)")
_LEVEL_MIN = re.compile(r"レベル≥(\d+)")
_YEARS_HELD = re.compile(r" \(≥(\d+)年\)")
_OLD_NOT_REQUIRED = "要件なし（スキル標準の記載は「—」）"


def in_words(text: str) -> str:
    """A stored reason with its thresholds in words: 「レベル≥4」 → 「レベル4以上」, 「(≥5年)」 → 「（基準: 5年以上）」."""
    text = _LEVEL_HELD.sub(r"レベル\1（基準: レベル\2以上）", text)
    text = _LEVEL_MIN.sub(r"レベル\1以上", text)
    return _YEARS_HELD.sub(r"（基準: \1年以上）", text)


@dataclass(frozen=True)
class CriterionView:
    """One side of a persona's rule: `state` is met / unmet / not_required; `by` the evidence when met."""

    kind: str  # "level_or_qualification" | "experience"
    state: str
    by: tuple[str, ...]


@dataclass(frozen=True)
class PersonaView:
    """One persona's verdict as shown: `applied` marks the persona the person applied for."""

    code: str
    name: str
    applied: bool
    meets_standard: bool
    criteria: tuple[CriterionView, ...]
    coverage_percent: int  # share of the persona's skill items covered by the self-ratings, 0–100
    missing: tuple[str, ...]


@dataclass(frozen=True)
class AssessmentView:
    """An assessment ready to show: the standard's title and date, the personas (applied first)."""

    version: str
    standard_title: str
    standard_published: date | None
    personas: tuple[PersonaView, ...]

    @property
    def applied(self) -> tuple[PersonaView, ...]:
        """The personas applied for (usually one), in display order."""
        return tuple(p for p in self.personas if p.applied)


def _criterion(kind: str, data: Any, *, default_required: bool) -> CriterionView:
    data = data if isinstance(data, Mapping) else {}
    required = bool(data.get("required", default_required))
    by = tuple(in_words(str(b)) for b in data.get("by") or () if b and b != _OLD_NOT_REQUIRED)
    if not required:
        return CriterionView(kind, NOT_REQUIRED, ())
    return CriterionView(kind, MET if data.get("met") else UNMET, by)


def _percent(value: Any) -> int:
    try:
        share = float(value)
    except (TypeError, ValueError):
        return 0
    if share != share:  # NaN
        return 0
    return round(100 * min(max(share, 0.0), 1.0))


def _published(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def assessment_view(data: Mapping[str, Any] | None, *, applied: Iterable[str] = ()) -> AssessmentView | None:
    """The stored assessment `data` as shown, the personas in `applied` first (then the standard's order).

    None when there is no assessment yet (an empty dict). A version no longer on file is shown by its id.
    """
    if not data or not isinstance(data, Mapping):
        return None
    version = str(data.get("standard") or "")
    try:
        standard = load_standard(version) if version else load_standard()
        title, published = standard.title, _published(standard.published)
    except StandardError:
        title, published = version, None
    wanted = [code for code in applied if code]
    personas = []
    for p in data.get("personas") or ():
        if not isinstance(p, Mapping):
            continue
        personas.append(PersonaView(
            code=str(p.get("code", "")), name=str(p.get("name", "")), applied=p.get("code") in wanted,
            meets_standard=bool(p.get("meets_standard")),
            criteria=(_criterion("level_or_qualification", p.get("level_or_qualification"), default_required=True),
                      _criterion("experience", p.get("experience"), default_required=True)),
            coverage_percent=_percent(p.get("skill_score")),
            missing=tuple(in_words(str(m)) for m in p.get("missing") or ()),
        ))
    # A stable sort: the applied persona(s) first, in the order applied; the others in the standard's order.
    personas.sort(key=lambda v: wanted.index(v.code) if v.applied else len(wanted))
    return AssessmentView(version, title, published, tuple(personas))

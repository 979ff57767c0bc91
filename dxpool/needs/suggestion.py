"""Role suggestion, explained: from a municipality's own words to the personas and skill items of the standard.

Pure Python (no Django). The text is NFKC-normalised and analysed with SudachiPy (core dictionary); each
vocabulary term matches either as a substring of the normalised text or through Sudachi's normalised forms,
so 表記ゆれ such as 申込み/申し込み or ＲＰＡ/RPA/rpa match alike. A clause that says the matter is done or not
a problem (「導入済み」「特に課題はない」) does not count. Scores are 1 − e^(−Σ weights) per persona: deterministic,
in 0–1, and growing with every independent piece of evidence.

The vocabulary is a JSON data file; a prefecture adds terms with its own file (same shape) without code changes.
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_VOCABULARY = Path(__file__).resolve().parent / "data" / "suggestion_vocabulary.json"
PERSONA_ORDER = ("producer", "project_manager", "service_designer", "engineer")
PERSONA_NAMES = {"producer": "プロデューサー（CIO補佐官等）", "project_manager": "プロジェクトマネージャー",
                 "service_designer": "サービスデザイナー", "engineer": "エンジニア"}
# Sentences, and contrastive clauses (「…済みだが、…」): a "done" marker only silences its own clause.
_CLAUSE = re.compile(r"[。．！？!?\n]|(?<=が)、|(?<=けど)、|(?<=ものの)、|、(?=しかし|ただし)")


class VocabularyError(ValueError):
    """A vocabulary file is unreadable or malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class Entry:
    terms: tuple[str, ...]
    persona: str
    skill: str
    weight: float
    reason: str


@dataclass(frozen=True)
class Vocabulary:
    entries: tuple[Entry, ...]
    negation_markers: tuple[str, ...]


@dataclass(frozen=True)
class PersonaSuggestion:
    code: str
    name: str
    score: float
    skills: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    personas: tuple[PersonaSuggestion, ...]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@functools.cache
def _tokenizer():
    # Building the tokenizer loads the dictionary (~0.5 s): once per process.
    from sudachipy import dictionary

    return dictionary.Dictionary(dict="core").tokenizer()


def _normalised(text: str) -> str:
    """Sudachi's normalised forms joined, case-folded: 申込み and 申し込み give the same string."""
    from sudachipy import tokenizer

    mode = tokenizer.Tokenizer.SplitMode.C
    return "".join(m.normalized_form() for m in _tokenizer().tokenize(text, mode)).casefold()


def _load_file(path: Path) -> dict:
    try:
        with Path(path).open(encoding="utf-8") as f:
            data = json.load(f)
    except OSError as exc:
        raise VocabularyError(f"cannot read vocabulary {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise VocabularyError(f"vocabulary {path} is not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise VocabularyError(f"vocabulary {path} must be an object with an 'entries' list")
    for i, e in enumerate(data["entries"], start=1):
        if not isinstance(e, dict) or not e.get("terms") or not isinstance(e.get("terms"), list):
            raise VocabularyError(f"vocabulary {path}: entry {i} needs a non-empty 'terms' list")
        if e.get("persona") not in PERSONA_ORDER:
            raise VocabularyError(f"vocabulary {path}: entry {i} has persona {e.get('persona')!r}; "
                                  f"accepted: {', '.join(PERSONA_ORDER)}")
        if not e.get("skill") or not e.get("reason"):
            raise VocabularyError(f"vocabulary {path}: entry {i} needs 'skill' and 'reason'")
        w = e.get("weight", 1.0)
        if isinstance(w, bool) or not isinstance(w, (int, float)) or not 0 < w <= 5:
            raise VocabularyError(f"vocabulary {path}: entry {i} has weight {w!r}; use a number in (0, 5]")
    return data


@functools.cache
def _load(paths: tuple[Path, ...]) -> Vocabulary:
    entries: list[Entry] = []
    markers: list[str] = []
    for path in paths:
        data = _load_file(path)
        markers += [m for m in data.get("negation_markers", []) if m not in markers]
        entries += [Entry(tuple(e["terms"]), e["persona"], e["skill"], float(e.get("weight", 1.0)), e["reason"])
                     for e in data["entries"]]
    return Vocabulary(tuple(entries), tuple(markers))


def load_vocabulary(extra_paths: Iterable[str | Path] = ()) -> Vocabulary:
    """The packaged vocabulary merged with a prefecture's extra files (their entries are added)."""
    return _load((DEFAULT_VOCABULARY, *(Path(p) for p in extra_paths)))


@functools.cache
def _term_forms(term: str) -> tuple[str, str]:
    return _fold(term), _normalised(unicodedata.normalize("NFKC", term))


def _clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE.split(text) if c.strip()]


def suggest(text: str, vocabulary: Vocabulary | None = None) -> Suggestion:
    """Personas the text supports, most relevant first, each with the skill items and the reasons."""
    vocabulary = vocabulary or load_vocabulary()
    plain = unicodedata.normalize("NFKC", text or "")
    clauses = [(c, _fold(c), _normalised(c)) for c in _clauses(plain)]
    markers = [_fold(m) for m in vocabulary.negation_markers]
    totals: dict[str, float] = {}
    skills: dict[str, list[str]] = {}
    reasons: dict[str, list[str]] = {}
    for entry in vocabulary.entries:
        for clause, folded, normalised in clauses:
            hit = None
            for term in entry.terms:
                term_folded, term_normalised = _term_forms(term)
                if term_folded and term_folded in folded:
                    start = folded.index(term_folded)
                    hit = clause[start:start + len(term_folded)]
                    break
                if term_normalised and term_normalised in normalised:
                    hit = term
                    break
            if hit is None:
                continue
            if any(m in folded for m in markers):
                continue  # 「導入済み」「特に課題はない」: the clause says this is not a need
            totals[entry.persona] = totals.get(entry.persona, 0.0) + entry.weight
            if entry.skill not in skills.setdefault(entry.persona, []):
                skills[entry.persona].append(entry.skill)
            reason = f"「{hit}」: {entry.reason}"
            if reason not in reasons.setdefault(entry.persona, []):
                reasons[entry.persona].append(reason)
            break  # one piece of evidence per entry: repeating a word does not multiply it
    personas = [
        PersonaSuggestion(code, PERSONA_NAMES[code], round(1 - math.exp(-totals[code]), 3), tuple(skills[code]),
                          tuple(reasons[code]))
        for code in PERSONA_ORDER if code in totals
    ]
    personas.sort(key=lambda p: (-p.score, PERSONA_ORDER.index(p.code)))
    return Suggestion(tuple(personas))


def suggestion_to_dict(s: Suggestion) -> dict:
    """The JSON shape of `dxpool suggest`."""
    return {"personas": [{"code": p.code, "name": p.name, "score": p.score, "skills": list(p.skills),
                          "reasons": list(p.reasons)} for p in s.personas]}


def suggest_many(texts: Sequence[str], vocabulary: Vocabulary | None = None) -> list[Suggestion]:
    """Suggest for several texts with one vocabulary."""
    vocabulary = vocabulary or load_vocabulary()
    return [suggest(t, vocabulary) for t in texts]

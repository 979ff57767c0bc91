"""Role suggestion, explained: from a municipality's own words to the personas and skill items of the standard.

Half of the municipalities that consider external digital talent cannot say which roles or skills they need
(seed 004). This module reads the issue text a municipality writes ("当町ではひとり情シスで、標準化の移行
スケジュールが追いついていない…") and names the personas of the 自治体DX外部人材スキル標準 (seed 000) that
cover it, each with its skill items and the reasons, every reason quoting the words of the text it rests on.

Pure Python: no Django and no app (import-linter contract in pyproject.toml), so the web page, the API,
`dxpool suggest` and dxpool.suggest.roles share it. The personas, their names and their skill items are the
standard's (dxpool.standard): nothing here copies them.

Method (docs/suggestion.md has the long form):

1. The text is NFKC-normalised (ＲＰＡ → RPA, ｼｽﾃﾑ → システム) keeping a map back to the original characters,
   so a reason quotes the municipality's own spelling.
2. SudachiPy (core dictionary) cuts each sentence in split mode C and each C morpheme again in mode A. Every
   token carries its surface, normalized_form() and dictionary_form(), case-folded: 申込み/申し込み/申込 all
   carry 申し込み, 見直し/見直したい carry 見直す, ユーザ/ユーザー carry ユーザー.
3. A vocabulary term (itself analysed the same way) matches where its token sequence matches the text's at
   either granularity (so 仕様 matches inside 仕様書 and セキュリティポリシー inside 情報セキュリティポリシー),
   or where its surface occurs aligned with token boundaries (never 済 inside 経済). Longest match wins: a
   match lying strictly inside a longer match is dropped, so 「DX推進計画」 does not also count as 「計画」.
4. An entry may require a co-occurring term in the same sentence (「方針」 needs 「ない/策定/…」 nearby): generic
   words count only in the context that makes them a need.
5. Statements that a matter is handled are not needs; statements of lack are (docs/suggestion.md, "Negation"):
   a clause saying there is no problem (「特に課題はない」「問題なく」「予定はありません」) is dropped as a
   whole; a completion marker (「導入済み」「完了した」, but not 「完了していない」「完了予定」) drops the matches
   before it in its phrase; 「全体方針がない」 or 「策定したい」 is exactly the need and counts.
6. Each entry counts once per text (repeating a word is not more evidence). A persona's score is
   1 − e^(−Σ weights of its entries): in 0–1, deterministic, growing with every independent piece of evidence.
   dxpool.suggest.roles adds the hearing's facts on the same scale (it inverts the score to a weight).

The vocabulary is versioned data (data/suggestion_vocabulary.json); a prefecture adds, replaces or disables
entries with its own file of the same shape, without code changes: load_vocabulary(extra_paths=[...]).
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dxpool.standard.loader import load_standard
from dxpool.standard.personas import PERSONA_CODES, PERSONA_NAMES, PERSONA_NAMES_EN

FORMAT = "dxpool-suggestion-vocabulary/1"
DEFAULT_VOCABULARY = Path(__file__).resolve().parent / "data" / "suggestion_vocabulary.json"
# The personas and their skill items are the standard's, in its order (seed 000_01556ea2d2b360de.txt,
# 自治体DX外部人材スキル標準): read from its data file, so the vocabulary is checked against the standard itself
# and a new version of the standard cannot leave a stale copy here.
PERSONA_SKILLS: dict[str, tuple[str, ...]] = {p.code: tuple(s.name for s in p.skills)
                                              for p in load_standard().personas}
MAX_WEIGHT = 3.0
# The time budget of one suggestion, as a length: the work grows faster than the text (measured 2026: 4,000
# characters ≈ 0.05 s, 40,000 ≈ 1.8 s, 1,000,000 past gunicorn's timeout), so every caller that takes text
# from outside (the API, `dxpool suggest`) refuses more than this — the same bound as a hearing's issue field.
MAX_TEXT_CHARS = 4000
MAX_TERM_CHARS = 60
# Sudachi refuses very long inputs; sentences are far shorter, but a text without 。 or line breaks is cut here.
_CHUNK_CHARS = 1000
_QUOTE_JOIN_GAP = 12  # a term and its required word this close are quoted as one span: 「全体方針がない」
_MAX_QUOTES = 3

_ENTRY_KEYS = {"id", "terms", "persona", "skill", "weight", "reason", "reason_en", "requires", "within", "note"}
_TOP_KEYS = {"format", "version", "description", "standard", "source", "notes", "rules", "entries", "disable"}
_RULE_KEYS = ("done", "not_done_after", "no_issue_subjects", "negations", "fillers", "problem")
# Sentence ends. ASCII "." is left alone: it occurs inside "Ver.2", "No.1", URLs.
_SENTENCE = re.compile(r"[^。．！？!?\n]*(?:[。．！？!?\n]+|$)")
# Dash look-alikes NFKC leaves alone (AI‐OCR, eL–QR); the katakana ー is a letter and stays.
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"})
# Conjunctive particles and conjunctions that turn a sentence round: 「RPAは導入済みだが、AI-OCRを入れたい」.
_CONTRAST_PARTICLES = {"が", "けど", "けれど", "けれども", "ものの", "のに"}
_CONTRAST_CONJUNCTIONS = {"しかし", "然し", "だが", "ところが", "けれども", "けれど", "但し", "ただし", "一方",
                          "でも", "とはいえ"}
_COMMAS = {"、", ",", "，"}
_TOPIC_PARTICLES = {"は", "も"}


class VocabularyError(ValueError):
    """A vocabulary file is unreadable or malformed; the message names the file, the entry and the problem."""


# --- the tokenizer ---------------------------------------------------------------------------------------------

_build_lock = threading.Lock()
_use_lock = threading.Lock()
_tokenizer_instance = None
_tokenizer_seconds: float | None = None


def _tokenizer():
    """The one SudachiPy tokenizer of the process, built on first use (loading the dictionary is the slow part).

    A Sudachi tokenizer keeps mutable state and is not safe to share between threads, so every use goes
    through _use_lock; a text takes about a millisecond, far below what contention would matter for.
    """
    global _tokenizer_instance, _tokenizer_seconds
    if _tokenizer_instance is None:
        with _build_lock:
            if _tokenizer_instance is None:
                started = time.perf_counter()
                from sudachipy import Dictionary, SplitMode

                _tokenizer_instance = Dictionary(dict="core").tokenizer(mode=SplitMode.C)
                _tokenizer_seconds = time.perf_counter() - started
    return _tokenizer_instance


def warm_up() -> float:
    """Build the tokenizer and the packaged vocabulary now; returns the tokenizer's build time in seconds."""
    _tokenizer()
    load_vocabulary()
    return _tokenizer_seconds or 0.0


@dataclass(frozen=True, slots=True)
class _Token:
    start: int  # offsets in the normalised text
    end: int
    keys: frozenset[str]  # case-folded surface, normalized_form(), dictionary_form()
    pos: tuple[str, str]  # Sudachi's first two part-of-speech levels
    sentence: int


def _fold(s: str) -> str:
    return s.casefold()


def _keys(m) -> frozenset[str]:
    return frozenset({_fold(m.surface()), _fold(m.normalized_form()), _fold(m.dictionary_form())})


def _analyse(chunks: Iterable[tuple[int, str, int]]) -> tuple[list[_Token], list[_Token]]:
    """Mode-C and mode-A tokens of (offset, text, sentence) chunks, as plain values (no Sudachi objects escape)."""
    from sudachipy import SplitMode

    tok = _tokenizer()
    c_tokens: list[_Token] = []
    a_tokens: list[_Token] = []
    with _use_lock:
        for offset, chunk, sentence in chunks:
            for m in tok.tokenize(chunk):
                pos = m.part_of_speech()
                if pos[0] == "空白":
                    continue  # white space would break multi-token terms written with or without a space
                c = _Token(offset + m.begin(), offset + m.end(), _keys(m), (pos[0], pos[1]), sentence)
                c_tokens.append(c)
                # split(add_single=True) crashes in SudachiPy 0.7 (the copy loses its input): an empty split
                # means the morpheme is already minimal.
                parts = m.split(SplitMode.A)
                if len(parts) <= 1:
                    a_tokens.append(c)
                    continue
                for p in parts:
                    ppos = p.part_of_speech()
                    a_tokens.append(_Token(offset + p.begin(), offset + p.end(), _keys(p), (ppos[0], ppos[1]),
                                           sentence))
    return c_tokens, a_tokens


# --- normalisation with a map back to the original ---------------------------------------------------------------

def _attaches(c: str) -> bool:
    """Characters NFKC combines with the one before (voiced marks, combining accents, variation selectors)."""
    o = ord(c)
    return (unicodedata.combining(c) != 0 or c in "\uff9e\uff9f\u200d" or 0xFE00 <= o <= 0xFE0F
            or 0xE0100 <= o <= 0xE01EF)


def _normalise(text: str) -> tuple[str, list[int], list[int]]:
    """NFKC text plus, for each of its characters, where it came from in the original (start, end).

    Normalising cluster by cluster (a base character with what attaches to it) keeps the map exact even where
    NFKC changes lengths: ｶﾞ (2 characters) → ガ (1), ㈱ (1) → (株) (3).
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and _attaches(text[j]):
            j += 1
        piece = unicodedata.normalize("NFKC", text[i:j]).translate(_DASHES)
        out.append(piece)
        starts.extend([i] * len(piece))
        ends.extend([j] * len(piece))
        i = j
    return "".join(out), starts, ends


def _fold_same_length(s: str) -> str:
    folded = s.casefold()
    if len(folded) == len(s):
        return folded
    return "".join(c if len(c.casefold()) != 1 else c.casefold() for c in s)


def _sentences(norm: str) -> list[tuple[int, str]]:
    """(offset, sentence) pieces of the normalised text, long ones cut at _CHUNK_CHARS."""
    out = []
    for m in _SENTENCE.finditer(norm):
        s = m.group()
        if not s.strip():
            continue
        for k in range(0, len(s), _CHUNK_CHARS):
            out.append((m.start() + k, s[k:k + _CHUNK_CHARS]))
    return out


# --- the vocabulary --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One vocabulary entry: any of `terms` in the text is evidence for `persona`'s `skill`."""

    id: str
    terms: tuple[str, ...]
    persona: str
    skill: str
    weight: float
    reason: str
    reason_en: str
    requires: tuple[str, ...] = ()  # when given, one of these must occur in the same sentence…
    within: int | None = None  # …at most this many characters away from the term
    source: str = ""  # the file the entry came from


@dataclass(frozen=True)
class Rules:
    """Token forms for the negation and completion rules (see _silencing and docs/suggestion.md)."""

    done: frozenset[str]
    not_done_after: frozenset[str]
    no_issue_subjects: frozenset[str]
    negations: frozenset[str]
    fillers: frozenset[str]
    problem: frozenset[str]


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Entries and rules merged from the packaged file and any extra files, compiled for matching."""

    version: str
    sources: tuple[str, ...]
    entries: tuple[Entry, ...]
    rules: Rules
    # Compiled: pattern id → its surface; first token key → [(pattern id, token key sequence)].
    _surfaces: tuple[str, ...]
    _index: dict[str, tuple[tuple[int, tuple[frozenset[str], ...]], ...]]
    _entry_terms: tuple[tuple[int, ...], ...]  # per entry, pattern ids of its terms
    _entry_requires: tuple[tuple[int, ...], ...]  # per entry, pattern ids of its required words


def _fail(path: Path, message: str) -> VocabularyError:
    return VocabularyError(f"vocabulary {path}: {message}")


def _string_list(path: Path, where: str, value: Any, *, allow_empty: bool = False) -> list[str]:
    if not isinstance(value, list) or (not value and not allow_empty):
        raise _fail(path, f"{where} must be a {'' if allow_empty else 'non-empty '}list of strings")
    for v in value:
        if not isinstance(v, str) or not v.strip():
            raise _fail(path, f"{where} has {v!r}; every item must be a non-empty string")
        if len(v) > MAX_TERM_CHARS:
            raise _fail(path, f"{where} has a term longer than {MAX_TERM_CHARS} characters: {v[:20]!r}…")
    return [v.strip() for v in value]


def _read(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as f:
            data = json.load(f)
    except OSError as exc:
        raise VocabularyError(f"cannot read vocabulary {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise _fail(path, "is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise VocabularyError(f"vocabulary {path} is not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise _fail(path, "must be a JSON object with an 'entries' list")
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise _fail(path, f"unknown key {unknown[0]!r}; accepted: {', '.join(sorted(_TOP_KEYS))}")
    if data.get("format", FORMAT) != FORMAT:
        raise _fail(path, f"format {data.get('format')!r} is not supported (this dxpool reads {FORMAT!r})")
    return data


def _entry(path: Path, i: int, raw: Any) -> Entry:
    where = f"entry {i}"
    if not isinstance(raw, dict):
        raise _fail(path, f"{where} must be an object")
    if isinstance(raw.get("id"), str) and raw["id"].strip():
        where = f"entry {i} ({raw['id']})"
    unknown = sorted(set(raw) - _ENTRY_KEYS)
    if unknown:
        raise _fail(path, f"{where} has unknown key {unknown[0]!r}; accepted: {', '.join(sorted(_ENTRY_KEYS))}")
    entry_id = raw.get("id", f"{path.stem}#{i}")
    if not isinstance(entry_id, str) or not entry_id.strip():
        raise _fail(path, f"{where} has id {entry_id!r}; use a non-empty string")
    terms = _string_list(path, f"{where} 'terms'", raw.get("terms"))
    persona = raw.get("persona")
    if persona not in PERSONA_CODES:
        raise _fail(path, f"{where} has persona {persona!r}; accepted: {', '.join(PERSONA_CODES)}")
    skill = raw.get("skill")
    if skill not in PERSONA_SKILLS[persona]:
        raise _fail(path, f"{where} has skill {skill!r}, which is not a skill item of {persona} in the "
                          f"standard; accepted: {', '.join(PERSONA_SKILLS[persona])}")
    weight = raw.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= MAX_WEIGHT:
        raise _fail(path, f"{where} has weight {weight!r}; use a number in (0, {MAX_WEIGHT:g}]")
    reason = raw.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise _fail(path, f"{where} needs a 'reason' (the Japanese sentence shown to the municipality)")
    reason_en = raw.get("reason_en", "")
    if not isinstance(reason_en, str):
        raise _fail(path, f"{where} has a 'reason_en' that is not a string")
    requires = _string_list(path, f"{where} 'requires'", raw["requires"]) if "requires" in raw else []
    within = raw.get("within")
    if within is not None and (isinstance(within, bool) or not isinstance(within, int) or within < 1):
        raise _fail(path, f"{where} has within {within!r}; use a positive whole number of characters")
    if within is not None and not requires:
        raise _fail(path, f"{where} has 'within' but no 'requires'")
    return Entry(entry_id.strip(), tuple(terms), persona, skill, float(weight), reason.strip(),
                 reason_en.strip(), tuple(requires), within, str(path))


def _compile_term(term: str) -> tuple[str, tuple[tuple[frozenset[str], ...], ...]]:
    """A term's folded NFKC surface and its token key sequences in modes C and A (one if they agree)."""
    norm, _, _ = _normalise(term)
    c_tokens, a_tokens = _analyse([(0, norm, 0)])
    seqs = []
    for tokens in (c_tokens, a_tokens):
        seq = tuple(t.keys for t in tokens)
        if seq and seq not in seqs:
            seqs.append(seq)
    return _fold_same_length("".join(norm.split())), tuple(seqs)


@functools.lru_cache(maxsize=32)
def _load(signature: tuple[tuple[str, int, int], ...]) -> Vocabulary:
    entries: dict[str, Entry] = {}
    rules: dict[str, set[str]] = {k: set() for k in _RULE_KEYS}
    versions: list[str] = []
    for name, _, _ in signature:
        path = Path(name)
        data = _read(path)
        versions.append(f"{path.stem}@{data.get('version', '?')}")
        raw_rules = data.get("rules", {})
        if not isinstance(raw_rules, dict):
            raise _fail(path, "'rules' must be an object")
        for key, words in raw_rules.items():
            if key not in _RULE_KEYS:
                raise _fail(path, f"rules has unknown key {key!r}; accepted: {', '.join(_RULE_KEYS)}")
            rules[key] |= {_fold(unicodedata.normalize("NFKC", w)) for w in _string_list(path, f"rules.{key}", words)}
        for entry_id in _string_list(path, "'disable'", data.get("disable", []), allow_empty=True):
            if entry_id not in entries:
                raise _fail(path, f"disable names {entry_id!r}, which no earlier vocabulary file defines")
            del entries[entry_id]
        seen: set[str] = set()
        for i, raw in enumerate(data["entries"], start=1):
            e = _entry(path, i, raw)
            if e.id in seen:
                raise _fail(path, f"entry {i} repeats id {e.id!r}")
            seen.add(e.id)
            entries[e.id] = e  # a later file's entry with the same id replaces the earlier one
    # Compile every distinct term once; patterns are shared by entries and requirements.
    pattern_ids: dict[str, int] = {}
    surfaces: list[str] = []
    index: dict[str, list[tuple[int, tuple[frozenset[str], ...]]]] = {}

    def pattern(term: str) -> int:
        if term not in pattern_ids:
            surface, seqs = _compile_term(term)
            if not surface:
                raise VocabularyError(f"vocabulary term {term!r} is empty after normalisation")
            pid = pattern_ids[term] = len(surfaces)
            surfaces.append(surface)
            for seq in seqs:
                for key in seq[0]:
                    index.setdefault(key, []).append((pid, seq))
        return pattern_ids[term]

    ordered = tuple(entries.values())
    entry_terms = tuple(tuple(pattern(t) for t in e.terms) for e in ordered)
    entry_requires = tuple(tuple(pattern(t) for t in e.requires) for e in ordered)
    return Vocabulary(" + ".join(versions), tuple(name for name, _, _ in signature), ordered,
                      Rules(*(frozenset(rules[k]) for k in _RULE_KEYS)), tuple(surfaces),
                      {k: tuple(v) for k, v in index.items()}, entry_terms, entry_requires)


def load_vocabulary(extra_paths: Iterable[str | Path] = ()) -> Vocabulary:
    """The packaged vocabulary merged with a prefecture's extra files, in order.

    An extra file adds entries; an entry with the id of an earlier one replaces it; `"disable": [ids]` removes
    earlier entries; rule word lists are united. Loaded vocabularies are cached per file list and modification
    time. Raises VocabularyError naming the file and the problem.
    """
    signature = []
    for p in (DEFAULT_VOCABULARY, *(Path(p) for p in extra_paths)):
        try:
            st = p.stat()
        except OSError as exc:
            raise VocabularyError(f"cannot read vocabulary {p}: {exc.strerror or exc}") from None
        signature.append((str(p.resolve()), st.st_mtime_ns, st.st_size))
    return _load(tuple(signature))


# --- the result ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Evidence:
    """One vocabulary entry the text supports: where (original offsets), what it quotes, and why."""

    entry_id: str
    persona: str
    skill: str
    weight: float
    quotes: tuple[str, ...]  # the matched words as the original text spells them
    spans: tuple[tuple[int, int], ...]  # their (start, end) in the original text
    reason: str
    reason_en: str

    @property
    def text(self) -> str:
        return "".join(f"「{q}」" for q in self.quotes) + f": {self.reason}"

    @property
    def text_en(self) -> str:
        return "".join(f"“{q}”" for q in self.quotes) + f": {self.reason_en or self.reason}"


@dataclass(frozen=True)
class PersonaSuggestion:
    code: str
    name: str
    score: float  # 1 − e^(−Σ weights), two decimals
    skills: tuple[str, ...]  # most supported first
    reasons: tuple[str, ...]  # "「quote」: reason", strongest first
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    personas: tuple[PersonaSuggestion, ...]  # most relevant first; only personas the text supports
    vocabulary_version: str = ""


# --- matching --------------------------------------------------------------------------------------------------

@dataclass
class _Text:
    original: str
    norm: str
    starts: list[int]
    ends: list[int]
    c_tokens: list[_Token]
    a_tokens: list[_Token]
    sentence_starts: list[int]
    clause_starts: list[int]
    clause_contrast: list[bool]  # whether the clause begins at a contrastive turn (…が、)
    phrase_starts: list[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]

    def quote(self, start: int, end: int) -> str:
        s, e = self.original_span(start, end)
        return self.original[s:e]

    def sentence(self, pos: int) -> int:
        return bisect.bisect_right(self.sentence_starts, pos) - 1

    def clause(self, pos: int) -> int:
        return bisect.bisect_right(self.clause_starts, pos) - 1

    def phrase(self, pos: int) -> int:
        return bisect.bisect_right(self.phrase_starts, pos) - 1


def _prepare(text: str) -> _Text:
    norm, starts, ends = _normalise(text)
    sentences = _sentences(norm)
    c_tokens, a_tokens = _analyse((off, s, k) for k, (off, s) in enumerate(sentences))
    sentence_starts = [off for off, _ in sentences]
    clause_starts: list[int] = list(sentence_starts)
    contrast: dict[int, bool] = {s: False for s in sentence_starts}
    phrase_cuts: list[int] = []
    for i, t in enumerate(c_tokens):
        surface = norm[t.start:t.end]
        if t.pos == ("助詞", "接続助詞") and surface in _CONTRAST_PARTICLES:
            clause_starts.append(t.end)
            contrast[t.end] = True
        elif t.pos[0] == "接続詞" and t.keys & _CONTRAST_CONJUNCTIONS:
            clause_starts.append(t.start)
            contrast[t.start] = True
        elif surface in _COMMAS:
            # 「RPAについては、導入済み」: a comma after a topic (は/も) does not end the phrase the topic opens.
            before = norm[c_tokens[i - 1].start:c_tokens[i - 1].end] if i else ""
            if not (before in _TOPIC_PARTICLES and c_tokens[i - 1].pos[1] == "係助詞"):
                phrase_cuts.append(t.end)
    clause_starts = sorted(set(clause_starts))
    return _Text(text, norm, starts, ends, c_tokens, a_tokens, sentence_starts, clause_starts,
                 [contrast.get(s, False) for s in clause_starts], sorted(set(clause_starts) | set(phrase_cuts)))


def _find(t: _Text, vocabulary: Vocabulary) -> dict[int, set[tuple[int, int]]]:
    """Every place each pattern matches: pattern id → {(start, end)} in the normalised text."""
    found: dict[int, set[tuple[int, int]]] = {}
    for tokens in (t.c_tokens, t.a_tokens):
        n = len(tokens)
        for i, tok in enumerate(tokens):
            for key in tok.keys:
                for pid, seq in vocabulary._index.get(key, ()):
                    end = i + len(seq)
                    if end > n or tokens[end - 1].sentence != tok.sentence:
                        continue
                    if all(tokens[i + j].keys & seq[j] for j in range(1, len(seq))):
                        found.setdefault(pid, set()).add((tok.start, tokens[end - 1].end))
    # Surfaces, for segmentations that differ between the term alone and the term in context; only at token
    # boundaries of mode A, so that 済 never matches inside 経済 nor UI inside GUI.
    folded = _fold_same_length(t.norm)
    a_starts = {x.start for x in t.a_tokens}
    a_ends = {x.end for x in t.a_tokens}
    for pid, surface in enumerate(vocabulary._surfaces):
        pos = folded.find(surface)
        while pos >= 0:
            end = pos + len(surface)
            if pos in a_starts and end in a_ends and t.sentence(pos) == t.sentence(end - 1):
                found.setdefault(pid, set()).add((pos, end))
            pos = folded.find(surface, pos + 1)
    return found


def _skip(tokens: list[_Token], j: int, clause: int, t: _Text, fillers: frozenset[str]) -> int:
    while j < len(tokens) and t.clause(tokens[j].start) == clause and tokens[j].keys & fillers:
        j += 1
    return j


def _silencing(t: _Text, rules: Rules) -> tuple[set[int], list[tuple[int, int]]]:
    """Clauses that say there is no problem, and completion markers as (position, phrase).

    No-issue: a subject (課題, 問題, 支障, 予定, 必要, 特に …) followed, past particles and auxiliaries only, by a
    negation (ない, 無い, ぬ/ん, ず, なし): 「特に課題はない」「問題なく」「導入の予定はありません」.
    Done: a completion word (済み, 完了, 終了 …) unless negated (「完了していない」), prospective
    (「完了予定」「完了したい」) or prefixed with 未 (「未完了」).
    """
    tokens = t.c_tokens
    no_issue: set[int] = set()
    done: list[tuple[int, int]] = []
    for i, tok in enumerate(tokens):
        clause = t.clause(tok.start)
        if tok.keys & rules.no_issue_subjects:
            j = _skip(tokens, i + 1, clause, t, rules.fillers)
            if j < len(tokens) and t.clause(tokens[j].start) == clause and tokens[j].keys & rules.negations:
                no_issue.add(clause)
        if tok.keys & rules.done:
            if i and "未" in tokens[i - 1].keys:
                continue
            j = _skip(tokens, i + 1, clause, t, rules.fillers)
            if j < len(tokens) and t.clause(tokens[j].start) == clause and (
                    tokens[j].keys & rules.negations or tokens[j].keys & rules.not_done_after):
                continue
            done.append((tok.start, t.phrase(tok.start)))
    return no_issue, done


def _contained(span: tuple[int, int], others: set[tuple[int, int]]) -> bool:
    s, e = span
    return any(o != span and o[0] <= s and e <= o[1] for o in others)


def suggest(text: str, vocabulary: Vocabulary | None = None) -> Suggestion:
    """Personas the text supports, most relevant first, each with its skill items and quoted reasons.

    Deterministic; an empty tuple of personas when the text supports none (「特になし」, unrelated text).
    """
    vocabulary = vocabulary or load_vocabulary()
    if not text or not text.strip():
        return Suggestion((), vocabulary.version)
    t = _prepare(text)
    rules = vocabulary.rules
    found = _find(t, vocabulary)
    term_spans = {span for pids in vocabulary._entry_terms for pid in pids for span in found.get(pid, ())}
    kept = {span for span in term_spans if not _contained(span, term_spans)}  # longest match wins
    no_issue, done = _silencing(t, rules)

    def done_silenced(span: tuple[int, int]) -> bool:
        phrase = t.phrase(span[0])
        return any(p == phrase and pos >= span[1] for pos, p in done)

    # 「RPAは導入済みだが、活用が進んでいない」: a contrastive clause that names no topic of its own but states a
    # problem is about the done thing, which is then a need again. (With a topic of its own — 「…だが、AI-OCRを
    # 入れたい」 — the done thing stays done.)
    clauses_with_topic = {t.clause(s[0]) for s in kept}
    revived: set[int] = set()
    for k in range(len(t.clause_starts) - 1):
        nxt = k + 1
        if (t.clause_contrast[nxt] and nxt not in no_issue and nxt not in clauses_with_topic
                and t.sentence(t.clause_starts[nxt]) == t.sentence(t.clause_starts[k])):
            end = t.clause_starts[nxt + 1] if nxt + 1 < len(t.clause_starts) else len(t.norm)
            if any(x.keys & (rules.problem | rules.negations) for x in t.c_tokens if t.clause_starts[nxt] <= x.start < end):
                revived.add(k)

    def live(span: tuple[int, int]) -> bool:
        clause = t.clause(span[0])
        if clause in no_issue:
            return False
        return clause in revived or not done_silenced(span)

    evidence: list[Evidence] = []
    for entry, pids, req_pids in zip(vocabulary.entries, vocabulary._entry_terms, vocabulary._entry_requires,
                                     strict=True):
        spans = sorted({s for pid in pids for s in found.get(pid, ()) if s in kept and live(s)})
        if req_pids:
            required = sorted({s for pid in req_pids for s in found.get(pid, ())})
            spans = [q for s in spans if (q := _with_requirement(t, s, required, entry.within))]
        if not spans:
            continue
        quotes: list[str] = []
        orig_spans: list[tuple[int, int]] = []
        for s in sorted(set(spans)):
            q = t.quote(*s)
            if q not in quotes and len(quotes) < _MAX_QUOTES:
                quotes.append(q)
                orig_spans.append(t.original_span(*s))
        evidence.append(Evidence(entry.id, entry.persona, entry.skill, entry.weight, tuple(quotes),
                                 tuple(orig_spans), entry.reason, entry.reason_en))
    return Suggestion(_rank(evidence), vocabulary.version)


def _with_requirement(t: _Text, span: tuple[int, int], required: Sequence[tuple[int, int]],
                      within: int | None) -> tuple[int, int] | None:
    """The span to quote when a required word is in the same sentence (and close enough), else None."""
    best = None
    for r in required:
        if r[1] > span[0] and r[0] < span[1]:
            continue  # overlapping: the term itself, not a second word
        if t.sentence(r[0]) != t.sentence(span[0]):
            continue
        gap = r[0] - span[1] if r[0] >= span[1] else span[0] - r[1]
        if within is not None and gap > within:
            continue
        if best is None or gap < best[0]:
            best = (gap, r)
    if best is None:
        return None
    gap, r = best
    # Close words are quoted together (「全体方針がない」); far ones leave the term alone as the quote.
    return (min(span[0], r[0]), max(span[1], r[1])) if gap <= _QUOTE_JOIN_GAP else span


def _rank(evidence: list[Evidence]) -> tuple[PersonaSuggestion, ...]:
    out = []
    for code in PERSONA_CODES:
        mine = [e for e in evidence if e.persona == code]
        if not mine:
            continue
        mine.sort(key=lambda e: (-e.weight, e.spans[0][0], e.entry_id))
        by_skill: dict[str, float] = {}
        for e in mine:
            by_skill[e.skill] = by_skill.get(e.skill, 0.0) + e.weight
        skills = sorted(by_skill, key=lambda s: (-by_skill[s], PERSONA_SKILLS[code].index(s)))
        reasons: list[str] = []
        for e in mine:
            if e.text not in reasons:
                reasons.append(e.text)
        total = sum(e.weight for e in mine)
        out.append(PersonaSuggestion(code, PERSONA_NAMES[code], round(1 - math.exp(-total), 2), tuple(skills),
                                     tuple(reasons), tuple(mine)))
    out.sort(key=lambda p: (-p.score, PERSONA_CODES.index(p.code)))
    return tuple(out)


def suggestion_to_dict(s: Suggestion, lang: str = "ja") -> dict:
    """The JSON shape of `dxpool suggest` and POST /api/v1/suggestions.

    {"personas": [{"code", "name", "score", "skills", "reasons"}]}; lang="en" gives English names and reasons
    (skill items keep the standard's Japanese names).
    """
    if lang not in ("ja", "en"):
        raise ValueError(f"lang must be 'ja' or 'en', not {lang!r}")
    en = lang == "en"
    return {"personas": [
        {"code": p.code, "name": PERSONA_NAMES_EN[p.code] if en else p.name, "score": p.score,
         "skills": list(p.skills),
         "reasons": list(dict.fromkeys(e.text_en for e in p.evidence)) if en and p.evidence else list(p.reasons)}
        for p in s.personas]}


def suggest_many(texts: Sequence[str], vocabulary: Vocabulary | None = None) -> list[Suggestion]:
    """Suggest for several texts with one vocabulary."""
    vocabulary = vocabulary or load_vocabulary()
    return [suggest(t, vocabulary) for t in texts]

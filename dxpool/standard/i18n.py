"""Translating the standard's labels without Django, so pure modules can hold and show translatable text.

Two mechanisms, one for each kind of text:

- Labels written in code (the needs reference lists, persona names, suggestion reasons) are plain Japanese
  strings marked with `gettext_noop`; `makemessages` extracts them into dxpool/locale and the Django side
  translates them where they are shown.
- Labels of the skill standard live in its data files, which `makemessages` cannot read. There each Japanese
  field may have an English sibling named `<field>_en` (`name` → `name_en`, `text` → `text_en`, lists element
  by element), plus the look-up tables `field_names_en`, `qualification_names_en` and `experience_labels_en`.
  The standard is published in Japanese only, so these are dxpool's translations unless the file's
  `translations.en` note says otherwise (IPA's own English names of its skill standards and exams); see
  docs/standard.md. `localise(text, language)` maps a Japanese label to its English sibling.

The language is passed in (the Django side passes `get_language()`): this module never asks Django for it.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# The loader's category labels (loader.CATEGORIES) are code, not data.
CATEGORY_NAMES_EN = {"テクニカルスキル": "Technical skills", "ヒューマンスキル": "Human skills"}
# Look-up tables of a data file: Japanese name → English name.
_TABLES = ("field_names_en", "qualification_names_en")


def gettext_noop(message: str) -> str:
    """The message unchanged; `makemessages` extracts the strings of gettext_noop calls into dxpool/locale.

    Pure modules hold plain Japanese strings marked with this; the Django side wraps them in gettext_lazy where
    they are shown (talent.models), and the catalogue keeps their translations.
    """
    return message


def is_english(language: str | None) -> bool:
    """True for any English locale code (en, en-gb, en_US)."""
    return bool(language) and str(language).lower().replace("_", "-").split("-")[0] == "en"


def _pairs(node) -> Iterator[tuple[str, str]]:
    """(Japanese, English) for every `<key>` with a `<key>_en` sibling anywhere in a parsed data file."""
    if isinstance(node, list):
        for item in node:
            yield from _pairs(item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        english = node.get(f"{key}_en")
        if english is not None:
            yield from _zip(value, english)
        yield from _pairs(value)


def _zip(ja, en) -> Iterator[tuple[str, str]]:
    if isinstance(ja, str) and isinstance(en, str):
        yield ja, en
    elif isinstance(ja, list) and isinstance(en, list):
        for a, b in zip(ja, en, strict=False):
            yield from _zip(a, b)
    elif isinstance(ja, dict) and isinstance(en, dict):
        for k in ja.keys() & en.keys():
            yield from _zip(ja[k], en[k])


@functools.cache
def english_labels() -> dict[str, str]:
    """Japanese label → English label, from every data file of the standard (first file wins on a clash)."""
    index: dict[str, str] = dict(CATEGORY_NAMES_EN)
    for path in sorted(DATA_DIR.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        for ja, en in _pairs(raw):
            index.setdefault(ja, en)
        for table in _TABLES:
            for ja, en in raw.get(table, {}).items():
                index.setdefault(ja, en)
        labels_ja, labels_en = raw.get("experience_labels", {}), raw.get("experience_labels_en", {})
        for code, ja in labels_ja.items():
            if code in labels_en:
                index.setdefault(ja, labels_en[code])
        for framework in raw.get("frameworks", {}).values():
            if "name_en" in framework:
                for name in (framework["name"], *framework.get("aliases", ())):
                    index.setdefault(name, framework["name_en"])
    return index


def localise(text, language: str | None) -> str:
    """`text` in `language`: the English sibling of a label of the standard under English, else `text` itself.

    Unknown text (a user's words, a label the data files do not translate) comes back unchanged, so callers may
    pass anything and fall back to the gettext catalogue.
    """
    text = "" if text is None else str(text)
    if not is_english(language):
        return text
    return english_labels().get(text.strip(), text)


# --- the assessment's reasons (dxpool.standard.assess), which are built as Japanese sentences from labels ------
# assess.level_label / years_label / _compile write these shapes; each is rebuilt in English from its labels.
_BY_LEVEL = re.compile(r"^(ITSS|UISS) (.+) レベル(\d+)（基準: レベル(\d+)以上）$")
_BY_QUALIFICATION = re.compile(r"^資格: (.+)$")
_BY_YEARS = re.compile(r"^(.+) (?:(\d+(?:\.\d+)?)年|年数不明)（基準: (\d+)年以上）$")
_WANT_LEVEL = re.compile(r"^(ITSS|UISS) (.+) レベル(\d+)以上$")
_WANT_QUALIFICATIONS = "資格 "
_WANT_YEARS = re.compile(r"^(.+)（(\d+)年以上）$")
_ANY_LEVEL_OR_QUALIFICATION = "スキルレベル又は資格のいずれか: "
_ANY_EXPERIENCE = "経験のいずれか: "


def _en(text: str) -> str:
    return english_labels().get(text.strip(), text)


def _years(n: str) -> str:
    return f"{n} year" if n == "1" else f"{n} years"


def _english_reason(text: str) -> str | None:
    if m := _BY_LEVEL.match(text):
        fw, field, held, minimum = m.groups()
        return f"{fw} {_en(field)} level {held} (required: level {minimum} or higher)"
    if m := _BY_QUALIFICATION.match(text):
        return f"Qualification: {_en(m.group(1))}"
    if m := _BY_YEARS.match(text):
        label, held, minimum = m.groups()
        shown = _years(held) if held else "years not stated"
        return f"{_en(label)}: {shown} (required: {_years(minimum)} or more)"
    if text.startswith(_ANY_LEVEL_OR_QUALIFICATION):
        parts = []
        for part in text[len(_ANY_LEVEL_OR_QUALIFICATION):].split("、"):
            if m := _WANT_LEVEL.match(part):
                fw, fields, minimum = m.groups()
                parts.append(f"{fw} {'/'.join(_en(f) for f in fields.split('/'))} level {minimum} or higher")
            elif part.startswith(_WANT_QUALIFICATIONS):
                names = part[len(_WANT_QUALIFICATIONS):].split("/")
                parts.append("qualification " + "/".join(_en(q) for q in names))
            else:
                parts.append(_en(part))
        return "Any of these skill levels or qualifications: " + "; ".join(parts)
    if text.startswith(_ANY_EXPERIENCE):
        parts = []
        for part in text[len(_ANY_EXPERIENCE):].split("、"):
            m = _WANT_YEARS.match(part)
            parts.append(f"{_en(m.group(1))} ({_years(m.group(2))} or more)" if m else _en(part))
        return "Any of these experiences: " + "; ".join(parts)
    return None


def localise_reason(text, language: str | None) -> str:
    """An assessment's reason (「ITSS コンサルタント レベル5（基準: レベル4以上）」, 「経験のいずれか: …」) in
    `language`; like `localise`, text of another shape comes back unchanged (a label is looked up as a label)."""
    text = "" if text is None else str(text)
    if not is_english(language):
        return text
    return _english_reason(text.strip()) or localise(text, language)

"""The English catalogue is complete: every message has a translation and none is a fuzzy guess.

makemessages marks a new string's nearest old translation "fuzzy" (e.g. 変更前 guessed as "What changed");
Django ignores fuzzy entries, so the English page would silently show Japanese. `make messages` then this
test catch both."""

import ast
import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "dxpool" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(text: str):
    for block in text.split("\n\n"):
        if 'msgid ""\nmsgstr ""\n"Project-Id-Version' in block:
            continue  # the header
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if msgid is None:
            continue
        msgstr = re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M) or re.search(
            r'^msgstr\[0\] ((?:".*"\n?)+)', block, re.M)
        join = lambda m: "".join(ast.literal_eval(x) for x in re.findall(r'".*"', m.group(1))) if m else ""  # noqa: E731
        yield join(msgid), join(msgstr), "#, fuzzy" in block or ", fuzzy" in block


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = list(_entries(PO.read_text(encoding="utf-8")))
    assert len(entries) > 300
    untranslated = [i for i, s, _ in entries if i and not s]
    fuzzy = [i for i, _, f in entries if f]
    assert not untranslated, untranslated[:10]
    assert not fuzzy, fuzzy[:10]


def test_the_compiled_catalogue_says_what_the_source_says():
    import gettext

    with PO.with_suffix(".mo").open("rb") as f:
        catalogue = gettext.GNUTranslations(f)
    stale = [i for i, s, fuzzy in _entries(PO.read_text(encoding="utf-8"))
             if i and s and not fuzzy and "%" not in i and catalogue.gettext(i) != s]
    assert not stale, f"run `make messages` (compilemessages): {stale[:5]}"

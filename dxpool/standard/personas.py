"""The four personas (人材像) of the skill standard, as the rest of dxpool names them.

Their codes, order and names come from the standard's data file (seed 000_01556ea2d2b360de.txt, mic-2022-06)
and are defined here once: model choices, forms, the suggestion vocabulary, exports and demo data all import
them, so a new version of the standard cannot leave a stale copy behind. Pure Python, like the rest of
dxpool.standard.
"""

from __future__ import annotations

from dxpool.standard.i18n import gettext_noop
from dxpool.standard.loader import load_standard

_STANDARD = load_standard()

PERSONA_CODES: tuple[str, ...] = tuple(p.code for p in _STANDARD.personas)
"""Codes in the standard's order: producer, project_manager, service_designer, engineer."""

PERSONA_NAMES: dict[str, str] = {p.code: p.name for p in _STANDARD.personas}
"""Japanese names, verbatim from the standard (e.g. 「プロデューサー（CIO補佐官等）」)."""

PERSONA_NAMES_EN: dict[str, str] = {p.code: p.name_en for p in _STANDARD.personas}


def persona_name(code: str, *, english: bool = False) -> str:
    """The persona's name in Japanese (or English); the code itself when unknown."""
    return (PERSONA_NAMES_EN if english else PERSONA_NAMES).get(code, code)


# The names as msgids for `makemessages`: they come from the data file, which xgettext cannot read, and the UI
# shows them through gettext (talent.models.PERSONA_CHOICES). tests/standard/test_personas.py holds this list to
# the data, so a new version of the standard that renames a persona fails there until its name is added here
# (and translated in dxpool/locale).
TRANSLATABLE_NAMES = (
    gettext_noop("プロデューサー（CIO補佐官等）"),
    gettext_noop("プロジェクトマネージャー"),
    gettext_noop("サービスデザイナー"),
    gettext_noop("エンジニア"),
)

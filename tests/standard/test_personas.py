"""Persona codes and names defined once (dxpool.standard.personas), and the Django choices built from them."""

import json

from dxpool.standard.loader import DATA_DIR, load_standard
from dxpool.standard.personas import PERSONA_CODES, PERSONA_NAMES, PERSONA_NAMES_EN, TRANSLATABLE_NAMES


def test_codes_and_names_are_the_data_files():
    data = json.loads((DATA_DIR / f"{load_standard().version}.json").read_text(encoding="utf-8"))
    assert PERSONA_CODES == tuple(p["code"] for p in data["personas"])
    assert PERSONA_NAMES == {p["code"]: p["name"] for p in data["personas"]}
    assert PERSONA_NAMES_EN == {p["code"]: p["name_en"] for p in data["personas"]}


def test_the_names_are_marked_for_translation():
    # makemessages cannot read the data file; TRANSLATABLE_NAMES carries the names into dxpool/locale.
    assert TRANSLATABLE_NAMES == tuple(PERSONA_NAMES[c] for c in PERSONA_CODES)


def test_the_django_choices_are_built_from_them():
    from django.utils import translation

    from dxpool.talent.models import PERSONA_CHOICES

    assert [code for code, _ in PERSONA_CHOICES] == list(PERSONA_CODES)
    with translation.override("ja"):
        assert [str(label) for _, label in PERSONA_CHOICES] == [PERSONA_NAMES[c] for c in PERSONA_CODES]
    with translation.override("en"):  # dxpool/locale still translates every name
        english = [str(label) for _, label in PERSONA_CHOICES]
    assert all(e != PERSONA_NAMES[c] for e, c in zip(english, PERSONA_CODES, strict=True)), english

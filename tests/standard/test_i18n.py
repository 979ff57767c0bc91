"""The standard's English siblings: every label shown on screen has one, marked as dxpool's translation."""

import json
import subprocess
import sys

from dxpool.standard.i18n import DATA_DIR, english_labels, is_english, localise
from dxpool.standard.loader import load_standard


def test_every_persona_skill_level_and_experience_has_english():
    standard = load_standard()
    labels = english_labels()
    texts = [standard.title]
    for p in standard.personas:
        texts += [p.name, p.scope, *p.roles, p.requirement_text, p.experience_text, *p.qualification_text]
        texts += [t for s in p.skills for t in (s.name, s.description, s.category_ja)]
        texts += [lv.text for lv in p.levels] + [e.text for e in p.experiences] + list(p.qualifications)
        texts += [f for lv in p.levels for f in lv.fields]
    texts += list(standard.experience_labels.values())
    missing = [t for t in texts if t not in labels]
    assert not missing, missing


def test_english_is_marked_as_a_translation():
    for path in DATA_DIR.glob("*.json"):
        raw = json.loads(path.read_text(encoding="utf-8"))
        assert raw["translations"]["en"]["source"] == "dxpool translation", path.name


def test_localise_picks_english_under_english_only():
    assert localise("スケジュール管理", "en") == "Schedule management"
    assert localise("スケジュール管理", "en-gb") == "Schedule management"
    assert localise("スケジュール管理", "ja") == "スケジュール管理"
    assert localise("五島市", "en") == "五島市"  # not a label of the standard: unchanged
    assert localise(None, "en") == ""
    assert is_english("en_US") and not is_english("ja") and not is_english(None)


def test_the_pure_module_does_not_import_django():
    code = "import sys, dxpool.standard.i18n as m; m.english_labels(); print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"

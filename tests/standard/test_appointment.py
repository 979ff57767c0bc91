"""The forms of appointment (任用形態): defined once in dxpool.standard.appointment, worded as the seeds word them."""

import re
import unicodedata
from pathlib import Path

import pytest

from dxpool.standard.appointment import APPOINTMENT_FORM_CODES, APPOINTMENT_FORM_LABELS, APPOINTMENT_FORMS

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
SEED_FILES = ("001_77c5af8016e9d699.txt", "002_3507f9afa1f3a25f.txt")  # 自治体DX全体手順書; the 2021-12 talk


def _seed_text() -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not here ({SEEDS}): they live beside the repository, not in it")
    text = "".join((SEEDS / name).read_text(encoding="utf-8") for name in SEED_FILES)
    # The plain-text extraction breaks lines inside words (会計年度\n\n任用職員): compare without white space.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize("code,label", [(c, label) for c, label, _ in APPOINTMENT_FORMS])
def test_every_label_is_the_seeds_wording(code, label):
    text = _seed_text()
    # 「副業・兼業」 joins two words the seeds use apart (「副業人材」「兼業する」); every other label occurs whole.
    for word in label.split("・"):
        assert unicodedata.normalize("NFKC", word) in text, (code, word)


def test_codes_are_the_stored_ones():
    # Stored in JSON lists in the database and carried by the API: changing one needs a data migration.
    assert APPOINTMENT_FORM_CODES == ("specific_fixed_term", "special_part_time", "fiscal_year", "contract",
                                      "regional_revitalisation", "side_job")
    assert len(set(APPOINTMENT_FORM_LABELS.values())) == len(APPOINTMENT_FORM_CODES)
    assert all(source.startswith("seed 00") for _, _, source in APPOINTMENT_FORMS)


def test_the_django_choices_are_built_from_it():
    from django.utils import translation

    from dxpool.talent.models import AppointmentForm

    assert [(m.name, m.value) for m in AppointmentForm] == [(c.upper(), c) for c in APPOINTMENT_FORM_CODES]
    assert AppointmentForm.CONTRACT == "contract" and isinstance(AppointmentForm.CONTRACT, str)
    with translation.override("ja"):
        assert [str(label) for _, label in AppointmentForm.choices] == list(APPOINTMENT_FORM_LABELS.values())
    with translation.override("en"):  # the existing translations still apply
        assert str(AppointmentForm.CONTRACT.label) == "Contract"

"""The data file reproduces seed 000's skill standard; versions load without code changes."""

import json
import unicodedata
from pathlib import Path

import pytest

from dxpool.standard.loader import DATA_DIR, available_versions, load_standard

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_01556ea2d2b360de.txt"


def squash(text: str) -> str:
    """NFKC without any white space: the extraction wraps lines and mixes widths."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def test_four_personas_in_order_with_26_items():
    s = load_standard("mic-2022-06")
    assert [p.code for p in s.personas] == ["producer", "project_manager", "service_designer", "engineer"]
    assert [len(p.skills) for p in s.personas] == [7, 8, 7, 4]
    assert sum(len(p.skills) for p in s.personas) == 26


@pytest.mark.skipif(not SEED.exists(), reason="shared/seeds is not beside the repository")
def test_every_item_name_and_description_is_in_the_seed():
    seed = squash(SEED.read_text(encoding="utf-8"))
    s = load_standard("mic-2022-06")
    for p in s.personas:
        for item in p.skills:
            assert squash(item.name) in seed, item.name
            assert squash(item.description) in seed, (p.code, item.name)
        for role in p.roles:
            assert squash(role) in seed, role
        for req in p.levels:
            assert squash(req.text) in seed, req.text
        for exp in p.experiences:
            assert squash(exp.text) in seed, exp.text


@pytest.mark.skipif(not SEED.exists(), reason="shared/seeds is not beside the repository")
def test_curriculum_topics_are_from_the_seed():
    seed = squash(SEED.read_text(encoding="utf-8"))
    curriculum = load_standard("mic-2022-06").curriculum
    assert [s["title"] for s in curriculum["subjects"]] == [
        "自治体の組織と業務", "自治体システムとセキュリティ", "マイナンバー制度と個人情報保護", "自治体DX"]
    for subject in curriculum["subjects"]:
        for topic in subject["topics"]:
            assert squash(topic) in seed, topic
    assert curriculum["format"]["minutes_per_session"] == 60


def test_categories_and_recorded_reading():
    s = load_standard("mic-2022-06")
    pm, sd = s.persona("project_manager"), s.persona("service_designer")
    by_name = {i.name: i for i in pm.skills}
    assert by_name["委託管理"].category == "technical" and "ヒューマンスキル" in by_name["委託管理"].notes
    assert {i.name: i for i in sd.skills}["データ活用"].category == "technical"
    humans = {i.name for p in s.personas for i in p.skills if i.category == "human"}
    assert humans == {"リーダーシップ", "コミュニケーション", "コーディネート"}


def test_service_designer_has_no_level_requirement():
    sd = load_standard().persona("service_designer")
    assert not sd.requires_level_or_qualification and sd.requirement_text == "—"


def test_new_version_is_a_new_file(tmp_path, monkeypatch):
    import dxpool.standard.loader as loader

    raw = json.loads((DATA_DIR / "mic-2022-06.json").read_text(encoding="utf-8"))
    raw["version"], raw["published"] = "mic-2099-01", "2099-01-01"
    for f in DATA_DIR.glob("*.json"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "mic-2099-01.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(loader, "DATA_DIR", tmp_path)
    loader.load_standard.cache_clear()
    try:
        assert loader.available_versions()[-1] == "mic-2099-01"
        assert loader.load_standard().version == "mic-2099-01"
        assert loader.load_standard("mic-2022-06").version == "mic-2022-06"
    finally:
        loader.load_standard.cache_clear()


def test_versions_listed():
    assert "mic-2022-06" in available_versions()

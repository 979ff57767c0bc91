"""The data file reproduces seed 000's skill standard; versions load without code changes; bad files fail early."""

import json
import unicodedata
from pathlib import Path

import pytest

from dxpool.standard import loader
from dxpool.standard.errors import StandardError
from dxpool.standard.loader import DATA_DIR, available_versions, load_standard

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_01556ea2d2b360de.txt"
needs_seed = pytest.mark.skipif(not SEED.exists(), reason=f"seed 000 not found at {SEED} (shared/seeds is not beside "
                                                          "the repository), so the data cannot be checked against it")
CATEGORY_LABELS = {"テクニカルスキル": "technical", "ヒューマンスキル": "human"}


def squash(text: str) -> str:
    """NFKC without any white space: the extraction wraps lines, splits words and mixes widths."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def seed_items() -> list[list[tuple[str, str, str]]]:
    """(category as the seed labels it, name, description) per persona, read from the seed's four tables.

    Each table row is a tab-separated line; the category label opens a group and carries to the rows below;
    the name and description are the two cells after the label (or the first two cells of a continuation row).
    """
    tables = SEED.read_text(encoding="utf-8").split("スキル標準のイメージ")[1:]
    personas = []
    for table in tables:
        items, category = [], None
        for line in table.splitlines():
            cells = [c.strip() for c in line.split("\t") if c.strip()]
            if len(cells) < 2 or cells[0] in ("カテゴリー", "分類"):
                continue
            labels = [i for i, c in enumerate(cells) if c in CATEGORY_LABELS]
            if labels:
                category = cells[labels[0]]
                name, description = cells[labels[0] + 1], cells[labels[0] + 2]
            elif category and not cells[0].isdigit():
                name, description = cells[0], cells[1]
            else:
                continue
            items.append((category, name, description))
        personas.append(items)
    return personas


def test_four_personas_in_order_with_26_items():
    s = load_standard("mic-2022-06")
    assert [p.code for p in s.personas] == ["producer", "project_manager", "service_designer", "engineer"]
    assert [p.name for p in s.personas] == ["プロデューサー（CIO補佐官等）", "プロジェクトマネージャー", "サービスデザイナー",
                                            "エンジニア"]
    assert [len(p.skills) for p in s.personas] == [7, 8, 7, 4]
    assert sum(len(p.skills) for p in s.personas) == 26


@needs_seed
def test_every_skill_item_of_the_seed_is_in_the_data_in_order():
    seed = seed_items()
    assert [len(items) for items in seed] == [7, 8, 7, 4]
    s = load_standard("mic-2022-06")
    for persona, items in zip(s.personas, seed, strict=True):
        assert [squash(i.name) for i in persona.skills] == [squash(name) for _, name, _ in items]
        assert [squash(i.description) for i in persona.skills] == [squash(d) for _, _, d in items]
        for item, (label, name, _) in zip(persona.skills, items, strict=True):
            if CATEGORY_LABELS[label] != item.category:
                # Only the two recorded readings may differ from the extraction's label, and they say so.
                assert name in ("委託管理", "データ活用") and "ヒューマンスキル" in item.notes, name


@needs_seed
def test_every_text_of_the_data_occurs_in_the_seed():
    raw = SEED.read_text(encoding="utf-8")
    seed = squash(raw)
    s = load_standard("mic-2022-06")
    for p in s.personas:
        assert squash(p.name) in seed, p.name
        for text in (p.scope, p.role_summary, p.main_skills, *p.roles):
            assert squash(text) in seed, text
        for item in p.skills:
            # Copied exactly: each description is one table cell, so it occurs verbatim, not only squashed.
            assert item.name in raw and item.description in raw, (p.code, item.name)
        for req in p.levels:
            assert squash(req.text) in seed, req.text
        for text in p.qualification_text:
            assert squash(text) in seed, text
        for exp in p.experiences:
            assert squash(exp.text) in seed, exp.text
        if p.requires_level_or_qualification:
            assert squash(p.requirement_text) in seed


def test_desired_levels_qualifications_and_experiences():
    s = load_standard("mic-2022-06")
    producer, pm, sd, engineer = s.personas
    assert {(r.framework, f, r.min_level) for r in producer.levels for f in r.fields} == {
        ("ITSS", "コンサルタント", 4), ("ITSS", "ITアーキテクト", 4), ("UISS", "ビジネスストラテジスト", 4),
        ("UISS", "ISストラテジスト", 4), ("UISS", "ISアーキテクト", 4)}
    assert {(r.framework, f, r.min_level) for r in pm.levels for f in r.fields} == {
        ("ITSS", "プロジェクトマネジメント", 3), ("UISS", "プログラムマネージャ", 3)}
    assert all("3~4" in r.text and r.notes for r in pm.levels)
    assert {(r.framework, r.min_level) for r in engineer.levels} == {("ITSS", 3), ("UISS", 3)}
    assert producer.qualifications == ("ITストラテジスト", "ITアーキテクト", "システム監査技術者", "情報処理安全確保支援士")
    assert pm.qualifications == ("プロジェクトマネージャ", "PMP") and engineer.qualifications == ("ITサービスマネージャ",)
    assert {q.name: q.issuer for q in s.qualifications}["PMP"] == "PMI"
    assert {q.issuer for q in s.qualifications if q.name != "PMP"} == {"IPA"}
    assert not sd.levels and not sd.qualifications and sd.requirement_text == "—"
    assert not sd.requires_level_or_qualification
    assert [(e.code, e.min_years) for e in producer.experiences] == [
        ("digital_strategy_lead", None), ("digital_dept_manager", 5), ("local_government", None)]
    assert [(e.code, e.min_years) for e in pm.experiences] == [
        ("digital_project_lead", None), ("digital_dept_manager", 3), ("local_government", None)]
    assert [e.code for e in sd.experiences] == ["consumer_service_development", "local_government"]
    assert [e.code for e in engineer.experiences] == ["digital_tool_implementation", "local_government"]
    assert set(s.experience_codes) == set(s.experience_labels) == {
        "digital_strategy_lead", "digital_dept_manager", "local_government", "digital_project_lead",
        "consumer_service_development", "digital_tool_implementation"}


def test_categories_and_recorded_reading():
    s = load_standard("mic-2022-06")
    pm, sd = s.persona("project_manager"), s.persona("service_designer")
    by_name = {i.name: i for i in pm.skills}
    assert by_name["委託管理"].category == "technical" and "ヒューマンスキル" in by_name["委託管理"].notes
    assert {i.name: i for i in sd.skills}["データ活用"].category == "technical"
    humans = {i.name for p in s.personas for i in p.skills if i.category == "human"}
    assert humans == {"リーダーシップ", "コミュニケーション", "コーディネート"}
    assert by_name["リーダーシップ"].category_ja == "ヒューマンスキル"


@needs_seed
def test_curriculum_is_from_the_seed():
    seed = squash(SEED.read_text(encoding="utf-8"))
    curriculum = load_standard("mic-2022-06").curriculum
    assert [s["title"] for s in curriculum["subjects"]] == [
        "自治体の組織と業務", "自治体システムとセキュリティ", "マイナンバー制度と個人情報保護", "自治体DX"]
    assert [s["sessions"] for s in curriculum["subjects"]] == [[1, 1], [1, 1], [1, 1], [2, 3]]
    for subject in curriculum["subjects"]:
        assert squash(f"{subject['title']}（{subject['sessions_text']}）") in seed
        for topic in subject["topics"]:
            assert squash(topic) in seed, topic
    for key in ("purpose", "target", "organiser"):
        assert squash(curriculum[key]) in seed, key
    for key in ("sessions", "delivery", "fee", "certificate"):
        assert squash(curriculum["format"][key]) in seed, key
    assert curriculum["format"]["minutes_per_session"] == 60


def test_versions_listed_and_default_is_newest():
    assert "mic-2022-06" in available_versions()
    assert load_standard().version == available_versions()[-1]
    assert load_standard() is load_standard(available_versions()[-1])  # one object per version, cached


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A copy of the data folder the loader reads instead of the real one."""
    for f in DATA_DIR.glob("*.json"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(loader, "DATA_DIR", tmp_path)
    loader.clear_cache()
    yield tmp_path
    monkeypatch.undo()
    loader.clear_cache()


def write_version(folder: Path, version: str, published: str, change=None) -> None:
    raw = json.loads((DATA_DIR / "mic-2022-06.json").read_text(encoding="utf-8"))
    raw["version"], raw["published"] = version, published
    if change:
        change(raw)
    (folder / f"{version}.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")


def test_new_version_is_a_new_file(data_dir):
    write_version(data_dir, "mic-2099-01", "2099-01-01")
    assert loader.available_versions()[-1] == "mic-2099-01"
    assert loader.load_standard().version == "mic-2099-01"
    assert loader.load_standard("mic-2022-06").version == "mic-2022-06"


@pytest.mark.parametrize("change,needle", [
    (lambda raw: raw["personas"][0]["skills"][0].update(category="social"), "category"),
    (lambda raw: raw["personas"][0]["levels"][0].update(framework="CCSF"), "CCSF"),
    (lambda raw: raw["personas"][0]["qualifications"].append("宇宙飛行士"), "宇宙飛行士"),
    (lambda raw: raw["personas"][1]["experiences"].append({"code": "astronaut", "text": "x"}), "astronaut"),
    (lambda raw: raw["qualification_aliases"].append({"alias": "x", "name": "宇宙飛行士"}), "宇宙飛行士"),
    (lambda raw: raw["qualification_aliases"].append({"alias": "ＰＭＰ", "name": "ITストラテジスト"}), "ＰＭＰ"),
    (lambda raw: raw["personas"][0].pop("skills"), "skills"),
])
def test_malformed_file_fails_at_load_with_a_reason(data_dir, change, needle):
    write_version(data_dir, "mic-2099-02", "2099-02-01", change)
    with pytest.raises(StandardError, match=needle):
        loader.load_standard("mic-2099-02")


def test_file_name_and_version_must_agree(data_dir):
    write_version(data_dir, "mic-2099-03", "2099-03-01")
    (data_dir / "mic-2099-03.json").rename(data_dir / "other.json")
    with pytest.raises(StandardError, match="does not match"):
        loader.load_standard("other")


@pytest.mark.parametrize("version", ["nope", "../mic-2022-06", "/etc/passwd", ""])
def test_unknown_version(version):
    with pytest.raises(StandardError, match="unknown standard version"):
        load_standard(version)

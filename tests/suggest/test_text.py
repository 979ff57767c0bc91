"""Role suggestion from issue texts written the way municipal staff write them (dxpool.suggest.text)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dxpool.standard.loader import DATA_DIR, load_standard
from dxpool.suggest.text import (
    PERSONA_SKILLS,
    VocabularyError,
    load_vocabulary,
    suggest,
    suggestion_to_dict,
)

ROOT = Path(__file__).resolve().parents[2]

# (text, expected persona → a skill it must name); the first persona listed must rank first.
CASES = [
    ("RPAを導入したい", {"engineer": "デジタルツール実装"}),
    ("業務フローを見直したい", {"service_designer": "業務分析"}),
    ("全体方針がない", {"producer": "全体方針立案"}),
    ("仕様書・ベンダー選定", {"project_manager": "委託管理"}),
    ("当町では情報担当が１名しかおらず、いわゆるひとり情シスの状態で、基幹系システムの標準化対応やガバメントクラウドへの"
     "移行スケジュールの管理が追いついていない。", {"project_manager": "スケジュール管理", "engineer": "要求分析"}),
    ("ＲＰＡやＡＩ－ＯＣＲを活用して、税務課の入力作業を自動化したいと考えているが、庁内にノウハウがない。",
     {"engineer": "デジタルツール実装"}),
    ("窓口で住民が何枚も申請書を書かなければならず、待ち時間も長い。書かない窓口を実現したい。",
     {"service_designer": "UX技術"}),
    ("DX推進計画を策定したいが、何から手を付けるべきか分からない。CIO補佐官のような立場で助言してほしい。",
     {"producer": "全体方針立案"}),
    ("情報セキュリティポリシーが平成２８年から改定されておらず、三層の対策の見直しも必要。",
     {"producer": "情報セキュリティ"}),
    ("システム更新の際、ベンダーから提示された見積が妥当か判断できない。調達仕様書の書き方も教えてほしい。",
     {"project_manager": "委託管理"}),
    ("保有しているデータをＥＢＰＭに活かしたい。オープンデータの公開も進んでいない。", {"service_designer": "データ活用"}),
    ("ホームページが分かりにくいと住民から苦情がある。スマホでも使いやすいサイトにしたい。",
     {"service_designer": "UI技術"}),
    ("kintoneで各課の台帳を管理したい。Excelへの転記作業が多く、職員の負担になっている。",
     {"engineer": "デジタルツール実装"}),
    ("職員のDXに対する意識が低く、全庁的な機運が醸成されていない。DX推進リーダーの育成も課題。",
     {"producer": "リーダーシップ"}),
    ("電子申請の対象手続を増やしたいが、どの手続からオンライン化すべきか整理できていない。", {"engineer": "要求分析"}),
    ("近隣市町と共同調達を検討しているが、調整役がいない。", {"producer": "コーディネート", "project_manager": "委託管理"}),
    ("高齢者のデジタルデバイド対策として、スマホ教室を開催したい。", {"service_designer": "UX技術"}),
    ("・基幹業務システムの標準化（移行遅れ）\n・予算の確保\n・事業者との調整", {"project_manager": "スケジュール管理"}),
    ("生成ＡＩを業務で安全に使うためのルールとツール導入を検討したい。", {"engineer": "デジタルツール実装"}),
    ("申込みの受付を電子化したい。住民アンケートでも要望が多い。", {"service_designer": "要求分析"}),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:20] for c in CASES])
def test_municipal_texts(text, expected):
    out = suggestion_to_dict(suggest(text))
    by_code = {p["code"]: p for p in out["personas"]}
    for code, skill in expected.items():
        assert code in by_code, (text, out)
        assert skill in by_code[code]["skills"], (text, by_code[code])
        assert by_code[code]["reasons"] and all(r.startswith("「") for r in by_code[code]["reasons"])
    assert out["personas"][0]["code"] in expected
    scores = [p["score"] for p in out["personas"]]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)


@pytest.mark.parametrize("text", ["特になし", "今日は晴れです。", "RPAは導入済みで特に課題はない。"])
def test_texts_that_support_nothing(text):
    assert suggestion_to_dict(suggest(text)) == {"personas": []}


def test_done_marker_silences_only_its_clause():
    out = suggestion_to_dict(suggest("RPAは導入済みだが、AI-OCRを入れたい"))
    reasons = out["personas"][0]["reasons"]
    assert any("AI-OCR" in r for r in reasons) and not any("「RPA」" in r for r in reasons)


def test_reason_quotes_the_text_and_width_variants_match():
    out = suggestion_to_dict(suggest("ｒｐａを使いたい"))
    assert out["personas"][0]["code"] == "engineer"
    # The reason quotes the municipality's own spelling, not the normalised form.
    assert out["personas"][0]["reasons"][0].startswith("「ｒｐａ」")


def test_deterministic():
    text = CASES[4][0]
    assert suggestion_to_dict(suggest(text)) == suggestion_to_dict(suggest(text))


def test_extra_vocabulary_merges(tmp_path):
    extra = tmp_path / "nagasaki.json"
    extra.write_text(json.dumps({"entries": [{"terms": ["離島"], "persona": "producer", "skill": "コーディネート",
                                              "weight": 1, "reason": "離島間の連携の枠組みづくり"}]},
                                ensure_ascii=False), encoding="utf-8")
    assert suggest("離島の課題").personas == ()
    out = suggest("離島の課題", load_vocabulary([extra]))
    assert out.personas[0].code == "producer" and "離島間の連携" in out.personas[0].reasons[0]


@pytest.mark.parametrize("content,needle", [
    ("{not json", "not valid JSON"),
    (json.dumps({"entries": [{"terms": ["x"], "persona": "astronaut", "skill": "s", "reason": "r"}]}), "astronaut"),
    (json.dumps({"rules": []}), "entries"),
])
def test_invalid_vocabulary_rejected(tmp_path, content, needle):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(VocabularyError, match=needle):
        load_vocabulary([bad])


def run(*args, stdin=None):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run([sys.executable, "-m", "dxpool.cli", "suggest", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_command_contract(tmp_path):
    r = run("RPAを導入したい")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["personas"][0]["skills"] == ["デジタルツール実装"]
    r = run("-", stdin="   ")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    r = run("x", "--vocabulary", str(tmp_path / "missing.json"))
    assert r.returncode == 2 and "cannot read vocabulary" in r.stderr


@pytest.mark.parametrize("text,engineer_or_pm", [
    ("RPAは導入済みだが、活用が進んでいない", True),  # a problem in the contrastive clause revives the done thing
    ("標準化対応は完了していない", True),  # negated completion is not done
    ("標準化は完了予定", True),  # prospective completion is not done
    ("未完了の標準化", True),
    ("標準化は完了した", False),
    ("RPA導入の予定はありません", False),  # "no plan" is no need
    ("情報セキュリティポリシーは策定済み。", False),
    ("経済の活性化", False),  # 済 inside 経済 is not a completion marker, and nothing matches
])
def test_negation_and_completion_rules(text, engineer_or_pm):
    assert bool(suggest(text).personas) is engineer_or_pm, suggestion_to_dict(suggest(text))


def test_packaged_vocabulary_ids_are_unique_and_translated():
    vocabulary = load_vocabulary()
    ids = [e.id for e in vocabulary.entries]
    assert len(ids) == len(set(ids)) and all(e.reason_en for e in vocabulary.entries)
    assert vocabulary.rules.done and vocabulary.rules.negations


def test_persona_skills_are_the_standards_items_in_its_order():
    """The suggestion checks vocabulary entries against these and sorts skills by them: they are the standard's."""
    data = json.loads((DATA_DIR / f"{load_standard().version}.json").read_text(encoding="utf-8"))
    from_file = {p["code"]: tuple(s["name"] for s in p["skills"]) for p in data["personas"]}
    assert PERSONA_SKILLS == from_file
    assert list(PERSONA_SKILLS) == ["producer", "project_manager", "service_designer", "engineer"]


def test_every_packaged_entry_names_a_skill_item_of_its_persona():
    for e in load_vocabulary().entries:
        assert e.skill in PERSONA_SKILLS[e.persona], (e.id, e.persona, e.skill)


def test_persona_names_are_the_standards():
    # English names follow the standard's data file ("Producer (CIO adviser)"; the suggestion used to say
    # "Producer (e.g. CIO adviser)" in a copy of its own).
    text = "DX推進計画を策定したいが、全体方針がない。"
    ja = suggestion_to_dict(suggest(text))["personas"][0]
    en = suggestion_to_dict(suggest(text), lang="en")["personas"][0]
    assert ja["code"] == en["code"] == "producer"
    assert ja["name"] == "プロデューサー（CIO補佐官等）" and en["name"] == "Producer (CIO adviser)"


def test_the_package_imports_no_django():
    """import-linter checks the imports written; this checks what importing the package really loads."""
    code = ("import sys, dxpool.suggest.text, dxpool.suggest.roles; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'django', 'ninja'}))")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"

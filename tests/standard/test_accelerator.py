"""自治体DXアクセラレータ eligibility (seed 001): the rule at its edges, the exam list held to the seed, and the
three exams the standard did not know, accepted without changing any persona's verdict."""

import io
import json
import re
import sys
import unicodedata
from pathlib import Path

import pytest

from dxpool.standard import accelerator
from dxpool.standard.accelerator import (
    EXAMS,
    MAX_REASON_CHARS,
    MIN_REASON_CHARS,
    STATUS_ELIGIBLE,
    STATUS_NOT_ELIGIBLE,
    STATUS_REVIEW,
    AcceleratorInputError,
    assess_accelerator,
    verdict_to_dict,
)
from dxpool.standard.assess import assess, parse_profile
from dxpool.standard.i18n import localise
from dxpool.standard.loader import load_standard

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SEED_001 = SEEDS / "001_77c5af8016e9d699.txt"
needs_seed = pytest.mark.skipif(not SEED_001.exists(), reason=f"seed 001 not found at {SEED_001} (shared/seeds is "
                                                              "not beside the repository)")
NEW_EXAMS = ("ネットワークスペシャリスト", "データベーススペシャリスト", "エンベデッドシステムスペシャリスト")
REASON = "情報処理安全確保支援士として自治体のセキュリティ監査に8年従事"


def squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def check(**kw):
    base = {"practical_years": None, "qualifications": [], "main_duty_is_municipal_support": True}
    return assess_accelerator(**{**base, **kw})


# --- the seed ---------------------------------------------------------------------------------------------

@needs_seed
def test_exam_list_is_the_seeds_in_both_places_it_is_stated():
    seed = squash(SEED_001.read_text(encoding="utf-8"))
    blocks = re.findall(r"イIPAが実施する高度試験\((.+?)\)のいずれかに合格していること", seed)
    assert len(blocks) == 2  # the requirement and its 再掲
    for block in blocks:
        exams = [name.removesuffix("試験") for name in re.split(r"、|及び", block)]
        assert tuple(exams) == EXAMS


@needs_seed
def test_thresholds_are_the_seeds():
    seed = squash(SEED_001.read_text(encoding="utf-8"))
    # squash both sides: NFKC also turns ① into 1 and ５ into 5.
    for text in ("次の①及び②をともに満たすこと。",
                 f"デジタル分野での実務経験を{accelerator.MIN_PRACTICAL_YEARS}年以上有すること",
                 "ウ ア又はイと同視し得る知見を有すること", "② デジタルに関連する市町村支援業務を主たる業務として実施すること"):
        assert squash(text) in seed, text
    assert accelerator.SOURCE == SEED_001.name


# --- ①ア: years --------------------------------------------------------------------------------------------

def test_five_years_meet_a_and_four_do_not():
    five, four = check(practical_years=5), check(practical_years=4)
    assert five.eligible and five.route == "ア" and five.status == STATUS_ELIGIBLE and five.missing == ()
    assert "①ア: デジタル分野での実務経験 5年（基準: 5年以上）" in five.reasons
    assert not four.eligible and four.route is None and four.status == STATUS_NOT_ELIGIBLE
    assert "①ア: デジタル分野での実務経験5年以上（4年: 1年不足）" in four.missing


def test_years_not_stated_is_said():
    v = check(practical_years=None)
    assert not v.eligible and any("年数が未入力" in m for m in v.missing)


@pytest.mark.parametrize("bad", [-1, 61, 4.5, "5", True])
def test_impossible_years_are_refused_naming_the_field(bad):
    with pytest.raises(AcceleratorInputError, match="^実務経験年数："):
        check(practical_years=bad)


# --- ①イ: exams --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("exam", EXAMS)
def test_each_exam_alone_meets_b(exam):
    v = check(qualifications=[exam])
    assert v.eligible and v.route == "イ" and v.exams == (exam,) and v.unrecognised == ()
    assert f"①イ: {exam}試験に合格" in v.reasons
    assert not check(qualifications=[exam], main_duty_is_municipal_support=False).eligible


@pytest.mark.parametrize("typed, exam", [
    ("ＩＴストラテジスト", "ITストラテジスト"),
    ("ｼｽﾃﾑｱｰｷﾃｸﾄ", "システムアーキテクト"),
    ("システム アーキテクト 試験", "システムアーキテクト"),
    ("ITアーキテクト", "システムアーキテクト"),  # the standard's name for the same exam, as a profile stores it
    ("プロジェクトマネージャー試験（IPA）", "プロジェクトマネージャ"),
    ("ネットワーク　スペシャリスト", "ネットワークスペシャリスト"),
    ("ﾃﾞｰﾀﾍﾞｰｽｽﾍﾟｼｬﾘｽﾄ試験合格", "データベーススペシャリスト"),
    ("エンベデッドシステムスペシャリスト試験", "エンベデッドシステムスペシャリスト"),
    ("ＩＴサービスマネージャー", "ITサービスマネージャ"),
    ("システム監査技術者 (IPA)", "システム監査技術者"),
])
def test_widths_spacing_and_suffixes_are_normalised(typed, exam):
    v = check(qualifications=[typed])
    assert v.eligible and v.exams == (exam,)
    assert f"①イ: {exam}試験に合格" in v.reasons  # no 「（入力: …）」: it is the exam's own name


def test_a_former_exam_name_counts_and_is_cited():
    v = check(qualifications=["テクニカルエンジニア（データベース）"])
    assert v.eligible and v.exams == ("データベーススペシャリスト",)
    assert "①イ: データベーススペシャリスト試験に合格（入力: テクニカルエンジニア(データベース)）" in v.reasons


@pytest.mark.parametrize("name", ["基本情報技術者", "応用情報技術者", "情報処理安全確保支援士", "PMP",
                                  "ネットワークスペシャリスト2", "宇宙飛行士", ""])
def test_other_or_unknown_exams_do_not_count(name):
    v = check(qualifications=[name])
    assert not v.eligible and v.route is None and v.exams == ()
    if name:
        assert v.unrecognised == (unicodedata.normalize("NFKC", name),)
        assert "①イの対象外の資格: " + unicodedata.normalize("NFKC", name) in v.missing


def test_unknown_names_beside_a_counted_exam_are_kept_but_lack_nothing():
    v = check(qualifications=["基本情報技術者", "ITストラテジスト", 42, "ITストラテジスト試験"])
    assert v.eligible and v.exams == ("ITストラテジスト",) and v.unrecognised == ("基本情報技術者", "42")
    assert v.missing == ()


def test_qualifications_must_be_a_list_and_bounded():
    with pytest.raises(AcceleratorInputError, match="^保有資格："):
        check(qualifications="ITストラテジスト")
    with pytest.raises(AcceleratorInputError, match="^保有資格："):
        check(qualifications=None)
    with pytest.raises(AcceleratorInputError, match="100件以下"):
        check(qualifications=iter(["x"] * 10**6))  # stops reading at the limit


# --- ①ウ: equivalent knowledge ------------------------------------------------------------------------------

def test_equivalent_knowledge_needs_review_and_is_never_eligible_by_itself():
    v = check(equivalent_reason=REASON)
    assert not v.eligible and v.needs_review and v.may_nominate and v.route == "ウ"
    assert v.status == STATUS_REVIEW == "要確認（同等以上の知識: 理由の審査が必要）"
    assert any(REASON in r and STATUS_REVIEW in r for r in v.reasons)


@pytest.mark.parametrize("reason", ["", "   ", "\u3000\n"])
def test_equivalent_knowledge_with_an_empty_reason_is_refused(reason):
    v = check(equivalent_reason=reason)
    assert not v.eligible and not v.needs_review and not v.may_nominate and v.route is None
    assert "①ウ: ア又はイと同視し得る知見（理由の記入が必要）" in v.missing


def test_equivalent_knowledge_with_a_too_short_reason_is_refused():
    v = check(equivalent_reason="あ" * (MIN_REASON_CHARS - 1))
    assert not v.needs_review and any("理由が短すぎます" in m for m in v.missing)
    assert check(equivalent_reason="あ" * MIN_REASON_CHARS).needs_review


def test_reason_too_long_or_not_text_is_refused_naming_the_field():
    with pytest.raises(AcceleratorInputError, match="^同等以上の知見の理由：2000文字以下"):
        check(equivalent_reason="あ" * (MAX_REASON_CHARS + 1))
    with pytest.raises(AcceleratorInputError, match="^同等以上の知見の理由："):
        check(equivalent_reason=["理由"])


def test_a_confirmed_route_wins_over_review():
    v = check(practical_years=7, qualifications=["ITストラテジスト"], equivalent_reason=REASON)
    assert v.eligible and not v.needs_review and v.route == "ア" and v.routes == ("ア", "イ", "ウ")


# --- ②: main duty -------------------------------------------------------------------------------------------

def test_main_duty_is_required_with_every_route():
    want = "②: デジタルに関連する市町村支援業務を主たる業務として実施すること"
    for kw in ({"practical_years": 5}, {"qualifications": ["ITストラテジスト"]}, {"equivalent_reason": REASON}):
        v = check(main_duty_is_municipal_support=False, **kw)
        assert not v.eligible and not v.needs_review and not v.main_duty and v.route is not None
        # ウ confirms nothing, so ア and イ are still named as lacking beside ②.
        if "equivalent_reason" in kw:
            assert v.missing[-1] == want
        else:
            assert v.missing == (want,)
    with pytest.raises(AcceleratorInputError, match="^主たる業務"):
        check(main_duty_is_municipal_support="yes")


def test_verdict_as_json():
    d = verdict_to_dict(check(practical_years=5))
    assert d["status"] == STATUS_ELIGIBLE and d["route"] == "ア" and d["source"] == SEED_001.name
    json.dumps(d, ensure_ascii=False)


# --- the three exams the standard did not know ------------------------------------------------------------------

def test_every_exam_is_a_recognised_qualification():
    standard = load_standard()
    names = {q.name: q for q in standard.qualifications}
    for exam in EXAMS:
        assert standard.canonical_qualification(exam) is not None, exam
    for exam in NEW_EXAMS:
        assert names[exam].issuer == "IPA" and names[exam].source == SEED_001.name and names[exam].note
        assert localise(exam, "en").endswith("(IPA)") and localise(exam, "en") != exam
    assert {q.name for q in standard.qualifications if q.source} == set(NEW_EXAMS)


def test_the_new_exams_change_no_persona_verdict():
    standard = load_standard()
    experiences = [{"code": c, "years": 10} for c in standard.experience_codes]
    for exps in ([], experiences):
        with_new = assess(parse_profile({"qualifications": list(NEW_EXAMS), "experiences": exps}, standard), standard)
        without = assess(parse_profile({"experiences": exps}, standard), standard)
        assert with_new == without
    alone = assess(parse_profile({"qualifications": list(NEW_EXAMS)}, standard), standard)
    for p in alone.personas:
        assert p.level_or_qualification.by == ()
        assert p.level_or_qualification.met == (not p.level_or_qualification.required)


def test_a_persona_may_not_name_a_borrowed_qualification(tmp_path, monkeypatch):
    from dxpool.standard import loader
    from dxpool.standard.errors import StandardError
    raw = json.loads((loader.DATA_DIR / "mic-2022-06.json").read_text(encoding="utf-8"))
    raw["personas"][0]["qualifications"].append("ネットワークスペシャリスト")
    (tmp_path / "mic-2022-06.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(loader, "DATA_DIR", tmp_path)
    loader.clear_cache()
    try:
        with pytest.raises(StandardError, match="ネットワークスペシャリスト.*comes from 001_"):
            loader.load_standard("mic-2022-06")
    finally:
        monkeypatch.undo()
        loader.clear_cache()


def test_dxpool_assess_accepts_the_new_exams(monkeypatch, capsys):
    from dxpool.cli import main
    profile = {"qualifications": ["ネットワークスペシャリスト", "ﾃﾞｰﾀﾍﾞｰｽｽﾍﾟｼｬﾘｽﾄ試験", "エンベデッドシステムスペシャリスト"],
               "experiences": ["local_government"]}
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(profile, ensure_ascii=False)))
    assert main(["assess", "-"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert all(not p["level_or_qualification"]["by"] for p in out["personas"])
    assert {p["code"]: p["meets_standard"] for p in out["personas"]}["service_designer"] is True

"""Each persona's rule at its edges, the evidence it cites, aliases and widths, and clear errors."""

import json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxpool.standard.assess import Experience, Profile, SkillLevel, assess, assessment_to_dict, parse_profile
from dxpool.standard.errors import ProfileError
from dxpool.standard.loader import FRAMEWORKS, load_standard

STANDARD = load_standard("mic-2022-06")
PERSONAS = ["producer", "project_manager", "service_designer", "engineer"]
LG = {"code": "local_government"}


def assessed(data: dict) -> dict:
    out = assessment_to_dict(assess(parse_profile(data, STANDARD), STANDARD))
    assert out["standard"] == "mic-2022-06"
    assert [p["code"] for p in out["personas"]] == PERSONAS
    return out


def result(data: dict, persona: str) -> dict:
    return next(p for p in assessed(data)["personas"] if p["code"] == persona)


# --- each persona's rule, just met and just missed --------------------------------------------------------

@pytest.mark.parametrize("framework,field", [
    ("ITSS", "コンサルタント"), ("ITSS", "ITアーキテクト"), ("UISS", "ビジネスストラテジスト"),
    ("UISS", "ISストラテジスト"), ("UISS", "ISアーキテクト"),
])
@pytest.mark.parametrize("level,met", [(3, False), (4, True)])
def test_producer_level_3_vs_4(framework, field, level, met):
    r = result({"skill_levels": [{"framework": framework, "field": field, "level": level}], "experiences": [LG]},
               "producer")
    assert r["meets_standard"] is met and r["level_or_qualification"]["met"] is met
    assert r["level_or_qualification"]["by"] == ([f"{framework} {field} レベル4（基準: レベル4以上）"] if met else [])


@pytest.mark.parametrize("persona,framework,field", [
    ("project_manager", "ITSS", "プロジェクトマネジメント"), ("project_manager", "UISS", "プログラムマネージャ"),
    ("engineer", "ITSS", "ITスペシャリスト"), ("engineer", "ITSS", "アプリケーションスペシャリスト"),
    ("engineer", "ITSS", "ITサービスマネジメント"), ("engineer", "ITSS", "カスタマーサービス"),
    ("engineer", "UISS", "アプリケーションデザイナー"), ("engineer", "UISS", "システムデザイナー"),
])
@pytest.mark.parametrize("level,met", [(2, False), (3, True)])
def test_pm_and_engineer_level_2_vs_3(persona, framework, field, level, met):
    r = result({"skill_levels": [{"framework": framework, "field": field, "level": level}], "experiences": [LG]}, persona)
    assert r["meets_standard"] is met and r["level_or_qualification"]["met"] is met
    if not met:
        assert r["missing"] and r["missing"][0].startswith("スキルレベル又は資格のいずれか")


@pytest.mark.parametrize("years,met", [(4, False), (4.9, False), (5, True)])
def test_producer_manager_years_4_vs_5(years, met):
    r = result({"qualifications": ["ITストラテジスト"], "experiences": [{"code": "digital_dept_manager", "years": years}]},
               "producer")
    assert r["experience"]["met"] is met and r["meets_standard"] is met
    if met:
        assert r["experience"]["by"] == ["デジタル・情報システム部門の管理職経験 5年（基準: 5年以上）"]
    else:
        assert len(r["missing"]) == 1 and f"年数不足: デジタル・情報システム部門の管理職経験 {years:g}年（基準: 5年以上）" in r["missing"][0]


@pytest.mark.parametrize("years,met", [(2, False), (3, True)])
def test_pm_manager_years_2_vs_3(years, met):
    r = result({"qualifications": ["PMP"], "experiences": [{"code": "digital_dept_manager", "years": years}]},
               "project_manager")
    assert r["meets_standard"] is met and r["experience"]["met"] is met


def test_manager_years_unstated_do_not_count():
    r = result({"qualifications": ["PMP"], "experiences": ["digital_dept_manager"]}, "project_manager")
    assert r["meets_standard"] is False and "年数不明" in r["missing"][0]


def test_same_years_meet_pm_but_not_producer():
    out = assessed({"qualifications": ["ITストラテジスト", "PMP"],
                    "experiences": [{"code": "digital_dept_manager", "years": 4}]})
    met = {p["code"]: p["meets_standard"] for p in out["personas"]}
    assert met["producer"] is False and met["project_manager"] is True


@pytest.mark.parametrize("code", ["consumer_service_development", "local_government"])
def test_service_designer_with_no_qualification_but_experience_meets(code):
    r = result({"experiences": [{"code": code}]}, "service_designer")
    assert r["meets_standard"] is True and r["missing"] == []
    lq = r["level_or_qualification"]
    # The standard names no level or qualification here: nothing was "met by" anything, so `by` is empty and
    # the page says 要件なし (dxpool.standard.display), not 「満たす（根拠: 要件なし）」 (issue 13).
    assert lq == {"met": True, "required": False, "by": []}
    assert r["experience"] == {"met": True, "required": True, "by": [r["experience"]["by"][0]]}


def test_service_designer_without_experience_fails():
    r = result({"qualifications": ["ITストラテジスト"]}, "service_designer")
    assert r["meets_standard"] is False and r["experience"] == {"met": False, "required": True, "by": []}
    assert r["missing"] == ["経験のいずれか: 一般消費者向けデジタルサービスの企画・開発経験、自治体での勤務又は受託業務の経験"]


@pytest.mark.parametrize("persona,qualification", [
    ("producer", "ITストラテジスト"), ("project_manager", "プロジェクトマネージャ"), ("engineer", "ITサービスマネージャ"),
])
def test_experience_missing_fails_even_with_qualification(persona, qualification):
    r = result({"qualifications": [qualification]}, persona)
    assert r["level_or_qualification"] == {"met": True, "required": True, "by": [f"資格: {qualification}"]}
    assert r["meets_standard"] is False and r["experience"]["met"] is False
    assert len(r["missing"]) == 1 and r["missing"][0].startswith("経験のいずれか")


def test_experience_without_level_fails_and_names_what_is_missing():
    r = result({"experiences": [{"code": "digital_tool_implementation"}]}, "engineer")
    assert r["meets_standard"] is False and r["experience"]["met"] is True
    assert r["missing"] == ["スキルレベル又は資格のいずれか: ITSS ITスペシャリスト/アプリケーションスペシャリスト/"
                            "ITサービスマネジメント/カスタマーサービス レベル3以上、UISS アプリケーションデザイナー/"
                            "システムデザイナー レベル3以上、資格 ITサービスマネージャ"]


def test_other_personas_experience_or_qualification_does_not_count():
    r = result({"qualifications": ["PMP"], "experiences": [{"code": "digital_strategy_lead"}]}, "engineer")
    assert r["level_or_qualification"]["met"] is False and r["experience"]["met"] is False


def test_by_names_everything_that_met_the_criteria():
    r = result({"qualifications": ["PMP", "プロジェクトマネージャ"],
                "skill_levels": [{"framework": "ITSS", "field": "プロジェクトマネジメント", "level": 5}],
                "experiences": [{"code": "digital_project_lead"}, LG]}, "project_manager")
    assert r["level_or_qualification"]["by"] == ["ITSS プロジェクトマネジメント レベル5（基準: レベル3以上）", "資格: PMP",
                                                 "資格: プロジェクトマネージャ"]
    assert r["experience"]["by"] == ["デジタルプロジェクトの責任者経験", "自治体での勤務又は受託業務の経験"]


def test_example_of_the_issue():
    out = assessed({"qualifications": ["ITストラテジスト", "PMP"],
                    "skill_levels": [{"framework": "ITSS", "field": "コンサルタント", "level": 4},
                                     {"framework": "UISS", "field": "プログラムマネージャ", "level": 3}],
                    "experiences": [{"code": "digital_dept_manager", "years": 6}, {"code": "local_government"}],
                    "skill_ratings": {"全体方針立案": 3}})
    producer, pm, sd, engineer = out["personas"]
    assert producer["level_or_qualification"]["by"] == ["ITSS コンサルタント レベル4（基準: レベル4以上）", "資格: ITストラテジスト"]
    assert producer["skill_score"] == round(3 / 28, 4)
    assert [p["meets_standard"] for p in out["personas"]] == [True, True, True, False]
    assert set(producer) == {"code", "name", "meets_standard", "level_or_qualification", "experience", "skill_score",
                             "missing"}
    assert set(producer["experience"]) == {"met", "required", "by"}
    json.dumps(out, ensure_ascii=False)


def test_skill_score_is_mean_over_the_personas_items():
    engineer_items = [s.name for s in STANDARD.persona("engineer").skills]
    out = assessed({"skill_ratings": {name: 4 for name in engineer_items}})
    scores = {p["code"]: p["skill_score"] for p in out["personas"]}
    assert scores["engineer"] == 1.0
    # 要求分析, リーダーシップ, コミュニケーション are shared by name with the service designer (3 of 7 items).
    assert scores["service_designer"] == round(3 / 7, 4)
    assert assessed({})["personas"][0]["skill_score"] == 0.0


# --- names: aliases, widths ------------------------------------------------------------------------------

@pytest.mark.parametrize("typed,canonical", [
    ("ＩＴストラテジスト", "ITストラテジスト"), ("ｉｔストラテジスト", "ITストラテジスト"), ("IT ストラテジスト", "ITストラテジスト"),
    ("システムアーキテクト", "ITアーキテクト"), ("ｼｽﾃﾑｱｰｷﾃｸﾄ", "ITアーキテクト"), ("システムアーキテクト試験", "ITアーキテクト"),
    ("アプリケーションエンジニア", "ITアーキテクト"), ("システムアナリスト", "ITストラテジスト"),
    ("情報セキュリティスペシャリスト", "情報処理安全確保支援士"), ("テクニカルエンジニア（情報セキュリティ）", "情報処理安全確保支援士"),
    ("情報処理安全確保支援士試験", "情報処理安全確保支援士"), ("情報処理システム監査技術者", "システム監査技術者"),
    ("テクニカルエンジニア(システム管理)", "ITサービスマネージャ"), ("ITサービスマネージャー(IPA)", "ITサービスマネージャ"),
    ("プロジェクトマネージャー", "プロジェクトマネージャ"), ("ﾌﾟﾛｼﾞｪｸﾄﾏﾈｰｼﾞｬ", "プロジェクトマネージャ"),
    ("pmp", "PMP"), ("ＰＭＰ", "PMP"), ("PMP®", "PMP"), ("Project Management Professional", "PMP"),
    ("PMP(Project Management Institute (PMI))", "PMP"), ("ITストラテジスト (IPA)", "ITストラテジスト"),
    ("ITストラテジスト試験合格", "ITストラテジスト"),
])
def test_qualification_aliases_and_widths(typed, canonical):
    assert parse_profile({"qualifications": [typed]}, STANDARD).qualifications == (canonical,)


def test_fullwidth_alias_meets_the_producer():
    r = result({"qualifications": ["ＩＴストラテジスト"], "experiences": [LG]}, "producer")
    assert r["meets_standard"] is True and r["level_or_qualification"]["by"] == ["資格: ITストラテジスト"]
    r = result({"qualifications": ["システムアーキテクト"], "experiences": [LG]}, "producer")
    assert r["level_or_qualification"]["by"] == ["資格: ITアーキテクト"]


def test_duplicate_qualifications_count_once():
    assert parse_profile({"qualifications": ["PMP", "ＰＭＰ", "pmp"]}, STANDARD).qualifications == ("PMP",)


@pytest.mark.parametrize("framework,field,canonical", [
    ("ｉｔｓｓ", "ｺﾝｻﾙﾀﾝﾄ", ("ITSS", "コンサルタント")), ("itss", "カスタマサービス", ("ITSS", "カスタマーサービス")),
    ("ITスキル標準", "ＩＴアーキテクト", ("ITSS", "ITアーキテクト")),
    ("ＵＩＳＳ", "プログラムマネージャー", ("UISS", "プログラムマネージャ")),
    ("情報システムユーザスキル標準", "システムデザイナ", ("UISS", "システムデザイナー")),
])
def test_framework_and_field_widths_and_aliases(framework, field, canonical):
    p = parse_profile({"skill_levels": [{"framework": framework, "field": field, "level": 4}]}, STANDARD)
    assert (p.skill_levels[0].framework, p.skill_levels[0].field) == canonical


def test_ratings_and_codes_in_other_widths():
    p = parse_profile({"skill_ratings": {"ＵＩ技術": 2, "全体方針 立案": 4.0},
                       "experiences": ["ｌｏｃａｌ＿ｇｏｖｅｒｎｍｅｎｔ", {"code": " digital_dept_manager ", "years": 5}]},
                      STANDARD)
    assert p.skill_ratings == {"UI技術": 2, "全体方針立案": 4}
    assert p.experiences == (Experience("local_government"), Experience("digital_dept_manager", 5.0))


# --- errors ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data,needle,accepted", [
    ({"qualifications": ["宇宙飛行士"]}, "宇宙飛行士", "ITストラテジスト、ITアーキテクト"),
    ({"qualifications": ["ＩＴ宇宙飛行士"]}, "IT宇宙飛行士", "PMP"),
    ({"qualifications": [42]}, "42", "ITストラテジスト"),
    ({"qualifications": "PMP"}, "qualifications must be a list", "str"),
    ({"skill_levels": [{"framework": "ITSS", "field": "コンサルタント", "level": 8}]}, "8", "1, 2, 3, 4, 5, 6, 7"),
    ({"skill_levels": [{"framework": "ITSS", "field": "コンサルタント", "level": 0}]}, "0", "1, 2, 3"),
    ({"skill_levels": [{"framework": "ITSS", "field": "コンサルタント", "level": 3.5}]}, "3.5", "1, 2, 3"),
    ({"skill_levels": [{"framework": "ITSS", "field": "コンサルタント", "level": "4"}]}, "'4'", "1, 2, 3"),
    ({"skill_levels": [{"framework": "ITSS", "field": "コンサルタント", "level": True}]}, "True", "1, 2, 3"),
    ({"skill_levels": [{"framework": "ITSS", "field": "コンサルタント", "level": float("nan")}]}, "nan", "1, 2, 3"),
    ({"skill_levels": [{"framework": "ITSS", "field": "コンサルタント"}]}, "None", "1, 2, 3"),
    ({"skill_levels": [{"framework": "CCSF", "field": "x", "level": 3}]}, "CCSF", "ITSS, UISS"),
    ({"skill_levels": [{"field": "x", "level": 3}]}, "None", "ITSS, UISS"),
    ({"skill_levels": [{"framework": "ITSS", "field": "料理", "level": 3}]}, "料理", "コンサルタント、ITアーキテクト"),
    # A UISS field under ITSS is unknown for that framework.
    ({"skill_levels": [{"framework": "ITSS", "field": "プログラムマネージャ", "level": 3}]}, "プログラムマネージャ",
     "プロジェクトマネジメント"),
    ({"skill_levels": ["ITSS コンサルタント 4"]}, "ITSS コンサルタント 4", "framework, field, level"),
    ({"experiences": [{"code": "astronaut"}]}, "astronaut", "digital_strategy_lead, digital_dept_manager"),
    ({"experiences": [{"years": 3}]}, "None", "local_government"),
    ({"experiences": [{"code": "digital_dept_manager", "years": -1}]}, "-1", "0 to 60"),
    ({"experiences": [{"code": "digital_dept_manager", "years": "5年"}]}, "5年", "0 to 60"),
    ({"experiences": [7]}, "7", "code"),
    ({"skill_ratings": {"全体方針立案": 5}}, "5", "0, 1, 2, 3, 4"),
    ({"skill_ratings": {"全体方針立案": -1}}, "-1", "0, 1, 2, 3, 4"),
    ({"skill_ratings": {"料理": 3}}, "料理", "全体方針立案"),
    ({"skill_ratings": [3]}, "skill_ratings must be an object", "[3]"),
    ({"qualification": ["PMP"]}, "qualification", "qualifications, skill_levels, experiences, skill_ratings"),
    (["PMP"], "JSON object", "qualifications, skill_levels"),
])
def test_errors_name_value_and_list_accepted(data, needle, accepted):
    with pytest.raises(ProfileError) as exc:
        parse_profile(data, STANDARD)
    message = str(exc.value)
    assert "\n" not in message and needle in message and accepted in message


def test_error_message_stays_one_line_for_hostile_values():
    with pytest.raises(ProfileError) as exc:
        parse_profile({"qualifications": ["a\nb" * 100]}, STANDARD)
    assert "\n" not in str(exc.value) and len(str(exc.value)) < 1000


# --- properties ------------------------------------------------------------------------------------------

FIELDS = [(fw, f) for fw in FRAMEWORKS for f in STANDARD.fields(fw)]
QUALIFICATION_NAMES = [q.name for q in STANDARD.qualifications] + list(STANDARD.qualification_aliases)
profiles = st.fixed_dictionaries({
    "qualifications": st.lists(st.sampled_from(QUALIFICATION_NAMES), max_size=3),
    "skill_levels": st.lists(st.sampled_from(FIELDS).flatmap(
        lambda ff: st.integers(1, 7).map(lambda lv: {"framework": ff[0], "field": ff[1], "level": lv})), max_size=4),
    "experiences": st.lists(st.sampled_from(list(STANDARD.experience_codes)).flatmap(
        lambda c: st.one_of(st.just({"code": c}), st.integers(0, 60).map(lambda y: {"code": c, "years": y}))),
        max_size=4),
    "skill_ratings": st.dictionaries(st.sampled_from([s.name for s in STANDARD.skill_items()]), st.integers(0, 4)),
})


@settings(max_examples=300, deadline=None)
@given(profiles)
def test_property_never_raises_and_is_consistent(data):
    out = assessed(data)
    for p in out["personas"]:
        assert 0.0 <= p["skill_score"] <= 1.0
        lq, exp = p["level_or_qualification"], p["experience"]
        assert p["meets_standard"] == (lq["met"] and exp["met"])
        assert (not p["missing"]) == p["meets_standard"]
        # Evidence exactly when met; a side the standard does not require is met without evidence.
        assert lq["met"] == (bool(lq["by"]) or not lq["required"]) and exp["met"] == bool(exp["by"])
        assert not (lq["by"] and not lq["required"])
        assert lq["required"] == (p["code"] != "service_designer")


def fullwidth(text: str) -> str:
    """ASCII letters, digits and parentheses in their full-width forms (NFKC maps them back)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@settings(max_examples=100, deadline=None)
@given(profiles)
def test_property_fullwidth_input_assesses_the_same(data):
    wide = {
        "qualifications": [fullwidth(q) for q in data["qualifications"]],
        "skill_levels": [{**lv, "framework": fullwidth(lv["framework"]), "field": fullwidth(lv["field"])}
                         for lv in data["skill_levels"]],
        "experiences": data["experiences"],
        "skill_ratings": {fullwidth(k): v for k, v in data["skill_ratings"].items()},
    }
    assert json.loads(unicodedata.normalize("NFKC", json.dumps(wide, ensure_ascii=False))) == data
    assert assessed(wide) == assessed(data)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8) | st.sampled_from(["PMP", "ITSS", "コンサルタント", "local_government", "level", "years"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["qualifications", "skill_levels", "experiences", "skill_ratings", "framework", "field",
                         "level", "code", "years", "全体方針立案", "x"]), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_property_any_json_parses_or_raises_profile_error(data):
    try:
        profile = parse_profile(data, STANDARD)
    except ProfileError as exc:
        assert "\n" not in str(exc)
    else:
        assess(profile, STANDARD)


def test_assess_trusts_but_survives_a_hand_built_profile():
    # Names the standard does not know meet nothing; levels outside 1–7 are still cited correctly.
    profile = Profile(qualifications=("宇宙飛行士",), skill_levels=(SkillLevel("ITSS", "コンサルタント", 9),),
                      experiences=(Experience("astronaut"),))
    producer = assess(profile, STANDARD).personas[0]
    assert producer.level_or_qualification.by == ("ITSS コンサルタント レベル9（基準: レベル4以上）",)
    assert producer.experience.met is False

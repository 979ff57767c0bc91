"""Each persona's rule at its edges, aliases and widths, and clear errors for unknown values."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxpool.standard.assess import assess, assessment_to_dict, parse_profile
from dxpool.standard.errors import ProfileError
from dxpool.standard.loader import FRAMEWORKS, load_standard

STANDARD = load_standard("mic-2022-06")


def result(data: dict, persona: str) -> dict:
    out = assessment_to_dict(assess(parse_profile(data, STANDARD), STANDARD))
    assert out["standard"] == "mic-2022-06"
    assert [p["code"] for p in out["personas"]] == ["producer", "project_manager", "service_designer", "engineer"]
    return next(p for p in out["personas"] if p["code"] == persona)


LG = {"code": "local_government"}


@pytest.mark.parametrize("level,met", [(3, False), (4, True)])
def test_producer_level_3_vs_4(level, met):
    r = result({"skill_levels": [{"framework": "ITSS", "field": "コンサルタント", "level": level}], "experiences": [LG]},
               "producer")
    assert r["meets_standard"] is met and r["level_or_qualification"]["met"] is met


@pytest.mark.parametrize("persona,framework,field", [
    ("project_manager", "ITSS", "プロジェクトマネジメント"), ("project_manager", "UISS", "プログラムマネージャ"),
    ("engineer", "ITSS", "ITスペシャリスト"), ("engineer", "UISS", "システムデザイナー"),
])
@pytest.mark.parametrize("level,met", [(2, False), (3, True)])
def test_pm_and_engineer_level_2_vs_3(persona, framework, field, level, met):
    r = result({"skill_levels": [{"framework": framework, "field": field, "level": level}], "experiences": [LG]}, persona)
    assert r["meets_standard"] is met


@pytest.mark.parametrize("years,met", [(4, False), (5, True)])
def test_producer_manager_years_4_vs_5(years, met):
    r = result({"qualifications": ["ITストラテジスト"], "experiences": [{"code": "digital_dept_manager", "years": years}]},
               "producer")
    assert r["experience"]["met"] is met and r["meets_standard"] is met
    if not met:
        assert any("年数不足" in m for m in r["missing"])


@pytest.mark.parametrize("years,met", [(2, False), (3, True)])
def test_pm_manager_years_2_vs_3(years, met):
    r = result({"qualifications": ["PMP"], "experiences": [{"code": "digital_dept_manager", "years": years}]},
               "project_manager")
    assert r["meets_standard"] is met


def test_service_designer_needs_experience_only():
    r = result({"experiences": [{"code": "consumer_service_development"}]}, "service_designer")
    assert r["meets_standard"] is True and r["level_or_qualification"]["required"] is False
    r = result({"qualifications": ["ITストラテジスト"]}, "service_designer")
    assert r["meets_standard"] is False and r["missing"]


def test_experience_missing_fails_even_with_qualification():
    r = result({"qualifications": ["ITサービスマネージャ"]}, "engineer")
    assert r["level_or_qualification"]["met"] is True and r["meets_standard"] is False
    assert any("経験" in m for m in r["missing"])


def test_other_personas_experience_does_not_count():
    r = result({"qualifications": ["ITサービスマネージャ"], "experiences": [{"code": "digital_strategy_lead"}]}, "engineer")
    assert r["meets_standard"] is False


def test_by_names_what_met_the_criteria():
    r = result({"qualifications": ["PMP"], "experiences": [{"code": "digital_project_lead"}]}, "project_manager")
    assert r["level_or_qualification"]["by"] == ["資格: PMP"]
    assert r["experience"]["by"] == ["デジタルプロジェクトの責任者経験"]


@pytest.mark.parametrize("typed,canonical", [
    ("ＩＴストラテジスト", "ITストラテジスト"), ("システムアーキテクト", "ITアーキテクト"),
    ("ｼｽﾃﾑｱｰｷﾃｸﾄ", "ITアーキテクト"), ("pmp", "PMP"), ("ITサービスマネージャー", "ITサービスマネージャ"),
    ("情報セキュリティスペシャリスト", "情報処理安全確保支援士"), ("ITストラテジスト (IPA)", "ITストラテジスト"),
])
def test_aliases_and_widths(typed, canonical):
    assert parse_profile({"qualifications": [typed]}, STANDARD).qualifications == (canonical,)


def test_fullwidth_field_and_framework():
    p = parse_profile({"skill_levels": [{"framework": "ｉｔｓｓ", "field": "ｺﾝｻﾙﾀﾝﾄ", "level": 4}]}, STANDARD)
    assert p.skill_levels[0].framework == "ITSS" and p.skill_levels[0].field == "コンサルタント"


@pytest.mark.parametrize("data,needle,accepted", [
    ({"qualifications": ["宇宙飛行士"]}, "宇宙飛行士", "ITストラテジスト"),
    ({"skill_levels": [{"framework": "ITSS", "field": "コンサルタント", "level": 8}]}, "8", "1, 2, 3"),
    ({"skill_levels": [{"framework": "ITSS", "field": "コンサルタント", "level": 0}]}, "0", "1, 2, 3"),
    ({"skill_levels": [{"framework": "CCSF", "field": "x", "level": 3}]}, "CCSF", "ITSS, UISS"),
    ({"skill_levels": [{"framework": "ITSS", "field": "料理", "level": 3}]}, "料理", "コンサルタント"),
    ({"experiences": [{"code": "astronaut"}]}, "astronaut", "digital_strategy_lead"),
    ({"skill_ratings": {"全体方針立案": 5}}, "5", "0, 1, 2, 3, 4"),
    ({"skill_ratings": {"料理": 3}}, "料理", "全体方針立案"),
    ({"qualification": ["PMP"]}, "qualification", "qualifications"),
])
def test_errors_name_value_and_list_accepted(data, needle, accepted):
    with pytest.raises(ProfileError) as exc:
        parse_profile(data, STANDARD)
    message = str(exc.value)
    assert "\n" not in message and needle in message and accepted in message


FIELDS = [(fw, f) for fw in FRAMEWORKS for f in STANDARD.fields(fw)]
profiles = st.fixed_dictionaries({
    "qualifications": st.lists(st.sampled_from([q.name for q in STANDARD.qualifications]), max_size=3),
    "skill_levels": st.lists(st.sampled_from(FIELDS).flatmap(
        lambda ff: st.integers(1, 7).map(lambda lv: {"framework": ff[0], "field": ff[1], "level": lv})), max_size=4),
    "experiences": st.lists(st.sampled_from(list(STANDARD.experience_codes)).flatmap(
        lambda c: st.integers(0, 20).map(lambda y: {"code": c, "years": y})), max_size=4),
    "skill_ratings": st.dictionaries(st.sampled_from([s.name for s in STANDARD.skill_items()]), st.integers(0, 4)),
})


@settings(max_examples=200, deadline=None)
@given(profiles)
def test_property_consistent(data):
    out = assessment_to_dict(assess(parse_profile(data, STANDARD), STANDARD))
    for p in out["personas"]:
        assert 0.0 <= p["skill_score"] <= 1.0
        assert p["meets_standard"] == (p["level_or_qualification"]["met"] and p["experience"]["met"])
        assert (not p["missing"]) == p["meets_standard"]

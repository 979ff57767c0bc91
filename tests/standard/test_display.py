"""The assessment as shown: applied persona first, 要件なし where the standard names nothing, coverage in percent,
the standard by title and date, thresholds in words (issue 13, item 3)."""

from datetime import date

from dxpool.standard.assess import assess, assessment_to_dict, parse_profile
from dxpool.standard.display import MET, NOT_REQUIRED, UNMET, assessment_view, in_words


def stored(raw: dict) -> dict:
    return assessment_to_dict(assess(parse_profile(raw)))


def by_code(view):
    return {p.code: p for p in view.personas}


def test_applied_persona_comes_first_and_is_marked():
    view = assessment_view(stored({}), applied=["engineer"])
    assert [p.code for p in view.personas] == ["engineer", "producer", "project_manager", "service_designer"]
    assert [p.applied for p in view.personas] == [True, False, False, False]
    assert [p.code for p in view.applied] == ["engineer"]


def test_without_an_application_the_standards_order_is_kept():
    view = assessment_view(stored({}), applied=[])
    assert [p.code for p in view.personas] == ["producer", "project_manager", "service_designer", "engineer"]
    assert not view.applied


def test_service_designer_level_side_is_not_required_not_met():
    # Anyone with local government experience meets the service designer: the level/qualification side
    # must read 要件なし, never 「満たす（根拠: 要件なし）」.
    view = assessment_view(stored({"experiences": ["local_government"]}))
    sd = by_code(view)["service_designer"]
    level, experience = sd.criteria
    assert sd.meets_standard is True
    assert (level.kind, level.state, level.by) == ("level_or_qualification", NOT_REQUIRED, ())
    assert experience.state == MET and experience.by == ("自治体での勤務又は受託業務の経験",)
    producer_level = by_code(view)["producer"].criteria[0]
    assert producer_level.state == UNMET


def test_legacy_stored_not_required_evidence_is_dropped():
    legacy = stored({"experiences": ["local_government"]})
    sd = next(p for p in legacy["personas"] if p["code"] == "service_designer")
    sd["level_or_qualification"]["by"] = ["要件なし（スキル標準の記載は「—」）"]
    del sd["experience"]["required"]  # stored before experience carried `required`
    level, experience = by_code(assessment_view(legacy))["service_designer"].criteria
    assert level.state == NOT_REQUIRED and level.by == ()
    assert experience.state == MET


def test_coverage_is_an_integer_percent():
    view = assessment_view(stored({"skill_ratings": {"リーダーシップ": 4, "コミュニケーション": 2}}))
    producer = by_code(view)["producer"]
    assert producer.coverage_percent == round(100 * 6 / 28)
    assert by_code(assessment_view(stored({})))["producer"].coverage_percent == 0
    broken = stored({})
    broken["personas"][0]["skill_score"] = "x"
    assert assessment_view(broken).personas[0].coverage_percent == 0


def test_standard_by_title_and_date_not_code():
    view = assessment_view(stored({}))
    assert view.version == "mic-2022-06"
    assert view.standard_title == "自治体DX外部人材スキル標準"
    assert view.standard_published == date(2022, 6, 3)


def test_unknown_version_falls_back_to_its_id():
    data = stored({})
    data["standard"] = "gone-1999"
    view = assessment_view(data)
    assert view.standard_title == "gone-1999" and view.standard_published is None


def test_thresholds_in_words_for_new_and_legacy_text():
    view = assessment_view(stored({"skill_levels": [{"framework": "ITSS", "field": "コンサルタント", "level": 5}],
                                   "experiences": [{"code": "digital_dept_manager", "years": 4}]}))
    producer = by_code(view)["producer"]
    assert producer.criteria[0].by == ("ITSS コンサルタント レベル5（基準: レベル4以上）",)
    text = "、".join(m for p in view.personas for m in p.missing)
    assert "≥" not in text and "5年以上" in text and "レベル3以上" in text
    assert in_words("ITSS コンサルタント レベル5 (≥4)") == "ITSS コンサルタント レベル5（基準: レベル4以上）"
    assert in_words("ITSS コンサルタント/ITアーキテクト レベル≥4") == "ITSS コンサルタント/ITアーキテクト レベル4以上"
    assert in_words("管理職経験 6年 (≥5年)") == "管理職経験 6年（基準: 5年以上）"


def test_no_assessment_is_none():
    assert assessment_view({}) is None
    assert assessment_view(None) is None

"""Role suggestion on the hearing: the issue text plus measures, steps and facts, each with its reason; the
mapping is a data file in the standard's terms, extendable without code (dxpool.suggest.roles).

The hearing page and API that show these are tested in tests/needs/test_roles.py."""

import json

import pytest

from dxpool.needs.reference import MEASURES, STEPS
from dxpool.standard.loader import load_standard
from dxpool.suggest.roles import FACTS, MAPPING_FILE, MappingError, load_mapping, suggest_roles


def test_mapping_names_only_the_standards_personas_and_their_skill_items():
    standard = load_standard()
    mapping = load_mapping()
    assert set(mapping.measures) == {c for c, _, _ in MEASURES}  # every measure maps somewhere
    for section in (mapping.measures, mapping.steps, mapping.facts):
        for rules in section.values():
            for r in rules:
                items = {s.name for s in standard.persona(r.persona).skills}
                assert set(r.skills) <= items, (r.persona, r.skills)
    assert set(mapping.steps) <= {c for c, _ in STEPS} and set(mapping.facts) <= set(FACTS)


def test_measures_and_facts_add_reasons_to_the_text():
    roles = suggest_roles(issues="RPAを導入したい", measures={"bpr": "not_started", "frontyard": "done"},
                          steps={"1": "in_progress"}, facts=["hitori_joshis"])
    by_code = {r.code: r for r in roles}
    assert roles[0].code == "engineer"  # the municipality's own words weigh most
    assert any("「RPA」" in reason for reason in by_code["engineer"].reasons)
    assert any("ひとり情シス" in reason for reason in by_code["engineer"].reasons)
    assert any("BPRの取組の徹底」が未着手" in reason for reason in by_code["service_designer"].reasons)
    assert not any("フロントヤード" in reason for reason in by_code["service_designer"].reasons)  # done: no need
    assert any("全体方針の決定が取組中" in reason for reason in by_code["producer"].reasons)
    assert all(0 < r.score < 1 for r in roles)


def test_status_alone_weighs_less_than_the_issue_text():
    statuses = {c: "not_started" for c, _, _ in MEASURES}
    roles = suggest_roles(issues="", measures=statuses, steps={}, facts=[])
    assert max(r.score for r in roles) <= 0.64  # capped: 1 − e^−1
    unanswered = suggest_roles(issues="", measures={}, steps={}, facts=[])
    assert unanswered == []  # unanswered is not "not started"


def test_a_prefecture_extends_the_mapping_without_code(tmp_path):
    extra = tmp_path / "nagasaki.json"
    extra.write_text(json.dumps({"facts": {"hitori_joshis": [
        {"persona": "producer", "skills": ["コーディネート"], "weight": 0.5, "reason": "近隣と人材を共有する調整役が要る"}]}}),
        encoding="utf-8")
    mapping = load_mapping((MAPPING_FILE, extra))
    roles = suggest_roles(issues="", measures={}, steps={}, facts=["hitori_joshis"], mapping=mapping)
    assert {r.code for r in roles} == {"engineer", "producer"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"measures": {"frontyard": [{"persona": "wizard", "reason": "x"}]}}), encoding="utf-8")
    with pytest.raises(MappingError, match="measures.frontyard"):
        load_mapping((MAPPING_FILE, bad))


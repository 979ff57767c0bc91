"""dxpool.needs.documents: a JD version as labelled sections (page, print view and PDF share them), built from
plain objects — the module is Django-free — and from stored rows alike."""

import subprocess
import sys
from datetime import date
from types import SimpleNamespace

import pytest

from dxpool.needs.documents import jd_sections, pay_text
from dxpool.needs.reference import CHECKLIST_CODES, CHECKLIST_SOURCE, COI_RULE
from dxpool.needs.standard_terms import persona_terms


def version(**over):
    data = dict(title="標準化の進捗管理", persona="project_manager", duties="進捗を管理する。\n会議を運営する。",
                skills=["スケジュール管理", "未知の項目"], appointment_forms=["contract", "side_job"],
                pay_min=25000, pay_max=40000, pay_unit="day", days_per_week=1, hours_per_week=8,
                onsite_days_per_month=1, remote_ok=True, period_from=date(2027, 1, 1), period_to=date(2027, 12, 31),
                host_department="企画課", receiving_structure="課長が指揮命令者。\n係長が窓口。", coi_applies=True,
                excluded_employers=["A社", "B社"], standard_version="2022-06",
                standard_terms=persona_terms("project_manager"))
    data.update(over)
    return SimpleNamespace(**data)


def jd(checklist=None, grouping=None):
    municipality = SimpleNamespace(name="五島市", prefecture=SimpleNamespace(name="長崎県"))
    return SimpleNamespace(grouping_id=1 if grouping else None, grouping=grouping, municipality=municipality,
                           checklist=checklist or {})


def items(sections) -> dict[str, tuple[str, ...]]:
    return {item.label: item.lines for s in sections for item in s.items}


@pytest.mark.parametrize(("pay_min", "pay_max", "unit", "text"), [
    (None, None, "month", "—（応相談）"),
    (25000, 40000, "day", "25,000円〜40,000円／日"),
    (30000, 30000, "month", "30,000円／月"),
    (3000, None, "hour", "3,000円以上／時間"),
    (None, 500000, "month", "500,000円まで／月"),
])
def test_pay_text(pay_min, pay_max, unit, text):
    assert pay_text(SimpleNamespace(pay_min=pay_min, pay_max=pay_max, pay_unit=unit)) == text


def test_sections_from_plain_objects():
    sections = jd_sections(jd({CHECKLIST_CODES[0]: {"by": "goto", "by_name": "五島 太郎"}}), version())
    assert [s.title for s in sections][0] == "募集する役割"
    assert sections[-1].title == f"受入れ準備チェックリスト（{CHECKLIST_SOURCE}）"
    found = items(sections)
    assert found["団体"] == ("長崎県五島市",)
    assert found["業務内容"] == ("進捗を管理する。", "会議を運営する。")
    assert found["任用形態"] == ("業務委託、副業・兼業",)  # labels of the forms of appointment, not codes
    assert found["報酬"] == ("25,000円〜40,000円／日",)
    assert found["勤務日数・時間"] == ("週1日（週8時間程度）", "現地勤務: 月1日", "リモート勤務: 可")
    assert found["期間"] == ("2027年1月1日 〜 2027年12月31日",)
    skills = found["重視するスキル項目"]
    assert skills[0].startswith("スケジュール管理（") and skills[1] == "未知の項目"  # unknown items shown as they are
    rule = found["ルール"]
    assert rule[0].startswith("この業務には") and COI_RULE in rule and rule[-1].endswith("A社、B社")
    checklist = found["確認状況"]
    assert checklist[0].startswith("［済］") and checklist[0].endswith("（五島 太郎）")
    assert all(line.startswith("［未］") for line in checklist[1:])


def test_sections_without_a_level_or_on_site_days():
    terms = {**persona_terms("service_designer"), "requirement_text": ""}
    found = items(jd_sections(jd(), version(standard_terms=terms, onsite_days_per_month=0, coi_applies=False,
                                            excluded_employers=[], receiving_structure="", host_department="")))
    assert found["望ましいスキルレベル・資格（いずれか）"] == ("スキル標準では、望ましいスキルレベル・資格は定められていません（—）。",)
    assert "現地勤務なし（フルリモート）" in found["勤務日数・時間"]
    assert found["ルール"][-1] == "入札制限の対象となる事業者: なし" and not found["ルール"][0].startswith("この業務")
    assert found["受入れ部署"] == ("—",) and found["受入れ体制"] == ("—",)


def test_sections_of_a_joint_jd_name_the_members():
    members = [SimpleNamespace(name=n) for n in ("五島市", "小値賀町")]
    grouping = SimpleNamespace(name="離島連携", members=SimpleNamespace(all=lambda: members))
    assert items(jd_sections(jd(grouping=grouping), version()))["団体"] == ("離島連携（共同: 五島市・小値賀町）",)


def test_the_persona_falls_back_to_the_standards_name():
    terms = {k: v for k, v in persona_terms("engineer").items() if k != "persona"}
    assert items(jd_sections(jd(), version(persona="engineer", standard_terms=terms)))["人材像"][0].startswith(
        "エンジニア（")


@pytest.mark.django_db
def test_sections_from_stored_rows(goto_user):
    from tests.needs.builders import make_jd

    row = make_jd(goto_user)
    found = items(jd_sections(row, row.latest))
    assert found["件名"] == ("標準化の進捗管理",) and found["任用形態"] == ("業務委託",)


@pytest.mark.parametrize("module", ["dxpool.needs.documents", "dxpool.needs.excel", "dxpool.needs.maps",
                                    "dxpool.needs.reference", "dxpool.needs.standard_terms"])
def test_module_is_django_free(module):
    """What the docstrings claim (import-linter holds it in `make check`; this says so where the code is)."""
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

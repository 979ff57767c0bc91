"""Display filters (dxpool.core.templatetags.dxformat): fiscal years in 和暦, dates, the assessment tag."""

from datetime import date

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from dxpool.core.templatetags.dxformat import era_of, fiscal_year, fiscal_year_label, wareki_month


@pytest.mark.parametrize("year,label", [
    (2026, "令和8年度"), (2020, "令和2年度"),
    (2019, "令和元年度"),  # April 2019 is still 平成31年, but the year is named 令和元年度
    (2018, "平成30年度"), (1989, "平成元年度"), (1988, "昭和63年度"),
])
def test_fiscal_year_in_wareki(year, label):
    assert fiscal_year_label(year) == label


def test_fiscal_year_long_and_english():
    assert fiscal_year_label(2026, long=True) == "令和8年度（2026年度）"
    assert fiscal_year_label(2019, long=True) == "令和元年度（2019年度）"
    assert fiscal_year_label(2026, english=True) == "FY2026"


def test_era_boundary_days():
    assert era_of(date(2019, 4, 30)) == ("平成", 31)
    assert era_of(date(2019, 5, 1)) == ("令和", 1)
    assert era_of(date(1989, 1, 7)) == ("昭和", 64)
    assert era_of(date(1989, 1, 8)) == ("平成", 1)


def test_filter_follows_the_language_and_leaves_non_years_alone():
    with translation.override("ja"):
        assert fiscal_year(2026) == "令和8年度"
        assert fiscal_year("2026", "long") == "令和8年度（2026年度）"
        assert fiscal_year(None) == "" and fiscal_year("abc") == "abc"
    with translation.override("en"):
        assert fiscal_year(2026) == "FY2026"
        assert fiscal_year(2026, "long") == "FY2026"


def test_wareki_month():
    with translation.override("ja"):
        assert wareki_month(date(2022, 6, 3)) == "令和4年6月"
        assert wareki_month("2019-05-01") == "令和元年5月"
        assert wareki_month("not a date") == "not a date"
    with translation.override("en"):
        assert wareki_month(date(2022, 6, 3)) == "June 2022"


def render(source: str, **context) -> str:
    return Template("{% load dxformat %}" + source).render(Context(context))


def test_templates_use_the_filter():
    with translation.override("ja"):
        assert render("{{ y|fiscal_year }}", y=2026) == "令和8年度"


ASSESSMENT = {"standard": "mic-2022-06", "personas": [
    {"code": "producer", "name": "プロデューサー（CIO補佐官等）", "meets_standard": False, "skill_score": 0.0,
     "level_or_qualification": {"met": False, "required": True, "by": []}, "experience": {"met": False, "by": []},
     "missing": ["スキルレベル又は資格のいずれか: ITSS コンサルタント レベル≥4"]},
    {"code": "engineer", "name": "エンジニア", "meets_standard": False, "skill_score": 0.5,
     "level_or_qualification": {"met": False, "required": True, "by": []}, "experience": {"met": False, "by": []},
     "missing": []},
]}


def test_assessment_tag_takes_the_applied_persona_from_the_page():
    class App:
        persona = "engineer"

    out = render("{% assessment_display a as v %}{% for p in v.personas %}{{ p.code }}:{{ p.applied }} {% endfor %}",
                 a=ASSESSMENT, application=App())
    assert out == "engineer:True producer:False "
    out = render("{% assessment_display a 'producer' as v %}{{ v.personas.0.code }}", a=ASSESSMENT, application=App())
    assert out == "producer"


def test_assessment_tag_reads_the_persona_posted_by_the_live_preview():
    request = RequestFactory().post("/talent/assess-preview/", {"persona": "engineer"})
    out = render("{% assessment_display a as v %}{{ v.personas.0.code }}", a=ASSESSMENT, request=request)
    assert out == "engineer"


def test_assessment_partial_speaks_in_words():
    from django.template.loader import render_to_string

    with translation.override("ja"):
        html = render_to_string("talent/_assessment.html", {"assessment": ASSESSMENT, "applied": None})
    assert "自治体DX外部人材スキル標準（令和4年6月）による判定" in html
    assert "mic-2022-06" not in html
    assert "スキル項目の充足率" in html and "0%" in html
    assert "レベル4以上" in html and "≥" not in html

"""The assessment on the screening and profile pages: the persona applied for first and marked, each side of the
rule in words, coverage not score (issue 13, item 3)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def assessment_html(body: str) -> str:
    return body[body.index('id="assessment"'):]


def test_screening_page_puts_the_applied_persona_first(client, make_application, nagasaki_user):
    app = make_application(persona="engineer", experiences=[{"code": "digital_tool_implementation"},
                                                             {"code": "local_government"}])
    client.force_login(nagasaki_user)
    html = assessment_html(client.get(f"/talent/applications/{app.pk}/").content.decode())
    items = re.findall(r'<li class="assessment__item[^"]*">.*?<strong>(.*?)</strong>', html, re.S)
    assert items[0] == "エンジニア"
    first = html[:html.index("</li>", html.index("assessment__item--applied"))]
    assert "応募した人材像" in first and "assessment__item--applied" in first
    assert html.count("応募した人材像") == 1
    assert "自治体DX外部人材スキル標準（令和4年6月）" in html and "mic-2022-06" not in html
    assert "スキル項目の充足率" in html and "≥" not in html


def test_service_designer_reads_not_required_rather_than_met_by_nothing(client, make_application, nagasaki_user):
    app = make_application(experiences=[{"code": "local_government"}])
    client.force_login(nagasaki_user)
    html = assessment_html(client.get(f"/talent/applications/{app.pk}/").content.decode())
    start = html.index("<strong>サービスデザイナー</strong>")
    end = html.find('<li class="assessment__item', start)
    sd = html[start:end if end > 0 else None]  # the service designer is last when the engineer comes first
    assert "標準を満たす" in sd and "要件なし（スキル標準で定めなし）" in sd
    assert "根拠: 要件なし" not in html

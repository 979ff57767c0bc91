"""The assessment and the pool as the prefecture's secretariat meets them (issue 13, items 3 and 9): the persona
applied for first and marked, the standard by its title and date, thresholds in words, coverage not score;
names found in the pool typed without their space; Japanese words not broken across lines."""

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.e2e
PASSWORD = "dxpool-demo-2026"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_screening_page_shows_the_assessment_in_words(page, server_url):
    login(page, server_url, "nagasaki", PASSWORD)
    page.goto(server_url + "/talent/applications/?status=screening")
    persona = page.locator("main table tbody tr").first.locator("td").nth(1).inner_text()
    page.locator("main table tbody tr").first.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/talent/applications/\d+/"))
    panel = page.locator("#assessment")
    assert "自治体DX外部人材スキル標準（令和4年6月）による判定" in panel.inner_text()
    first = panel.locator(".assessment__item").first
    assert "応募した人材像" in first.inner_text() and persona in first.inner_text()
    assert panel.locator(".assessment__item--applied").count() == 1
    text = panel.inner_text()
    assert "mic-2022-06" not in text and "≥" not in text and "スキル項目の充足率" in text
    assert "根拠: 要件なし" not in text
    sd = panel.locator(".assessment__item", has_text="サービスデザイナー")
    assert "要件なし（スキル標準で定めなし）" in sd.inner_text()
    DOCS.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=str(DOCS / "assessment.png"))


def test_pool_finds_a_name_typed_without_its_space(page, server_url):
    login(page, server_url, "nagasaki", PASSWORD)
    page.goto(server_url + "/talent/pool/")
    name = page.locator("main table tbody th a").first.inner_text()
    assert " " in name  # the demo's names are 「姓 名」
    page.get_by_label("キーワード").fill(name.replace(" ", ""))
    page.get_by_role("button", name="検索").click()
    assert name in page.locator("main table tbody").inner_text()


def test_short_labels_do_not_break_inside_a_word(page, server_url):
    login(page, server_url, "nagasaki", PASSWORD)
    page.set_viewport_size({"width": 800, "height": 900})
    page.goto(server_url + "/talent/applications/")
    # Every 「満たす」 / 「未達」 cell holds its word on one line (one line box tall).
    heights = page.eval_on_selector_all(
        "main table tbody td:nth-child(4)",
        "cells => cells.map(c => { const r = document.createRange(); r.selectNodeContents(c);"
        " return r.getClientRects().length; })")
    assert heights and max(heights) == 1, heights
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "application-list")

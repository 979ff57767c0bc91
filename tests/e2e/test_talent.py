"""Talent journeys in the browser: live assessment while applying, pseudonymised pool for municipalities."""

import pytest

from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.e2e


def test_live_assessment_updates_while_editing(page, server_url):
    login(page, server_url, "talent", "dxpool-demo-2026")
    page.goto(server_url + "/talent/rounds/")
    page.get_by_role("link", name="第2次募集").click()
    page.get_by_role("link", name="この公募に応募する").click()
    panel = page.locator("#assessment")
    page.get_by_label("PMP").check()
    page.get_by_label("デジタル分野のプロジェクトの責任者としてメンバーをリードした経験").check()
    page.wait_for_function(
        "document.querySelector('#assessment') && document.querySelector('#assessment').innerText.includes('PMP')")
    text = panel.inner_text()
    assert "プロジェクトマネージャー: 標準を満たす" in text
    assert "エンジニア: 標準に未達" in text
    page.locator(".assess-panel").scroll_into_view_if_needed()
    screenshot(page, "apply-live-assessment")


def test_municipality_sees_pseudonyms_only(page, server_url):
    login(page, server_url, "goto", "dxpool-demo-2026")
    page.goto(server_url + "/talent/pool/")
    body = page.inner_text("main")
    assert "仮名で表示" in body and "人材-" in body
    assert "@example.jp" not in page.content()
    page.locator("table a").first.click()
    assert "氏名・連絡先・勤務先は表示されません" in page.inner_text("main")
    screenshot(page, "pool-municipality")

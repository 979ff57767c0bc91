"""Talent journeys in the browser: live assessment while applying, pseudonymised pool for municipalities."""

import pytest
from playwright.sync_api import expect

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
    # Waited for with Playwright's own locator (not wait_for_function, whose string the page's CSP, without
    # 'unsafe-eval', refuses to evaluate).
    expect(panel).to_contain_text("PMP")
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


def test_secretariat_confirms_before_rejecting_or_withdrawing(page, server_url):
    """Issue 12: the status select starts empty, and 不採用 / 辞退 are asked about on a page of their own that
    names the applicant and says what follows; going back changes nothing."""
    login(page, server_url, "nagasaki", "dxpool-demo-2026")
    page.goto(server_url + "/talent/applications/?status=screening")
    page.locator("table tbody a").first.click()
    detail_url = page.url
    name = page.locator("h1").inner_text().split(": ", 1)[1].split("（")[0]
    select = page.locator("#to_status")
    assert select.input_value() == "" and select.locator("option").first.inner_text() == "選択してください"
    select.select_option(label="不採用")
    page.get_by_role("button", name="変更する").click()
    main = page.inner_text("main")
    assert f"{name}さんの応募を不採用にしますか。" in main and "元に戻せません" in main
    screenshot(page, "confirm-secretariat-reject")
    page.get_by_role("link", name="やめて戻る（変更しない）").click()
    assert page.url == detail_url and "状態: 選考中" in page.inner_text("main")
    page.locator("#to_status").select_option(label="辞退")
    page.locator("#t-note").fill("本人から電話で辞退の申し出")
    page.get_by_role("button", name="変更する").click()
    assert f"{name}さんの応募を辞退として記録しますか。" in page.inner_text("main")
    screenshot(page, "confirm-secretariat-withdraw")
    page.get_by_role("button", name="辞退として記録する").click()
    assert "状態: 辞退" in page.inner_text("main")


def test_secretariat_confirms_a_final_rejection_decision(page, server_url):
    login(page, server_url, "nagasaki", "dxpool-demo-2026")
    page.goto(server_url + "/talent/applications/?status=screening")
    page.locator("table tbody a").nth(1).click()
    page.locator("#id_criterion").select_option(label="最終判定")
    page.locator("#id_decision").select_option(label="不採用")
    page.locator("#id_reason").fill("求める経験が確認できなかったため。")
    page.get_by_role("button", name="記録する").click()
    main = page.inner_text("main")
    assert "不採用にしますか。" in main and "求める経験が確認できなかったため。" in main
    screenshot(page, "confirm-decision-reject")


def test_applicant_confirms_before_withdrawing(page, server_url):
    login(page, server_url, "applicant001", "dxpool-demo-2026")
    page.goto(server_url + "/talent/me/")
    page.locator("table tbody a").first.click()
    page.get_by_role("link", name="応募を辞退する").click()
    assert "本当に辞退しますか。辞退すると元に戻せません。" in page.inner_text("main")
    screenshot(page, "confirm-applicant-withdraw")
    page.get_by_label("辞退の理由（任意）").fill("他の業務との兼ね合いのため")
    page.get_by_role("button", name="辞退する", exact=True).click()
    assert "応募を辞退しました。" in page.inner_text("main") and "辞退" in page.locator("dl").inner_text()


def test_municipality_pool_search_matches_the_card_only(page, server_url):
    """Issue 12: a municipality finds people by what their card shows (the prefecture, personas, skills),
    never by the hidden home town."""
    login(page, server_url, "goto", "dxpool-demo-2026")
    page.goto(server_url + "/talent/pool/")
    page.get_by_label("キーワード").fill("五島市")
    page.get_by_role("button", name="検索").click()
    assert "条件に合う人材はいません。" in page.inner_text("main")
    page.get_by_label("キーワード").fill("エンジニア")
    page.get_by_role("button", name="検索").click()
    rows = page.locator("table tbody tr")
    assert rows.count() > 0 and "条件に合う人材はいません。" not in page.inner_text("main")
    screenshot(page, "pool-municipality-search")

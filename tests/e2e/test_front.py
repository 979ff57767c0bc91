"""The public front door and the application form, in the browser: a visitor finds an open round on `/`,
signs up (consent asked up front, not pre-ticked), and applies choosing where they live by prefecture then
municipality."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ROUND = "令和8年度 長崎県地域DX人材プール 外部デジタル人材募集"


def _shot(page, name: str) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"{name}.png"), full_page=True)


def test_the_front_page_lists_an_open_round_and_leads_to_sign_up(page, server_url):
    page.goto(server_url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("外部デジタル人材")
    table = page.locator("main table")
    row = table.locator("tbody tr", has=page.get_by_role("link", name=ROUND))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("長崎県")
    expect(row).to_contain_text("プロデューサー（CIO補佐官等）")
    expect(row).to_contain_text("業務委託")
    expect(row).to_contain_text("17:00")  # the deadline as a secretariat sets it
    expect(page.get_by_role("heading", name="応募の流れ")).to_be_visible()
    expect(page.locator("main ol li")).to_have_count(4)
    expect(page.get_by_role("link", name="ログイン").first).to_be_visible()
    _shot(page, "front")

    page.get_by_role("link", name="応募者アカウントを作成する").click()
    page.wait_for_url("**/talent/signup/")
    consent = page.get_by_label("「個人情報の取扱いについて」に同意します")
    expect(consent).not_to_be_checked()
    expect(page.locator("main")).to_contain_text("個人情報の取扱いについて（版: 2026-04）")


def test_a_visitor_signs_up_from_a_round_and_applies_choosing_residence_by_prefecture(page, server_url):
    page.goto(server_url + "/")
    row = page.locator("main table tbody tr", has=page.get_by_role("link", name=ROUND))
    row.get_by_role("link", name="応募する").click()
    page.wait_for_url("**/talent/signup/**")
    page.get_by_label("氏名").fill("前田 さくら")
    page.get_by_label("ユーザー名").fill("front-e2e")
    page.get_by_label("メールアドレス").fill("front-e2e@example.jp")
    page.get_by_label("パスワード").fill("front-door-pass-2026")
    page.get_by_role("button", name="同意してアカウントを作成する").click()
    # Not ticked: nothing is created, and the message names the consent.
    expect(page.locator("#error-summary")).to_contain_text("個人情報の取扱いについて")
    page.get_by_label("パスワード").fill("front-door-pass-2026")
    page.get_by_label("「個人情報の取扱いについて」に同意します").check()
    page.get_by_role("button", name="同意してアカウントを作成する").click()
    page.wait_for_url("**/apply/")

    main = page.locator("main")
    expect(main).to_contain_text("同意済み")  # agreed at sign-up: not asked again
    expect(page.get_by_label("「個人情報の取扱いについて」に同意します")).to_have_count(0)
    radios = page.locator("input[name=persona]")
    expect(radios).to_have_count(4)
    for i in range(4):
        expect(radios.nth(i)).not_to_be_checked()

    municipality = page.locator("select[name=home_municipality]")
    page.locator("select[name=home_prefecture]").select_option(label="長崎県")
    # With the script, only 長崎県's municipalities are offered (21), not all 1,741.
    expect(municipality.locator("option:not([value=''])")).to_have_count(21)
    # Type-ahead within the prefecture: typing a part of the name leaves only the towns that contain it.
    page.get_by_label("市区町村名で絞り込む").fill("五島")
    expect(page.locator("#id_home_municipality_search_count")).to_have_text("2件の市区町村が該当します")
    shown = municipality.locator("option:not([value='']):not([hidden])")
    expect(shown).to_have_count(2)
    assert sorted(shown.all_inner_texts()) == sorted(["五島市", "新上五島町"]), shown.all_inner_texts()
    municipality.select_option(label="五島市")
    _shot(page, "application-form")  # before the persona is chosen: the form as the applicant meets it
    page.get_by_label("エンジニア", exact=True).check()
    page.get_by_role("button", name="応募する").click()
    page.wait_for_url("**/talent/me/applications/**")
    expect(main).to_contain_text("スキルの根拠資料（職務経歴・資格など）をアップロードしてください")
    page.get_by_role("link", name="根拠資料をアップロードする").click()
    expect(page.locator("#evidence")).to_be_visible()
    expect(page.locator("main")).to_contain_text("五島市")

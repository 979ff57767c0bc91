"""Proposals people can decide on, in the browser (issue 13, item 1): 五島市 and the talent each answer the
demo's proposal from its details page, reading the municipality, the JD, the pseudonymised profile and the
reasons in words; once both accepted, 五島市 opens the full profile from a link and has nothing to edit; the
secretariat withdraws another proposal with a reason, which both sides then read."""

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.test_accessibility import _audit

pytestmark = pytest.mark.e2e
PASSWORD = "dxpool-demo-2026"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
BOTH_WAITING = "五島市と人材の回答待ち"


def doc_screenshot(page, name: str) -> None:
    """A screenshot committed with the docs (1280 wide, the whole page)."""
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"{name}.png"), full_page=True)


def as_user(page, server_url, username: str) -> None:
    page.context.clear_cookies()
    login(page, server_url, username, PASSWORD)


def waiting_row(page):
    """The first proposal of 五島市 that neither side has answered (the demo sends 五島市's own ones)."""
    rows = page.locator("main table tbody tr").filter(has_text=BOTH_WAITING)
    expect(rows.first).to_be_visible()
    return rows.first


def test_both_sides_answer_from_the_details_and_the_municipality_then_opens_the_full_profile(page, server_url):
    # The talent's list: the demo's proposal from 五島市, by municipality, need, pseudonym and state.
    as_user(page, server_url, "talent")
    page.goto(server_url + "/matching/proposals/")
    row = waiting_row(page)
    cells = row.locator("td, th").all_inner_texts()
    assert cells[0] == "五島市" and cells[2].startswith("人材-") and "要回答" in cells[3]
    need, pseudonym = cells[1], cells[2]
    detail = row.get_by_role("link").get_attribute("href")
    assert re.fullmatch(r"/matching/proposals/\d+/", detail)

    # 五島市 opens the same proposal from its list and reads what it decides on.
    as_user(page, server_url, "goto")
    page.goto(server_url + "/matching/proposals/")
    page.locator(f'main a[href="{detail}"]').click()
    page.wait_for_url(server_url + detail)
    main = page.locator("main")
    expect(page.locator("h1")).to_contain_text(f"五島市「{need}」への提案")
    expect(page.locator("#proposal-state")).to_have_text(BOTH_WAITING)
    jd = main.locator("dl.detail").first.get_by_role("link").first
    assert re.search(r"/needs/jds/\d+/$", jd.get_attribute("href"))
    card = main.get_by_role("link", name=pseudonym)
    assert unquote(card.get_attribute("href")).endswith(f"/talent/pool/{pseudonym}/")
    reasons = main.locator("ul.reasons li").all_inner_texts()
    assert any(r.startswith("人材像") and r.endswith("標準を満たす") for r in reasons)
    assert any(re.fullmatch(r"重視スキル: \d+項目中\d+項目", r) for r in reasons)
    assert any(re.fullmatch(r"距離: (約[\d,]+km|同じ市町村)", r) for r in reasons)
    assert not re.search(r"\d\.\d", " ".join(reasons))  # words and whole numbers, no engine decimals
    assert "山田" not in main.inner_text()  # still pseudonymised
    doc_screenshot(page, "proposal-municipality")

    # 五島市 accepts: the state says who has answered, and its buttons are gone.
    page.get_by_role("button", name="受諾する").click()
    expect(main).to_contain_text("回答を記録しました")
    expect(page.locator("#proposal-state")).to_have_text("五島市が受諾・人材の回答待ち")
    assert page.get_by_role("button", name="受諾する").count() == 0
    assert page.get_by_role("button", name="辞退する").count() == 0
    expect(main).to_contain_text("あなたの回答は記録済みです")

    # The talent reads the same proposal: municipality, the JD's content (it may not open JD pages), its own
    # profile, the reasons; and accepts.
    as_user(page, server_url, "talent")
    page.goto(server_url + "/matching/proposals/")
    page.locator(f'main a[href="{detail}"]').click()
    expect(page.locator("#proposal-state")).to_have_text("五島市が受諾・人材の回答待ち")
    expect(main).to_contain_text(f"あなた（仮名 {pseudonym}）")
    expect(main.get_by_role("link", name="あなたのプロフィール")).to_be_visible()
    expect(main.locator("details.jd-content")).to_contain_text("業務内容")
    assert main.locator('a[href*="/needs/jds/"]').count() == 0
    expect(main).to_contain_text("あなたの氏名・連絡先が開示されます")
    doc_screenshot(page, "proposal-talent")
    page.get_by_role("button", name="受諾する").click()
    expect(page.locator("#proposal-state")).to_have_text("双方受諾")
    expect(main).to_contain_text("五島市は、あなたの氏名・連絡先を閲覧できるようになりました")
    assert page.get_by_role("button", name="受諾する").count() == 0

    # 五島市 now has a visible way to the full profile, and nothing it may not do there.
    as_user(page, server_url, "goto")
    page.goto(server_url + detail)
    expect(page.locator("#proposal-state")).to_have_text("双方受諾")
    page.get_by_role("link", name="氏名・連絡先を含むプロフィールを見る").click()
    page.wait_for_url(re.compile(r"/talent/profiles/\d+/$"))
    expect(page.locator("h1")).to_contain_text(pseudonym)
    expect(main).to_contain_text("閲覧は記録されています")
    expect(main).to_contain_text("@example.jp")
    assert page.get_by_role("link", name="編集する").count() == 0
    assert page.get_by_role("button", name="編集する").count() == 0
    profile_url = page.url
    assert page.goto(profile_url + "edit/").status == 403
    # The pool card no longer says the name is hidden: it links to the full profile.
    page.goto(server_url + f"/talent/pool/{pseudonym}/")
    assert "提案が受諾されるまで" not in page.locator("main").inner_text()
    expect(page.get_by_role("link", name="氏名・連絡先を含むプロフィールを見る")).to_have_attribute(
        "href", re.compile(r"/talent/profiles/\d+/$"))


def test_the_secretariat_withdraws_a_sent_proposal_with_a_reason_both_sides_read(page, server_url):
    as_user(page, server_url, "nagasaki")
    page.goto(server_url + "/matching/proposals/")
    row = waiting_row(page)
    detail = row.get_by_role("link").get_attribute("href")
    row.get_by_role("link").click()
    page.get_by_role("link", name="この提案を取り下げる（確認へ）").click()
    page.wait_for_url(re.compile(r"/withdraw/$"))
    main = page.locator("main")
    expect(main).to_contain_text("この提案を取り下げますか。取り下げると元に戻せません。")
    assert _audit(page) == []
    page.get_by_role("button", name="取り下げる").click()  # no reason: refused, with the summary at the top
    expect(page.locator("#error-summary")).to_contain_text("取り下げの理由")
    page.get_by_label("取り下げの理由").fill("ニーズの内容を見直すため")
    page.get_by_role("button", name="取り下げる").click()
    page.wait_for_url(server_url + detail)
    expect(page.locator("#proposal-state")).to_have_text("取り下げ（長崎県）")

    # 五島市 reads it withdrawn, with the reason, and has nothing left to answer (the talent's side: tests/matching).
    as_user(page, server_url, "goto")
    page.goto(server_url + detail)
    expect(page.locator("#proposal-state")).to_have_text("取り下げ（長崎県）")
    expect(page.locator("main")).to_contain_text("ニーズの内容を見直すため")
    assert page.get_by_role("button", name="受諾する").count() == 0

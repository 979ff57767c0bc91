"""Home pages as work lists (issue 13, item 6): each role sees what waits for it, with counts, and each count's
link opens the list filtered to exactly those."""

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.e2e
PASSWORD = "dxpool-demo-2026"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def work_item(page, key: str):
    item = page.locator(f'[data-work="{key}"]')
    assert item.is_visible(), key
    return item


def count_of(item) -> int:
    text = item.locator(".worklist__count").inner_text()
    match = re.fullmatch(r"(\d+)(件|団体)", text.strip())
    assert match, text
    return int(match.group(1))


def listed_count(page) -> int:
    """The count a filtered list states (includes/pagination.html: 「N件」 or 「N件中 …」)."""
    text = page.locator(".pagination p, .result-count").first.inner_text()
    return int(re.match(r"(\d+)件", text).group(1))


def test_prefecture_home_lists_its_work(page, server_url):
    login(page, server_url, "nagasaki", PASSWORD)
    assert page.get_by_role("heading", name=re.compile("あなたを待っている作業")).is_visible()
    assert "令和" in page.get_by_role("heading", name=re.compile("あなたを待っている作業")).inner_text()
    for key in ("applications_new", "applications_screening", "jds_submitted", "needs_open", "proposals_waiting",
                "hearings_missing"):
        work_item(page, key)
    screenshot(page, "home-prefecture-worklist")
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / "home-prefecture.png"), full_page=True)
    item = work_item(page, "applications_new")
    n = count_of(item)
    assert n > 0  # the demo has applications nobody has started to screen
    item.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/talent/applications/\?status=applied"))
    assert listed_count(page) == n
    statuses = page.locator("main table tbody td").all_inner_texts()
    assert "応募済み" in " ".join(statuses) and "選考中" not in statuses

    page.goto(server_url + "/")
    item = work_item(page, "needs_open")
    n = count_of(item)
    item.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/needs/\?status=open"))
    assert listed_count(page) == n


def test_municipality_home_lists_its_hearing_drafts_and_proposals(page, server_url):
    login(page, server_url, "goto", PASSWORD)
    hearing = work_item(page, "hearing")
    assert hearing.locator(".worklist__count").inner_text() in ("入力済み", "未入力")
    drafts = work_item(page, "jds_draft")
    count_of(drafts)
    proposals = work_item(page, "proposals_waiting")
    n = count_of(proposals)
    proposals.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/matching/proposals/\?waiting=1"))
    assert "回答を待っている提案だけを表示しています" in page.inner_text("main")
    rows = page.locator("main table tbody tr")
    assert rows.count() == max(n, 1)  # an empty list has its 「まだありません」 row
    page.goto(server_url + "/")
    work_item(page, "hearing").get_by_role("link").click()
    page.wait_for_url(re.compile(r"/needs/hearings/"))
    assert "五島市" in page.inner_text("main")


def test_talent_home_lists_application_proposals_and_evidence(page, server_url):
    login(page, server_url, "talent", PASSWORD)
    for key in ("applications_active", "proposals_waiting", "evidence_missing"):
        count_of(work_item(page, key))
    assert page.get_by_role("heading", name="応募の状況").is_visible()
    work_item(page, "proposals_waiting").get_by_role("link").click()
    page.wait_for_url(re.compile(r"/matching/proposals/\?waiting=1"))


def test_national_home_lists_prefectures_without_a_hearing(page, server_url):
    login(page, server_url, "kuni", PASSWORD)
    item = work_item(page, "prefectures_without_hearing")
    n = count_of(item)
    assert 0 < n < 47  # 長崎県 has the demo's hearings; most prefectures have none
    item.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/needs/overview/\?year=\d{4}&hearing=none"))
    assert "ヒアリング記録がない都道府県だけ" in page.inner_text("main")
    rows = page.locator("#rollup-caption").locator("xpath=..").locator("tbody tr")
    assert rows.count() == n
    assert "長崎県" not in " ".join(rows.all_inner_texts())

"""The run page in the coordinator's words, and comparing two runs (issue 13 item 2), in the browser: nagasaki
runs matching, reads the summary, the fit in words and the warnings on weak pairs, re-runs a what-if after
excluding a pair, and compares the two runs — added, removed and changed pairs with their counts."""

import re

import pytest

from tests.e2e.conftest import login, screenshot
from tests.e2e.test_accessibility import _audit

pytestmark = pytest.mark.e2e
PASSWORD = "dxpool-demo-2026"


def _wait_for_run(page):
    # The progress fragment polls every second and reloads the page once the worker has finished.
    page.get_by_role("heading", name="結果のまとめ").wait_for(timeout=60_000)


def _count(page, heading: str) -> int:
    text = page.get_by_role("heading", name=re.compile(heading)).inner_text()
    return int(re.search(r"（(\d+)件）", text).group(1))


def test_coordinator_reads_a_run_in_words_and_compares_a_what_if_with_it(page, server_url):
    login(page, server_url, "nagasaki", PASSWORD)
    page.goto(server_url + "/matching/")
    page.get_by_role("button", name="実行する").click()
    page.wait_for_url(re.compile(r"/matching/runs/\d+/$"))
    _wait_for_run(page)
    main = page.locator("main")
    screenshot(page, "matching-run")  # as a coordinator first sees it: disclosures closed
    assert _audit(page) == []  # the run page with results passes the axe audit

    # The summary says it in a sentence, with the unfilled needs counted by reason and weak pairs counted.
    sentence = main.locator(".run-summary__sentence").inner_text()
    assert re.fullmatch(r"\d+件を提案、\d+件は候補なし（.+ \d+件）|\d+件を提案。すべてのニーズに候補があります", sentence)
    assert "確認が必要な組" in main.inner_text()
    # Solver terms are gone from view; the plain words sit behind a disclosure.
    for jargon in ("目的関数値", "上界", "ギャップ", "提案案"):
        assert jargon not in main.inner_text()
    figures = main.locator("details.solver-figures")
    assert not figures.locator("dd").first.is_visible()
    figures.locator("summary").click()
    assert "理論上の上限" in figures.inner_text() and "最適との差" in figures.inner_text()

    # Each row: the need's municipality, title and persona; the person's pseudonym, home and distance; the fit
    # in words with a bar, the numbers behind 「数値の内訳」.
    rows = main.locator("table.proposals-table tbody tr")
    first = rows.first.inner_text()
    assert "人材像:" in first and "居住地:" in first and re.search(r"距離: (約\d+ km|同じ市町村)", first)
    assert re.search(r"重視スキル: \d+項目中\d+項目|重視スキル: 指定なし", first)
    assert "未送付（確認中）" in first
    assert rows.first.locator("meter.fit-meter").count() in (0, 1)
    numbers = rows.first.locator("details.pair-numbers")
    assert "人材像への適合" not in numbers.inner_text()
    numbers.locator("summary").click()
    assert "人材像への適合" in numbers.inner_text()

    # The demo proposes a data-use need to a person who covers none of its emphasised skills: it is flagged.
    warned = main.locator("table.proposals-table tbody tr", has=page.locator(".pair-warning--no_skill"))
    assert warned.count() >= 1
    assert "重視スキルを満たす項目がありません" in warned.first.inner_text()
    assert main.locator(".pair-warning--far").count() >= 1  # and someone lives over 100 km from an on-site need

    # Exclude the weak pair and re-run as a what-if.
    warned_need = warned.first.locator("th .need-title").inner_text().strip()
    warned.first.get_by_role("button", name="除外").click()
    assert "次回の実行に反映されます" in page.inner_text("main")
    parent_url = page.url
    page.get_by_role("button", name=re.compile("再実行")).click()
    page.wait_for_url(re.compile(r"/matching/runs/\d+/$"))
    assert page.url != parent_url
    _wait_for_run(page)

    # From the what-if, compare with the run it came from.
    page.get_by_role("link", name="元の実行と比べる").click()
    page.wait_for_url(re.compile(r"/matching/runs/\d+/compare/\?other=\d+$"))
    assert page.get_by_role("heading", level=1).inner_text().endswith("の比較")
    counts = {h: _count(page, h) for h in ("追加された提案", "なくなった提案", "人材が変わったニーズ", "変わらない提案")}
    # The excluded pair can no longer be proposed: its need lost its person or got another one.
    assert counts["なくなった提案"] + counts["人材が変わったニーズ"] >= 1
    assert counts["変わらない提案"] >= 1
    section = main.inner_text()
    assert warned_need in section
    assert "（what-if）" in section
    for label, n in counts.items():
        assert f"{label}\n{n}件" in section  # the count boxes agree with the headings
    assert _audit(page) == []  # the comparison page passes the axe audit too
    screenshot(page, "matching-compare")

    # The selector compares with any other finished run: choosing the what-if's parent gives the same page.
    page.get_by_label("比較元の実行").select_option(index=0)
    page.get_by_role("button", name="比べる").click()
    page.wait_for_url(re.compile(r"/compare/\?other=\d+$"))
    assert page.get_by_role("heading", name=re.compile("追加された提案")).count() == 1

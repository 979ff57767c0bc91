"""Matching journey in the browser: the prefecture starts a run, watches the worker's progress, reads the score
breakdown and the runners-up, locks a pair, re-runs (what-if), chooses proposals and confirms sending them; the
municipality answers."""

import re

import pytest

from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.e2e
PASSWORD = "dxpool-demo-2026"


def _wait_for_run(page):
    # The progress fragment polls every second and reloads the page once the worker has finished.
    page.get_by_role("heading", name="未充足のニーズと理由").wait_for(timeout=60_000)


def test_coordinator_runs_reviews_locks_reruns_and_sends_then_municipality_answers(page, server_url):
    login(page, server_url, "nagasaki", PASSWORD)
    page.goto(server_url + "/matching/")
    page.get_by_role("button", name="実行する").click()
    page.wait_for_url(re.compile(r"/matching/runs/\d+/$"))
    assert page.locator("progress#run-progress-bar").count() == 1
    _wait_for_run(page)
    assert page.locator("progress#run-progress-bar").get_attribute("value") == "100"
    rows = page.locator("main table tbody tr")
    assert rows.count() >= 10
    assert "人材像: 満たす" in rows.first.inner_text()  # the fit in words; the numbers behind 「数値の内訳」

    # Runners-up and why they were not chosen, in words.
    details = page.locator("details.alternatives").first
    details.locator("summary").click()
    text = details.inner_text()
    assert "スコア" in text and re.search("低い|埋まっています|優先します|同点|上がりません", text)
    screenshot(page, "matching-run")

    # Lock the first proposal, re-run: the pair stays, marked as locked.
    first_need = rows.first.locator("th").inner_text()
    rows.first.get_by_role("button", name="固定").click()
    assert "次回の実行に反映されます" in page.inner_text("main")
    assert "（固定）" in page.locator("main table tbody tr").first.inner_text()
    page.get_by_role("button", name=re.compile("再実行")).click()
    page.wait_for_url(re.compile(r"/matching/runs/\d+/$"))
    assert "条件を引き継いで再実行しました" in page.inner_text("main")
    _wait_for_run(page)
    assert any(first_need in r for r in page.locator("main table tbody tr").all_inner_texts())

    # Sending is a choice and a confirmation: nothing is ticked, two proposals are, the confirmation lists
    # them (municipalities and pseudonyms) and going back sends nothing.
    boxes = page.locator("main table tbody input[type=checkbox][name=proposal]")
    n = boxes.count()
    assert n >= 2 and all(not boxes.nth(i).is_checked() for i in range(boxes.count()))
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="選んだ提案を送付する（確認へ）").click()
    page.wait_for_url(re.compile(r"/send/confirm/"))
    main = page.inner_text("main")
    assert "2件の提案を送付します。よろしいですか" in main and "人材-" in main
    assert page.locator("main table tbody tr").count() == 2
    screenshot(page, "matching-send-confirm")
    page.get_by_role("link", name="戻る（送付しない）").click()
    page.wait_for_url(re.compile(r"/matching/runs/\d+/$"))
    assert boxes.count() == n and not boxes.nth(0).is_checked()  # back, nothing sent

    page.get_by_role("button", name="未送付の提案をすべて選んで確認へ").click()
    assert f"{n}件の提案を送付します。よろしいですか" in page.inner_text("main")
    screenshot(page, "matching-send-confirm-all")
    page.get_by_role("button", name=f"{n}件の提案を送付する").click()
    assert f"{n}件の提案を市町村と人材に送付しました" in page.inner_text("main")
    assert boxes.count() == 0

    # The municipality answers on the proposal's page (issue 13; the newest sent come first): a decline needs a
    # reason; an acceptance is recorded and the state says who has answered.
    page.context.clear_cookies()
    login(page, server_url, "goto", PASSWORD)
    page.goto(server_url + "/matching/proposals/")
    sent = page.locator("main table tbody tr", has=page.get_by_role("link", name=re.compile("詳細を見て回答する")))
    assert sent.count() >= 1
    assert "人材-" in sent.first.inner_text()  # pseudonymised until both sides accept
    sent.first.get_by_role("link", name=re.compile("詳細を見て回答する")).click()
    page.get_by_role("button", name="辞退する").click()
    assert "辞退の理由を記入してください" in page.inner_text("main")
    page.get_by_role("button", name="受諾する").click()
    assert "回答を記録しました" in page.inner_text("main")
    assert "が受諾・人材の回答待ち" in page.locator("#proposal-state").inner_text()
    screenshot(page, "matching-answered")

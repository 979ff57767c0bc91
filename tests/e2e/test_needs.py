"""Needs journeys in the browser: a municipality turns its hearing into a job description, ticks the acceptance
checklist and submits it; the prefecture sees the new need on its overview map and table."""

import re

import pytest

from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.e2e
PASSWORD = "dxpool-demo-2026"


def test_officer_drafts_a_jd_from_the_hearing_ticks_the_checklist_and_submits(page, server_url):
    login(page, server_url, "goto", PASSWORD)
    page.goto(server_url + "/needs/hearings/")
    page.locator("main table a").first.click()
    assert "必要な人材像の提案" in page.inner_text("main")
    page.get_by_role("button", name=re.compile("のジョブディスクリプションを作成")).first.click()
    page.wait_for_url(re.compile(r"/needs/jds/\d+/edit/"))
    page.get_by_label("受入れ部署").fill("総務企画課 DX推進班")
    page.get_by_label("受入れ体制").fill("DX推進班長が指揮命令者、班員が日常の窓口。人事担当が研修を支援する。")
    page.get_by_role("button", name="下書きとして保存する").click()
    page.wait_for_url(re.compile(r"/needs/jds/\d+/$"))
    # The checklist is part of the JD form: ticked there and submitted with it (tests/e2e/test_jd_form.py).
    assert "5項目中0項目を確認済み" in page.inner_text("main")
    page.get_by_role("link", name="チェックリストを確認して提出する").click()
    for box in page.locator(".checklist-item input[type=checkbox]").all():
        box.check()
    page.get_by_role("button", name="保存して都道府県に提出する").click()
    main = page.inner_text("main")
    assert "都道府県に提出しました" in main and "募集中" in main
    screenshot(page, "jd-submitted")
    pdf = page.request.get(page.url.split("#")[0] + "pdf/")  # the form's #checklist carries over the redirect
    assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-"


def test_prefecture_overview_map_table_and_filters(page, server_url):
    login(page, server_url, "nagasaki", PASSWORD)
    page.goto(server_url + "/needs/overview/")
    svg = page.get_by_role("group", name=re.compile("長崎県"))
    assert svg.count() == 1 and svg.locator("circle").count() >= 21
    rows = page.locator("main table tbody tr")
    assert rows.count() == 21
    page.get_by_label("ひとり情シスのみ").check()
    page.get_by_role("button", name="表示する").click()
    kept = page.locator("main table tbody tr").count()
    assert 0 < kept < 21 and all("該当" in r for r in page.locator("main table tbody tr").all_inner_texts())
    screenshot(page, "overview-hitori")


def test_national_reads_the_rollup_and_its_figures_but_no_record(page, server_url):
    login(page, server_url, "kuni", PASSWORD)
    nav = page.locator("header nav, nav").first.inner_text()
    assert "全国の状況" in nav and "ニーズ一覧" not in nav and "課題・ニーズ把握" not in nav
    page.goto(server_url + "/needs/overview/")
    main = page.inner_text("main")
    assert "求められている人材像" in main and "プロジェクトマネージャー" in main
    screenshot(page, "national-rollup")
    page.get_by_role("link", name="長崎県", exact=True).first.click()
    assert page.locator("main table tbody tr").count() == 21
    screenshot(page, "national-drill-down")
    # The municipality names lead to reference pages national users can open, never to records.
    page.locator("main table tbody a").first.click()
    assert re.search(r"/municipalities/\d+/$", page.url) and "/needs/" not in page.url
    # A bookmarked list of records lands on the roll-up with a word of why; records and their API are closed.
    page.goto(server_url + "/needs/hearings/")
    assert page.url.split("?")[0].endswith("/needs/overview/") and "全国の集計を表示します" in page.inner_text("main")
    assert page.request.get(server_url + "/api/v1/hearings").json()["count"] == 0
    assert page.request.get(server_url + "/needs/hearings/export.xlsx").status == 403

"""The hearing import in the browser (issue 12): the prefecture fills one cell of the blank template, sees a
preview of old → new with every blank left alone, confirms, and undoes it as a whole — all with real forms."""

import io
import re

import pytest
from openpyxl import load_workbook

from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.e2e
PASSWORD = "dxpool-demo-2026"


def _rows(content: bytes) -> dict:
    """Every data row of every sheet of an export, keyed by sheet and 団体コード."""
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return {(ws.title, row[0]): row for ws in wb.worksheets[1:]
            for row in ws.iter_rows(min_row=2, values_only=True) if row and row[0]}


def test_blank_template_one_cell_preview_confirm_undo(page, server_url, tmp_path):
    login(page, server_url, "nagasaki", PASSWORD)
    before = _rows(page.request.get(server_url + "/needs/hearings/export.xlsx?year=2026").body())
    template = page.request.get(server_url + "/needs/hearings/template.xlsx?year=2026").body()
    wb = load_workbook(io.BytesIO(template))
    ws = wb["人材"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "422118")  # 五島市
    old_staff = before[("人材", "422118")][2]
    ws.cell(row, 3).value = old_staff + 7  # 職員数; every other cell of the 21 rows stays blank
    path = tmp_path / "hearing_template_2026.xlsx"
    wb.save(path)

    page.goto(server_url + "/needs/hearings/upload/")
    page.set_input_files("#files", str(path))
    page.get_by_role("button", name="内容を確認する").click()
    page.wait_for_url(re.compile(r"/needs/hearings/imports/\d+/$"))
    main = page.inner_text("main")
    assert "取り込む内容の確認" in main and "まだ何も書き込んでいません" in main
    record = page.locator("section.import-record")
    assert record.count() == 1 and "五島市" in record.inner_text()
    cells = record.locator("tbody tr").first.locator("th, td").all_inner_texts()
    assert cells == ["人材", "職員数", str(old_staff), str(old_staff + 7)]
    assert "空欄のため変更なし" in main and "20件" in page.locator(".summary-counts").inner_text()
    assert "変更なし（空欄のため" in record.inner_text()
    screenshot(page, "hearing-import-preview")

    page.get_by_role("button", name="この内容で取り込む（1件の変更）").click()
    assert "取り込みました" in page.inner_text("main")
    after = _rows(page.request.get(server_url + "/needs/hearings/export.xlsx?year=2026").body())
    assert after[("人材", "422118")][2] == old_staff + 7
    changed = {k for k in before if before[k] != after.get(k)}
    assert changed == {("人材", "422118")}  # the 20 other municipalities, and 五島市's other answers, untouched
    screenshot(page, "hearing-import-batch")

    page.goto(server_url + "/needs/hearings/imports/")
    page.locator("main table a").first.click()
    page.get_by_role("button", name="この取り込みを取り消す（1件の変更を元に戻す）").click()
    assert "取り込みを取り消し" in page.inner_text("main")
    restored = _rows(page.request.get(server_url + "/needs/hearings/export.xlsx?year=2026").body())
    assert restored == before
    page.goto(server_url + "/needs/hearings/imports/")
    assert "取り消し済み" in page.inner_text("main table")
    screenshot(page, "hearing-import-list")


def test_an_upload_with_errors_shows_a_linked_summary_and_writes_nothing(page, server_url, tmp_path):
    login(page, server_url, "nagasaki", PASSWORD)
    template = page.request.get(server_url + "/needs/hearings/template.xlsx?year=2026").body()
    wb = load_workbook(io.BytesIO(template))
    wb["人材"]["C2"] = "たくさん"
    wb["標準化"]["C3"] = "移行済"
    wb["人材"]["D4"] = "=C4*2"  # saved without a cached value
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    page.goto(server_url + "/needs/hearings/upload/")
    page.set_input_files("#files", str(path))
    page.get_by_role("button", name="内容を確認する").click()
    summary = page.locator("#form-errors")
    assert "3件のエラーがあるため、取り込みませんでした" in summary.inner_text()
    rows = page.locator("#import-errors tbody tr").all_inner_texts()
    assert len(rows) == 3 and any("数式" in r and "D列" in r for r in rows)
    summary.get_by_role("link", name=re.compile("エラーの一覧（3件）")).click()
    screenshot(page, "hearing-import-errors")

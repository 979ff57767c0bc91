"""Excel in clerks' formats in the browser (issue 13 item 5): the prefecture uploads a workbook whose cells hold
和暦 text dates, 「2026/10/1」 typed as text, 「2027年9月」 and comma numbers, sees them read in the preview,
confirms, and finds the values on the municipality's hearing page; a date that cannot be is refused with the
municipality's name and the cell."""

import io
import re

import pytest
from openpyxl import load_workbook

from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.e2e
PASSWORD = "dxpool-demo-2026"
GOTO = "422118"


def _template_with(page, server_url: str, cells: dict[tuple[str, int], str]) -> bytes:
    """The blank template for 2026 with 五島市's row filled at these (sheet, column) cells, all as text."""
    template = page.request.get(server_url + "/needs/hearings/template.xlsx?year=2026").body()
    wb = load_workbook(io.BytesIO(template))
    for (sheet, col), value in cells.items():
        ws = wb[sheet]
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == GOTO)
        ws.cell(row, col).value = value
        assert ws.cell(row, col).data_type == "s"  # text, as a clerk's typing into a text-formatted cell is
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_wareki_dates_and_comma_numbers_import_and_show_on_the_hearing_page(page, server_url, tmp_path):
    login(page, server_url, "nagasaki", PASSWORD)
    path = tmp_path / "hearing_五島市_和暦.xlsx"
    path.write_bytes(_template_with(page, server_url, {
        ("基本情報", 5): "令和8年6月15日",  # ヒアリング実施日
        ("人材", 3): "1,234",  # 職員数
        ("課題・支援", 5): "2026/10/1",  # 支援開始希望日
        ("課題・支援", 9): "3,600,000",  # 予算（円）
        ("標準化", 4): "2027年9月",  # the first system's 移行予定月
    }))

    page.goto(server_url + "/needs/hearings/upload/")
    assert page.locator("#files").get_attribute("accept") == ".xlsx,.ods"
    page.set_input_files("#files", str(path))
    page.get_by_role("button", name="内容を確認する").click()
    page.wait_for_url(re.compile(r"/needs/hearings/imports/\d+/$"))
    record = page.locator("section.import-record")
    assert record.count() == 1 and "五島市" in record.inner_text()
    changes = {tuple(r.locator("th, td").all_inner_texts()[:2]): r.locator("td").last.inner_text()
               for r in record.locator("tbody tr").all()}
    assert changes[("基本情報", "ヒアリング実施日")] == "2026-06-15"
    assert changes[("人材", "職員数")] == "1234"
    assert changes[("課題・支援", "支援開始希望日")] == "2026-10-01"
    assert changes[("課題・支援", "予算（円）")] == "3,600,000"
    assert any(k[0] == "標準化" and v == "2027-09" for k, v in changes.items())
    screenshot(page, "hearing-import-wareki-preview")

    page.get_by_role("button", name=re.compile(r"この内容で取り込む（\d+件の変更）")).click()
    assert "取り込みました" in page.inner_text("main")

    page.goto(server_url + "/needs/hearings/?year=2026")
    page.get_by_role("link", name="五島市", exact=True).first.click()
    page.wait_for_url(re.compile(r"/needs/hearings/\d+/$"))
    main = page.inner_text("main")
    assert re.search(r"ヒアリング実施日: (2026年6月15日|令和8年6月15日)", main), main[:400]
    assert "3,600,000円" in main
    assert re.search(r"(2026年10月1日|令和8年10月1日)", main)
    assert re.search(r"職員数\s*1,?234", main)
    screenshot(page, "hearing-wareki-imported")


def test_an_impossible_wareki_date_is_refused_naming_the_municipality_and_the_cell(page, server_url, tmp_path):
    login(page, server_url, "nagasaki", PASSWORD)
    path = tmp_path / "bad_wareki.xlsx"
    path.write_bytes(_template_with(page, server_url, {("基本情報", 5): "令和7年13月1日", ("人材", 3): "3,60,000"}))
    page.goto(server_url + "/needs/hearings/upload/")
    page.set_input_files("#files", str(path))
    page.get_by_role("button", name="内容を確認する").click()
    assert "2件のエラーがあるため、取り込みませんでした" in page.locator("#form-errors").inner_text()
    rows = page.locator("#import-errors tbody tr").all_inner_texts()
    assert len(rows) == 2
    date_row = next(r for r in rows if "令和7年13月1日" in r)
    assert "基本情報" in date_row and "E列" in date_row and "五島市: ヒアリング実施日『令和7年13月1日』: 13月はありません" in date_row
    assert any("五島市: 職員数『3,60,000』: 桁区切り" in r for r in rows)
    screenshot(page, "hearing-import-wareki-errors")

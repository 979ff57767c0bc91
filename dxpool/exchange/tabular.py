"""Writing tables as Excel (.xlsx, openpyxl) and CSV (UTF-8 with BOM so Excel opens Japanese correctly).

Every tabular file dxpool writes goes through this module, because every one of them carries text that users
typed (names, issues, employers): that text must reach the reader as inert text, never as a formula a
spreadsheet would run (OWASP "CSV injection"). Two rules, one per format:
- Excel: a string is always stored as a string cell (openpyxl would otherwise store any text starting with
  "=" as a live formula); its characters are kept exactly, so the hearing sheet round-trips.
- CSV: a field starting with = + - @, a tab or a carriage return gets a leading apostrophe, as OWASP
  recommends, since a CSV has no cell types and spreadsheet programs evaluate such fields when opening it.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
# What makes Excel, LibreOffice or Google Sheets read a CSV field as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return value


def inert_csv_field(value: Any) -> Any:
    """A CSV field that no spreadsheet evaluates: text starting with a formula trigger gets an apostrophe."""
    value = _cell(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def to_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """CSV with a BOM; lists are joined with 、; user text is made inert."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([inert_csv_field(h) for h in headers])
    for row in rows:
        writer.writerow([inert_csv_field(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def as_text(cell) -> None:
    """Make an openpyxl cell holding a string a string cell (never a formula); other values are left alone."""
    if isinstance(cell.value, str):
        cell.data_type = "s"


def inert_cell(ws, value: Any, **style) -> WriteOnlyCell:
    """A write-only worksheet cell for `value`, text kept as text (see the module docstring); `style` sets
    font, fill, alignment … on it."""
    cell = WriteOnlyCell(ws, value=value)
    as_text(cell)
    for name, v in style.items():
        setattr(cell, name, v)
    return cell


def inert_value(ws, value: Any) -> Any:
    """`value` ready for a write-only row: a text that openpyxl would store as a formula ("=…") or as an error
    ("#N/A") becomes a string cell (inert_cell); anything else is passed as it is, since openpyxl already writes
    it as a string or a number, and a cell object per value would cost seconds on a national export."""
    if isinstance(value, str) and (value.startswith("=") or value in ERROR_CODES):
        return inert_cell(ws, value)
    return value


def to_xlsx(headers: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str = "一覧") -> bytes:
    """One sheet with a bold, frozen header row and sensible column widths; every string is a string cell."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title[:31]
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        as_text(cell)
    widths = [len(str(h)) * 2 + 2 for h in headers]
    for row in rows:
        values = [_cell(v) for v in row]
        ws.append(values)
        for cell in ws[ws.max_row]:
            as_text(cell)
        for i, v in enumerate(values):
            widths[i] = min(60, max(widths[i], len(str(v)) + 2))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

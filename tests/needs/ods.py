"""A small OpenDocument spreadsheet (.ods) writer for tests: python-calamine only reads, so the fixtures are
written here by hand with zipfile, the way LibreOffice lays them out (the `mimetype` first and stored, the
manifest, content.xml). `xlsx_to_ods` turns one of our .xlsx workbooks into the .ods LibreOffice would save."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

from openpyxl import load_workbook

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.3"')
MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
            'opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
            f'manifest:media-type="{MIMETYPE}"/><manifest:file-entry manifest:full-path="content.xml" '
            'manifest:media-type="text/xml"/></manifest:manifest>')


class Formula:
    """A formula cell; with `value` None it is saved without a result (as a non-calculating writer saves it)."""

    def __init__(self, formula: str, value=None):
        self.formula, self.value = formula, value


def cell(v) -> str:
    if v is None or v == "":
        return "<table:table-cell/>"
    if isinstance(v, Formula):
        f = f" table:formula={quoteattr('of:' + v.formula)}"
        if v.value is None:
            return f"<table:table-cell{f}/>"
        return cell(v.value).replace("<table:table-cell", f"<table:table-cell{f}", 1)
    if isinstance(v, bool):
        return (f'<table:table-cell office:value-type="boolean" office:boolean-value="{str(v).lower()}">'
                f"<text:p>{'TRUE' if v else 'FALSE'}</text:p></table:table-cell>")
    if isinstance(v, (int, float)):
        return (f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p>'
                "</table:table-cell>")
    if isinstance(v, (date, datetime)):
        iso = v.isoformat()
        return (f'<table:table-cell office:value-type="date" office:date-value="{iso}"><text:p>{iso}</text:p>'
                "</table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'


def content_xml(sheets: dict[str, list[list]], *, tail: str | dict[str, str] = "", prolog: str = "") -> bytes:
    """content.xml for these sheets (rows of values); `tail` is raw XML put at the end of every table, or of the
    tables it names (a repeated row, say), `prolog` goes before the root element (a DOCTYPE, say)."""
    tails = tail if isinstance(tail, dict) else {name: tail for name in sheets}
    tables = "".join(
        f"<table:table table:name={quoteattr(name)}>"
        + "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
        # LibreOffice ends a sheet with one blank row repeated to the sheet's last row.
        + tails.get(name, "") + '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row></table:table>'
        for name, rows in sheets.items())
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {NS}><office:body>'
            f"<office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>").encode()


def package(content: bytes, *, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE)  # a ZipInfo is stored, not deflated
        z.writestr("META-INF/manifest.xml", MANIFEST)
        z.writestr("content.xml", content)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def write_ods(sheets: dict[str, list[list]], **kwargs) -> bytes:
    return package(content_xml(sheets, **kwargs))


def xlsx_to_ods(content: bytes, *, cells: dict | None = None) -> bytes:
    """Our .xlsx as LibreOffice would save it as .ods, with `cells` ((sheet, "C2") → value) changed first."""
    wb = load_workbook(io.BytesIO(content))
    for (sheet, ref), value in (cells or {}).items():
        wb[sheet][ref] = value.formula if isinstance(value, Formula) else value
    sheets = {}
    for ws in wb.worksheets:
        rows = [[c.value for c in row] for row in ws.iter_rows()]
        sheets[ws.title] = rows
    for (sheet, ref), value in (cells or {}).items():
        if isinstance(value, Formula):
            ws = wb[sheet]
            c = ws[ref]
            sheets[sheet][c.row - 1][c.column - 1] = value
    return write_ods(sheets)

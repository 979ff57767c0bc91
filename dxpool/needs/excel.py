"""The Excel hearing sheet (ヒアリングシート): a versioned template with drop-downs, bulk export, and a reader
that reports every cell problem by file, sheet, row and column. Django-free (it imports only openpyxl, the
reference lists and dxpool.standard): rows go in and out as the hearing data dicts of
dxpool.needs.selectors.hearing_data; services validate and write.

One layout serves a single municipality's file and a prefecture's (or the whole country's) export: each
section is a sheet with one row per municipality and fiscal year, keyed by 団体コード + 年度. docs/formats.md
describes it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from xml.etree.ElementTree import iterparse

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from dxpool.needs.reference import (
    MEASURE_STATUSES,
    MEASURES,
    POLICY_STATUSES,
    STEP_STATUSES,
    STEPS,
    SUPPORT_KINDS,
    SYSTEM_STATUSES,
    SYSTEMS,
    TIERS,
)
from dxpool.standard.appointment import APPOINTMENT_FORM_CODES_BY_LABEL, APPOINTMENT_FORM_LABELS

FORMAT_VERSION = "hearing-2026.2"
INFO_SHEET = "様式情報"
YES, NO = "はい", "いいえ"
# The sheet carries the labels of the forms of appointment (always in Japanese, whatever the UI language).
FORM_CODES = APPOINTMENT_FORM_CODES_BY_LABEL
FORM_LABELS = APPOINTMENT_FORM_LABELS


@dataclass(frozen=True)
class Column:
    header: str
    path: str | None  # where the value lives in the hearing data (dotted); None: shown, not read
    kind: str  # code, year, info, text, int, dec, date, month, bool, choice, forms
    choices: tuple = ()
    width: int = 16


KEY = [Column("団体コード", "code", "code", width=10), Column("年度", "fiscal_year", "year", width=8)]
SHEETS: dict[str, list[Column]] = {
    "基本情報": KEY + [
        Column("市町村名", None, "info", width=14), Column("都道府県", None, "info", width=10),
        Column("ヒアリング実施日", "heard_on", "date"), Column("回答者（部署・職名）", "respondent", "text", width=28),
        Column("聞き取り担当", "interviewers", "text", width=28),
    ],
    "DXステップ": KEY + [
        *[Column(label, f"steps.{code}.status", "choice", tuple(STEP_STATUSES), 24) for code, label in STEPS],
        Column("全体方針の決定日", "policy_adopted_on", "date"), Column("DX推進担当部門", "dx_department", "text", width=24),
        Column("部門の位置付け", "dx_department_placement", "text", width=24),
        Column("CIOの任命", "cio_appointed", "bool"), Column("CIO補佐官等の任用", "cio_adviser_appointed", "bool"),
        Column("CIO補佐官等は外部人材", "cio_adviser_external", "bool"),
    ],
    "重点取組": KEY + [col for code, label, _ in MEASURES for col in (
        Column(f"{label}（状況）", f"measures.{code}.status", "choice", tuple(MEASURE_STATUSES), 20),
        Column(f"{label}（備考）", f"measures.{code}.note", "text", width=24))],
    "標準化": KEY + [col for name in SYSTEMS for col in (
        Column(f"{name}（状況）", f"systems.{name}.status", "choice", tuple(SYSTEM_STATUSES), 14),
        Column(f"{name}（移行予定月）", f"systems.{name}.planned_month", "month", width=14))],
    "人材": KEY + [
        Column("職員数", "staff_total", "int"), Column("情報担当職員数", "it_staff", "int"),
        Column("DX推進リーダー数", "dx_leaders", "int"),
        *[Column(f"数値目標（{label}）", f"targets.{code}", "int") for code, label in TIERS],
        Column("人材育成基本方針", "talent_policy_status", "choice", tuple(POLICY_STATUSES), 26),
    ],
    "課題・支援": KEY + [
        Column("課題", "issues", "text", width=60), Column("求める支援", "support_kind", "choice", tuple(SUPPORT_KINDS)),
        Column("支援開始希望日", "support_from", "date"), Column("支援期間（月）", "support_months", "int"),
        Column("週あたり日数", "days_per_week", "dec"), Column("月あたり現地日数", "onsite_days_per_month", "int"),
        Column("予算（円）", "budget_yen", "int"),
        Column("受入れ可能な任用形態", "appointment_forms", "forms", width=30),
        Column("近隣と共有可", "shareable", "bool"), Column("共有する広域連携", "grouping_name", "text", width=28),
    ],
}
SHEET_ORDER = list(SHEETS)


@dataclass
class CellError:
    file: str
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = " / ".join(x for x in (self.file, self.sheet, f"{self.row}行目" if self.row else "",
                                       f"{self.column}列" if self.column else "") if x)
        return f"{where}: {self.message}"


@dataclass
class ParsedRecord:
    data: dict[str, Any] = field(default_factory=dict)
    where: dict[str, tuple[str, str, int, str]] = field(default_factory=dict)  # path → (file, sheet, row, column)
    first: tuple[str, str, int] = ("", "", 0)
    rows: dict[str, tuple[str, int]] = field(default_factory=dict)  # sheet → (file, row): duplicates


@dataclass
class ParsedWorkbooks:
    records: dict[tuple[str, int], ParsedRecord] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)
    sheet_order: tuple[str, ...] = ("", INFO_SHEET, *SHEET_ORDER)


@dataclass(frozen=True)
class HearingEntry:
    """One row of every sheet: a municipality and year with its hearing data (None for a blank template row)."""

    code: str
    name: str
    prefecture: str
    fiscal_year: int
    data: dict | None = None


def check_digit(code5: str) -> str:
    """The JIS X 0402 check digit of a 5-digit local government code."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


# --- writing ---------------------------------------------------------------------------------------------

def get_path(data: dict, path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _set_path(data: dict, path: str, value: Any) -> None:
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def _cell(col: Column, value: Any) -> Any:
    if value is None or value == "" or value == []:
        return None
    if col.kind == "choice":
        return dict(col.choices).get(value, value)
    if col.kind == "bool":
        return YES if value else NO
    if col.kind == "forms":
        return "、".join(FORM_LABELS.get(v, v) for v in value)
    if col.kind == "date":
        return value.isoformat() if isinstance(value, date) else str(value)
    if col.kind == "dec":
        return float(value)
    return value


def _styled(ws, value, **style) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    for k, v in style.items():
        setattr(cell, k, v)
    return cell


def write_workbook(entries: Iterable[HearingEntry]) -> bytes:
    """The template (entries without data) or an export (entries with data): one layout, one row per entry.

    Written in openpyxl's write-only mode (rows streamed, no cell objects kept): a national export of 1,741
    rows takes a few seconds instead of many.
    """
    entries = list(entries)
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    info = wb.create_sheet(INFO_SHEET)
    info.column_dimensions["A"].width = 16
    info.column_dimensions["B"].width = 120
    for label, text in [
        ("様式バージョン", FORMAT_VERSION),
        ("説明", "各シートに1市町村・1年度につき1行。団体コードと年度で対応付けます。"
                 "選択肢の列はプルダウンから選んでください。見出し行は変更しないでください。"),
        ("取り込み", "すべてのファイルを検査し、エラーが1件でもあれば何も取り込みません。"
                     "同じ団体・年度の記録は上書きされます。シートに行がない項目は変更されません。"),
        ("日付", "YYYY-MM-DD（例: 2026-04-01）。移行予定月は YYYY-MM（例: 2026-01）。"),
        ("任用形態", "次から選び「、」で区切って入力: " + "、".join(FORM_CODES)),
    ]:
        info.append([_styled(info, label, font=bold), text])
    header_style = {"font": bold, "fill": PatternFill("solid", fgColor="E8F1FE"),
                    "alignment": Alignment(wrap_text=True, vertical="top")}
    last = max(len(entries) + 200, 500)
    for sheet, columns in SHEETS.items():
        ws = wb.create_sheet(sheet)
        by_options: dict[tuple[str, ...], list[str]] = {}
        for idx, c in enumerate(columns, start=1):
            letter = get_column_letter(idx)
            ws.column_dimensions[letter].width = c.width
            if c.kind in ("code", "date", "month", "text"):
                ws.column_dimensions[letter].number_format = "@"  # keep 団体コード's digits and dates as typed
            options = tuple(label for _, label in c.choices) if c.kind == "choice" else (
                (YES, NO) if c.kind == "bool" else ())
            if options:
                by_options.setdefault(options, []).append(f"{letter}2:{letter}{last}")
        for options, ranges in by_options.items():
            dv = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="選択肢にありません",
                                error="プルダウンから選んでください（" + "・".join(options) + "）。")
            for cells in ranges:
                dv.add(cells)
            ws.data_validations.append(dv)
        ws.freeze_panes = "C2"
        ws.append([_styled(ws, c.header, **header_style) for c in columns])
        for e in entries:
            row = []
            for c in columns:
                if c.kind == "code":
                    row.append(e.code)
                elif c.kind == "year":
                    row.append(e.fiscal_year)
                elif c.header == "市町村名":
                    row.append(e.name)
                elif c.header == "都道府県":
                    row.append(e.prefecture)
                else:
                    row.append(_cell(c, get_path(e.data, c.path)) if e.data is not None else None)
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    refs = {f"xl/worksheets/sheet{i}.xml": f"A1:{get_column_letter(len(cols))}{len(entries) + 1}"
            for i, cols in enumerate(SHEETS.values(), start=2)}
    return _with_dimensions(buf.getvalue(), refs)


def _with_dimensions(content: bytes, refs: dict[str, str]) -> bytes:
    """Add the <dimension> element that write-only mode leaves out. Excel always writes it, and without it a
    read-only reader (openpyxl's included) scans a whole sheet just to learn its size."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename in refs and b"<dimension " not in data[:2000]:
                data = data.replace(b"<sheetViews>", f'<dimension ref="{refs[item.filename]}" /><sheetViews>'.encode(), 1)
            dst.writestr(item, data)
    return out.getvalue()


# --- reading ---------------------------------------------------------------------------------------------

def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _parse(col: Column, raw: Any) -> tuple[Any, str | None]:
    """(value, error message) for one cell; value types are those of the hearing data."""
    if _blank(raw):
        return None, None
    kind = col.kind
    text = raw.strip() if isinstance(raw, str) else raw
    if kind == "code":
        numeric = isinstance(raw, (int, float)) and not isinstance(raw, bool)
        s = str(int(raw)) if numeric else str(raw).strip()
        if s.isdigit() and len(s) == 5:
            padded = s.zfill(6)
            # A number lost its leading zero (011002 → 11002); otherwise a 5-digit code without its check digit.
            s = padded if numeric and check_digit(padded[:5]) == padded[5] else s + check_digit(s)
        if not (s.isdigit() and len(s) == 6):
            return None, f"団体コード「{raw}」は6桁の数字ではありません"
        if check_digit(s[:5]) != s[5]:
            return None, f"団体コード「{raw}」の検査数字（6桁目）が正しくありません"
        return s, None
    if kind in ("int", "year"):
        try:
            n = int(float(raw))
            if n != float(raw) or n < 0:
                raise ValueError
        except (TypeError, ValueError):
            return None, f"「{raw}」は0以上の整数ではありません（{col.header}）"
        if kind == "year" and not 2020 <= n <= 2100:
            return None, f"年度「{raw}」は2020〜2100の西暦で入力してください"
        return n, None
    if kind == "dec":
        try:
            return float(raw), None
        except (TypeError, ValueError):
            return None, f"「{raw}」は数値ではありません（{col.header}）"
    if kind == "choice":
        by_label = {label: code for code, label in col.choices}
        if text in by_label:
            return by_label[text], None
        return None, f"「{raw}」は選択肢にありません（{'・'.join(by_label)}）"
    if kind == "bool":
        if text in (YES, NO):
            return text == YES, None
        return None, f"「{raw}」は「{YES}」か「{NO}」で入力してください"
    if kind == "forms":
        parts = [p.strip() for p in str(raw).replace(",", "、").replace("・", "、").split("、") if p.strip()]
        bad = [p for p in parts if p not in FORM_CODES]
        if bad:
            return None, f"任用形態「{bad[0]}」は選択肢にありません（{'・'.join(FORM_CODES)}）"
        return [FORM_CODES[p] for p in parts], None
    if kind == "date":
        if isinstance(raw, datetime):
            return raw.date(), None
        if isinstance(raw, date):
            return raw, None
        try:
            return date.fromisoformat(str(raw).strip().replace("/", "-")), None
        except ValueError:
            return None, f"日付「{raw}」は YYYY-MM-DD の形式で入力してください"
    if kind == "month":
        if isinstance(raw, (datetime, date)):
            return f"{raw.year:04d}-{raw.month:02d}", None
        s = str(raw).strip().replace("/", "-")
        try:
            y, m = (int(x) for x in s.split("-")[:2])
            if not (2020 <= y <= 2100 and 1 <= m <= 12):
                raise ValueError
        except ValueError:
            return None, f"移行予定月「{raw}」は YYYY-MM の形式で入力してください"
        return f"{y:04d}-{m:02d}", None
    return str(raw).strip(), None  # text; info columns are not read


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _C, _V, _T = _NS + "row", _NS + "c", _NS + "v", _NS + "t"


def _sheet_rows(ws, width: int) -> Iterator[tuple[int, tuple]]:
    """(row number, values of the first `width` columns) for each row that has cells.

    Parses the sheet XML directly with the workbook's shared strings and date formats: about three times faster
    than openpyxl's read-only cells (which build a rich-text object per inline string), and what keeps a
    1,741-municipality import well inside its time budget. Cached values are read for formulas (data_only).
    Falls back to openpyxl's reader should its internals change.
    """
    try:
        wb = ws.parent
        shared, dates, epoch, source = ws._shared_strings, wb._date_formats, wb.epoch, ws._get_source()
    except AttributeError:  # pragma: no cover - another openpyxl version
        for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
            yield n, tuple(row[:width]) + (None,) * (width - len(row))
        return
    letters_to_index: dict[str, int] = {}
    with source:
        n = 0
        for _, el in iterparse(source):
            if el.tag != _ROW:
                continue
            r = el.get("r")
            n = int(r) if r else n + 1
            values: list[Any] = [None] * width
            col = 0
            for c in el.iter(_C):
                ref = c.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    col = letters_to_index.get(letters) or letters_to_index.setdefault(
                        letters, column_index_from_string(letters))
                else:
                    col += 1
                if col > width:
                    continue
                t = c.get("t", "n")
                if t == "inlineStr":
                    v: Any = "".join(x.text or "" for x in c.iter(_T))
                else:
                    v = c.findtext(_V)
                    if not v:
                        # No value, or an empty cached value: a formula saved by a program that does not
                        # calculate (openpyxl writes <v></v>). Either way the cell holds nothing to import.
                        continue
                    if t == "s":
                        v = shared[int(v)]
                    elif t == "n":
                        try:
                            v = float(v) if ("." in v or "E" in v or "e" in v) else int(v)
                        except ValueError:
                            pass  # left as text: the column's validation reports it at this cell
                        else:
                            style = c.get("s")
                            if style and int(style) in dates:
                                try:
                                    v = from_excel(v, epoch)
                                except (ValueError, OverflowError):
                                    pass  # a number no date can be: validation reports it
                    elif t == "b":
                        v = v == "1"
                    elif t == "d":
                        try:
                            v = datetime.fromisoformat(v.rstrip("Z"))
                        except ValueError:
                            pass
                values[col - 1] = v
            el.clear()
            yield n, tuple(values)


def _read_file(name: str, content: bytes, out: ParsedWorkbooks) -> None:
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a file that is not a workbook
        out.errors.append(CellError(name, "", None, None, "Excel（.xlsx）ファイルとして読み込めません"))
        return
    try:
        version = None
        if INFO_SHEET in wb.sheetnames:
            for row in wb[INFO_SHEET].iter_rows(min_row=1, max_row=1, values_only=True):
                version = row[1] if len(row) > 1 else None
        if version != FORMAT_VERSION:
            out.errors.append(CellError(name, INFO_SHEET, 1, "B", f"様式バージョン「{version}」には対応していません"
                                        f"（{FORMAT_VERSION} の様式をダウンロードして使ってください）"))
            return
        for sheet, columns in SHEETS.items():
            if sheet not in wb.sheetnames:
                out.errors.append(CellError(name, sheet, None, None, "シートがありません"))
                continue
            rows = _sheet_rows(wb[sheet], len(columns))
            first = next(rows, (1, ()))
            header = first[1] if first[0] == 1 else ()
            expected = [c.header for c in columns]
            got = [str(h).strip() if h is not None else "" for h in header[:len(expected)]]
            got += [""] * (len(expected) - len(got))
            if got != expected:
                bad = next(i for i, (g, e) in enumerate(zip(got, expected, strict=True)) if g != e)
                out.errors.append(CellError(name, sheet, 1, get_column_letter(bad + 1),
                                            f"見出し「{expected[bad]}」がありません（様式の列を変更しないでください）"))
                continue
            letters = [get_column_letter(i + 1) for i in range(len(columns))]
            for r, row in rows:
                if all(_blank(v) for v in row):
                    continue
                values, row_ok = [], True
                for i, col in enumerate(columns):
                    if col.kind == "info":
                        values.append(None)
                        continue
                    value, error = _parse(col, row[i])
                    if error:
                        out.errors.append(CellError(name, sheet, r, letters[i], error))
                        row_ok = False
                    values.append(value)
                code, year = values[0], values[1]
                if code is None or year is None:
                    if row_ok:
                        out.errors.append(CellError(name, sheet, r, "A" if code is None else "B",
                                                    "団体コードと年度は必須です"))
                    continue
                rec = out.records.setdefault((code, year), ParsedRecord(first=(name, sheet, r)))
                if sheet in rec.rows:
                    f, first_row = rec.rows[sheet]
                    out.errors.append(CellError(name, sheet, r, "A", f"団体コード{code}・{year}年度の行が重複しています"
                                                                     f"（{f} の{first_row}行目と同じ）"))
                    continue
                rec.rows[sheet] = (name, r)
                if not row_ok:
                    continue
                for i, col in enumerate(columns[2:], start=2):
                    if col.path is not None:
                        _set_path(rec.data, col.path, values[i])
                        rec.where[col.path] = (name, sheet, r, letters[i])
                        # Errors on a status map's entry name the status column.
                        if col.path.endswith(".status"):
                            rec.where.setdefault(col.path.rsplit(".", 1)[0], (name, sheet, r, letters[i]))
                top = columns[2].path.split(".")[0] if columns[2].path else None
                if top:
                    rec.where.setdefault(top, (name, sheet, r, letters[2]))
    finally:
        wb.close()


def parse_workbooks(files: Iterable[tuple[str, bytes]]) -> ParsedWorkbooks:
    """Read every file; records keyed by (団体コード, 年度) merge across sheets and files. Never raises on content."""
    out = ParsedWorkbooks()
    for name, content in files:
        _read_file(name, content, out)
    return out

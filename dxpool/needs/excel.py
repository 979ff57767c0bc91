"""The Excel hearing sheet (ヒアリングシート): a versioned template with drop-downs, bulk export, and a reader
that reports every cell problem by file, sheet, row and column. Django-free (it imports only openpyxl, the
reference lists and dxpool.standard): rows go in and out as the hearing data dicts of
dxpool.needs.selectors.hearing_data; services validate and write.

One layout serves a single municipality's file and a prefecture's (or the whole country's) export: each
section is a sheet with one row per municipality and fiscal year, keyed by 団体コード + 年度. docs/formats.md
describes it.

Reading never destroys: a blank cell means "no change" (the reader leaves its field out), clearing a value takes
the marker 「（削除）」 (CLEAR), and a formula without a cached value is an error at its cell. Every file is
checked against `Limits` before and while it is read, so a hostile or broken file stops at a located message
instead of exhausting memory or time.
"""

from __future__ import annotations

import io
import re
import unicodedata
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

from dxpool.exchange.japanese import (
    DAY_UNITS,
    MONTH_UNITS,
    PEOPLE_UNITS,
    YEN_UNITS,
    JapaneseValueError,
    parse_date,
    parse_fiscal_year,
    parse_month,
    parse_number,
)
from dxpool.exchange.tabular import inert_cell, inert_value
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
# What a person types to clear a stored value (a blank cell leaves it as it is). Compared after NFKC, so the
# half-width "(削除)" works too.
CLEAR_MARKER = "（削除）"
_CLEAR_NFKC = unicodedata.normalize("NFKC", CLEAR_MARKER)


class _Clear:
    """The parsed value of a cell holding CLEAR_MARKER: "erase the stored value"."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "CLEAR"


CLEAR = _Clear()


class _FormulaWithoutValue:
    """A formula cell saved without its result (a program that does not calculate wrote it)."""

    def __init__(self, formula: str):
        self.formula = formula


@dataclass(frozen=True)
class Limits:
    """Bounds on what one import reads. The defaults leave room for a national file (1,741 rows, 0.7 MB,
    9 MB uncompressed, compression ratio under 15) many times over; services take them from the settings."""

    max_members: int = 100  # files inside the .xlsx archive
    max_uncompressed: int = 100 * 2**20  # bytes, all members together, counted while decompressing
    max_ratio: int = 200  # uncompressed / compressed, for members over RATIO_FLOOR bytes
    max_rows: int = 20_000  # per sheet, from the dimension and while reading
    max_columns: int = 500  # per sheet
    max_shared_strings: int = 500_000
    max_errors: int = 10_000  # collected errors; reading stops after them


RATIO_FLOOR = 1 * 2**20  # small members compress well for innocent reasons; a bomb needs size
CHUNK = 64 * 1024


class LimitReached(Exception):
    """A bound of Limits was reached: reading this file stops; the message says which bound."""

    def __init__(self, message: str, *, sheet: str = "", row: int | None = None):
        super().__init__(message)
        self.message, self.sheet, self.row = message, sheet, row


@dataclass(frozen=True)
class Column:
    header: str
    path: str | None  # where the value lives in the hearing data (dotted); None: shown, not read
    kind: str  # code, year, info, text, int, dec, date, month, bool, choice, forms
    choices: tuple = ()
    width: int = 16
    unit: str = ""  # for int and dec: the units a typed number may carry (UNITS), e.g. 「360万円」 for yen


# The unit words a number typed as text may end with, by Column.unit (multiplied out: 「360万円」 is 3,600,000).
UNITS = {"yen": YEN_UNITS, "people": PEOPLE_UNITS, "months": MONTH_UNITS, "days": DAY_UNITS}


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
        Column("職員数", "staff_total", "int", unit="people"), Column("情報担当職員数", "it_staff", "int", unit="people"),
        Column("DX推進リーダー数", "dx_leaders", "int", unit="people"),
        *[Column(f"数値目標（{label}）", f"targets.{code}", "int", unit="people") for code, label in TIERS],
        Column("人材育成基本方針", "talent_policy_status", "choice", tuple(POLICY_STATUSES), 26),
    ],
    "課題・支援": KEY + [
        Column("課題", "issues", "text", width=60), Column("求める支援", "support_kind", "choice", tuple(SUPPORT_KINDS)),
        Column("支援開始希望日", "support_from", "date"),
        Column("支援期間（月）", "support_months", "int", unit="months"),
        Column("週あたり日数", "days_per_week", "dec", unit="days"),
        Column("月あたり現地日数", "onsite_days_per_month", "int", unit="days"),
        Column("予算（円）", "budget_yen", "int", unit="yen"),
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
    code: str | None = None  # the row's 団体コード, when it could be read
    municipality: str = ""  # the municipality's name (the service fills it in from the code)

    @property
    def cell(self) -> str:
        """「E12」, 「12行目」 or 「E列」; "" for an error about a whole file or sheet."""
        if self.row and self.column:
            return f"{self.column}{self.row}"
        return f"{self.row}行目" if self.row else (f"{self.column}列" if self.column else "")

    @property
    def text(self) -> str:
        """The message with the municipality it is about in front: 「五島市: ヒアリング実施日『…』…」."""
        return f"{self.municipality}: {self.message}" if self.municipality else self.message

    def __str__(self) -> str:
        # 「五島市（goto.xlsx、シート「基本情報」 E12）: ヒアリング実施日『令和7年13月1日』: 13月はありません」
        where = "、".join(x for x in (self.file, f"シート「{self.sheet}」 {self.cell}".strip() if self.sheet
                                       else self.cell) if x)
        if self.municipality:
            return f"{self.municipality}（{where}）: {self.message}" if where else self.text
        return f"{where}: {self.message}" if where else self.message


@dataclass
class ParsedRecord:
    # Only the cells that hold something: path → parsed value (CLEAR for 「（削除）」); blank cells are absent.
    data: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, Any] = field(default_factory=dict)  # the same, flat: column path → value
    where: dict[str, tuple[str, str, int, str]] = field(default_factory=dict)  # path → (file, sheet, row, column)
    first: tuple[str, str, int] = ("", "", 0)
    rows: dict[str, tuple[str, int]] = field(default_factory=dict)  # sheet → (file, row): duplicates
    blank_cells: int = 0  # readable cells left blank: "no change"


@dataclass
class ParsedWorkbooks:
    records: dict[tuple[str, int], ParsedRecord] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)
    sheet_order: tuple[str, ...] = ("", INFO_SHEET, *SHEET_ORDER)
    limits: Limits = field(default_factory=Limits)
    stopped: bool = False  # max_errors reached: reading stopped

    def error(self, e: CellError) -> None:
        """Collect an error; past limits.max_errors, one last error says reading stopped (LimitReached)."""
        if self.stopped:
            raise LimitReached("")
        if len(self.errors) >= self.limits.max_errors:
            self.stopped = True
            self.errors.append(CellError(e.file, "", None, None, f"エラーが{self.limits.max_errors:,}件を超えたため、"
                                         "検査を打ち切りました。最初のエラーから直してください"))
            raise LimitReached("")
        self.errors.append(e)


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
    # Through the one export helper: text is a string cell, never a formula (issue 12).
    return inert_cell(ws, value, **style)


def _inert(ws, value: Any) -> Any:
    # Every value through the one export helper: a name or an issue starting with "=" is a string cell, never
    # a live formula (issue 12).
    return inert_value(ws, value)


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
        ("取り込み", "すべてのファイルを検査し、エラーが1件でもあれば何も取り込みません。取り込む前に、変更される項目"
                     "（現在の値 → 新しい値）を確認する画面が出ます。取り込んだ後でも、まとめて取り消せます。"),
        ("空欄", f"空欄のセルは「変更なし」です（登録済みの値はそのまま残ります）。値を消すときは「{CLEAR_MARKER}」と"
                 "入力してください。団体コードと年度だけの行は読み飛ばします。"),
        ("数式", "数式のセルは計算結果を読み込みます。計算結果が保存されていないファイル（Excel以外で作ったもの）は"
                 "エラーになるので、Excelで開いて保存し直すか、値を直接入力してください。"),
        ("日付", "2026-04-01、2026/4/1、2026年4月1日、令和8年4月1日、R8.4.1 のいずれでも入力できます（全角数字も可）。"
                 "移行予定月は 2026-01、2026/1、2026年1月、令和8年1月 のように入力します。"),
        ("数値", "3,600,000 のような桁区切りや全角数字も読み込みます。予算は 360万円・3,600千円、人数は 480人、"
                 "期間は 12か月 のように単位を付けても構いません（「約」「〜」は付けないでください）。"),
        ("ファイル形式", "Excel（.xlsx）のほか、LibreOffice などで保存した OpenDocument（.ods）も取り込めます。"),
        ("任用形態", "次から選び「、」で区切って入力: " + "、".join(FORM_CODES)),
    ]:
        info.append([_styled(info, label, font=bold), _inert(info, text)])
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
                options += (CLEAR_MARKER,)  # the drop-down must let a person clear the value too
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
                    row.append(_inert(ws, e.code))
                elif c.kind == "year":
                    row.append(e.fiscal_year)
                elif c.header == "市町村名":
                    row.append(_inert(ws, e.name))
                elif c.header == "都道府県":
                    row.append(_inert(ws, e.prefecture))
                else:
                    row.append(_inert(ws, _cell(c, get_path(e.data, c.path))) if e.data is not None else None)
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


def _whole(value: Any) -> int | None:
    """`value` as an int if it is a whole number (2026.0 is 2026), else None."""
    try:
        n = int(value)
        return n if n == value else None
    except (TypeError, ValueError, OverflowError):
        return None


def _parse(col: Column, raw: Any) -> tuple[Any, str | None]:
    """(value, error message) for one cell; value types are those of the hearing data."""
    if isinstance(raw, _FormulaWithoutValue):
        shown = f"={raw.formula[:40]}" if raw.formula else "数式"
        return None, (f"数式「{shown}」の計算結果が保存されていません（Excelで開いて保存し直すか、値を直接"
                      "入力してください）")
    if _blank(raw):
        return None, None
    kind = col.kind
    if isinstance(raw, str) and unicodedata.normalize("NFKC", raw).strip() == _CLEAR_NFKC:
        if kind in ("code", "year"):
            return None, f"{col.header}は消せません（「{CLEAR_MARKER}」は値を消す項目にだけ使えます）"
        return CLEAR, None
    text = raw.strip() if isinstance(raw, str) else raw
    if kind == "code":
        numeric = isinstance(raw, (int, float)) and not isinstance(raw, bool)
        s = str(int(raw)) if numeric else unicodedata.normalize("NFKC", str(raw)).strip()
        if s.isdigit() and len(s) == 5:
            padded = s.zfill(6)
            # A number lost its leading zero (011002 → 11002); otherwise a 5-digit code without its check digit.
            s = padded if numeric and check_digit(padded[:5]) == padded[5] else s + check_digit(s)
        if not (s.isdigit() and len(s) == 6):
            return None, f"団体コード「{raw}」は6桁の数字ではありません"
        if check_digit(s[:5]) != s[5]:
            return None, f"団体コード「{raw}」の検査数字（6桁目）が正しくありません"
        return s, None
    if kind == "year":
        if isinstance(raw, str):
            try:
                n = parse_fiscal_year(raw)
            except JapaneseValueError as exc:
                return None, f"年度{exc.message}"
        else:
            n = _whole(raw)
        if n is None or not 2020 <= n <= 2100:
            return None, f"年度「{raw}」は2020〜2100（令和2〜82年度）の年度で入力してください"
        return n, None
    if kind in ("int", "dec"):
        if isinstance(raw, str):
            try:
                number: Any = parse_number(raw, units=UNITS.get(col.unit))
            except JapaneseValueError as exc:
                return None, f"{col.header}{exc.message}"
        elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
            number = raw
        else:
            return None, f"{col.header}「{raw}」は数値ではありません"
        if kind == "dec":
            return float(number), None
        n = _whole(number)
        if n is None or n < 0:
            return None, f"{col.header}「{raw}」は0以上の整数ではありません"
        return n, None
    if kind == "choice":
        by_label = {label: code for code, label in col.choices}
        if text in by_label:
            return by_label[text], None
        return None, f"「{raw}」は選択肢にありません（{'・'.join(by_label)}）"
    if kind == "bool":
        if isinstance(raw, bool):  # a TRUE/FALSE cell (LibreOffice writes them; so does Excel's =TRUE())
            return raw, None
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
        if not isinstance(raw, str):
            return None, (f"{col.header}「{raw}」は日付として読めません（セルの書式を日付にするか、2026/4/1 や"
                          "令和8年4月1日のように入力してください）")
        try:
            return parse_date(raw), None
        except JapaneseValueError as exc:
            return None, f"{col.header}{exc.message}"
    if kind == "month":
        if isinstance(raw, (datetime, date)):
            y, m = raw.year, raw.month
        elif isinstance(raw, str):
            try:
                y, m = parse_month(raw)
            except JapaneseValueError as exc:
                return None, f"{col.header}{exc.message}"
        else:
            return None, f"{col.header}「{raw}」は年月として読めません（2027/9 や 2027年9月のように入力してください）"
        if not 2020 <= y <= 2100:
            return None, f"{col.header}「{raw}」: 年は2020〜2100年の範囲で入力してください"
        return f"{y:04d}-{m:02d}", None
    return str(raw).strip(), None  # text; info columns are not read


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _C, _V, _T, _F, _DIM = _NS + "row", _NS + "c", _NS + "v", _NS + "t", _NS + "f", _NS + "dimension"
_REF = re.compile(r"([A-Z]{1,3})(\d+)$")


def _check_extent(ref: str, limits: Limits, sheet: str) -> None:
    """Refuse a sheet whose <dimension> declares more rows or columns than the limits, before reading it."""
    m = _REF.search((ref or "").split(":")[-1].upper())
    if not m:
        return
    rows, cols = int(m.group(2)), column_index_from_string(m.group(1))
    if rows > limits.max_rows + 1:
        raise LimitReached(_too_many_rows(limits, rows), sheet=sheet)
    if cols > limits.max_columns:
        raise LimitReached(_too_many_columns(limits, cols), sheet=sheet)


def _too_many_rows(limits: Limits, n: int) -> str:
    return (f"行数が上限（{limits.max_rows:,}行）を超えています（{n:,}行目まであります）。"
            "ファイルを分けて取り込んでください")


def _too_many_columns(limits: Limits, n: int) -> str:
    return f"列数が上限（{limits.max_columns:,}列）を超えています（{get_column_letter(min(n, 18278))}列まであります）"


def check_archive(content: bytes, limits: Limits) -> None:
    """Raise LimitReached (with the sheet where it applies) if the .xlsx archive must not be opened.

    Checked before openpyxl reads anything: the member count, the declared and the actual uncompressed size
    (each member decompressed in chunks, stopping at the limit, since a header may lie), the compression ratio,
    the shared strings, and each sheet's rows and columns (its <dimension> and a count of its <row> tags), so a
    100,000-row sheet is refused in a tenth of a second instead of being parsed (openpyxl's read-only sheet scans
    a whole sheet that lacks a dimension just to learn its size).
    """
    archive, members = _open_archive(content, limits, "Excel（.xlsx）")
    sheets = _sheet_names(archive)
    seen = [0]  # bytes decompressed so far, over every member (shared with _member_chunks)
    for m in members:
        name = m.filename.lower()
        strings = name.endswith("sharedstrings.xml")
        sheet = sheets.get(m.filename.lstrip("/"), "") if name.startswith("xl/worksheets/") else None
        count, tail, head = 0, b"", True
        for chunk in _member_chunks(archive, m, limits, seen):
            if strings or sheet is not None:
                window = tail + chunk
                pattern = _SI if strings else _ROW_TAG
                count += len(pattern.findall(window)) - len(pattern.findall(tail))
                tail = window[-16:]
            if strings and count > limits.max_shared_strings:
                raise LimitReached(f"共有文字列が多すぎます（上限{limits.max_shared_strings:,}個）: "
                                   "値の入ったセルが多すぎるか、壊れたファイルです")
            if sheet is not None:
                if head:
                    head = False
                    dim = _DIM_TAG.search(chunk)
                    if dim:
                        _check_extent(dim.group(1).decode("ascii", "replace"), limits, sheet or m.filename)
                if count > limits.max_rows + 1:
                    raise LimitReached(_too_many_rows(limits, count), sheet=sheet or m.filename)


def _member_chunks(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits,
                   seen: list[int]) -> Iterator[bytes]:
    """One archive member decompressed in chunks, counting into seen[0] and stopping at the uncompressed limit
    (a member's declared size may lie); a broken member is LimitReached naming it, never a crash."""
    try:
        with archive.open(member) as f:
            while chunk := f.read(CHUNK):
                seen[0] += len(chunk)
                if seen[0] > limits.max_uncompressed:
                    raise LimitReached(_too_big(limits))
                yield chunk
    except LimitReached:
        raise
    except Exception as exc:  # noqa: BLE001 - BadZipFile, zlib.error, EOFError …: a broken archive
        raise LimitReached(f"ファイルが壊れているため読み込めません（{member.filename}: {type(exc).__name__}）") from None


def _open_archive(content: bytes, limits: Limits, kind: str) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """The zip archive of an .xlsx or .ods file, after the checks its directory allows (member count, declared
    size, compression ratio); LimitReached otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise LimitReached(f"{kind}ファイルとして読み込めません") from None
    if len(members) > limits.max_members:
        raise LimitReached(f"ファイル内の部品が多すぎます（{len(members):,}個、上限{limits.max_members:,}個）")
    if sum(m.file_size for m in members) > limits.max_uncompressed:
        raise LimitReached(_too_big(limits))
    for m in members:
        if m.file_size > RATIO_FLOOR and m.file_size > limits.max_ratio * max(m.compress_size, 1):
            raise LimitReached(f"圧縮率が異常に高い部品があります（{m.filename}: "
                               f"{m.file_size / max(m.compress_size, 1):,.0f}倍、上限{limits.max_ratio:,}倍）")
    return archive, members


_SI = re.compile(rb"<(?:\w+:)?si[ >/]")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[ >/]")
_DIM_TAG = re.compile(rb'<(?:\w+:)?dimension\s+ref="([^"]{1,40})"')


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Archive member → sheet name, from xl/workbook.xml and its relationships (both small, read after the size
    checks); {} when they cannot be read (openpyxl then reports the file)."""
    from xml.etree.ElementTree import fromstring

    try:
        book = fromstring(archive.read("xl/workbook.xml"))
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # noqa: BLE001 - missing or malformed: not ours to report here
        return {}
    r_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return {targets[s.get(r_id)]: s.get("name", "") for s in book.iter(_NS + "sheet") if s.get(r_id) in targets}


def _too_big(limits: Limits) -> str:
    return f"展開後の大きさが上限（{limits.max_uncompressed / 2**20:,.0f} MB）を超えています"


def _sheet_rows(ws, width: int, *, limits: Limits | None = None, sheet: str = "") -> Iterator[tuple[int, tuple]]:
    """(row number, values of the first `width` columns) for each row that has cells.

    Parses the sheet XML directly with the workbook's shared strings and date formats: about three times faster
    than openpyxl's read-only cells (which build a rich-text object per inline string), and what keeps a
    1,741-municipality import well inside its time budget. Cached values are read for formulas (data_only).
    Falls back to openpyxl's reader should its internals change.

    A formula without a cached value is given as _FormulaWithoutValue (an error at its cell, never a blank).
    Rows and columns beyond `limits` raise LimitReached, from the <dimension> before any row and while reading.
    """
    limits = limits or Limits()
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
                if el.tag == _DIM:
                    _check_extent(el.get("ref", ""), limits, sheet)
                continue
            r = el.get("r")
            n = int(r) if r and r.isdigit() else n + 1
            if n > limits.max_rows + 1:
                raise LimitReached(_too_many_rows(limits, n), sheet=sheet)
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
                    if col > limits.max_columns:
                        raise LimitReached(_too_many_columns(limits, col), sheet=sheet, row=n)
                    continue
                t = c.get("t", "n")
                if t == "inlineStr":
                    v: Any = "".join(x.text or "" for x in c.iter(_T))
                else:
                    cached = c.find(_V)
                    v = cached.text if cached is not None else None
                    if not v:
                        formula = c.find(_F)
                        # A formula with no cached result (openpyxl and other non-calculating writers save
                        # <v></v> or nothing): reading it as blank once erased stored answers, so it is an
                        # error at its cell. An empty cached *string* (t="str") is a result: blank.
                        if formula is not None and not (t == "str" and cached is not None):
                            values[col - 1] = _FormulaWithoutValue(formula.text or "")
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


# --- OpenDocument (.ods) -------------------------------------------------------------------------------------
# LibreOffice and other office suites save spreadsheets as .ods. The values are read by python-calamine (a
# maintained reader of .ods, Rust underneath); before it sees the file, check_ods_archive applies the same bounds
# as to an .xlsx, and one more that .ods needs: a row or a cell may declare that it repeats (number-rows-repeated,
# number-columns-repeated), so an 800-byte file can describe a million rows of values. calamine builds every
# sheet as a dense grid, so the grid's size is bounded before it is read.

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_T_TABLE, _T_ROW, _T_CELL, _T_COVERED = (f"{_TABLE} {x}" for x in ("table", "table-row", "table-cell",
                                                                    "covered-table-cell"))
_A_NAME, _A_ROWS, _A_COLS, _A_FORMULA = (f"{_TABLE} {x}" for x in ("name", "number-rows-repeated",
                                                                   "number-columns-repeated", "formula"))
_A_TYPE = f"{_OFFICE} value-type"
# An .xlsx cell takes at least ~20 bytes of XML (<c r="A1"><v>1</v></c>), so an .ods grid of
# max_uncompressed / CELL_BYTES cells is no more than an .xlsx within the same limit could hold.
CELL_BYTES = 20


def is_ods(content: bytes) -> bool:
    """Whether the file is an OpenDocument spreadsheet: a zip holding a `mimetype` member that says so (the
    format puts it first and uncompressed; a writer that did not is still recognised)."""
    if content[:4] != b"PK\x03\x04":
        return False
    if content[30:38] == b"mimetype" and ODS_MIMETYPE in content[38:120]:
        return True
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        with archive.open("mimetype") as f:
            return f.read(200).strip() == ODS_MIMETYPE  # read(200): a header that lies cannot make it more
    except Exception:  # noqa: BLE001 - not a zip, no mimetype, a broken member: not an .ods
        return False


def _repeat(attrs: dict, key: str) -> int:
    value = attrs.get(key, "1")
    return int(value) if value.isdigit() and int(value) > 0 else 1


def check_ods_archive(content: bytes, limits: Limits) -> dict[str, dict[tuple[int, int], str]]:
    """Raise LimitReached if the .ods must not be opened; else, per sheet, the cells (row, column; from 1) that
    hold a formula without a saved result (calamine reads those as blank, and a blank would mean "no change").

    The archive gets the .xlsx checks (members, declared and actual size counted in chunks, ratio); content.xml
    is then streamed through expat, counting rows and columns that hold values with their repeats, so a sheet
    past max_rows or max_columns, or grids past max_uncompressed / CELL_BYTES cells in all, stop at a located
    message before calamine builds them. Trailing blank rows and columns (LibreOffice writes a repeated blank row
    to the sheet's end) cost nothing and are not counted.
    """
    from xml.parsers import expat

    archive, members = _open_archive(content, limits, "OpenDocument（.ods）")
    seen = [0]  # bytes decompressed so far, over every member (shared with _member_chunks)
    for m in members:
        if m.filename == "content.xml":
            continue
        for _chunk in _member_chunks(archive, m, limits, seen):
            pass
    if "content.xml" not in archive.namelist():
        raise LimitReached("OpenDocument（.ods）ファイルとして読み込めません（content.xml がありません）")
    max_cells = limits.max_uncompressed // CELL_BYTES
    formulas: dict[str, dict[tuple[int, int], str]] = {}
    state = {"depth": 0, "table": "", "row": 0, "repeat": 1, "col": 0, "row_cols": 0, "row_formulas": [],
             "max_row": 0, "max_col": 0, "cells": 0, "formula_count": 0}

    def start(tag: str, attrs: dict) -> None:
        if tag == _T_TABLE:
            state["depth"] += 1
            if state["depth"] == 1:
                state.update(table=attrs.get(_A_NAME, ""), row=0, max_row=0, max_col=0)
                formulas.setdefault(state["table"], {})
            return
        if state["depth"] != 1:
            return  # outside a sheet, or a table inside a cell's text
        if tag == _T_ROW:
            state.update(repeat=_repeat(attrs, _A_ROWS), col=0, row_cols=0, row_formulas=[])
        elif tag in (_T_CELL, _T_COVERED):
            first = state["col"] + 1
            state["col"] += _repeat(attrs, _A_COLS)
            formula = attrs.get(_A_FORMULA)
            if _A_TYPE in attrs or formula is not None:
                if state["col"] > limits.max_columns:
                    raise LimitReached(_too_many_columns(limits, state["col"]), sheet=state["table"],
                                       row=state["row"] + 1)
                state["row_cols"] = state["col"]
                if formula is not None and _A_TYPE not in attrs:
                    state["row_formulas"].extend((c, formula) for c in range(first, state["col"] + 1))

    def end(tag: str) -> None:
        if tag == _T_TABLE:
            if state["depth"] == 1:
                state["cells"] += state["max_row"] * state["max_col"]
                if state["cells"] > max_cells:
                    raise LimitReached(f"セルが多すぎます（繰り返しの指定を展開すると{state['cells']:,}個、上限"
                                       f"{max_cells:,}個）", sheet=state["table"])
            state["depth"] -= 1
        elif tag == _T_ROW and state["depth"] == 1:
            first, state["row"] = state["row"] + 1, state["row"] + state["repeat"]
            if state["row_cols"]:
                if state["row"] > limits.max_rows + 1:
                    raise LimitReached(_too_many_rows(limits, state["row"]), sheet=state["table"])
                state["max_row"], state["max_col"] = state["row"], max(state["max_col"], state["row_cols"])
                if state["row_formulas"]:
                    state["formula_count"] += len(state["row_formulas"]) * state["repeat"]
                    if state["formula_count"] > limits.max_errors:
                        raise LimitReached(f"計算結果が保存されていない数式が多すぎます（上限{limits.max_errors:,}個）",
                                           sheet=state["table"])
                    cells = formulas[state["table"]]
                    for r in range(first, state["row"] + 1):
                        for c, formula in state["row_formulas"]:
                            cells[(r, c)] = formula

    def refuse(*args) -> None:
        raise LimitReached("OpenDocument（.ods）ファイルとして読み込めません（文書型宣言は使えません）")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.EndElementHandler = start, end
    # content.xml never has a DTD; refusing one keeps entity expansion out of the question.
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = refuse
    try:
        for chunk in _member_chunks(archive, archive.getinfo("content.xml"), limits, seen):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except LimitReached:
        raise
    except Exception as exc:  # noqa: BLE001 - expat.ExpatError, zlib.error, EOFError …
        raise LimitReached(f"ファイルが壊れているため読み込めません（content.xml: {type(exc).__name__}）") from None
    return formulas


def _ods_rows(grid: list[list], width: int, formulas: dict[tuple[int, int], str]) -> Iterator[tuple[int, tuple]]:
    """(row number, the first `width` values) from calamine's grid: its blanks ("") as None, and the cells with
    a formula but no result as _FormulaWithoutValue."""
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (r, c), formula in formulas.items():
        if c <= width:
            # 「of:=SUM([.A1:.B1])」: the formula without its namespace, as Excel would show it.
            by_row.setdefault(r, []).append((c, formula.split(":", 1)[-1].lstrip("=")))
    for r, row in enumerate(grid, start=1):
        values = [None if v == "" else v for v in row[:width]]
        values += [None] * (width - len(values))
        for c, formula in by_row.get(r, ()):
            values[c - 1] = _FormulaWithoutValue(formula)
        yield r, tuple(values)
    # Rows past calamine's grid that hold only formulas without results (the grid ends at the last value).
    for r in sorted(k for k in by_row if k > len(grid)):
        values = [None] * width
        for c, formula in by_row[r]:
            values[c - 1] = _FormulaWithoutValue(formula)
        yield r, tuple(values)


def _read_ods(name: str, content: bytes, out: ParsedWorkbooks) -> None:
    try:
        formulas = check_ods_archive(content, out.limits)
    except LimitReached as exc:
        out.error(CellError(name, exc.sheet, exc.row, None, exc.message))
        return
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheetnames = list(wb.sheet_names)
    except Exception:  # noqa: BLE001 - calamine raises its own types for a file it cannot read
        out.error(CellError(name, "", None, None, "OpenDocument（.ods）ファイルとして読み込めません"))
        return
    sheet = ""
    try:
        version = None
        if INFO_SHEET in sheetnames:
            first = wb.get_sheet_by_name(INFO_SHEET).to_python(skip_empty_area=False, nrows=1)
            version = first[0][1] if first and len(first[0]) > 1 and first[0][1] != "" else None
        if version != FORMAT_VERSION:
            out.error(CellError(name, INFO_SHEET, 1, "B", f"様式バージョン「{version}」には対応していません"
                                f"（{FORMAT_VERSION} の様式をダウンロードして使ってください）"))
            return
        for sheet, columns in SHEETS.items():
            if sheet not in sheetnames:
                out.error(CellError(name, sheet, None, None, "シートがありません"))
                continue
            grid = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            _read_sheet(name, sheet, columns, _ods_rows(grid, len(columns), formulas.get(sheet, {})), out)
    except LimitReached:
        return  # max_errors: the last error says so
    except Exception as exc:  # noqa: BLE001 - a malformed sheet
        out.errors.append(CellError(name, sheet, None, None,
                                    f"シートが壊れているため読み込めません（{type(exc).__name__}）"))


def _read_file(name: str, content: bytes, out: ParsedWorkbooks) -> None:
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        out.error(CellError(name, "", None, None, "古いExcel形式（.xls）は読み込めません。Excelで「Excel ブック"
                            "（.xlsx）」として保存し直してください"))
        return
    if is_ods(content):
        _read_ods(name, content, out)
        return
    try:
        check_archive(content, out.limits)
    except LimitReached as exc:
        out.error(CellError(name, exc.sheet, exc.row, None, exc.message))
        return
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a file that is not a workbook
        out.error(CellError(name, "", None, None, "Excel（.xlsx）ファイルとして読み込めません"))
        return
    sheet = ""
    try:
        version = None
        if INFO_SHEET in wb.sheetnames:
            for row in wb[INFO_SHEET].iter_rows(min_row=1, max_row=1, values_only=True):
                version = row[1] if len(row) > 1 else None
        if version != FORMAT_VERSION:
            out.error(CellError(name, INFO_SHEET, 1, "B", f"様式バージョン「{version}」には対応していません"
                                f"（{FORMAT_VERSION} の様式をダウンロードして使ってください）"))
            return
        for sheet, columns in SHEETS.items():
            if sheet not in wb.sheetnames:
                out.error(CellError(name, sheet, None, None, "シートがありません"))
                continue
            try:
                _read_sheet(name, sheet, columns, _sheet_rows(wb[sheet], len(columns), limits=out.limits,
                                                               sheet=sheet), out)
            except LimitReached as exc:
                if exc.message:
                    out.error(CellError(name, exc.sheet or sheet, exc.row, None, exc.message))
                return  # a limit stops this file; the other files are still checked
    except LimitReached:
        return  # max_errors: the last error says so
    except Exception as exc:  # noqa: BLE001 - a malformed sheet (bad XML, a cell reference no column has)
        out.errors.append(CellError(name, sheet, None, None,
                                    f"シートが壊れているため読み込めません（{type(exc).__name__}）"))
    finally:
        wb.close()


def _read_sheet(name: str, sheet: str, columns: list[Column], rows: Iterator[tuple[int, tuple]],
                out: ParsedWorkbooks) -> None:
    first = next(rows, (1, ()))
    header = first[1] if first[0] == 1 else ()
    expected = [c.header for c in columns]
    got = [str(h).strip() if isinstance(h, (str, int, float)) else "" for h in header[:len(expected)]]
    got += [""] * (len(expected) - len(got))
    if got != expected:
        bad = next(i for i, (g, e) in enumerate(zip(got, expected, strict=True)) if g != e)
        out.error(CellError(name, sheet, 1, get_column_letter(bad + 1),
                            f"見出し「{expected[bad]}」がありません（様式の列を変更しないでください）"))
        return
    letters = [get_column_letter(i + 1) for i in range(len(columns))]
    readable = [i for i, col in enumerate(columns) if i >= 2 and col.path is not None]
    name_at = next((i for i, col in enumerate(columns) if col.header == "市町村名"), None)
    for r, row in rows:
        if all(_blank(v) for v in row):
            continue
        values, problems = [], []
        for i, col in enumerate(columns):
            if col.kind == "info":
                values.append(None)
                continue
            value, error = _parse(col, row[i])
            if error:
                problems.append((letters[i], error))
            values.append(value)
        code, year = values[0], values[1]
        # Every error of the row names its municipality: the sheet's own name cell where it has one (基本情報),
        # else the service looks the code up.
        shown_name = str(row[name_at]).strip() if name_at is not None and not _blank(row[name_at]) else ""
        for letter, error in problems:
            out.error(CellError(name, sheet, r, letter, error, code=code, municipality=shown_name))
        row_ok = not problems
        if code is None or year is None:
            if row_ok:
                out.error(CellError(name, sheet, r, "A" if code is None else "B", "団体コードと年度は必須です",
                                    code=code, municipality=shown_name))
            continue
        filled = [i for i in readable if not _blank(row[i])]
        rec = out.records.setdefault((code, year), ParsedRecord(first=(name, sheet, r)))
        if not filled:
            # A row of the blank template: a code and a year (and the name, which is not read) only. It changes
            # nothing, so it is neither a duplicate nor a row the writer must be allowed to write.
            rec.blank_cells += len(readable)
            continue
        if sheet in rec.rows:
            f, first_row = rec.rows[sheet]
            out.error(CellError(name, sheet, r, "A", f"団体コード{code}・{year}年度の行が重複しています"
                                                     f"（{f} の{first_row}行目と同じ）", code=code,
                                municipality=shown_name))
            continue
        if not rec.rows:
            rec.first = (name, sheet, r)  # errors about the whole record point at its first row with values
        rec.rows[sheet] = (name, r)
        if not row_ok:
            continue
        rec.blank_cells += len(readable) - len(filled)
        for i in filled:
            col = columns[i]
            _set_path(rec.data, col.path, values[i])
            rec.cells[col.path] = values[i]
            rec.where[col.path] = (name, sheet, r, letters[i])
            # Errors on a status map's entry name the status column.
            if col.path.endswith(".status"):
                rec.where.setdefault(col.path.rsplit(".", 1)[0], (name, sheet, r, letters[i]))
        top = columns[2].path.split(".")[0] if columns[2].path else None
        if top:
            rec.where.setdefault(top, (name, sheet, r, letters[filled[0]]))


def parse_workbooks(files: Iterable[tuple[str, bytes]], *, limits: Limits | None = None) -> ParsedWorkbooks:
    """Read every file; records keyed by (団体コード, 年度) merge across sheets and files. Never raises on content:
    every problem, a bound of `limits` included, is a located CellError."""
    out = ParsedWorkbooks(limits=limits or Limits())
    for name, content in files:
        if out.stopped:
            break
        _read_file(name, content, out)
    return out

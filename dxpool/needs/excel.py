"""The Excel hearing sheet (ヒアリングシート): a versioned template with drop-downs, bulk export, and an importer
that validates everything first and reports every error by file, sheet, row and column.

One layout serves a single municipality's file and a prefecture's whole export: each sheet has one row per
municipality and fiscal year, keyed by 団体コード + 年度. See docs/formats.md.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
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
from dxpool.talent.models import AppointmentForm

FORMAT_VERSION = "hearing-2026.1"
INFO_SHEET = "様式情報"
YES, NO = "はい", "いいえ"
FORM_LABELS = {str(label): code for code, label in AppointmentForm.choices}
FORM_NAMES = {code: str(label) for code, label in AppointmentForm.choices}

# (header, key, kind, choices) per sheet; kind: int, dec, text, date, month, bool, choice, forms, grouping.
KEY = [("団体コード", "code", "code", None), ("年度", "fiscal_year", "year", None)]
SHEETS: dict[str, list[tuple[str, str, str, Any]]] = {
    "基本情報": KEY + [
        ("市町村名", "_name", "info", None),
        ("職員数", "staff_total", "int", None), ("情報担当職員数", "it_staff", "int", None),
        ("DX推進リーダー数", "dx_leaders", "int", None),
        *[(f"数値目標（{label}）", f"target__{code}", "int", None) for code, label in TIERS],
        ("人材育成基本方針", "talent_policy_status", "choice", POLICY_STATUSES),
        ("課題", "issues", "text", None), ("求める支援", "support_kind", "choice", SUPPORT_KINDS),
        ("支援期間（月）", "support_months", "int", None), ("週あたり日数", "days_per_week", "dec", None),
        ("月あたり現地日数", "onsite_days_per_month", "int", None), ("予算（円）", "budget_yen", "int", None),
        ("受入れ可能な任用形態", "appointment_forms", "forms", None), ("近隣と共有可", "shareable", "bool", None),
        ("共有する広域連携", "grouping", "grouping", None),
    ],
    "DXステップ": KEY + [
        *[(label, f"step__{code}", "choice", STEP_STATUSES) for code, label in STEPS],
        ("全体方針の策定日", "policy_adopted_on", "date", None), ("DX推進担当部門", "dx_department", "text", None),
        ("部門の位置付け", "dx_department_placement", "text", None), ("CIOの任命", "cio_appointed", "bool", None),
        ("CIO補佐官の任命", "cio_adviser_appointed", "bool", None),
        ("CIO補佐官は外部人材", "cio_adviser_external", "bool", None),
    ],
    "重点取組": KEY + [(label, f"measure__{code}", "choice", MEASURE_STATUSES) for code, label in MEASURES],
    "標準化": KEY + [col for name in SYSTEMS for col in (
        (f"{name}（状況）", f"system__{name}", "choice", SYSTEM_STATUSES),
        (f"{name}（移行予定月）", f"month__{name}", "month", None))],
}


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
class ParsedWorkbook:
    records: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)


# --- writing ---------------------------------------------------------------------------------------------

def _cell_value(kind: str, choices, value: Any) -> Any:
    if value in (None, ""):
        return None
    if kind == "choice":
        return dict(choices).get(value, value)
    if kind == "bool":
        return YES if value else NO
    if kind == "forms":
        return "、".join(FORM_NAMES.get(v, v) for v in value)
    if kind == "date":
        return value.isoformat() if isinstance(value, date) else value
    if kind == "dec":
        return float(value)
    return value


def record_row(record, sheet: str) -> list[Any]:
    """One HearingRecord as a row of a sheet."""
    values = {
        "code": record.municipality.code, "fiscal_year": record.fiscal_year, "_name": record.municipality.name,
        "grouping": record.grouping.name if record.grouping_id else None,
    }
    for _, key, kind, choices in SHEETS[sheet]:
        if key in values:
            continue
        if key.startswith("target__"):
            v = record.targets.get(key.split("__", 1)[1])
        elif key.startswith("step__"):
            v = record.steps.get(key.split("__", 1)[1], {}).get("status")
        elif key.startswith("measure__"):
            v = record.measures.get(key.split("__", 1)[1], {}).get("status")
        elif key.startswith("system__"):
            v = record.systems.get(key.split("__", 1)[1], {}).get("status")
        elif key.startswith("month__"):
            v = record.systems.get(key.split("__", 1)[1], {}).get("planned_month")
        else:
            v = getattr(record, key)
        values[key] = _cell_value(kind, choices, v)
    return [values.get(key) for _, key, _, _ in SHEETS[sheet]]


def write_workbook(records=(), *, blank_rows: list[tuple[str, str, int]] = ()) -> bytes:
    """The template (blank rows for given municipalities) or an export (rows from records), same layout."""
    wb = Workbook()
    info = wb.active
    info.title = INFO_SHEET
    info.append(["様式バージョン", FORMAT_VERSION])
    info.append(["説明", "各シートに1市町村・1年度につき1行。団体コードと年度で対応付けます。選択肢はプルダウンから選んでください。"])
    records = list(records)
    for sheet, columns in SHEETS.items():
        ws = wb.create_sheet(sheet)
        ws.append([c[0] for c in columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r in records:
            ws.append(record_row(r, sheet))
        for code, name, year in blank_rows:
            ws.append([code, year] + ([name] if sheet == "基本情報" else []))
        last = max(ws.max_row, 2000)
        for idx, (_, _, kind, choices) in enumerate(columns, start=1):
            letter = get_column_letter(idx)
            ws.column_dimensions[letter].width = 16
            options = None
            if kind == "choice":
                options = [label for _, label in choices]
            elif kind == "bool":
                options = [YES, NO]
            if options:
                dv = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True,
                                    showErrorMessage=True, errorTitle="選択肢にありません",
                                    error="プルダウンから選んでください。")
                dv.add(f"{letter}2:{letter}{last}")
                ws.add_data_validation(dv)
        ws.freeze_panes = "C2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- reading ---------------------------------------------------------------------------------------------

def _parse(kind: str, choices, raw: Any, header: str) -> tuple[Any, str | None]:
    """(value, error message) for one cell."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    text = str(raw).strip() if not isinstance(raw, (int, float, date, datetime)) else raw
    if kind == "code":
        s = str(raw).strip().split(".")[0].zfill(6)
        return (s, None) if s.isdigit() and len(s) == 6 else (None, f"団体コード「{raw}」は6桁の数字ではありません")
    if kind in ("int", "year"):
        try:
            n = int(float(raw))
            if n != float(raw) or n < 0:
                raise ValueError
        except (TypeError, ValueError):
            return None, f"「{raw}」は0以上の整数ではありません（{header}）"
        if kind == "year" and not 2020 <= n <= 2100:
            return None, f"年度「{raw}」は2020〜2100の西暦で入力してください"
        return n, None
    if kind == "dec":
        try:
            n = float(raw)
        except (TypeError, ValueError):
            return None, f"「{raw}」は数値ではありません（{header}）"
        return (n, None) if 0 <= n <= 7 else (None, f"「{raw}」は0〜7で入力してください（{header}）")
    if kind == "choice":
        by_label = {label: code for code, label in choices}
        if text in by_label:
            return by_label[text], None
        return None, f"「{raw}」は選択肢にありません（{'・'.join(by_label)}）"
    if kind == "bool":
        if text in (YES, NO):
            return text == YES, None
        return None, f"「{raw}」は「{YES}」か「{NO}」で入力してください"
    if kind == "forms":
        parts = [p.strip() for p in str(raw).replace(",", "、").split("、") if p.strip()]
        bad = [p for p in parts if p not in FORM_LABELS]
        if bad:
            return None, f"任用形態「{bad[0]}」は選択肢にありません（{'・'.join(FORM_LABELS)}）"
        return [FORM_LABELS[p] for p in parts], None
    if kind == "date":
        if isinstance(raw, datetime):
            return raw.date(), None
        if isinstance(raw, date):
            return raw, None
        try:
            return date.fromisoformat(str(raw).strip().replace("/", "-")), None
        except ValueError:
            return None, f"日付「{raw}」は YYYY-MM-DD で入力してください"
    if kind == "month":
        if isinstance(raw, (datetime, date)):
            return f"{raw.year:04d}-{raw.month:02d}", None
        s = str(raw).strip().replace("/", "-")
        try:
            y, m = (int(x) for x in s.split("-")[:2])
            if not (2020 <= y <= 2100 and 1 <= m <= 12):
                raise ValueError
        except ValueError:
            return None, f"移行予定月「{raw}」は YYYY-MM で入力してください"
        return f"{y:04d}-{m:02d}", None
    if kind == "text":
        return str(raw).strip(), None
    return str(raw).strip(), None  # info, grouping: checked later


def parse_workbook(name: str, content: bytes, parsed: ParsedWorkbook | None = None) -> ParsedWorkbook:
    """Read one file into `parsed` (records keyed by (code, year), and errors); never raises on bad content."""
    parsed = parsed or ParsedWorkbook()
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a file that is not a workbook
        parsed.errors.append(CellError(name, "", None, None, "Excel（.xlsx）ファイルとして読み込めません"))
        return parsed
    try:
        version = None
        if INFO_SHEET in wb.sheetnames:
            for row in wb[INFO_SHEET].iter_rows(min_row=1, max_row=1, values_only=True):
                version = row[1] if len(row) > 1 else None
        if version != FORMAT_VERSION:
            parsed.errors.append(CellError(name, INFO_SHEET, 1, "B", f"様式バージョン「{version}」には対応していません"
                                              f"（{FORMAT_VERSION} の様式をダウンロードして使ってください）"))
            return parsed
        for sheet, columns in SHEETS.items():
            if sheet not in wb.sheetnames:
                parsed.errors.append(CellError(name, sheet, None, None, "シートがありません"))
                continue
            rows = wb[sheet].iter_rows(values_only=True)
            header = next(rows, ())
            expected = [c[0] for c in columns]
            got = [str(h).strip() if h is not None else "" for h in header[:len(expected)]]
            if got != expected:
                bad = next(i for i, (g, e) in enumerate(zip((got + [""] * len(expected))[:len(expected)], expected, strict=True)) if g != e)
                parsed.errors.append(CellError(name, sheet, 1, get_column_letter(bad + 1),
                                                  f"見出し「{expected[bad]}」がありません（様式を変更しないでください）"))
                continue
            for r, row in enumerate(rows, start=2):
                if row is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in row[:len(columns)]):
                    continue
                values: dict[str, Any] = {}
                row_ok = True
                for i, (head, key, kind, choices) in enumerate(columns):
                    raw = row[i] if i < len(row) else None
                    value, error = _parse(kind, choices, raw, head)
                    if error:
                        parsed.errors.append(CellError(name, sheet, r, get_column_letter(i + 1), error))
                        row_ok = False
                    values[key] = value
                if values["code"] is None or values["fiscal_year"] is None:
                    if row_ok:
                        parsed.errors.append(CellError(name, sheet, r, "A", "団体コードと年度は必須です"))
                    continue
                if not row_ok:
                    continue
                key = (values.pop("code"), values.pop("fiscal_year"))
                values.pop("_name", None)
                record = parsed.records.setdefault(key, {"_where": (name, sheet, r)})
                record.update({k: v for k, v in values.items()})
    finally:
        wb.close()
    return parsed


def to_model_values(values: dict[str, Any]) -> dict[str, Any]:
    """Flat parsed values → HearingRecord field values (JSON fields assembled)."""
    out: dict[str, Any] = {"steps": {}, "measures": {}, "systems": {}, "targets": {}}
    for key, value in values.items():
        if key.startswith("_"):
            continue
        prefix, _, rest = key.partition("__")
        if prefix == "step" and rest:
            if value:
                out["steps"][rest] = {"status": value}
        elif prefix == "measure" and rest:
            if value:
                out["measures"][rest] = {"status": value}
        elif prefix == "system" and rest:
            if value:
                out["systems"].setdefault(rest, {})["status"] = value
        elif prefix == "month" and rest:
            if value:
                out["systems"].setdefault(rest, {})["planned_month"] = value
        elif prefix == "target" and rest:
            if value is not None:
                out["targets"][rest] = value
        else:
            out[key] = value
    return out

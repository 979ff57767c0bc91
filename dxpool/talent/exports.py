"""The pool list as Excel or CSV for the prefecture secretariat.

Personal data: services.pool_export checks the permission and audits each export; this module only lays out
the rows and hands them to dxpool.exchange.tabular, which writes the files.
"""

from collections.abc import Iterable
from typing import Any

from dxpool.exchange.tabular import CSV_TYPE, XLSX_TYPE, to_csv, to_xlsx
from dxpool.standard.personas import persona_name

HEADERS = ["仮名", "氏名", "メールアドレス", "電話番号", "勤務先", "兼業先", "居住地", "状態", "研修修了", "標準を満たす人材像",
           "保有資格", "週あたり時間", "月あたり現地日数", "リモート可", "移動可能距離km", "稼働開始", "稼働終了", "距離km"]


def pool_rows(profiles: Iterable[Any]) -> list[list]:
    """One row per profile (as annotated by selectors.pool_search), in the order of HEADERS."""
    rows = []
    for p in profiles:
        home = f"{p.home_municipality.prefecture.name}{p.home_municipality.name}" if p.home_municipality else ""
        rows.append([
            p.pseudonym, p.full_name, p.email, p.phone, p.employer, p.side_employers, home,
            getattr(p, "pool_status_label", ""), "済" if getattr(p, "training_completed", False) else "未",
            [persona_name(c) for c in p.personas_met.split()], p.qualifications, p.hours_per_week,
            p.onsite_days_per_month, "可" if p.remote_ok else "不可", p.travel_km,
            p.available_from.isoformat() if p.available_from else "", p.available_to.isoformat() if p.available_to else "",
            getattr(p, "distance_km", None),
        ])
    return rows


def pool_file(profiles: Iterable[Any], fmt: str) -> tuple[bytes, str]:
    """The file's bytes and content type: "xlsx" for Excel, anything else CSV (UTF-8 with BOM)."""
    rows = pool_rows(profiles)
    if fmt == "xlsx":
        return to_xlsx(HEADERS, rows, sheet_title="人材プール"), XLSX_TYPE
    return to_csv(HEADERS, rows), CSV_TYPE

"""The Excel hearing sheet: one layout for a template and an export, a round trip to the same data, every error
located by file/sheet/row/column with nothing written, re-imports that update, and the CLI."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from dxpool.core.errors import Forbidden
from dxpool.needs.excel import (
    FORMAT_VERSION,
    SHEETS,
    HearingEntry,
    check_digit,
    parse_workbooks,
    write_workbook,
)
from dxpool.needs.models import HearingRecord
from dxpool.needs.selectors import hearing_data
from dxpool.needs.services import HearingImportError, hearing_import
from tests.needs.builders import make_hearing, municipality
from tests.needs.ods import Formula, xlsx_to_ods

pytestmark = pytest.mark.django_db


def nagasaki_2026():
    return list(HearingRecord.objects.filter(municipality__prefecture__code="42", fiscal_year=2026)
                .select_related("municipality__prefecture", "grouping").order_by("municipality__code"))


def export(records) -> bytes:
    return write_workbook([HearingEntry(r.municipality.code, r.municipality.name, r.municipality.prefecture.name,
                                        r.fiscal_year, hearing_data(r)) for r in records])


def snapshot(records):
    data = {}
    for r in records:
        d = hearing_data(r)
        d.pop("grouping")  # the id; grouping_name carries it in the sheet
        data[(r.municipality.code, r.fiscal_year)] = d
    return data


def edit(content: bytes, cells: dict) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    for (sheet, ref), value in cells.items():
        wb[sheet][ref] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_template_is_versioned_with_one_sheet_per_section_and_dropdowns():
    wb = load_workbook(io.BytesIO(write_workbook([HearingEntry("422118", "五島市", "長崎県", 2026)])))
    assert wb["様式情報"]["B1"].value == FORMAT_VERSION
    assert wb.sheetnames == ["様式情報", "基本情報", "DXステップ", "重点取組", "標準化", "人材", "課題・支援"]
    for sheet in SHEETS:
        ws = wb[sheet]
        assert [c.value for c in ws[1]][:2] == ["団体コード", "年度"]
        assert ws["A2"].value == "422118" and ws["B2"].value == 2026
    formulas = [dv.formula1 for dv in wb["標準化"].data_validations.dataValidation]
    assert any("移行済み" in f for f in formulas)
    assert any("はい" in dv.formula1 for dv in wb["DXステップ"].data_validations.dataValidation)


def test_export_import_round_trip(needs_demo, nagasaki_user):
    before = snapshot(nagasaki_2026())
    content = export(nagasaki_2026())
    HearingRecord.objects.filter(municipality__prefecture__code="42", fiscal_year=2026).delete()
    result = hearing_import(actor=nagasaki_user, files=[("export.xlsx", content)])
    assert (result["created"], result["updated"], result["files"]) == (21, 0, 1)
    assert snapshot(nagasaki_2026()) == before


def test_reimport_updates_never_duplicates(needs_demo, nagasaki_user):
    content = edit(export(nagasaki_2026()), {("人材", "C2"): 3500})  # 長崎市 staff
    count = HearingRecord.objects.count()
    # Only what differs is written (issue 12): 長崎市 the first time, nothing the second.
    first = hearing_import(actor=nagasaki_user, files=[("a.xlsx", content)])
    assert (first["updated"], first["unchanged"], first["changes"]) == (1, 20, 1)
    again = hearing_import(actor=nagasaki_user, files=[("a.xlsx", content)])
    assert (again["updated"], again["unchanged"], again["changes"]) == (0, 21, 0)
    assert HearingRecord.objects.count() == count
    assert HearingRecord.objects.get(municipality__name="長崎市", fiscal_year=2026).staff_total == 3500


def test_errors_in_three_places_are_all_reported_and_nothing_is_written(needs_demo, nagasaki_user):
    records = nagasaki_2026()
    before = snapshot(records)
    bad = edit(export(records), {
        ("標準化", "C5"): "移行済",  # not a choice (the choice is 移行済み); row 5 is the 4th municipality
        ("人材", "D3"): "たくさん",  # IT staff is not a number
        ("DXステップ", "G4"): "令和4年3月",  # 全体方針の決定日 is a date: a month is not enough
    })
    earlier = HearingRecord.objects.filter(fiscal_year=2025).select_related("municipality__prefecture", "grouping")
    before_2025 = snapshot(earlier)
    good = edit(export(earlier), {("人材", "E2"): 1})
    with pytest.raises(HearingImportError) as exc:
        hearing_import(actor=nagasaki_user, files=[("good.xlsx", good), ("hearing_五島市.xlsx", bad)])
    located = [(e.file, e.sheet, e.row, e.column) for e in exc.value.errors]
    assert located == [("hearing_五島市.xlsx", "DXステップ", 4, "G"), ("hearing_五島市.xlsx", "標準化", 5, "C"),
                       ("hearing_五島市.xlsx", "人材", 3, "D")]
    lines = [str(e) for e in exc.value.errors]
    # Each error names the municipality of its row (from the code: this sheet has no name column) and the cell.
    assert "諫早市（hearing_五島市.xlsx、シート「標準化」 C5）: 「移行済」は選択肢にありません（未着手・準備中・移行中・移行済み）" in lines
    assert lines[0].startswith("島原市（hearing_五島市.xlsx、シート「DXステップ」 G4）: 全体方針の決定日『令和4年3月』は日付として")
    assert snapshot(nagasaki_2026()) == before
    assert snapshot(earlier) == before_2025  # the good file was not imported either


def test_cross_field_errors_are_located_too(nagasaki_user):
    make_hearing(nagasaki_user)
    content = edit(export(nagasaki_2026()), {("人材", "D2"): 900, ("課題・支援", "L2"): "存在しない連携"})
    with pytest.raises(HearingImportError) as exc:
        hearing_import(actor=nagasaki_user, files=[("x.xlsx", content)])
    by_where = {(e.sheet, e.row, e.column): e.message for e in exc.value.errors}
    assert "職員数" in by_where[("人材", 2, "D")]
    assert "登録されていません" in by_where[("課題・支援", 2, "L")]


def test_scope_wrong_version_duplicates_and_not_a_workbook(needs_demo, hiroshima_user, goto_user, applicant):
    content = export(nagasaki_2026())
    with pytest.raises(HearingImportError) as exc:
        hearing_import(actor=hiroshima_user, files=[("x.xlsx", content)])
    assert "権限がありません" in str(exc.value.errors[0]) and len(exc.value.errors) == 21
    with pytest.raises(HearingImportError) as exc:
        hearing_import(actor=goto_user, files=[("x.xlsx", content)])
    assert len(exc.value.errors) == 20  # every row but 五島市's own
    with pytest.raises(HearingImportError) as exc:
        hearing_import(actor=goto_user, files=[("old.xlsx", edit(content, {("様式情報", "B1"): "hearing-2026.1"}))])
    assert "様式バージョン" in exc.value.errors[0].message
    with pytest.raises(HearingImportError) as exc:
        hearing_import(actor=goto_user, files=[("a.xlsx", export(nagasaki_2026()[9:10])),
                                               ("b.xlsx", export(nagasaki_2026()[9:10]))])
    assert all("重複" in e.message for e in exc.value.errors) and exc.value.errors[0].file == "b.xlsx"
    with pytest.raises(HearingImportError) as exc:
        hearing_import(actor=goto_user, files=[("notes.xlsx", b"not a workbook")])
    assert "読み込めません" in str(exc.value.errors[0])
    with pytest.raises(Forbidden):
        hearing_import(actor=applicant, files=[("x.xlsx", content)])


def test_codes_typed_as_numbers_or_without_check_digit():
    assert check_digit("42211") == "8" and check_digit("13101") == "6"
    content = write_workbook([HearingEntry("422118", "五島市", "長崎県", 2026, {"staff_total": 1})])
    parsed = parse_workbooks([("n.xlsx", edit(content, {("人材", "A2"): 42211}))])
    assert not parsed.errors and ("422118", 2026) in parsed.records
    parsed = parse_workbooks([("n.xlsx", edit(content, {("人材", "A2"): "422119"}))])
    assert "検査数字" in parsed.errors[0].message


def test_a_partial_workbook_updates_only_its_sections(nagasaki_user):
    record = make_hearing(nagasaki_user)
    wb = load_workbook(io.BytesIO(export([record])))
    for sheet in ("基本情報", "DXステップ", "重点取組", "標準化", "課題・支援"):
        wb[sheet].delete_rows(2)
    wb["人材"]["C2"] = 999
    buf = io.BytesIO()
    wb.save(buf)
    assert hearing_import(actor=nagasaki_user, files=[("p.xlsx", buf.getvalue())])["updated"] == 1
    record.refresh_from_db()
    assert record.staff_total == 999 and record.issues and record.systems  # other sections untouched


def test_web_upload_of_several_files(client, nagasaki_user):
    make_hearing(nagasaki_user, "五島市")
    make_hearing(nagasaki_user, "壱岐市")
    records = nagasaki_2026()
    files = []
    for r in records:
        f = io.BytesIO(edit(export([r]), {("人材", "E2"): 3}))
        f.name = f"hearing_{r.municipality.name}.xlsx"
        files.append(f)
    client.force_login(nagasaki_user)
    r = client.post("/needs/hearings/upload/", {"files": files}, follow=True)
    body = r.content.decode()
    assert "取り込む内容の確認" in body and "この内容で取り込む（2件の変更）" in body  # a preview first
    assert set(HearingRecord.objects.values_list("dx_leaders", flat=True)) == {5}  # nothing written yet
    r = client.post(r.redirect_chain[-1][0] + "confirm/", follow=True)
    assert "取り込みました（新規 0件、更新 2件、変更した項目 2件）" in r.content.decode()
    assert set(HearingRecord.objects.values_list("dx_leaders", flat=True)) == {3}
    bad = io.BytesIO(edit(export(records[:1]), {("重点取組", "C2"): "やってる"}))
    bad.name = "bad.xlsx"
    r = client.post("/needs/hearings/upload/", {"files": [bad]})
    body = r.content.decode()
    assert r.status_code == 400 and "やってる" in body and "重点取組" in body and "2行目" in body


def test_template_and_export_downloads(client, goto_user, nagasaki_user):
    make_hearing(goto_user)
    client.force_login(goto_user)
    r = client.get("/needs/hearings/template.xlsx?year=2027&prefill=1")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    wb = load_workbook(io.BytesIO(r.content))
    assert wb["課題・支援"]["C2"].value and wb["基本情報"]["B2"].value == 2027  # last year's answers, new year
    client.force_login(nagasaki_user)
    r = client.get("/needs/hearings/template.xlsx?year=2027")
    assert load_workbook(io.BytesIO(r.content))["基本情報"].max_row == 22  # header + 21 municipalities
    r = client.get(f"/needs/hearings/template.xlsx?year=2027&municipality={municipality('五島市').code}")
    assert "hearing_" in r["Content-Disposition"]
    r = client.get("/needs/hearings/export.xlsx?year=2026")
    assert load_workbook(io.BytesIO(r.content))["基本情報"].max_row == 2


def test_cli_import_hearing(tmp_path, nagasaki_user, capsys):
    record = make_hearing(nagasaki_user)
    path = tmp_path / "hearing_五島市.xlsx"
    path.write_bytes(edit(export([record]), {("人材", "C2"): 500}))
    call_command("import_hearing", str(path), "--as", nagasaki_user.username, "--apply")
    assert "取り込みました" in capsys.readouterr().out
    record.refresh_from_db()
    assert record.staff_total == 500
    path.write_bytes(edit(export([record]), {("人材", "C2"): "many"}))
    with pytest.raises(CommandError) as exc:
        call_command("import_hearing", str(path), "--as", nagasaki_user.username)
    assert exc.value.returncode == 2
    out = capsys.readouterr().out
    assert "五島市（hearing_五島市.xlsx、シート「人材」 C2）: 職員数『many』は数値として読めません" in out
    assert "エラー 1件" in out and "何も取り込んでいません" in out


def _as_excel_saves_it(content: bytes) -> bytes:
    """The same workbook with a shared string table, as Excel writes it (openpyxl writes inline strings)."""
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(content))
    strings: dict[str, int] = {}

    def shared(m):
        idx = strings.setdefault(m.group(3), len(strings))
        return f'<c r="{m.group(1)}"{m.group(2)} t="s"><v>{idx}</v></c>'

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(r'<c r="([A-Z]+\d+)"((?: s="\d+")?) t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>',
                              shared, data.decode()).encode()
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats'
                                    b'.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                    b"</Relationships>")
            dst.writestr(item, data)
        sst = "".join(f"<si><t>{s}</t></si>" for s in strings)
        dst.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                             f'count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>')
    return out.getvalue()


def test_files_saved_by_excel_read_the_same(nagasaki_user):
    from datetime import datetime

    record = make_hearing(nagasaki_user)
    content = edit(export([record]), {("DXステップ", "G2"): datetime(2022, 3, 31)})  # a real date cell
    excel_like = _as_excel_saves_it(content)
    assert b"sharedStrings" in excel_like and b"inlineStr" not in excel_like
    ours, theirs = parse_workbooks([("a.xlsx", content)]), parse_workbooks([("a.xlsx", excel_like)])
    assert not ours.errors and not theirs.errors
    assert ours.records[(record.municipality.code, 2026)].data == theirs.records[(record.municipality.code, 2026)].data
    assert str(theirs.records[(record.municipality.code, 2026)].data["policy_adopted_on"]) == "2022-03-31"
    # The Excel-saved export of the stored record changes nothing (it reads the same values back).
    assert hearing_import(actor=nagasaki_user, files=[("excel.xlsx", excel_like)])["changes"] == 0


# Anything a person can type into a cell: text (with full-width, control and emoji characters), numbers of any
# size and sign, dates, booleans, formulas, blanks.
cell_values = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40),
    st.sampled_from(["移行済み", "はい", "いいえ", "２０２６", "2026-13-01", "=1/0", "ー", "　", "令和8年4月"]),
    st.dates().map(lambda d: d.isoformat()),
)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from(list(SHEETS)), st.integers(min_value=1, max_value=30),
                                cell_values), min_size=1, max_size=4))
def test_any_cell_edit_imports_or_is_reported_and_never_half_writes(nagasaki_user, edits):
    record = make_hearing(nagasaki_user)
    before = snapshot([record])
    content = export([record])
    wb = load_workbook(io.BytesIO(content))
    for sheet, column, value in edits:
        if isinstance(value, str) and any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
            value = value.encode("unicode_escape").decode()  # openpyxl refuses control characters outright
        wb[sheet].cell(row=2, column=column, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    try:
        result = hearing_import(actor=nagasaki_user, files=[("fuzz.xlsx", buf.getvalue())])
    except HearingImportError as exc:
        assert exc.errors
        for e in exc.errors:
            assert e.file == "fuzz.xlsx" and e.message  # located, with a message
        record.refresh_from_db()
        assert snapshot([record]) == before  # nothing written
    else:
        assert result["created"] == 0 and result["updated"] + result["unchanged"] == 1 and result["files"] == 1


# --- clerks' formats (issue 13 item 5) ------------------------------------------------------------------------
# A clerk types dates as 和暦 text, months as 「2027年9月」, numbers with commas and units, and saves from
# LibreOffice as .ods: each reads as the value the person meant, and every error names the municipality.

CLERK_CELLS = {
    ("基本情報", "E2"): "令和8年7月1日",  # ヒアリング実施日 as 和暦 text
    ("DXステップ", "G2"): "2022/3/31",  # 全体方針の決定日, YYYY/M/D typed as text
    ("標準化", "D2"): "2027年9月",  # the first system's 移行予定月
    ("標準化", "F2"): "R9.10",  # the next system's month, abbreviated 和暦
    ("人材", "C2"): "１，２００人",  # 職員数: full-width, with a comma and a unit
    ("人材", "D2"): "12",
    ("課題・支援", "E2"): "2026/4/1",  # 支援開始希望日
    ("課題・支援", "F2"): "12か月",
    ("課題・支援", "G2"): "２．５",
    ("課題・支援", "I2"): "3,600,000",  # 予算（円）
}
CLERK_VALUES = {"heard_on": date(2026, 7, 1), "policy_adopted_on": date(2022, 3, 31), "staff_total": 1200,
                "it_staff": 12, "support_from": date(2026, 4, 1), "support_months": 12, "budget_yen": 3_600_000}


def _check_clerk_values(record):
    record.refresh_from_db()
    for name, value in CLERK_VALUES.items():
        assert getattr(record, name) == value, name
    assert float(record.days_per_week) == 2.5
    first, second = (SHEETS["標準化"][i].header.split("（")[0] for i in (3, 5))  # the systems of D and F
    assert record.systems[first]["planned_month"] == "2027-09"
    assert record.systems[second]["planned_month"] == "2027-10"


def test_wareki_text_dates_months_and_comma_numbers_import(nagasaki_user):
    record = make_hearing(nagasaki_user, days_per_week=1, support_months=6)
    hearing_import(actor=nagasaki_user, files=[("clerk.xlsx", edit(export([record]), CLERK_CELLS))])
    _check_clerk_values(record)


def test_the_same_file_saved_as_ods_imports_the_same(nagasaki_user):
    record = make_hearing(nagasaki_user, days_per_week=1, support_months=6)
    content = xlsx_to_ods(export([record]), cells=CLERK_CELLS)
    assert content[30:38] == b"mimetype"
    result = hearing_import(actor=nagasaki_user, files=[("clerk.ods", content)])
    assert result["updated"] == 1
    _check_clerk_values(record)


def test_an_ods_export_reads_exactly_as_the_xlsx_it_came_from(needs_demo):
    content = export(nagasaki_2026())
    from_xlsx = parse_workbooks([("n.xlsx", content)])
    from_ods = parse_workbooks([("n.ods", xlsx_to_ods(content))])
    assert not from_xlsx.errors and not from_ods.errors
    assert {k: r.cells for k, r in from_ods.records.items()} == {k: r.cells for k, r in from_xlsx.records.items()}
    assert len(from_ods.records) == 21


def test_ods_is_recognised_by_its_content_not_its_name(nagasaki_user):
    record = make_hearing(nagasaki_user)
    content = xlsx_to_ods(export([record]), cells={("人材", "C2"): 777})
    hearing_import(actor=nagasaki_user, files=[("renamed.xlsx", content)])
    record.refresh_from_db()
    assert record.staff_total == 777
    # A writer that deflates the mimetype and puts it last is still recognised.
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(xlsx_to_ods(export([record]), cells={("人材", "C2"): 778})))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist(), key=lambda n: n == "mimetype"):
            dst.writestr(name, src.read(name))
    hearing_import(actor=nagasaki_user, files=[("late.ods", buf.getvalue())])
    record.refresh_from_db()
    assert record.staff_total == 778


def test_ods_cells_of_other_types_and_a_formula_without_a_result(nagasaki_user):
    record = make_hearing(nagasaki_user)
    content = xlsx_to_ods(export([record]), cells={
        ("基本情報", "E2"): date(2026, 6, 3),  # a real date cell
        ("DXステップ", "J2"): True,  # CIOの任命 as a TRUE cell
        ("人材", "C2"): Formula("SUM(400;80)", 480),  # a formula with its result: the result is read
        ("人材", "D2"): Formula("SUM(1;2)"),  # without one: an error at its cell, never a blank
    })
    with pytest.raises(HearingImportError) as exc:
        hearing_import(actor=nagasaki_user, files=[("f.ods", content)])
    (e,) = exc.value.errors
    assert (e.sheet, e.row, e.column) == ("人材", 2, "D") and "SUM(1;2)" in e.message and "計算結果" in e.message
    assert str(e).startswith("五島市（f.ods、シート「人材」 D2）: ")
    content = xlsx_to_ods(export([record]), cells={("基本情報", "E2"): date(2026, 6, 3), ("DXステップ", "J2"): True,
                                                   ("人材", "C2"): Formula("SUM(400;80)", 480)})
    hearing_import(actor=nagasaki_user, files=[("f.ods", content)])
    record.refresh_from_db()
    assert record.heard_on == date(2026, 6, 3) and record.cio_appointed is True and record.staff_total == 480


def test_a_blank_ods_cell_never_erases(nagasaki_user):
    record = make_hearing(nagasaki_user)
    before = snapshot([record])
    blank = {(sheet, f"{get_column_letter(i + 1)}2"): None for sheet, cols in SHEETS.items()
             for i, c in enumerate(cols) if i >= 2}
    content = xlsx_to_ods(export([record]), cells=blank | {("人材", "C2"): 481})
    result = hearing_import(actor=nagasaki_user, files=[("b.ods", content)])
    assert result["updated"] == 1 and result["changes"] == 1
    record.refresh_from_db()
    after = snapshot([record])
    assert after[("422118", 2026)].pop("staff_total") == 481
    before[("422118", 2026)].pop("staff_total")
    assert after == before


def test_errors_name_the_municipality_and_the_cell(needs_demo, nagasaki_user):
    content = edit(export(nagasaki_2026()[:3]), {
        ("基本情報", "E2"): "令和7年13月1日",
        ("人材", "C3"): "3,60,000",
        ("課題・支援", "I4"): "480人",
        ("基本情報", "A4"): "999999",  # no such code: the row's own name cell names it
    })
    with pytest.raises(HearingImportError) as exc:
        hearing_import(actor=nagasaki_user, files=[("n.xlsx", content)])
    lines = [str(e) for e in exc.value.errors]
    names = [r.municipality.name for r in nagasaki_2026()[:3]]
    assert f"{names[0]}（n.xlsx、シート「基本情報」 E2）: ヒアリング実施日『令和7年13月1日』: 13月はありません" in lines
    assert any(x.startswith(f"{names[1]}（n.xlsx、シート「人材」 C3）: 職員数『3,60,000』: 桁区切り") for x in lines)
    assert any(x.startswith(f"{names[2]}（n.xlsx、シート「課題・支援」 I4）: 予算（円）『480人』: 単位「人」")
               for x in lines)
    assert any(x.startswith(f"{names[2]}（n.xlsx、シート「基本情報」 A4）: 団体コード「999999」") for x in lines)
    # The page's table and the stored list (and so its CSV) carry the name too.
    assert all(e.municipality for e in exc.value.errors)


def test_fiscal_year_and_code_in_clerks_forms(nagasaki_user):
    record = make_hearing(nagasaki_user)
    content = edit(export([record]), {("人材", "A2"): "４２２１１８", ("人材", "B2"): "令和8年度", ("人材", "C2"): 501})
    hearing_import(actor=nagasaki_user, files=[("y.xlsx", content)])
    record.refresh_from_db()
    assert record.staff_total == 501
    content = edit(export([record]), {("人材", "B2"): "平成32年度", ("人材", "C2"): 502})
    with pytest.raises(HearingImportError) as exc:
        hearing_import(actor=nagasaki_user, files=[("y.xlsx", content)])
    assert "令和2年" in exc.value.errors[0].message


def test_an_old_xls_file_is_refused_with_what_to_do():
    parsed = parse_workbooks([("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500)])
    (e,) = parsed.errors
    assert ".xls" in e.message and ".xlsx" in e.message and str(e).startswith("old.xls: ")


def test_cli_prints_a_summary_and_json_only_when_asked(tmp_path, needs_demo, nagasaki_user, capsys):
    import json

    records = nagasaki_2026()[:2]
    path = tmp_path / "two.ods"
    path.write_bytes(xlsx_to_ods(export(records), cells={("人材", "C2"): "1,234人"}))
    call_command("import_hearing", str(path), "--as", nagasaki_user.username)
    out = capsys.readouterr().out
    assert "新規 0件 ／ 更新 1件 ／ 変更なし 1件" in out and "エラー 0件" in out and "書き込んでいません" in out
    assert "人材: 職員数" in out and "→ 1234" in out and not out.lstrip().startswith("{")
    path.write_bytes(xlsx_to_ods(export(records), cells={("人材", "C2"): "many", ("人材", "C3"): "令和"}))
    with pytest.raises(CommandError) as exc:
        call_command("import_hearing", str(path), "--as", nagasaki_user.username)
    assert exc.value.returncode == 2 and "\n" not in str(exc.value) and "2件のエラー" in str(exc.value)
    out = capsys.readouterr().out
    assert "エラー 2件" in out and f"{records[0].municipality.name}（two.ods、シート「人材」 C2）" in out
    with pytest.raises(CommandError):
        call_command("import_hearing", str(path), "--as", nagasaki_user.username, "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "rejected" and data["error_count"] == 2
    assert data["errors"][0] == {"file": "two.ods", "sheet": "人材", "row": 2, "column": "C", "cell": "C2",
                                 "code": records[0].municipality.code, "municipality": records[0].municipality.name,
                                 "message": "職員数『many』は数値として読めません"}

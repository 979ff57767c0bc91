"""The Excel hearing sheet: one layout for a template and an export, a round trip to the same data, every error
located by file/sheet/row/column with nothing written, re-imports that update, and the CLI."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

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
        ("DXステップ", "G4"): "令和4年3月",  # 全体方針の決定日 is not an ISO date
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
    assert "hearing_五島市.xlsx / 標準化 / 5行目 / C列: 「移行済」は選択肢にありません（未着手・準備中・移行中・移行済み）" in lines
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
    assert "hearing_五島市.xlsx / 人材 / 2行目 / C列" in capsys.readouterr().err


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

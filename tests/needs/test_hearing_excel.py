"""The Excel hearing sheet: round trip, errors located by file/sheet/row/column, all-or-nothing, upsert."""

import io

import pytest
from openpyxl import load_workbook

from dxpool.core.demo import demo_load
from dxpool.core.errors import Forbidden
from dxpool.needs.excel import FORMAT_VERSION, SHEETS, record_row, write_workbook
from dxpool.needs.models import HearingRecord
from dxpool.needs.services import HearingImportError, hearing_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def nagasaki_records(db):
    demo_load()
    return list(HearingRecord.objects.filter(municipality__prefecture__code="42", fiscal_year=2026)
                .select_related("municipality", "grouping"))


def snapshot(records):
    return {(r.municipality.code, r.fiscal_year): {s: record_row(r, s) for s in SHEETS} for r in records}


def test_template_has_version_and_dropdowns():
    wb = load_workbook(io.BytesIO(write_workbook(blank_rows=[("422118", "五島市", 2026)])))
    assert wb["様式情報"]["B1"].value == FORMAT_VERSION
    assert list(SHEETS) == wb.sheetnames[1:]
    ws = wb["重点取組"]
    assert ws["A2"].value == "422118" and ws.data_validations.dataValidation
    assert any("未着手" in dv.formula1 for dv in ws.data_validations.dataValidation)


def test_export_import_round_trip(nagasaki_records, nagasaki_user):
    before = snapshot(nagasaki_records)
    content = write_workbook(nagasaki_records)
    HearingRecord.objects.filter(municipality__prefecture__code="42", fiscal_year=2026).delete()
    result = hearing_import(actor=nagasaki_user, files=[("export.xlsx", content)])
    assert result == {"created": 21, "updated": 0, "files": 1}
    after = HearingRecord.objects.filter(municipality__prefecture__code="42", fiscal_year=2026).select_related(
        "municipality", "grouping")
    assert snapshot(after) == before


def test_reimport_updates_never_duplicates(nagasaki_records, nagasaki_user):
    content = write_workbook(nagasaki_records)
    count = HearingRecord.objects.count()
    assert hearing_import(actor=nagasaki_user, files=[("a.xlsx", content)])["updated"] == 21
    assert HearingRecord.objects.count() == count


def _corrupt(content: bytes) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    wb["標準化"]["C3"] = "移行済"  # not a choice (the choice is 移行済み)
    wb["基本情報"]["D5"] = "たくさん"  # staff count is not a number
    wb["DXステップ"]["G4"] = "令和4年3月"  # not an ISO date
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_three_errors_reported_and_nothing_written(nagasaki_records, nagasaki_user):
    HearingRecord.objects.filter(municipality__prefecture__code="42", fiscal_year=2026).delete()
    bad = _corrupt(write_workbook(nagasaki_records))
    with pytest.raises(HearingImportError) as exc:
        hearing_import(actor=nagasaki_user, files=[("good.xlsx", write_workbook(nagasaki_records[:3])),
                                                   ("hearing_bad.xlsx", bad)])
    located = {(e.file, e.sheet, e.row, e.column) for e in exc.value.errors}
    assert located == {("hearing_bad.xlsx", "標準化", 3, "C"), ("hearing_bad.xlsx", "基本情報", 5, "D"),
                       ("hearing_bad.xlsx", "DXステップ", 4, "G")}
    messages = " ".join(str(e) for e in exc.value.errors)
    assert "「移行済」は選択肢にありません" in messages and "5行目" in messages and "D列" in messages
    assert not HearingRecord.objects.filter(municipality__prefecture__code="42", fiscal_year=2026).exists()


def test_scope_and_wrong_files(nagasaki_records, hiroshima_user, goto_user):
    content = write_workbook(nagasaki_records)
    with pytest.raises(HearingImportError) as exc:
        hearing_import(actor=hiroshima_user, files=[("x.xlsx", content)])
    assert "権限がありません" in str(exc.value.errors[0])
    with pytest.raises(HearingImportError) as exc:
        hearing_import(actor=goto_user, files=[("x.xlsx", content)])
    assert len(exc.value.errors) == 20  # every row but 五島市's own
    with pytest.raises(HearingImportError) as exc:
        hearing_import(actor=goto_user, files=[("notes.xlsx", b"not a workbook")])
    assert "読み込めません" in str(exc.value.errors[0])


def test_applicant_cannot_import(applicant):
    with pytest.raises(Forbidden):
        hearing_import(actor=applicant, files=[("x.xlsx", b"")])


def test_hearing_flags(nagasaki_records):
    for r in nagasaki_records:
        assert r.hitori_joshis == (r.it_staff <= 1)
        assert 0 <= r.standardisation_progress <= 1 and -1 <= r.step_reached <= 3

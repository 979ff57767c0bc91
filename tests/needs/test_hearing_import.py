"""The hearing import cannot destroy data (issue 12): a blank cell is "no change", clearing takes 「（削除）」, a
formula without a cached value is an error at its cell; an import is a preview first, applied only as
previewed, and undone as a whole."""

import io

import pytest
from openpyxl import load_workbook

from dxpool.core.errors import Conflict, Forbidden
from dxpool.core.models import AuditEvent
from dxpool.needs import selectors, services
from dxpool.needs.excel import HearingEntry, write_workbook
from dxpool.needs.models import HearingImportBatch, HearingRecord, ImportStatus
from dxpool.needs.selectors import hearing_data, hearing_template_workbook
from tests.needs.builders import make_hearing, municipality

pytestmark = pytest.mark.django_db


def snapshot(records):
    out = {}
    for r in records:
        r.refresh_from_db()
        d = hearing_data(r)
        d.pop("grouping")
        out[(r.municipality.code, r.fiscal_year)] = d
    return out


def nagasaki(year=2026):
    return list(HearingRecord.objects.filter(municipality__prefecture__code="42", fiscal_year=year)
                .select_related("municipality__prefecture", "grouping").order_by("municipality__code"))


def edit(content: bytes, cells: dict) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    for (sheet, ref), value in cells.items():
        wb[sheet][ref] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def row_of(content: bytes, sheet: str, code: str) -> int:
    ws = load_workbook(io.BytesIO(content))[sheet]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == code)


def one_row(record, data) -> bytes:
    m = record.municipality
    return write_workbook([HearingEntry(m.code, m.name, m.prefecture.name, record.fiscal_year, data)])


# --- the findings ----------------------------------------------------------------------------------------------

def test_blank_template_with_one_municipality_filled_leaves_the_other_twenty_alone(needs_demo, nagasaki_user):
    records = nagasaki()
    before = snapshot(records)
    template, _ = hearing_template_workbook(user=nagasaki_user, fiscal_year=2026)
    goto = municipality("五島市")
    content = edit(template, {("人材", f"C{row_of(template, '人材', goto.code)}"): 499})
    result = services.hearing_import(actor=nagasaki_user, files=[("template.xlsx", content)])
    assert result["updated"] == 1 and result["created"] == 0 and result["skipped_blank"] == 20
    after = snapshot(records)
    key = (goto.code, 2026)
    assert after[key]["staff_total"] == 499
    after[key]["staff_total"] = before[key]["staff_total"]
    assert after == before  # every other answer of every municipality, 五島市's included, is as it was


def test_a_one_row_file_does_not_blank_the_stored_answers(nagasaki_user):
    systems = {name: {"status": "migrating", "planned_month": "2026-12"} for name in
               ["児童手当", "住民基本台帳", "選挙人名簿管理", "固定資産税", "個人住民税", "法人住民税", "軽自動車税",
                "就学", "国民健康保険", "国民年金", "障害者福祉", "後期高齢者医療", "介護保険", "生活保護", "健康管理",
                "児童扶養手当", "子ども・子育て支援", "戸籍", "戸籍の附票", "印鑑登録"]}
    record = make_hearing(nagasaki_user, systems=systems)
    content = one_row(record, {"systems": {"戸籍": {"status": "migrated"}, "印鑑登録": {"status": "migrated"}}})
    services.hearing_import(actor=nagasaki_user, files=[("one.xlsx", content)])
    record.refresh_from_db()
    assert len(record.systems) == 20  # was 2 before the fix
    assert record.systems["戸籍"] == {"status": "migrated", "planned_month": "2026-12"}
    assert record.systems["児童手当"] == {"status": "migrating", "planned_month": "2026-12"}
    assert record.issues and record.staff_total == 480 and record.steps  # other sheets untouched too


def test_a_formula_without_a_cached_value_is_an_error_at_its_cell(nagasaki_user):
    record = make_hearing(nagasaki_user)
    content = edit(one_row(record, {}), {("人材", "C2"): "=SUM(1,2)"})  # openpyxl saves no cached value
    with pytest.raises(services.HearingImportError) as exc:
        services.hearing_import(actor=nagasaki_user, files=[("f.xlsx", content)])
    (e,) = exc.value.errors
    assert (e.file, e.sheet, e.row, e.column) == ("f.xlsx", "人材", 2, "C") and "数式" in e.message
    record.refresh_from_db()
    assert record.staff_total == 480


@pytest.mark.parametrize("marker", ["（削除）", "(削除)", " （削除） "])
def test_clearing_takes_the_explicit_marker(nagasaki_user, marker):
    record = make_hearing(nagasaki_user)
    content = edit(one_row(record, {}), {("人材", "C2"): marker, ("標準化", "E2"): marker,  # 住民基本台帳（状況）
                                         ("課題・支援", "C2"): marker})
    batch = services.hearing_import_preview(actor=nagasaki_user, files=[("c.xlsx", content)])
    changes = {path: (old, new) for path, old, new in batch.plan[0]["changes"]}
    assert changes == {"staff_total": (480, None), "systems.住民基本台帳.status": ("migrated", None),
                       "issues": ("基幹系システムの標準化のスケジュール管理が追いつかない。", None)}
    services.hearing_import_confirm(actor=nagasaki_user, batch=batch)
    record.refresh_from_db()
    assert record.staff_total is None and record.issues == ""
    assert record.systems["住民基本台帳"] == {"planned_month": "2025-10"}  # the month was left as it was


def test_the_marker_is_refused_where_a_value_is_required(nagasaki_user):
    record = make_hearing(nagasaki_user)
    content = edit(one_row(record, {}), {("人材", "B2"): "（削除）"})
    with pytest.raises(services.HearingImportError) as exc:
        services.hearing_import(actor=nagasaki_user, files=[("c.xlsx", content)])
    assert exc.value.errors[0].column == "B"


# --- preview, confirm, undo -------------------------------------------------------------------------------------

def test_preview_writes_nothing_and_confirm_applies_exactly_what_was_previewed(nagasaki_user):
    record = make_hearing(nagasaki_user)
    content = edit(one_row(record, {"staff_total": 480, "respondent": "企画課 係長"}), {("人材", "D2"): 3})
    before = snapshot([record])
    batch = services.hearing_import_preview(actor=nagasaki_user, files=[("p.xlsx", content)])
    assert batch.status == ImportStatus.PREVIEWED and snapshot([record]) == before
    assert batch.counts == {"records": 1, "created": 0, "updated": 1, "unchanged": 0, "skipped_blank": 0,
                            "changes": 1}
    (entry,) = batch.plan
    assert entry["changes"] == [["it_staff", 2, 3]] and entry["same"] == 2  # 職員数 and 回答者: same values
    assert len(batch.files[0]["sha256"]) == 64 and batch.files[0]["name"] == "p.xlsx"
    assert not AuditEvent.objects.filter(action="hearing.import").exists()
    services.hearing_import_confirm(actor=nagasaki_user, batch=batch)
    record.refresh_from_db()
    assert record.it_staff == 3 and batch.status == ImportStatus.APPLIED
    event = AuditEvent.objects.get(action="hearing.import")
    assert event.detail["batch"] == batch.pk and event.detail["updated"] == 1
    with pytest.raises(Conflict):
        services.hearing_import_confirm(actor=nagasaki_user, batch=batch)  # once only


def test_confirm_refuses_when_the_record_changed_after_the_preview(nagasaki_user):
    record = make_hearing(nagasaki_user)
    batch = services.hearing_import_preview(actor=nagasaki_user,
                                            files=[("p.xlsx", one_row(record, {"it_staff": 3}))])
    services.hearing_save(actor=nagasaki_user, municipality=record.municipality, fiscal_year=2026,
                          data={"it_staff": 4})
    with pytest.raises(Conflict, match="五島市"):
        services.hearing_import_confirm(actor=nagasaki_user, batch=batch)
    record.refresh_from_db()
    assert record.it_staff == 4  # the later change stands


def test_only_the_uploader_confirms(nagasaki_user, goto_user):
    record = make_hearing(nagasaki_user)
    batch = services.hearing_import_preview(actor=nagasaki_user,
                                            files=[("p.xlsx", one_row(record, {"it_staff": 3}))])
    with pytest.raises(Forbidden):
        services.hearing_import_confirm(actor=goto_user, batch=batch)


def test_undo_restores_updates_and_deletes_what_the_import_created(nagasaki_user):
    goto = make_hearing(nagasaki_user)
    before = snapshot([goto])
    iki = municipality("壱岐市")
    content = write_workbook([
        HearingEntry(goto.municipality.code, "五島市", "長崎県", 2026, {"it_staff": 3, "issues": "=HYPERLINK(\"x\")"}),
        HearingEntry(iki.code, "壱岐市", "長崎県", 2026, {"staff_total": 360, "it_staff": 2})])
    result = services.hearing_import(actor=nagasaki_user, files=[("u.xlsx", content)])
    assert (result["created"], result["updated"]) == (1, 1)
    batch = HearingImportBatch.objects.get(pk=result["batch"])
    services.hearing_import_undo(actor=nagasaki_user, batch=batch)
    assert snapshot([goto]) == before
    assert not HearingRecord.objects.filter(municipality=iki, fiscal_year=2026).exists()
    assert batch.status == ImportStatus.UNDONE
    event = AuditEvent.objects.get(action="hearing.import_undo")
    assert event.detail["batch"] == batch.pk and event.detail["restored"] == 1 and event.detail["deleted"] == 1
    with pytest.raises(Conflict):
        services.hearing_import_undo(actor=nagasaki_user, batch=batch)


def test_undo_refuses_when_a_record_was_changed_after_the_import(nagasaki_user):
    goto = make_hearing(nagasaki_user)
    result = services.hearing_import(actor=nagasaki_user, files=[("u.xlsx", one_row(goto, {"it_staff": 3}))])
    services.hearing_save(actor=nagasaki_user, municipality=goto.municipality, fiscal_year=2026,
                          data={"it_staff": 4})
    batch = HearingImportBatch.objects.get(pk=result["batch"])
    with pytest.raises(Conflict, match="五島市"):
        services.hearing_import_undo(actor=nagasaki_user, batch=batch)
    goto.refresh_from_db()
    assert goto.it_staff == 4 and HearingImportBatch.objects.get(pk=batch.pk).status == ImportStatus.APPLIED


def test_who_undoes(nagasaki_user, goto_user, iki_user, hiroshima_user):
    goto = make_hearing(nagasaki_user)
    own = services.hearing_import(actor=goto_user, files=[("g.xlsx", one_row(goto, {"it_staff": 3}))])
    by_pref = services.hearing_import(actor=nagasaki_user, files=[("p.xlsx", one_row(goto, {"it_staff": 4}))])
    own_batch = HearingImportBatch.objects.get(pk=own["batch"])
    pref_batch = HearingImportBatch.objects.get(pk=by_pref["batch"])
    for user in (iki_user, hiroshima_user):
        with pytest.raises(Forbidden):
            services.hearing_import_undo(actor=user, batch=pref_batch)
    with pytest.raises(Forbidden):  # the officer undoes its own imports, not the prefecture's
        services.hearing_import_undo(actor=goto_user, batch=pref_batch)
    services.hearing_import_undo(actor=nagasaki_user, batch=pref_batch)
    services.hearing_import_undo(actor=goto_user, batch=own_batch)
    goto.refresh_from_db()
    assert goto.it_staff == 2


def test_batches_are_scoped(nagasaki_user, goto_user, iki_user, hiroshima_user):
    goto = make_hearing(nagasaki_user)
    own = services.hearing_import(actor=goto_user, files=[("g.xlsx", one_row(goto, {"it_staff": 3}))])
    ids = lambda user: {b.pk for b in selectors.hearing_import_batch_list(user=user)}  # noqa: E731
    assert ids(nagasaki_user) == ids(goto_user) == {own["batch"]}
    assert ids(iki_user) == ids(hiroshima_user) == set()


def test_cli_dry_run_writes_nothing_apply_writes_undo_restores(tmp_path, nagasaki_user, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    goto = make_hearing(nagasaki_user)
    path = tmp_path / "hearing_五島市.xlsx"
    path.write_bytes(one_row(goto, {"it_staff": 3}))
    call_command("import_hearing", str(path), "--as", nagasaki_user.username)
    out = capsys.readouterr().out
    assert "五島市" in out and "情報担当職員数: 2 → 3" in out and "書き込んでいません" in out
    goto.refresh_from_db()
    assert goto.it_staff == 2 and not HearingImportBatch.objects.exists()
    call_command("import_hearing", str(path), "--as", nagasaki_user.username, "--apply", "--json")
    import json

    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "applied" and result["counts"]["updated"] == 1
    goto.refresh_from_db()
    assert goto.it_staff == 3
    call_command("import_hearing", "--as", nagasaki_user.username, "--undo", str(result["batch"]))
    goto.refresh_from_db()
    assert goto.it_staff == 2
    with pytest.raises(CommandError) as exc:
        call_command("import_hearing", "--as", nagasaki_user.username, "--undo", str(result["batch"]))
    assert exc.value.returncode == 2 and "\n" not in str(exc.value)


# --- inert export -------------------------------------------------------------------------------------------------

PAYLOADS = ['=HYPERLINK("http://evil.example/","x")', "+cmd|' /C calc'!A0", "@SUM(1)", "-1+2", "=1+1", "#N/A"]


def test_hearing_export_writes_user_text_as_text_and_round_trips(nagasaki_user):
    record = make_hearing(nagasaki_user, issues=PAYLOADS[0], respondent=PAYLOADS[1], dx_department=PAYLOADS[2],
                          interviewers=PAYLOADS[3], dx_department_placement=PAYLOADS[4],
                          measures={"frontyard": {"status": "planning", "note": PAYLOADS[5]}})
    content = services.hearing_export(actor=nagasaki_user, fiscal_year=2026)
    wb = load_workbook(io.BytesIO(content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value in PAYLOADS]
    assert len(cells) == len(PAYLOADS) and {c.data_type for c in cells} == {"s"}
    assert not any(c.data_type == "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)
    before = snapshot([record])
    batch = services.hearing_import_preview(actor=nagasaki_user, files=[("e.xlsx", content)])
    assert batch.counts["changes"] == 0  # the same text back
    services.hearing_import_confirm(actor=nagasaki_user, batch=batch)
    assert snapshot([record]) == before

"""dxpool.talent.exports (the pool as rows, Excel and CSV) and the audited export service around it."""

import csv
import io

import pytest
from openpyxl import load_workbook

from dxpool.core.errors import Forbidden, ValidationError
from dxpool.core.models import AuditEvent
from dxpool.exchange.tabular import CSV_TYPE, XLSX_TYPE
from dxpool.standard.personas import persona_name
from dxpool.talent import exports, selectors, services

pytestmark = pytest.mark.django_db


def _pool(user, **filters):
    return selectors.pool_search(user=user, filters=selectors.PoolFilters(**filters))


def test_rows_follow_the_headers(make_pool_member, nagasaki_user):
    app = make_pool_member()
    (profile,) = _pool(nagasaki_user, near_municipality="422118")
    (row,) = exports.pool_rows([profile])
    assert len(row) == len(exports.HEADERS)
    by_header = dict(zip(exports.HEADERS, row, strict=True))
    assert by_header["仮名"] == app.profile.pseudonym and by_header["氏名"] == "試験 太郎"
    assert by_header["兼業先"] == ["B社"] and by_header["居住地"] == "長崎県五島市"
    assert by_header["状態"] == "プール登録" and by_header["研修修了"] == "済"
    # Persona names in the user's words, from the standard's one definition.
    assert by_header["標準を満たす人材像"] == [persona_name("engineer")] == ["エンジニア"]
    assert by_header["リモート可"] == "可" and by_header["移動可能距離km"] == 100
    assert by_header["距離km"] == 0.0


def test_untrained_member_without_home(make_pool_member, nagasaki_user):
    make_pool_member(trained=False, home_municipality=None, remote_ok=False)
    (row,) = exports.pool_rows(_pool(nagasaki_user))
    by_header = dict(zip(exports.HEADERS, row, strict=True))
    assert by_header["居住地"] == "" and by_header["研修修了"] == "未" and by_header["リモート可"] == "不可"
    assert by_header["距離km"] is None


def test_files_csv_with_bom_and_xlsx(make_pool_member, nagasaki_user):
    make_pool_member()
    profiles = _pool(nagasaki_user)
    content, content_type = exports.pool_file(profiles, "csv")
    assert content_type == CSV_TYPE and content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == exports.HEADERS and rows[1][1] == "試験 太郎"
    content, content_type = exports.pool_file(profiles, "xlsx")
    assert content_type == XLSX_TYPE
    ws = load_workbook(io.BytesIO(content)).active
    assert ws.title == "人材プール" and [c.value for c in ws[1]] == exports.HEADERS and ws["B2"].value == "試験 太郎"


def test_export_service_audits_with_row_count(make_pool_member, nagasaki_user):
    make_pool_member()
    make_pool_member()
    for fmt in ("csv", "xlsx"):
        export = services.pool_export(actor=nagasaki_user, filters=selectors.PoolFilters(), fmt=fmt)
        assert export.filename.startswith("pool-") and export.filename.endswith(f".{fmt}")
        event = AuditEvent.objects.latest("id")
        assert event.action == f"pool.export.{fmt}" and event.detail == {"rows": 2}
        assert event.actor == nagasaki_user and event.prefecture.code == "42"


def test_export_service_refuses(make_pool_member, nagasaki_user, goto_user):
    make_pool_member()
    before = AuditEvent.objects.count()
    with pytest.raises(Forbidden):
        services.pool_export(actor=goto_user, filters=selectors.PoolFilters(), fmt="csv")
    with pytest.raises(ValidationError):
        services.pool_export(actor=nagasaki_user, filters=selectors.PoolFilters(), fmt="pdf")
    assert AuditEvent.objects.count() == before

"""services.hearing_export: the records in the actor's scope in the template's layout, audited by the service
itself (the page only passes the request on, for the address)."""

import pytest

from dxpool.core.errors import Forbidden, ValidationError
from dxpool.core.models import AuditEvent
from dxpool.needs import services
from dxpool.needs.excel import parse_workbooks
from tests.needs.builders import make_hearing, municipality

pytestmark = pytest.mark.django_db


def codes(content: bytes) -> set[str]:
    return {code for code, _ in parse_workbooks([("x.xlsx", content)]).records}


def test_export_writes_its_own_audit_row(nagasaki_user):
    make_hearing(nagasaki_user, "五島市")
    make_hearing(nagasaki_user, "壱岐市")
    content = services.hearing_export(actor=nagasaki_user, fiscal_year=2026)
    assert codes(content) == {municipality("五島市").code, municipality("壱岐市").code}
    event = AuditEvent.objects.get(action="hearing.export")
    assert event.actor == nagasaki_user and event.prefecture.code == "42"
    assert event.detail == {"fiscal_year": 2026, "rows": 2}


def test_export_scope(nagasaki_user, goto_user, hiroshima_user, kuni_user):
    make_hearing(nagasaki_user, "五島市")
    make_hearing(nagasaki_user, "壱岐市")
    assert codes(services.hearing_export(actor=goto_user, fiscal_year=2026)) == {municipality("五島市").code}
    assert codes(services.hearing_export(actor=hiroshima_user, fiscal_year=2026)) == set()
    # The secretariat exports its scope whatever prefecture it passes.
    assert len(codes(services.hearing_export(actor=nagasaki_user, fiscal_year=2026, prefecture="34"))) == 2
    # A record export is not an aggregate: the national role has none (issue 12, least privilege).
    with pytest.raises(Forbidden):
        services.hearing_export(actor=kuni_user, fiscal_year=2026, prefecture="42")
    assert not AuditEvent.objects.filter(action="hearing.export", actor=kuni_user).exists()
    with pytest.raises(ValidationError, match="年度"):
        services.hearing_export(actor=nagasaki_user, fiscal_year=1999)


def test_export_page_records_the_address(client, nagasaki_user):
    make_hearing(nagasaki_user, "五島市")
    client.force_login(nagasaki_user)
    r = client.get("/needs/hearings/export.xlsx?year=2026", REMOTE_ADDR="192.0.2.7")
    assert r.status_code == 200 and "hearing_2026.xlsx" in r["Content-Disposition"]
    assert AuditEvent.objects.get(action="hearing.export").ip_address == "192.0.2.7"

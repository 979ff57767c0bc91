"""Hearing pages and API: scoping (an officer sees only its own municipality), uploads, suggestions, needs."""

import io

import pytest

from dxpool.core.demo import demo_load
from dxpool.needs.excel import write_workbook
from dxpool.needs.models import HearingRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    demo_load()


def hearing_of(name, year=2026):
    return HearingRecord.objects.get(municipality__name=name, municipality__prefecture__code="42", fiscal_year=year)


def test_officer_sees_own_hearing_only(client, demo, goto_user):
    client.force_login(goto_user)
    assert client.get(f"/needs/hearings/{hearing_of('五島市').pk}/").status_code == 200
    assert client.get(f"/needs/hearings/{hearing_of('壱岐市').pk}/").status_code == 404
    assert client.get(f"/api/v1/hearings/{hearing_of('壱岐市').pk}").status_code == 404
    items = client.get("/api/v1/hearings").json()["items"]
    assert {i["municipality_code"] for i in items} == {"422118"}


def test_prefecture_list_filter_and_detail_with_suggestion(client, demo, nagasaki_user):
    client.force_login(nagasaki_user)
    body = client.get("/needs/hearings/?year=2026").content.decode()
    assert "五島市" in body and "壱岐市" in body
    body = client.get("/needs/hearings/?year=2026&hitori=1").content.decode()
    hitori = HearingRecord.objects.filter(fiscal_year=2026, it_staff__lte=1, municipality__prefecture__code="42")
    assert all(h.municipality.name in body for h in hitori)
    h = hitori.first()
    body = client.get(f"/needs/hearings/{h.pk}/").content.decode()
    assert "必要な人材像の提案" in body and "「" in body


def test_upload_with_errors_shows_all_and_writes_nothing(client, demo, nagasaki_user):
    from openpyxl import load_workbook

    client.force_login(nagasaki_user)
    records = list(HearingRecord.objects.filter(municipality__prefecture__code="42", fiscal_year=2026))
    wb = load_workbook(io.BytesIO(write_workbook(records)))
    wb["重点取組"]["C2"] = "やってる"
    buf = io.BytesIO()
    wb.save(buf)
    buf.name = "bad.xlsx"
    buf.seek(0)
    before = HearingRecord.objects.get(pk=records[0].pk).measures
    r = client.post("/needs/hearings/upload/", {"files": [buf]})
    assert r.status_code == 400 and "やってる" in r.content.decode() and "重点取組" in r.content.decode()
    assert HearingRecord.objects.get(pk=records[0].pk).measures == before


def test_template_download(client, demo, goto_user):
    client.force_login(goto_user)
    r = client.get("/needs/hearings/template.xlsx?year=2027")
    assert r.status_code == 200 and r.content[:2] == b"PK"


def test_suggestion_api(client, goto_user):
    client.force_login(goto_user)
    r = client.post("/api/v1/suggestions", {"text": "RPAを導入したい"}, content_type="application/json")
    assert r.json()["personas"][0]["code"] == "engineer"
    r = client.post("/api/v1/suggestions", {"text": "  "}, content_type="application/json")
    assert r.status_code == 400


def test_need_api_scoping(client, demo, goto_user, nagasaki_user):
    client.force_login(goto_user)
    r = client.post("/api/v1/needs", {"title": "RPA", "persona": "engineer", "municipalities": ["422100"],
                                      "hours_per_week": 8}, content_type="application/json")
    assert r.status_code == 403  # 壱岐市 is not 五島市
    r = client.post("/api/v1/needs", {"title": "RPA", "persona": "engineer", "municipalities": ["422118"],
                                      "hours_per_week": 8}, content_type="application/json")
    assert r.status_code == 201
    codes = {tuple(n["municipalities"]) for n in client.get("/api/v1/needs?limit=100").json()["items"]}
    assert all("422118" in c for c in codes)
    r = client.post("/api/v1/needs", {"title": "x", "persona": "engineer", "municipalities": ["422118"],
                                      "hours_per_week": 80}, content_type="application/json")
    assert r.status_code == 400 and "週あたり時間" in r.json()["error"]["message"]

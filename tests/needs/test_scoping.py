"""Scope: an officer sees and edits only its own municipality (404 for another, in the UI and the API alike);
a prefecture only its own; national reads everything and writes nothing."""

import pytest

from dxpool.needs.models import HearingRecord
from tests.needs.builders import hearing_payload, make_hearing, make_jd, municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(nagasaki_user):
    return {"五島市": make_hearing(nagasaki_user, "五島市"), "壱岐市": make_hearing(nagasaki_user, "壱岐市")}


def test_officer_sees_only_own_hearing_in_ui(client, records, goto_user):
    client.force_login(goto_user)
    own, other = records["五島市"], records["壱岐市"]
    assert client.get(f"/needs/hearings/{own.pk}/").status_code == 200
    assert client.get(f"/needs/hearings/{own.pk}/edit/").status_code == 200
    for url in (f"/needs/hearings/{other.pk}/", f"/needs/hearings/{other.pk}/edit/",
                f"/needs/hearings/new/?municipality={other.municipality.code}",
                f"/needs/municipalities/{other.municipality.code}/"):
        assert client.get(url).status_code == 404, url
    body = client.get("/needs/hearings/?year=2026").content.decode()
    assert "五島市" in body and "壱岐市" not in body


def test_officer_cannot_edit_another_municipality(client, records, goto_user):
    client.force_login(goto_user)
    other = records["壱岐市"]
    r = client.post(f"/needs/hearings/{other.pk}/edit/", {"staff_total": 1, "talent_policy_status": "none"})
    assert r.status_code == 404
    r = client.post("/api/v1/hearings", {"municipality": other.municipality.code, "fiscal_year": 2026,
                                         "data": {"staff_total": 1}}, content_type="application/json")
    assert r.status_code == 404 and r.json()["error"]["code"] == "NotFound"
    assert HearingRecord.objects.get(pk=other.pk).staff_total == 480


def test_officer_api_scope(client, records, goto_user):
    client.force_login(goto_user)
    assert client.get(f"/api/v1/hearings/{records['壱岐市'].pk}").status_code == 404
    assert client.get(f"/api/v1/hearings/{records['壱岐市'].pk}/roles").status_code == 404
    items = client.get("/api/v1/hearings").json()["items"]
    assert [i["municipality_code"] for i in items] == [municipality("五島市").code]
    r = client.post("/api/v1/hearings", {"municipality": municipality("五島市").code, "fiscal_year": 2026,
                                         "data": {"dx_leaders": 9}}, content_type="application/json")
    assert r.status_code == 200 and r.json()["data"]["dx_leaders"] == 9
    assert r.json()["data"]["staff_total"] == 480  # keys left out keep their value


def test_jd_scope(client, nagasaki_user, goto_user, iki_user, hiroshima_user, islands):
    from dxpool.needs.services import jd_create
    from tests.needs.builders import jd_payload

    own = make_jd(nagasaki_user, "五島市")
    other = make_jd(nagasaki_user, "壱岐市")
    joint = jd_create(actor=nagasaki_user, grouping=islands, data=jd_payload(title="共同"))
    client.force_login(goto_user)
    assert client.get(f"/needs/jds/{own.pk}/").status_code == 200
    assert client.get(f"/needs/jds/{joint.pk}/").status_code == 200  # a member sees the joint JD …
    assert client.get(f"/needs/jds/{joint.pk}/edit/").status_code == 403  # … but only the prefecture edits it
    for url in (f"/needs/jds/{other.pk}/", f"/needs/jds/{other.pk}/pdf/", f"/api/v1/jds/{other.pk}",
                f"/needs/jds/{other.pk}/print/"):
        assert client.get(url).status_code == 404, url
    client.force_login(iki_user)
    assert client.get(f"/needs/jds/{joint.pk}/").status_code == 404  # 壱岐市 is not in this grouping
    client.force_login(hiroshima_user)
    assert client.get(f"/needs/jds/{own.pk}/").status_code == 404
    assert client.get("/api/v1/jds").json()["count"] == 0


def test_prefecture_other_prefecture_and_national_write_nothing(client, records, hiroshima_user, kuni_user):
    client.force_login(hiroshima_user)
    assert client.get(f"/needs/hearings/{records['五島市'].pk}/").status_code == 404
    assert client.get("/needs/overview/?prefecture=42").status_code == 404
    client.force_login(kuni_user)
    # National users read aggregates, not records (issue 12: tests/needs/test_national.py), and write nothing.
    assert client.get(f"/needs/hearings/{records['五島市'].pk}/").status_code == 404
    assert client.get(f"/needs/hearings/{records['五島市'].pk}/edit/").status_code == 403
    r = client.post("/api/v1/hearings", {"municipality": municipality("五島市").code, "fiscal_year": 2026,
                                         "data": hearing_payload()}, content_type="application/json")
    assert r.status_code == 403


def test_talent_and_anonymous(client, records, applicant):
    assert client.get("/needs/hearings/").status_code == 302
    client.force_login(applicant)
    assert client.get("/needs/hearings/").status_code == 403
    assert client.get("/api/v1/hearings").json()["count"] == 0
    assert client.get(f"/api/v1/hearings/{records['五島市'].pk}").status_code == 404

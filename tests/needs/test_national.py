"""Least privilege for the national role (issue 12): it reads the national roll-up and each prefecture's
municipality figures, never a record — no hearing (with its respondent and interviewers), no job description (with
who ticked each checklist item), no need, no record export; list pages send it to the roll-up."""

import pytest

from dxpool.needs import selectors
from dxpool.needs.models import HearingRecord, JobDescription, Need
from dxpool.needs.nav import items
from tests.needs.builders import municipality

pytestmark = pytest.mark.django_db
ROLLUP = "/needs/overview/"


@pytest.fixture
def records(needs_demo):
    goto = municipality("五島市")
    return {"hearing": HearingRecord.objects.filter(municipality=goto).first(),
            "jd": JobDescription.objects.filter(municipality=goto, status="submitted").first(),
            "need": Need.objects.filter(municipalities=goto).first(), "code": goto.code}


def test_record_pages_are_not_found_for_national(client, records, kuni_user):
    client.force_login(kuni_user)
    h, jd, need = records["hearing"].pk, records["jd"].pk, records["need"].pk
    for url in (f"/needs/hearings/{h}/", f"/needs/municipalities/{records['code']}/", f"/needs/jds/{jd}/",
                f"/needs/jds/{jd}/versions/1/", f"/needs/jds/{jd}/print/", f"/needs/jds/{jd}/pdf/",
                f"/needs/{need}/"):
        assert client.get(url).status_code == 404, url


def test_list_pages_send_national_to_the_rollup(client, records, kuni_user):
    client.force_login(kuni_user)
    for url in ("/needs/hearings/?year=2026", "/needs/jds/", "/needs/?status=open"):
        r = client.get(url)
        assert r.status_code == 302 and r.url.startswith(ROLLUP), url
    assert "全国の集計" in client.get("/needs/jds/", follow=True).content.decode()


def test_no_record_export_for_national(client, records, kuni_user):
    client.force_login(kuni_user)
    assert client.get("/needs/hearings/export.xlsx?year=2026").status_code == 403
    assert client.get("/needs/hearings/export.xlsx?year=2026&prefecture=42").status_code == 403


def test_record_api_is_empty_or_not_found_for_national(client, records, kuni_user):
    client.force_login(kuni_user)
    h, jd, need = records["hearing"].pk, records["jd"].pk, records["need"].pk
    for url in ("/api/v1/hearings", "/api/v1/jds", "/api/v1/needs"):
        assert client.get(url).json()["count"] == 0, url
    for url in (f"/api/v1/hearings/{h}", f"/api/v1/hearings/{h}/roles", f"/api/v1/jds/{jd}",
                f"/api/v1/jds/{jd}/versions", f"/api/v1/jds/{jd}/versions/1", f"/api/v1/needs/{need}"):
        assert client.get(url).status_code == 404, url


def test_selectors_give_national_no_rows(records, kuni_user):
    assert not selectors.hearing_scope(user=kuni_user).exists()
    assert not selectors.jd_scope(user=kuni_user).exists()
    assert not selectors.need_scope(user=kuni_user).exists()


def test_the_rollup_keeps_its_figures_and_adds_the_personas_needed(client, records, kuni_user):
    client.force_login(kuni_user)
    rollup = selectors.national_rollup(user=kuni_user, fiscal_year=2026)
    nagasaki = next(r for r in rollup.prefectures if r.prefecture.code == "42")
    assert nagasaki.recorded == 21 and nagasaki.needs_open == 21 and nagasaki.jds_submitted == 21
    assert sum(p.open for p in rollup.personas) == 21 and all(p.name for p in rollup.personas)
    body = client.get(f"{ROLLUP}?year=2026").content.decode()
    assert "求められている人材像" in body and "プロジェクトマネージャー" in body
    data = client.get("/api/v1/hearing-overview?fiscal_year=2026").json()
    assert sum(p["open"] for p in data["personas"]) == 21
    assert sum(next(p for p in data["prefectures"] if p["code"] == "42")["needs_open_by_persona"].values()) == 21


def test_the_prefecture_drill_down_shows_figures_without_records(client, records, kuni_user):
    client.force_login(kuni_user)
    body = client.get(f"{ROLLUP}?year=2026&prefecture=42").content.decode()
    assert body.count('<th scope="row">') == 21 and "五島市" in body and "ステップ" in body
    h = records["hearing"]
    # No record-level text, and no link to a page national cannot open (the history is a record page).
    assert h.respondent not in body and h.interviewers not in body and h.issues[:20] not in body
    assert "/needs/municipalities/" not in body and f"/municipalities/{records['code']}/" in body
    assert client.get(f"/municipalities/{records['code']}/").status_code == 200  # reference data
    api = client.get("/api/v1/hearing-overview?fiscal_year=2026&prefecture=42").json()
    assert len(api["municipalities"]) == 21 and api["counts"]["recorded"] == 21


def test_the_menu_offers_national_only_the_rollup(kuni_user):
    assert [u for _, u in items(kuni_user)] == ["needs:overview"]

"""Needs and the remaining pages and endpoints: lists, need detail and status, suggestions, menu, OpenAPI."""

import pytest

from dxpool.needs.models import Need, NeedStatus
from tests.needs.builders import municipality

pytestmark = pytest.mark.django_db


def test_menu_entries_by_role(client, nagasaki_user, goto_user, kuni_user):
    from dxpool.needs.nav import items

    assert [u for _, u in items(nagasaki_user)] == ["needs:overview", "needs:hearing_list", "needs:jd_list",
                                                    "needs:need_list"]
    assert "needs:overview" not in [u for _, u in items(goto_user)]
    assert [u for _, u in items(kuni_user)] == ["needs:overview"]  # aggregates only (issue 12)
    client.force_login(goto_user)
    body = client.get("/needs/hearings/").content.decode()
    assert 'href="/needs/hearings/" aria-current="page"' in body and "ジョブディスクリプション" in body


def test_lists_render_for_each_role(client, needs_demo, nagasaki_user, goto_user, kuni_user):
    urls = ("/needs/hearings/?year=2026", "/needs/jds/", "/needs/", "/needs/?status=open&persona=engineer")
    for user in (nagasaki_user, goto_user):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user.role, url)
    client.force_login(kuni_user)  # lists of records: national users are sent to the roll-up (issue 12)
    for url in urls:
        assert client.get(url)["Location"].startswith("/needs/overview/"), url
    client.force_login(nagasaki_user)
    body = client.get("/needs/jds/?status=draft").content.decode()
    assert "テレワーク環境の整備" in body and "3/5" in body  # the JD checklist has five items (the sixth is the dispatch's)
    assert "広域連携の共同ジョブディスクリプションを作成" in client.get("/needs/jds/").content.decode()
    body = client.get("/needs/hearings/?year=2027").content.decode()
    assert "令和9年度の記録がない市町村（21団体）" in body  # fiscal years in 和暦 (issue 13)


def test_need_detail_and_status(client, needs_demo, nagasaki_user, goto_user):
    need = Need.objects.filter(grouping__isnull=True, municipalities__name="壱岐市").first()
    client.force_login(goto_user)
    assert client.get(f"/needs/{need.pk}/").status_code == 404
    r = client.post(f"/needs/{need.pk}/status/", {"status": "closed"})
    assert r.status_code == 403
    client.force_login(nagasaki_user)
    body = client.get(f"/needs/{need.pk}/").content.decode()
    assert "庁内業務のRPA化" in body and "ジョブディスクリプション" in body
    client.post(f"/needs/{need.pk}/status/", {"status": "closed"})
    assert Need.objects.get(pk=need.pk).status == NeedStatus.CLOSED
    client.post(f"/needs/{need.pk}/status/", {"status": "filled"})  # only matching fills a need
    assert Need.objects.get(pk=need.pk).status == NeedStatus.CLOSED


def test_suggestion_api(client, goto_user):
    client.force_login(goto_user)
    r = client.post("/api/v1/suggestions", {"text": "RPAを導入したい"}, content_type="application/json")
    assert r.json()["personas"][0]["code"] == "engineer"
    r = client.post("/api/v1/suggestions", {"text": "  "}, content_type="application/json")
    assert r.status_code == 400


def test_need_api_scoping(client, needs_demo, goto_user):
    client.force_login(goto_user)
    iki, goto = municipality("壱岐市").code, municipality("五島市").code
    r = client.post("/api/v1/needs", {"title": "RPA", "persona": "engineer", "municipalities": [iki],
                                      "hours_per_week": 8}, content_type="application/json")
    assert r.status_code == 403
    r = client.post("/api/v1/needs", {"title": "RPA", "persona": "engineer", "municipalities": [goto],
                                      "hours_per_week": 8}, content_type="application/json")
    assert r.status_code == 201
    codes = [n["municipalities"] for n in client.get("/api/v1/needs?limit=100").json()["items"]]
    assert codes and all(goto in c for c in codes)
    r = client.post("/api/v1/needs", {"title": "x", "persona": "engineer", "municipalities": [goto],
                                      "hours_per_week": 80}, content_type="application/json")
    assert r.status_code == 400 and "週あたり時間" in r.json()["error"]["message"]
    other = Need.objects.filter(municipalities__code=iki, grouping__isnull=True).first()
    assert client.get(f"/api/v1/needs/{other.pk}").status_code == 404


def test_openapi_lists_the_needs_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for p in ("/api/v1/hearings", "/api/v1/hearings/{hearing_id}/roles", "/api/v1/jds", "/api/v1/jds/{jd_id}/submit",
              "/api/v1/jds/{jd_id}/checklist", "/api/v1/needs", "/api/v1/suggestions", "/api/v1/hearing-overview"):
        assert p in paths, p

"""Tenant scoping: each role sees its own municipalities and groupings, in the web UI and the API alike."""

import pytest

from dxpool.accounts.services import api_token_create
from dxpool.core.demo import demo_load
from dxpool.places.models import Municipality

pytestmark = pytest.mark.django_db


def code_of(name, pref="42"):
    return Municipality.objects.get(name=name, prefecture__code=pref).code


class TestWeb:
    def test_officer_sees_own_municipality(self, client, goto_user):
        client.force_login(goto_user)
        r = client.get(f"/municipalities/{code_of('五島市')}/")
        assert r.status_code == 200
        assert "五島市" in r.content.decode()

    def test_officer_gets_404_for_another_municipality(self, client, goto_user):
        client.force_login(goto_user)
        r = client.get(f"/municipalities/{code_of('壱岐市')}/")
        assert r.status_code == 404
        assert "閲覧権限" in r.content.decode()

    def test_officer_list_contains_only_own(self, client, goto_user):
        client.force_login(goto_user)
        body = client.get("/municipalities/").content.decode()
        assert "五島市" in body and "壱岐市" not in body

    def test_prefecture_sees_own_not_other_prefecture(self, client, nagasaki_user):
        client.force_login(nagasaki_user)
        assert client.get(f"/municipalities/{code_of('壱岐市')}/").status_code == 200
        assert client.get("/municipalities/131016/").status_code == 404  # 千代田区
        body = client.get("/municipalities/?type=村").content.decode()
        assert "0件" in body  # 長崎県 has no villages

    def test_national_sees_all(self, client, kuni_user):
        client.force_login(kuni_user)
        assert client.get("/municipalities/131016/").status_code == 200
        assert client.get("/prefectures/").status_code == 200

    def test_prefectures_page_is_national_only(self, client, nagasaki_user):
        client.force_login(nagasaki_user)
        assert client.get("/prefectures/").status_code == 403

    def test_talent_cannot_browse_municipalities(self, client, applicant):
        client.force_login(applicant)
        assert client.get("/municipalities/").status_code == 403

    def test_anonymous_is_sent_to_login(self, client):
        r = client.get("/municipalities/")
        assert r.status_code == 302 and r.url.startswith("/login/")

    def test_unknown_code_is_404_with_message(self, client, kuni_user):
        client.force_login(kuni_user)
        r = client.get("/municipalities/999999/")
        assert r.status_code == 404

    def test_bad_type_filter_is_ignored_with_form_error_not_crash(self, client, kuni_user):
        client.force_login(kuni_user)
        r = client.get("/municipalities/?type=県")
        assert r.status_code == 200


class TestApi:
    def test_officer_api_own_and_other(self, client, goto_user):
        client.force_login(goto_user)
        assert client.get(f"/api/v1/municipalities/{code_of('五島市')}").status_code == 200
        r = client.get(f"/api/v1/municipalities/{code_of('壱岐市')}")
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "NotFound"

    def test_token_auth_and_scoping(self, client, nagasaki_user):
        _, raw = api_token_create(user=nagasaki_user, name="t")
        r = client.get("/api/v1/municipalities?limit=100", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert r.status_code == 200
        data = r.json()
        assert data["count"] == 21
        assert {i["prefecture_code"] for i in data["items"]} == {"42"}

    def test_bad_token_is_401_json(self, client):
        r = client.get("/api/v1/municipalities", HTTP_AUTHORIZATION="Bearer nope")
        assert r.status_code == 401
        assert "error" in r.json()

    def test_filters(self, client, kuni_user):
        client.force_login(kuni_user)
        r = client.get("/api/v1/municipalities", {"prefecture": "長崎県", "type": "市", "limit": 50})
        assert r.json()["count"] == 11  # 市 excludes the 中核市 長崎市 and 佐世保市
        r = client.get("/api/v1/municipalities", {"q": "ごとうし"})
        assert [i["name"] for i in r.json()["items"]] == ["五島市"]

    def test_unknown_type_is_400_json(self, client, kuni_user):
        client.force_login(kuni_user)
        r = client.get("/api/v1/municipalities", {"type": "県"})
        assert r.status_code == 400
        assert "区分" in r.json()["error"]["message"]

    def test_unknown_code_404(self, client, kuni_user):
        client.force_login(kuni_user)
        assert client.get("/api/v1/municipalities/000000").status_code == 404

    def test_prefectures_national_47(self, client, kuni_user):
        client.force_login(kuni_user)
        assert len(client.get("/api/v1/prefectures").json()) == 47

    def test_openapi_document(self, client):
        r = client.get("/api/v1/openapi.json")
        assert r.status_code == 200
        paths = r.json()["paths"]
        assert "/api/v1/municipalities" in paths and "/api/v1/groupings" in paths


class TestGroupings:
    def test_demo_groupings_scoped(self, client, kuni_user, nagasaki_user, hiroshima_user):
        demo_load()
        client.force_login(hiroshima_user)
        assert client.get("/api/v1/groupings").json()["count"] == 0
        client.force_login(nagasaki_user)
        assert client.get("/api/v1/groupings").json()["count"] >= 2
        client.force_login(kuni_user)
        assert client.get("/api/v1/groupings").json()["count"] >= 2

    def test_officer_sees_only_groupings_it_belongs_to(self, client, goto_user, iki_user):
        demo_load()
        client.force_login(goto_user)
        names = [g["name"] for g in client.get("/api/v1/groupings").json()["items"]]
        assert names == ["離島DXシェアリング（県設定）"]

    def test_create_update_delete_via_api(self, client, nagasaki_user):
        client.force_login(nagasaki_user)
        payload = {"name": "島原半島DX連携", "kind": "prefecture", "members": [code_of("島原市"), code_of("雲仙市"), code_of("南島原市")]}
        r = client.post("/api/v1/groupings", payload, content_type="application/json")
        assert r.status_code == 201, r.content
        gid = r.json()["id"]
        payload["members"] = payload["members"][:2]
        r = client.put(f"/api/v1/groupings/{gid}", payload, content_type="application/json")
        assert r.status_code == 200 and len(r.json()["members"]) == 2
        assert client.delete(f"/api/v1/groupings/{gid}").status_code == 204

    def test_cannot_add_other_prefecture_member(self, client, nagasaki_user):
        client.force_login(nagasaki_user)
        r = client.post("/api/v1/groupings", {"name": "x", "kind": "prefecture", "members": [code_of("五島市"), "131016"]},
                        content_type="application/json")
        assert r.status_code == 400
        assert "長崎県の市町村ではありません" in r.json()["error"]["message"]

    def test_officer_cannot_create(self, client, goto_user):
        client.force_login(goto_user)
        r = client.post("/api/v1/groupings", {"name": "x", "kind": "prefecture", "members": [code_of("五島市"), code_of("壱岐市")]},
                        content_type="application/json")
        assert r.status_code == 403

    def test_web_form_create_with_errors_then_success(self, client, nagasaki_user):
        client.force_login(nagasaki_user)
        r = client.post("/groupings/new/", {"name": "", "kind": "prefecture", "members": [code_of("五島市")]})
        assert r.status_code == 200 and "入力内容" in r.content.decode()
        r = client.post("/groupings/new/", {"name": "五島・小値賀", "kind": "prefecture",
                                            "members": [code_of("五島市"), code_of("小値賀町")]})
        assert r.status_code == 302

"""The pool: search and filters (NFKC free text on any database), pseudonymisation, audit, exports."""

import csv
import io

import pytest
from openpyxl import load_workbook

from dxpool.core.models import AuditEvent
from dxpool.talent import selectors, services
from dxpool.talent.models import ApplicationStatus as S
from tests.talent.conftest import engineer_data

pytestmark = pytest.mark.django_db


def pool_member(make_application, nagasaki_user, trained=True, **over):
    app = make_application(**over)
    services.screening_decide(actor=nagasaki_user, application=app, criterion="final", decision="selected", reason="ok")
    app.refresh_from_db()
    services.application_transition(actor=nagasaki_user, application=app, to_status=S.IN_TRAINING)
    if trained:
        services.training_complete(actor=nagasaki_user, application=app)
        services.application_transition(actor=nagasaki_user, application=app, to_status=S.POOLED)
    return app


def search(user, **kw):
    return selectors.pool_search(user=user, filters=selectors.PoolFilters(**kw))


def test_only_pool_statuses_are_listed(make_application, nagasaki_user):
    applied = make_application()
    member = pool_member(make_application, nagasaki_user)
    ids = {p.pk for p in search(nagasaki_user)}
    assert member.profile_id in ids and applied.profile_id not in ids


def test_free_text_is_width_and_case_insensitive(make_application, nagasaki_user):
    a = pool_member(make_application, nagasaki_user, experience_description="ＲＰＡ導入の実績")
    b = pool_member(make_application, nagasaki_user, experience_description="データ分析", skill_ratings={"要求分析": 2})
    assert [p.pk for p in search(nagasaki_user, q="RPA")] == [a.profile_id]
    assert [p.pk for p in search(nagasaki_user, q="ｒｐａ")] == [a.profile_id]
    assert [p.pk for p in search(nagasaki_user, q="データ")] == [b.profile_id]


def test_filters_persona_skill_hours_training_distance(make_application, nagasaki_user):
    strong = pool_member(make_application, nagasaki_user, hours_per_week=24)
    weak = pool_member(make_application, nagasaki_user, trained=False, qualifications=[], skill_levels=[],
                       skill_ratings={"デジタルツール実装": 1}, hours_per_week=8, home_municipality="131016",
                       remote_ok=False, travel_km=10)
    assert {p.pk for p in search(nagasaki_user, persona="engineer")} == {strong.profile_id}
    assert {p.pk for p in search(nagasaki_user, skill="デジタルツール実装", min_rating=3)} == {strong.profile_id}
    assert {p.pk for p in search(nagasaki_user, min_hours=16)} == {strong.profile_id}
    assert {p.pk for p in search(nagasaki_user, training="pending")} == {weak.profile_id}
    near = search(nagasaki_user, near_municipality="422118", reachable=True)  # 五島市
    assert [p.pk for p in near] == [strong.profile_id]
    assert near[0].distance_km == 0.0


def test_other_prefecture_sees_nothing(make_application, nagasaki_user, hiroshima_user, kuni_user):
    pool_member(make_application, nagasaki_user)
    assert search(hiroshima_user) == []
    assert search(kuni_user) == []


def test_municipality_sees_pseudonymised_only(client, make_application, nagasaki_user, goto_user):
    app = pool_member(make_application, nagasaki_user)
    client.force_login(goto_user)
    body = client.get("/talent/pool/").content.decode()
    assert app.profile.pseudonym in body
    for secret in (app.profile.full_name, app.profile.email, "A社", "B社"):
        assert secret not in body
    body = client.get(f"/talent/pool/{app.profile.pseudonym}/").content.decode()
    assert app.profile.full_name not in body and app.profile.email not in body
    # The full profile is not reachable by a municipality, neither in the UI nor the API.
    assert client.get(f"/talent/profiles/{app.profile_id}/").status_code == 404
    assert client.get(f"/api/v1/profiles/{app.profile_id}").status_code == 404
    api = client.get("/api/v1/pool").json()["items"]
    assert api and "full_name" not in api[0] and "email" not in api[0]


def test_full_profile_views_are_audited(client, make_application, nagasaki_user):
    app = pool_member(make_application, nagasaki_user)
    client.force_login(nagasaki_user)
    before = AuditEvent.objects.filter(action="profile.view_full").count()
    assert client.get(f"/talent/profiles/{app.profile_id}/").status_code == 200
    assert client.get(f"/api/v1/profiles/{app.profile_id}").status_code == 200
    events = AuditEvent.objects.filter(action="profile.view_full", target_id=str(app.profile_id))
    assert events.count() == before + 2
    assert events.first().actor == nagasaki_user


def test_exports_xlsx_and_csv_with_bom(client, make_application, nagasaki_user):
    app = pool_member(make_application, nagasaki_user)
    client.force_login(nagasaki_user)
    r = client.get("/talent/pool/?format=csv")
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][0] == "仮名" and rows[1][1] == app.profile.full_name
    r = client.get("/talent/pool/?format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["A1"].value == "仮名" and ws["B2"].value == app.profile.full_name
    assert AuditEvent.objects.filter(action__startswith="pool.export").count() == 2


def test_municipality_cannot_export(client, make_application, nagasaki_user, goto_user):
    pool_member(make_application, nagasaki_user)
    client.force_login(goto_user)
    r = client.get("/talent/pool/?format=csv")
    assert r["Content-Type"].startswith("text/html")


def test_api_permissions(client, make_application, nagasaki_user, hiroshima_user, goto_user):
    app = make_application()
    client.force_login(hiroshima_user)
    assert client.get(f"/api/v1/applications/{app.pk}").status_code == 404
    client.force_login(goto_user)
    assert client.get("/api/v1/applications").json()["count"] == 0
    client.force_login(nagasaki_user)
    r = client.post(f"/api/v1/applications/{app.pk}/decisions",
                    {"criterion": "final", "decision": "selected", "reason": "ok"}, content_type="application/json")
    assert r.status_code == 201
    r = client.post(f"/api/v1/applications/{app.pk}/transition", {"to_status": "pooled"},
                    content_type="application/json")
    assert r.status_code == 409 and "変更できません" in r.json()["error"]["message"]
    client.force_login(app.profile.user)
    assert client.get(f"/api/v1/profiles/{app.profile_id}").status_code == 200


def test_api_assess_and_bad_input(client, applicant):
    client.force_login(applicant)
    r = client.post("/api/v1/assess", {"qualifications": ["PMP"], "experiences": [{"code": "digital_project_lead"}]},
                    content_type="application/json")
    assert r.status_code == 200
    pm = [p for p in r.json()["personas"] if p["code"] == "project_manager"][0]
    assert pm["meets_standard"] is True
    r = client.post("/api/v1/assess", {"qualifications": ["宇宙飛行士"]}, content_type="application/json")
    assert r.status_code == 400 and "宇宙飛行士" in r.json()["error"]["message"]


def test_engineer_data_is_valid():
    assert engineer_data()["home_municipality"] == "422118"

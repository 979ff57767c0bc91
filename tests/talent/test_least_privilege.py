"""Issue 12 item 8 (talent): draft rounds stay with the secretariat, and every list that shows full names to
the prefecture leaves an audit entry naming the people shown."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dxpool.core.models import AuditEvent
from dxpool.talent import selectors, services
from tests.talent.test_pool import pool_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(nagasaki_user):
    return services.round_create(actor=nagasaki_user, data={
        "title": "未公開の下書き公募", "personas": ["engineer"], "duties": "支援", "appointment_forms": ["contract"],
        "deadline": timezone.now() + timedelta(days=5)})


@pytest.mark.parametrize("who", ["goto_user", "kuni_user"])
def test_officer_and_national_see_published_rounds_only(request, client, who, draft, open_round):
    user = request.getfixturevalue(who)
    client.force_login(user)
    body = client.get("/talent/rounds/").content.decode()
    assert open_round.title in body and draft.title not in body
    assert client.get("/talent/rounds/?status=draft").content.decode().count(draft.title) == 0
    assert client.get(f"/talent/rounds/{draft.pk}/").status_code == 404
    assert client.get(f"/talent/rounds/{draft.pk}/apply/").status_code == 404
    ids = [r["id"] for r in client.get("/api/v1/rounds").json()["items"]]
    assert open_round.pk in ids and draft.pk not in ids
    assert client.get(f"/api/v1/rounds/{draft.pk}").status_code == 404
    assert set(selectors.round_scope(user=user)) == {open_round}


def test_national_sees_every_prefectures_published_rounds(kuni_user, open_round, hiroshima_user):
    other = services.round_create(actor=hiroshima_user, data={
        "title": "広島の公募", "personas": ["engineer"], "duties": "支援", "appointment_forms": ["contract"],
        "deadline": timezone.now() + timedelta(days=5)})
    services.round_set_status(actor=hiroshima_user, rnd=other, status="open")
    assert set(selectors.round_scope(user=kuni_user)) == {open_round, other}


def test_secretariat_still_sees_its_drafts(client, nagasaki_user, draft):
    client.force_login(nagasaki_user)
    assert draft.title in client.get("/talent/rounds/").content.decode()
    assert client.get(f"/talent/rounds/{draft.pk}/").status_code == 200


def _list_events():
    return AuditEvent.objects.filter(action="profile.list_full").order_by("id")


def test_application_list_audits_the_names_shown(client, make_application, nagasaki_user):
    apps = [make_application() for _ in range(3)]
    client.force_login(nagasaki_user)
    assert client.get("/talent/applications/").status_code == 200
    events = list(_list_events())
    assert len(events) == 1
    event = events[0]
    assert event.actor == nagasaki_user and event.prefecture_id == nagasaki_user.prefecture_id_scope
    shown = {(p["id"], p["pseudonym"]) for p in event.detail["profiles"]}
    assert shown == {(a.profile_id, a.profile.pseudonym) for a in apps}
    assert event.detail["list"] == "applications"
    # A filtered view names only the people on that page; one entry per view.
    client.get("/talent/applications/", {"q": apps[0].profile.pseudonym})
    assert _list_events().count() == 2
    assert [p["id"] for p in _list_events().last().detail["profiles"]] == [apps[0].profile_id]


def test_application_list_selector_writes_the_audit_itself(make_application, nagasaki_user):
    app = make_application()
    page = selectors.application_list_page(user=nagasaki_user, page=1)
    assert [a.pk for a in page] == [app.pk]
    assert _list_events().count() == 1


def test_an_empty_list_names_nobody_and_is_not_audited(client, nagasaki_user, consent):
    client.force_login(nagasaki_user)
    client.get("/talent/applications/")
    assert _list_events().count() == 0


def test_pool_list_audits_full_names_for_the_prefecture_only(client, make_application, nagasaki_user, goto_user):
    member = pool_member(make_application, nagasaki_user)
    client.force_login(nagasaki_user)
    assert member.profile.full_name in client.get("/talent/pool/").content.decode()
    event = _list_events().get()
    assert event.detail["list"] == "pool"
    assert event.detail["profiles"] == [{"id": member.profile_id, "pseudonym": member.profile.pseudonym}]
    # A municipality's pool is pseudonymised: no names shown, nothing to audit.
    client.force_login(goto_user)
    client.get("/talent/pool/")
    assert _list_events().count() == 1

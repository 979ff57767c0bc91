"""Issue 12 item 10 (talent): no destructive choice is a default, and rejecting or withdrawing an application
is a real confirmation step (a page that names the applicant and the consequence, working without JavaScript)."""

import re

import pytest

from dxpool.talent.models import ApplicationStatus as S

pytestmark = pytest.mark.django_db


def _select(body: str, name: str) -> str:
    match = re.search(rf'<select[^>]*name="{name}"[^>]*>.*?</select>', body, re.S)
    assert match, f"no select {name}"
    return match.group(0)


def test_status_select_defaults_to_nothing(client, make_application, nagasaki_user):
    app = make_application()
    client.force_login(nagasaki_user)
    body = client.get(f"/talent/applications/{app.pk}/").content.decode()
    select = _select(body, "to_status")
    options = re.findall(r"<option[^>]*>", select)
    assert options[0] == '<option value="">' and "選択してください" in select
    assert "required" in select[:select.index(">")]
    assert " selected" not in select


def test_decision_selects_default_to_nothing(client, make_application, nagasaki_user):
    app = make_application()
    client.force_login(nagasaki_user)
    body = client.get(f"/talent/applications/{app.pk}/").content.decode()
    for name in ("criterion", "decision"):
        select = _select(body, name)
        assert re.findall(r"<option[^>]*>", select)[0].startswith('<option value=""')
        assert " selected" not in select.replace('<option value="" selected>', "<option value=\"\">")


def test_an_empty_status_choice_changes_nothing(client, make_application, nagasaki_user):
    app = make_application()
    client.force_login(nagasaki_user)
    client.post(f"/talent/applications/{app.pk}/", {"form": "transition", "to_status": ""})
    app.refresh_from_db()
    assert app.status == S.APPLIED


@pytest.mark.parametrize(("to_status", "words"), [
    ("rejected", ["不採用にしますか", "元に戻せません"]),
    ("withdrawn", ["辞退として記録しますか", "元に戻せません"]),
])
def test_secretariat_rejection_and_withdrawal_ask_first(client, make_application, nagasaki_user, to_status,
                                                        words):
    app = make_application()
    client.force_login(nagasaki_user)
    url = f"/talent/applications/{app.pk}/"
    r = client.post(url, {"form": "transition", "to_status": to_status, "note": "理由のメモ"})
    assert r.status_code == 200
    body = r.content.decode()
    app.refresh_from_db()
    assert app.status == S.APPLIED  # nothing happened yet
    assert app.profile.full_name in body and app.profile.pseudonym in body
    for w in words:
        assert w in body
    # The confirmation is a form of its own that carries the choice and the note, and a way back.
    assert 'name="confirm" value="yes"' in body and f'name="to_status" value="{to_status}"' in body
    assert 'value="理由のメモ"' in body and f'href="{url}"' in body
    r = client.post(url, {"form": "transition", "to_status": to_status, "note": "理由のメモ", "confirm": "yes"})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.status == to_status


def test_a_harmless_move_needs_no_confirmation(client, make_application, nagasaki_user):
    app = make_application()
    client.force_login(nagasaki_user)
    r = client.post(f"/talent/applications/{app.pk}/", {"form": "transition", "to_status": "screening"})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.status == S.SCREENING


def test_final_rejection_by_decision_asks_first(client, make_application, nagasaki_user):
    app = make_application()
    client.force_login(nagasaki_user)
    url = f"/talent/applications/{app.pk}/"
    data = {"form": "decision", "criterion": "final", "decision": "rejected", "reason": "経験が不足"}
    r = client.post(url, data)
    assert r.status_code == 200 and "不採用にしますか" in r.content.decode()
    app.refresh_from_db()
    assert app.status == S.APPLIED and not app.decisions.exists()
    assert client.post(url, {**data, "confirm": "yes"}).status_code == 302
    app.refresh_from_db()
    assert app.status == S.REJECTED


def test_applicant_withdrawal_goes_through_a_confirmation_page(client, make_application):
    app = make_application()
    client.force_login(app.profile.user)
    body = client.get(f"/talent/me/applications/{app.pk}/").content.decode()
    # The applicant's page links to the confirmation; it holds no form that withdraws at once.
    assert f'href="/talent/me/applications/{app.pk}/withdraw/"' in body
    assert f'action="/talent/me/applications/{app.pk}/withdraw/"' not in body
    url = f"/talent/me/applications/{app.pk}/withdraw/"
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "本当に辞退しますか。辞退すると元に戻せません。" in text and app.round.title in text
    # A POST without the confirmation (the old one-click form) only shows the question again.
    assert client.post(url, {"note": "都合により"}).status_code == 200
    app.refresh_from_db()
    assert app.status == S.APPLIED
    r = client.post(url, {"note": "都合により", "confirm": "yes"})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.status == S.WITHDRAWN
    assert app.status_changes.last().note == "都合により"

"""Consent to the handling of personal data: asked at sign-up (versioned, never pre-ticked), recorded with its
version and time, and asked again on the application form only when a newer version is in force."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from dxpool.accounts.models import User
from dxpool.core.errors import ValidationError
from dxpool.core.models import AuditEvent
from dxpool.talent import services
from dxpool.talent.models import Application, ConsentAcceptance, ConsentText
from tests.talent.conftest import engineer_data
from tests.talent.test_views import profile_post

pytestmark = pytest.mark.django_db


def _signup_data(consent, **over):
    data = {"display_name": "応募 花子", "username": "hanako", "email": "h@example.jp",
            "password": "a-long-password-9", "consent": "on", "consent_version": consent.version}
    data.update(over)
    return data


def _main(response) -> str:
    body = response.content.decode()
    return body[body.index("<main"):body.index("</main>")]


def test_signup_shows_the_versioned_text_and_an_unticked_required_checkbox(client, consent):
    page = _main(client.get("/talent/signup/"))
    assert consent.body in page and consent.version in page
    box = re.search(r'<input[^>]*name="consent"[^>]*>', page).group(0)
    assert 'type="checkbox"' in box and "checked" not in box
    assert f'name="consent_version" value="{consent.version}"' in page


def test_signup_without_ticking_creates_nothing_and_names_the_field(client, consent):
    data = _signup_data(consent)
    del data["consent"]
    r = client.post("/talent/signup/", data)
    assert r.status_code == 200
    assert not User.objects.filter(username="hanako").exists()
    assert "個人情報の取扱いについて" in _main(r)


def test_signup_records_which_version_was_agreed_to_and_when(client, consent):
    before = timezone.now()
    r = client.post("/talent/signup/", _signup_data(consent))
    assert r.status_code == 302
    acceptance = ConsentAcceptance.objects.get(user__username="hanako")
    assert acceptance.consent == consent and acceptance.accepted_at >= before
    event = AuditEvent.objects.get(action="consent.accept")
    assert event.detail == {"consent": consent.version}


def test_signup_refuses_a_version_that_is_no_longer_in_force(client, consent):
    ConsentText.objects.create(version="t-2", title="新", body="新しい本文", published_at=timezone.now())
    r = client.post("/talent/signup/", _signup_data(consent))  # the page was shown with t-1
    assert r.status_code == 200 and "最新の「個人情報の取扱い」に同意してください。" in _main(r)
    assert not User.objects.filter(username="hanako").exists()


def test_signup_is_closed_while_no_consent_text_exists(client):
    page = _main(client.get("/talent/signup/"))
    assert "同意文が登録されていないため" in page and 'name="password"' not in page
    with pytest.raises(ValidationError):
        services.applicant_register(username="x", email="x@example.jp", password="a-long-password-9",
                                    display_name="x", consent_version="")


def test_the_application_form_does_not_ask_again_for_the_version_agreed_at_signup(client, open_round, consent):
    client.post("/talent/signup/", _signup_data(consent))
    agreed = ConsentAcceptance.objects.get(user__username="hanako")
    page = _main(client.get(f"/talent/rounds/{open_round.pk}/apply/"))
    assert 'name="consent"' not in page and "同意済み" in page
    data = profile_post(consent)
    del data["consent"], data["consent_version"]
    r = client.post(f"/talent/rounds/{open_round.pk}/apply/", data)
    assert r.status_code == 302, _main(r)[:3000]
    app = Application.objects.get(profile__user__username="hanako")
    assert app.consent == consent and app.consented_at == agreed.accepted_at


def test_a_new_version_is_asked_for_again_and_recorded(client, open_round, consent):
    client.post("/talent/signup/", _signup_data(consent))
    newer = ConsentText.objects.create(version="t-2", title="個人情報の取扱い", body="改訂した本文",
                                       published_at=timezone.now())
    page = _main(client.get(f"/talent/rounds/{open_round.pk}/apply/"))
    assert "改訂した本文" in page and "改訂されました" in page
    box = re.search(r'<input[^>]*name="consent"[^>]*>', page).group(0)
    assert "checked" not in box
    data = profile_post(newer)
    del data["consent"]
    r = client.post(f"/talent/rounds/{open_round.pk}/apply/", data)
    assert r.status_code == 200 and not Application.objects.exists()
    r = client.post(f"/talent/rounds/{open_round.pk}/apply/", profile_post(newer))
    assert r.status_code == 302
    assert Application.objects.get().consent == newer
    assert set(ConsentAcceptance.objects.values_list("consent__version", flat=True)) == {"t-1", "t-2"}


def test_a_version_published_while_the_form_was_open_is_asked_for(client, open_round, consent):
    client.post("/talent/signup/", _signup_data(consent))
    client.get(f"/talent/rounds/{open_round.pk}/apply/")  # shown without the checkbox (t-1 agreed)
    ConsentText.objects.create(version="t-2", title="個人情報の取扱い", body="改訂した本文",
                               published_at=timezone.now())
    data = profile_post(consent)
    del data["consent"], data["consent_version"]
    r = client.post(f"/talent/rounds/{open_round.pk}/apply/", data)
    assert r.status_code == 200 and not Application.objects.exists()
    page = _main(r)
    assert "改訂した本文" in page and 'name="consent"' in page and 'value="t-2"' in page
    assert "が改訂されました。改訂後の内容を確認し" in page and "チェックを入れてください" in page
    r = client.post(f"/talent/rounds/{open_round.pk}/apply/", {**data, "consent": "on", "consent_version": "t-2"})
    assert r.status_code == 302 and Application.objects.get().consent.version == "t-2"


def test_submit_without_a_form_consent_needs_an_agreement_to_the_version_in_force(open_round, consent, applicant):
    with pytest.raises(ValidationError) as exc:
        services.application_submit(actor=applicant, rnd=open_round, persona="engineer", consent_version=None,
                                    profile_data=engineer_data())
    assert exc.value.field == "consent"
    at = timezone.now() - timedelta(days=3)
    services.consent_accept(actor=applicant, consent_version=consent.version, at=at)
    app = services.application_submit(actor=applicant, rnd=open_round, persona="engineer", consent_version=None,
                                      profile_data=engineer_data())
    assert app.consent == consent and app.consented_at == at


def test_agreeing_twice_keeps_the_first_time(applicant, consent):
    first = services.consent_accept(actor=applicant, consent_version=consent.version)
    again = services.consent_accept(actor=applicant, consent_version=consent.version)
    assert first.pk == again.pk and again.accepted_at == first.accepted_at
    assert AuditEvent.objects.filter(action="consent.accept").count() == 1

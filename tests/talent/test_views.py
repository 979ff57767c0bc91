"""The applicant's journey in the web UI and the secretariat's screening pages."""

import pytest

from dxpool.talent.models import Application
from dxpool.talent.models import ApplicationStatus as S
from tests.talent.conftest import TINY_PDF

pytestmark = pytest.mark.django_db


def profile_post(consent, **over):
    data = {
        "full_name": "応募 花子", "email": "hanako@example.jp", "home_municipality": "422011", "remote_ok": "on",
        "travel_km": "100", "hours_per_week": "16", "onsite_days_per_month": "2", "appointment_forms": ["contract"],
        "qualifications": ["PMP"], "level__ITSS__プロジェクトマネジメント": "3", "exp__digital_project_lead": "on",
        "rating__委託管理": "3", "persona": "engineer", "consent": "on", "consent_version": consent.version,
        "motivation": "地域に貢献したい",
    }
    data.update(over)
    return data


def test_public_round_list_and_signup_then_apply(client, open_round, consent):
    assert open_round.title in client.get("/talent/rounds/").content.decode()
    r = client.get(f"/talent/rounds/{open_round.pk}/apply/")
    assert r.status_code == 302 and "/talent/signup/" in r.url
    r = client.post("/talent/signup/", {"display_name": "応募 花子", "username": "hanako", "email": "h@example.jp",
                                        "password": "a-long-password-9", "next": f"/talent/rounds/{open_round.pk}/apply/",
                                        "consent": "on", "consent_version": consent.version})
    assert r.status_code == 302
    page = client.get(f"/talent/rounds/{open_round.pk}/apply/").content.decode()
    assert "同意済み" in page and 'hx-post="/talent/assess-preview/"' in page  # agreed at sign-up (test_consent)
    r = client.post(f"/talent/rounds/{open_round.pk}/apply/", profile_post(consent))
    assert r.status_code == 302, r.content.decode()[:2000]
    app = Application.objects.get(profile__user__username="hanako")
    assert app.status == S.APPLIED and app.consent == consent


def test_apply_without_consent_shows_error_and_writes_nothing(client, open_round, consent, applicant):
    client.force_login(applicant)
    data = profile_post(consent)
    del data["consent"]
    r = client.post(f"/talent/rounds/{open_round.pk}/apply/", data)
    assert r.status_code == 200
    assert not Application.objects.exists()


def test_live_assessment_fragment(client, applicant):
    client.force_login(applicant)
    r = client.post("/talent/assess-preview/", {"qualifications": ["PMP"], "exp__digital_project_lead": "on"})
    body = r.content.decode()
    assert r.status_code == 200 and 'id="assessment"' in body
    assert "プロジェクトマネージャー" in body and "標準を満たす" in body


def test_secretariat_screens_in_ui(client, make_application, nagasaki_user):
    app = make_application()
    client.force_login(nagasaki_user)
    assert app.profile.full_name in client.get("/talent/applications/").content.decode()
    r = client.post(f"/talent/applications/{app.pk}/", {"form": "decision", "criterion": "final",
                                                        "decision": "selected", "reason": "標準を満たす"})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.status == S.SELECTED
    r = client.post(f"/talent/applications/{app.pk}/", {"form": "transition", "to_status": "pooled"}, follow=True)
    assert "変更できません" in r.content.decode()


def test_other_prefecture_gets_404(client, make_application, hiroshima_user):
    app = make_application()
    client.force_login(hiroshima_user)
    assert client.get(f"/talent/applications/{app.pk}/").status_code == 404


def test_applicant_withdraws(client, make_application):
    app = make_application()
    client.force_login(app.profile.user)
    # Issue 12: withdrawing is confirmed on its own page (test_confirmations); the confirmed POST withdraws.
    assert client.post(f"/talent/me/applications/{app.pk}/withdraw/", {"confirm": "yes"}).status_code == 302
    app.refresh_from_db()
    assert app.status == S.WITHDRAWN


def test_pages_offer_only_the_machines_moves(client, make_application, open_round, nagasaki_user):
    app = make_application()
    client.force_login(nagasaki_user)
    body = client.get(f"/talent/applications/{app.pk}/").content.decode()
    select = body[body.index('<select id="to_status"'):]
    select = select[:select.index("</select>")]
    assert [code for code in ("screening", "withdrawn", "rejected") if f'value="{code}"' in select] == [
        "screening", "withdrawn", "rejected"]
    assert 'value="pooled"' not in select and 'value="selected"' not in select
    body = client.get(f"/talent/rounds/{open_round.pk}/").content.decode()
    assert 'name="status" value="closed"' in body and 'name="status" value="open"' not in body


def test_evidence_download_is_audited(client, make_application, nagasaki_user, hiroshima_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dxpool.core.models import AuditEvent
    from dxpool.talent import services

    app = make_application()
    evidence = services.evidence_upload(actor=app.profile.user, profile=app.profile, label="合格証",
                                        uploaded=SimpleUploadedFile("c.pdf", TINY_PDF, content_type="application/pdf"))
    client.force_login(hiroshima_user)
    assert client.get(f"/talent/evidence/{evidence.pk}/").status_code == 404
    client.force_login(nagasaki_user)
    r = client.get(f"/talent/evidence/{evidence.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == TINY_PDF
    assert AuditEvent.objects.filter(action="evidence.download", target_id=str(evidence.pk)).count() == 1

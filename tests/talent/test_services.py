"""Recruitment, applications, the status machine and screening decisions."""


from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dxpool.core.errors import Conflict, Forbidden, ValidationError
from dxpool.core.models import AuditEvent
from dxpool.talent import services
from dxpool.talent.models import Application, ConsentText, TalentProfile
from dxpool.talent.models import ApplicationStatus as S
from tests.factories import talent_user
from tests.talent.conftest import TINY_PDF, engineer_data, tiny_image

pytestmark = pytest.mark.django_db


def test_submit_records_consent_profile_and_assessment(make_application, consent):
    app = make_application()
    assert app.status == S.APPLIED and app.consent == consent and app.consented_at is not None
    p = app.profile
    assert p.standard_version == "mic-2022-06"
    assert " engineer " in p.personas_met
    assert "rpa" in p.search_text  # NFKC + casefold of ＲＰＡ
    assert app.status_changes.count() == 1


def test_submit_with_bad_profile_writes_nothing(open_round, consent):
    user = talent_user()
    before = (TalentProfile.objects.count(), Application.objects.count())
    with pytest.raises(ValidationError) as exc:
        services.application_submit(actor=user, rnd=open_round, persona="engineer", consent_version=consent.version,
                                    profile_data=engineer_data(qualifications=["宇宙飛行士"]))
    assert "宇宙飛行士" in exc.value.message
    assert (TalentProfile.objects.count(), Application.objects.count()) == before


def test_submit_requires_current_consent(open_round, consent):
    ConsentText.objects.create(version="t-2", title="新", body="新しい本文", published_at=timezone.now())
    with pytest.raises(ValidationError):
        services.application_submit(actor=talent_user(), rnd=open_round, persona="engineer",
                                    consent_version=consent.version, profile_data=engineer_data())


def test_cannot_apply_twice_or_for_unoffered_persona(make_application, open_round, consent):
    app = make_application()
    with pytest.raises(Conflict):
        services.application_submit(actor=app.profile.user, rnd=open_round, persona="engineer",
                                    consent_version=consent.version, profile_data=engineer_data())
    with pytest.raises(ValidationError):
        services.application_submit(actor=talent_user(), rnd=open_round, persona="service_designer",
                                    consent_version=consent.version, profile_data=engineer_data())


def test_closed_round_refuses(open_round, consent, nagasaki_user):
    services.round_set_status(actor=nagasaki_user, rnd=open_round, status="closed")
    with pytest.raises(Conflict):
        services.application_submit(actor=talent_user(), rnd=open_round, persona="engineer",
                                    consent_version=consent.version, profile_data=engineer_data())


def test_full_life_cycle_with_timestamps(make_application, nagasaki_user):
    app = make_application()
    services.screening_decide(actor=nagasaki_user, application=app, criterion="qualification", decision="pass",
                              reason="合格証を確認")
    app.refresh_from_db()
    assert app.status == S.SCREENING and app.screening_at
    services.screening_decide(actor=nagasaki_user, application=app, criterion="final", decision="selected",
                              reason="標準を満たす")
    app.refresh_from_db()
    assert app.status == S.SELECTED and app.selected_at
    services.application_transition(actor=nagasaki_user, application=app, to_status=S.IN_TRAINING)
    with pytest.raises(Conflict, match="研修を修了していない"):
        services.application_transition(actor=nagasaki_user, application=app, to_status=S.POOLED)
    services.training_complete(actor=nagasaki_user, application=app)
    for status in (S.POOLED, S.DISPATCHED, S.ENDED):
        app = services.application_transition(actor=nagasaki_user, application=app, to_status=status)
        assert getattr(app, f"{status}_at") is not None
    assert [c.to_status for c in app.status_changes.all()] == [
        S.APPLIED, S.SCREENING, S.SELECTED, S.IN_TRAINING, S.POOLED, S.DISPATCHED, S.ENDED]
    assert app.decisions.count() == 2


def test_illegal_transition_refused_with_clear_message(make_application, nagasaki_user):
    app = make_application()
    with pytest.raises(Conflict) as exc:
        services.application_transition(actor=nagasaki_user, application=app, to_status=S.POOLED)
    assert "「応募済み」から「プール登録」には変更できません" in exc.value.message
    app.refresh_from_db()
    assert app.status == S.APPLIED


def test_terminal_states_are_final(make_application, nagasaki_user):
    app = make_application()
    services.application_transition(actor=app.profile.user, application=app, to_status=S.WITHDRAWN)
    with pytest.raises(Conflict, match="終了状態"):
        services.application_transition(actor=nagasaki_user, application=app, to_status=S.SCREENING)


def test_talent_may_only_withdraw_and_other_prefecture_may_not_touch(make_application, hiroshima_user):
    app = make_application()
    with pytest.raises(Forbidden):
        services.application_transition(actor=app.profile.user, application=app, to_status=S.SCREENING)
    with pytest.raises(Forbidden):
        services.application_transition(actor=hiroshima_user, application=app, to_status=S.SCREENING)
    with pytest.raises(Forbidden):
        services.screening_decide(actor=hiroshima_user, application=app, criterion="interview", decision="pass",
                                  reason="x")


def test_decision_needs_reason_and_valid_value(make_application, nagasaki_user):
    app = make_application()
    with pytest.raises(ValidationError, match="理由"):
        services.screening_decide(actor=nagasaki_user, application=app, criterion="interview", decision="pass",
                                  reason="  ")
    with pytest.raises(ValidationError):
        services.screening_decide(actor=nagasaki_user, application=app, criterion="interview", decision="selected",
                                  reason="x")


def test_hold_keeps_screening_and_history(make_application, nagasaki_user):
    app = make_application()
    services.screening_decide(actor=nagasaki_user, application=app, criterion="final", decision="hold", reason="面接待ち")
    services.screening_decide(actor=nagasaki_user, application=app, criterion="final", decision="rejected",
                              reason="経験不足")
    app.refresh_from_db()
    assert app.status == S.REJECTED and app.rejected_at
    assert [d.decision for d in app.decisions.all()] == ["hold", "rejected"]


def test_round_validation(nagasaki_user, goto_user):
    base = {"title": "x", "personas": ["engineer"], "duties": "d", "appointment_forms": ["contract"],
            "deadline": timezone.now() + timedelta(days=1)}
    with pytest.raises(ValidationError, match="報酬"):
        services.round_create(actor=nagasaki_user, data={**base, "pay_min": 10, "pay_max": 5})
    with pytest.raises(ValidationError, match="人材像"):
        services.round_create(actor=nagasaki_user, data={**base, "personas": ["astronaut"]})
    with pytest.raises(Forbidden):
        services.round_create(actor=goto_user, data=base)


class TestEvidence:
    def upload(self, app, content: bytes, name="c.pdf"):
        return services.evidence_upload(actor=app.profile.user, profile=app.profile, label="ITサービスマネージャ合格証",
                                        uploaded=SimpleUploadedFile(name, content, content_type="application/pdf"))

    def test_pdf_png_jpeg_accepted(self, make_application):
        app = make_application()
        assert self.upload(app, TINY_PDF).content_type == "application/pdf"
        assert self.upload(app, tiny_image("PNG"), "a.png").content_type == "image/png"
        assert self.upload(app, tiny_image("JPEG"), "a.jpg").content_type == "image/jpeg"
        assert AuditEvent.objects.filter(action="evidence.upload").count() == 3

    def test_disguised_file_refused(self, make_application):
        app = make_application()
        with pytest.raises(ValidationError, match="PDF、PNG、JPEG"):
            self.upload(app, b"MZ\x90\x00 an exe named .pdf")

    def test_too_large_refused(self, make_application):
        app = make_application()
        with pytest.raises(ValidationError, match="大きすぎ"):
            self.upload(app, b"%PDF-" + b"0" * (services.EVIDENCE_MAX_BYTES + 1))

    def test_only_owner_uploads(self, make_application, nagasaki_user):
        app = make_application()
        with pytest.raises(Forbidden):
            services.evidence_upload(actor=nagasaki_user, profile=app.profile, label="x",
                                     uploaded=SimpleUploadedFile("a.pdf", b"%PDF-1", content_type="application/pdf"))


def test_registering_duplicate_username_and_weak_password(consent):
    v = consent.version
    services.applicant_register(username="hanako", email="h@example.jp", password="long-enough-pass-1",
                                display_name="花子", consent_version=v)
    with pytest.raises(ValidationError, match="すでに使われ"):
        services.applicant_register(username="HANAKO", email="x@example.jp", password="long-enough-pass-1",
                                    display_name="x", consent_version=v)
    with pytest.raises(ValidationError):
        services.applicant_register(username="jiro", email="j@example.jp", password="123", display_name="次郎",
                                    consent_version=v)




def test_profile_numbers_and_dates_are_coerced_with_field_names(open_round, consent):
    """Numbers and dates go through dxpool.core.coerce: full-width digits read, messages name the field."""
    user = talent_user()

    def submit(**over):
        return services.application_submit(actor=user, rnd=open_round, persona="engineer",
                                           consent_version=consent.version, profile_data=engineer_data(**over))

    for over, field, text in [({"hours_per_week": "abc"}, "hours_per_week", "週あたり稼働可能時間は数値"),
                              ({"hours_per_week": 81}, "hours_per_week", "80以下で入力"),
                              ({"travel_km": "1.5"}, "travel_km", "移動可能距離は整数"),
                              ({"available_from": "2026/04/01"}, "available_from", "YYYY-MM-DD")]:
        with pytest.raises(ValidationError) as exc:
            submit(**over)
        assert exc.value.field == field and text in exc.value.message
    app = submit(hours_per_week="１６", travel_km="", available_from="2026-04-01")
    assert (app.profile.hours_per_week, app.profile.travel_km) == (16, 50)
    assert app.profile.available_from.isoformat() == "2026-04-01"


def test_demo_templates_cover_the_standards_personas():
    from dxpool.standard.personas import PERSONA_CODES
    from dxpool.talent.demo import PERSONA_TEMPLATES

    assert tuple(PERSONA_TEMPLATES) == PERSONA_CODES

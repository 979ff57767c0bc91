from datetime import timedelta

import pytest
from django.utils import timezone

from dxpool.talent import services
from dxpool.talent.models import ConsentText, RoundStatus

# Well-formed proofs: uploads are checked by structure, not only by their first bytes (dxpool.talent.evidence).
TINY_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def tiny_image(fmt: str) -> bytes:
    """A 4×4 white PNG or JPEG, written by Pillow (a dependency of reportlab)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, fmt)
    return out.getvalue()


@pytest.fixture
def consent(db):
    return ConsentText.objects.create(version="t-1", title="個人情報の取扱い", body="本文",
                                      published_at=timezone.now() - timedelta(days=1))


@pytest.fixture
def open_round(nagasaki_user, consent):
    rnd = services.round_create(actor=nagasaki_user, data={
        "title": "テスト公募", "personas": ["producer", "engineer"], "role": "支援", "duties": "市町の支援",
        "appointment_forms": ["contract"], "deadline": timezone.now() + timedelta(days=30)})
    return services.round_set_status(actor=nagasaki_user, rnd=rnd, status=RoundStatus.OPEN)


def engineer_data(**over):
    data = {
        "full_name": "試験 太郎", "email": "taro@example.jp", "phone": "095-000-0000", "employer": "A社",
        "side_employers": ["B社"], "qualifications": ["ITサービスマネージャ"],
        "skill_levels": [{"framework": "ITSS", "field": "ITスペシャリスト", "level": 3}],
        "experiences": [{"code": "digital_tool_implementation"}],
        "skill_ratings": {"デジタルツール実装": 4, "要求分析": 3},
        "experience_description": "ＲＰＡとkintoneで業務を自動化した。", "hours_per_week": 16,
        "onsite_days_per_month": 2, "home_municipality": "422118", "remote_ok": True, "travel_km": 100,
        "appointment_forms": ["contract"],
    }
    data.update(over)
    return data


@pytest.fixture
def make_application(open_round, consent):
    from tests.factories import talent_user

    def make(**over):
        user = talent_user()
        return services.application_submit(actor=user, rnd=open_round, persona=over.pop("persona", "engineer"),
                                           consent_version=consent.version, profile_data=engineer_data(**over))
    return make


@pytest.fixture
def make_pool_member(make_application, nagasaki_user):
    """An application walked into the pool (selected → in training → trained → pooled) through the services."""
    from dxpool.talent.models import ApplicationStatus as S

    def make(trained: bool = True, **over):
        app = make_application(**over)
        services.screening_decide(actor=nagasaki_user, application=app, criterion="final", decision="selected",
                                  reason="ok")
        app.refresh_from_db()
        services.application_transition(actor=nagasaki_user, application=app, to_status=S.IN_TRAINING)
        if trained:
            services.training_complete(actor=nagasaki_user, application=app)
            services.application_transition(actor=nagasaki_user, application=app, to_status=S.POOLED)
        app.refresh_from_db()
        return app
    return make

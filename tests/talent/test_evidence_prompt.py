"""After applying, the applicant is prompted to upload evidence of their skills until a proof exists."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dxpool.talent.models import Application
from tests.talent.conftest import TINY_PDF
from tests.talent.test_views import profile_post

pytestmark = pytest.mark.django_db

PROMPT = "スキルの根拠資料（職務経歴・資格など）をアップロードしてください"


def test_the_page_after_applying_and_my_page_prompt_for_evidence_until_it_exists(client, open_round, applicant,
                                                                                consent):
    client.force_login(applicant)
    r = client.post(f"/talent/rounds/{open_round.pk}/apply/", profile_post(consent), follow=True)
    profile = Application.objects.get().profile
    link = f'href="/talent/profiles/{profile.pk}/#evidence"'
    after = r.content.decode()
    assert PROMPT in after and link in after
    me = client.get("/talent/me/").content.decode()
    assert PROMPT in me and link in me
    assert 'id="evidence"' in client.get(f"/talent/profiles/{profile.pk}/").content.decode()  # the link lands

    pdf = SimpleUploadedFile("cv.pdf", TINY_PDF, content_type="application/pdf")
    client.post(f"/talent/profiles/{profile.pk}/evidence/", {"label": "職務経歴書", "file": pdf})
    assert profile.evidence.exists()
    assert PROMPT not in client.get("/talent/me/").content.decode()
    app = Application.objects.get()
    assert PROMPT not in client.get(f"/talent/me/applications/{app.pk}/").content.decode()


def test_no_prompt_before_applying(client, applicant):
    client.force_login(applicant)
    assert PROMPT not in client.get("/talent/me/").content.decode()

"""Issue 12 item 6 (talent): the open redirect after sign-up, sign-up while signed in, and evidence uploads
checked by content and served under a name and type the server chooses."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from dxpool.accounts.models import User
from dxpool.core.errors import ValidationError
from dxpool.talent import selectors, services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, fmt)
    return out.getvalue()


def _main(response) -> str:
    """The page's own content (the site header's language form echoes the current address to Django's
    set_language, which checks it itself)."""
    body = response.content.decode()
    return body[body.index("<main"):body.index("</main>")]


def _signup(client, next_url: str, username: str = "newbie"):
    from dxpool.talent.models import ConsentText

    consent, _ = ConsentText.objects.get_or_create(version="t-1", defaults={
        "title": "個人情報の取扱い", "body": "本文", "published_at": timezone.now()})
    return client.post(f"/talent/signup/?next={next_url}", {
        "display_name": "新規 応募者", "username": username, "email": "n@example.jp",
        "password": "a-long-password-9", "next": next_url, "consent": "on", "consent_version": consent.version})


# --- redirects ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("evil", ["//evil.example/x", "https://evil.example/x", "///evil.example/x",
                                  "/\\evil.example/x", "\\\\evil.example/x", "javascript:alert(1)"])
def test_signup_never_redirects_off_site(client, evil):
    r = _signup(client, evil)
    assert r.status_code == 302
    assert r.url == "/talent/me/"
    page = client.get(f"/talent/signup/?next={evil}")  # signed in now: the notice's link is safe too
    assert "evil.example" not in _main(page) and "javascript:" not in _main(page)


def test_signup_keeps_a_local_next(client, open_round):
    target = f"/talent/rounds/{open_round.pk}/apply/"
    r = _signup(client, target)
    assert r.status_code == 302 and r.url == target


def test_signup_form_does_not_echo_an_evil_next(client):
    assert "evil.example" not in _main(client.get("/talent/signup/?next=//evil.example/x"))


# --- sign-up while signed in ----------------------------------------------------------------------------------

def test_signed_in_staff_visiting_signup_is_told_and_creates_nothing(client, nagasaki_user):
    client.force_login(nagasaki_user)
    page = client.get("/talent/signup/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "すでにログインしています" in body and 'name="password"' not in body
    before = User.objects.count()
    r = _signup(client, "/talent/me/", username="sneaky")
    assert r.status_code == 200 and "すでにログインしています" in r.content.decode()
    assert User.objects.count() == before and not User.objects.filter(username="sneaky").exists()
    assert int(client.session["_auth_user_id"]) == nagasaki_user.pk  # still the secretariat, not an applicant


# --- uploads ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "data"), [
    ("poly.html", POLYGLOT),
    ("no-eof.pdf", b"%PDF-1.7 only a header"),
    ("html-after.pdf", b"%PDF-1.4\n<!DOCTYPE html><p>hi</p>\n%%EOF"),
    ("fake.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"),
    ("fake.jpg", b"\xff\xd8\xff\xe0<script>alert(1)</script>"),
    ("cut.png", _image("PNG")[:-12]),
    ("cut.jpg", _image("JPEG")[:-40]),
])
def test_upload_is_checked_by_content(make_application, name, data):
    app = make_application()
    with pytest.raises(ValidationError) as exc:
        services.evidence_upload(actor=app.profile.user, profile=app.profile, label="証明",
                                 uploaded=SimpleUploadedFile(name, data, content_type="application/pdf"))
    assert exc.value.field == "file"
    assert not app.profile.evidence.exists()


@pytest.mark.parametrize(("fmt", "content_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_real_images_are_accepted(make_application, fmt, content_type):
    from dxpool.talent.evidence import evidence_type

    app = make_application()
    data = _image(fmt)
    assert evidence_type(data) == content_type
    evidence = services.evidence_upload(actor=app.profile.user, profile=app.profile, label="証明",
                                        uploaded=SimpleUploadedFile("x.bin", data, content_type="text/html"))
    assert evidence.content_type == content_type


def test_download_uses_the_servers_name_and_type(client, make_application, nagasaki_user):
    app = make_application()
    # A real PDF under a dangerous name: stored and served under names and types the server chose.
    evidence = services.evidence_upload(actor=app.profile.user, profile=app.profile, label="合格証",
                                        uploaded=SimpleUploadedFile("poly.html", PDF, content_type="text/html"))
    assert not evidence.file.name.endswith(".html")
    client.force_login(nagasaki_user)
    r = client.get(f"/talent/evidence/{evidence.pk}/")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == f'attachment; filename="evidence-{evidence.pk}.pdf"'
    assert r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content) == PDF


# --- the pool's skill filter ----------------------------------------------------------------------------------

@pytest.mark.parametrize("query", [{"skill": "-1"}, {"skill": "0"}, {"skill": "99999999999999999999999"},
                                   {"skill": "宇宙飛行"}, {"skill": "要求分析", "min_rating": "99999999999999999999"},
                                   {"skill": "要求分析", "min_rating": "-5"}])
def test_pool_skill_filter_refuses_unknown_items_with_a_400(client, goto_user, make_pool_member, query):
    """A skill that is not an item of the standard became a JSON path (`-1` an array index the database
    refused, answered 503); it is a 400 naming the field."""
    make_pool_member()
    client.force_login(goto_user)
    r = client.get("/api/v1/pool", query)
    assert r.status_code in (400, 422), r.content[:300]  # 422: the schema's own integer check came first
    if r.status_code == 400:
        assert r.json()["error"]["field"] in ("skill", "min_rating")
    assert selectors.pool_search(user=goto_user, filters=selectors.PoolFilters(q=None)) != []

"""The web shell: log-in, role-aware home, health check, accessibility landmarks, local assets only."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_ok(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    data = r.json()
    assert data["status"] == "ok" and data["database"]["reachable"] is True
    assert data["database"]["pending_migrations"] == 0


def test_login_page_accessible_shell(client):
    body = client.get("/login/").content.decode()
    assert '<html lang="ja">' in body
    assert 'class="skip-link" href="#main"' in body
    assert '<main id="main"' in body and 'role="banner"' in body and 'role="contentinfo"' in body
    assert '<label for="id_username">' in body and '<label for="id_password">' in body


def test_no_external_assets(client, nagasaki_user):
    client.force_login(nagasaki_user)
    body = client.get("/").content.decode()
    for url in re.findall(r'(?:href|src)="([^"]+)"', body):
        assert not url.startswith(("http://", "https://", "//")), url


def test_login_wrong_password_message(client, nagasaki_user):
    r = client.post("/login/", {"username": nagasaki_user.username, "password": "wrong"})
    assert r.status_code == 200
    assert "正しくありません" in r.content.decode()


def test_login_then_home_per_role(client, kuni_user, nagasaki_user, goto_user, applicant):
    expectations = {kuni_user: "全国の状況", nagasaki_user: "長崎県の人材プール", goto_user: "五島市",
                    applicant: "外部デジタル人材"}
    for user, text in expectations.items():
        r = client.post("/login/", {"username": user.username, "password": "test-password-123"})
        assert r.status_code == 302, user
        assert text in client.get("/").content.decode()
        client.post("/logout/")


def test_english_ui(client, nagasaki_user):
    client.force_login(nagasaki_user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Log out" in body


def test_404_page_japanese(client, kuni_user):
    client.force_login(kuni_user)
    r = client.get("/no-such-page/")
    assert r.status_code == 404
    assert "見つかりません" in r.content.decode()


def test_favicon_is_served_by_the_app(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 301 and r["Location"].endswith("img/favicon.svg")
    assert 'rel="icon"' in client.get("/login/").content.decode()

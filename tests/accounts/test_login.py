"""Log-in throttling (django-axes), the audit of log-ins and the argon2 hash upgrade.

Axes is off in the test settings (the test client's login() authenticates without a request, which the axes
backend refuses); these tests switch it on and log in through the real form, as a browser does.
"""

import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import make_password
from django.db.models import F
from django.test import RequestFactory, override_settings
from django.utils import timezone

from config.settings import base
from dxpool.accounts.services import api_token_create
from dxpool.core.audit import AuditAction
from dxpool.core.models import AuditEvent
from dxpool.core.netaddr import client_ip
from tests.factories import prefecture_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]

PASSWORD = "test-password-123"  # the factories' password
WRONG = "wrong-password-456"


@pytest.fixture
def axes_on():
    with override_settings(AXES_ENABLED=True):
        yield


def post_login(client, username, password, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in(client, nagasaki_user):
    """The finding: 30 wrong passwords, then the right one logged in. Now the fifth failure locks the pair."""
    for n in range(1, 31):
        r = post_login(client, nagasaki_user.username, WRONG)
        assert r.status_code == (200 if n < 5 else 429), n
    r = post_login(client, nagasaki_user.username, PASSWORD)
    assert r.status_code == 429
    assert not logged_in(client)
    # Refused attempts are not counted (the cool-off does not restart), and no hash is computed for them.
    assert AccessAttempt.objects.get().failures_since_start == 5


def test_the_lockout_page_is_japanese_and_says_when_to_retry(client, nagasaki_user):
    for _ in range(5):
        r = post_login(client, nagasaki_user.username, WRONG)
    page = r.content.decode()
    assert r.status_code == 429 and "text/html" in r["Content-Type"]
    assert "ログインが一時的にロックされています" in page
    assert "以降（約15分後）にもう一度お試しください" in page
    attempt = AccessAttempt.objects.get()
    retry_at = timezone.localtime(attempt.attempt_time + timedelta(minutes=15))  # Asia/Tokyo
    assert f"{retry_at.year}年{retry_at.month}月{retry_at.day}日 {retry_at.hour:02d}:{retry_at.minute:02d}" in page
    assert 890 <= int(r["Retry-After"]) <= 900
    assert "no-store" in r["Cache-Control"]
    # A later attempt names the same time: retrying early does not push it back.
    again = post_login(client, nagasaki_user.username, PASSWORD)
    assert f"{retry_at.hour}:{retry_at.minute:02d}" in again.content.decode()


def test_the_lockout_page_in_english(client, nagasaki_user):
    for _ in range(5):
        r = post_login(client, nagasaki_user.username, WRONG, HTTP_ACCEPT_LANGUAGE="en")
    page = r.content.decode()
    assert "Log-in temporarily locked" in page
    assert "Please try again after" in page and "(in about 15 minutes)" in page


def test_after_the_cool_off_the_right_password_works(client, nagasaki_user):
    for _ in range(6):
        post_login(client, nagasaki_user.username, WRONG)
    assert post_login(client, nagasaki_user.username, PASSWORD).status_code == 429
    # Sixteen minutes pass (the counted failure moves into the past rather than the test waiting).
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    r = post_login(client, nagasaki_user.username, PASSWORD)
    assert r.status_code == 302 and logged_in(client)


def test_a_success_resets_the_counter(client, nagasaki_user):
    for _ in range(4):
        assert post_login(client, nagasaki_user.username, WRONG).status_code == 200
    assert post_login(client, nagasaki_user.username, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()
    client.post("/logout/")
    for _ in range(4):  # without the reset this would be failures 5 to 8
        assert post_login(client, nagasaki_user.username, WRONG).status_code == 200
    assert post_login(client, nagasaki_user.username, PASSWORD).status_code == 302


def test_the_lock_is_per_username_and_address(client, nagasaki_user):
    """Someone typing wrong passwords for a colleague cannot lock the colleague out from their own desk."""
    for _ in range(5):
        post_login(client, nagasaki_user.username, WRONG, REMOTE_ADDR="10.0.0.66")
    assert post_login(client, nagasaki_user.username, PASSWORD, REMOTE_ADDR="10.0.0.66").status_code == 429
    r = post_login(client, nagasaki_user.username, PASSWORD, REMOTE_ADDR="10.0.0.7")
    assert r.status_code == 302 and logged_in(client)


@override_settings(DXPOOL_CLIENT_IP_HEADER="X-Forwarded-For", DXPOOL_PROXY_COUNT=1)
def test_behind_a_proxy_the_client_is_the_entry_the_proxy_appended(client, nagasaki_user):
    # Every request comes from the proxy (REMOTE_ADDR); the client can prepend any entry it likes.
    for n in range(5):
        post_login(client, nagasaki_user.username, WRONG, REMOTE_ADDR="127.0.0.1",
                   HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
    r = post_login(client, nagasaki_user.username, PASSWORD, REMOTE_ADDR="127.0.0.1",
                   HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert r.status_code == 429
    r = post_login(client, nagasaki_user.username, PASSWORD, REMOTE_ADDR="127.0.0.1",
                   HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert r.status_code == 302


@pytest.mark.parametrize(("header", "count", "meta", "expected"), [
    ("", 1, {"REMOTE_ADDR": "10.1.1.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.1.1.1"),  # header not trusted
    ("X-Forwarded-For", 1, {"REMOTE_ADDR": "10.1.1.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}, "1.2.3.4"),
    ("HTTP_X_FORWARDED_FOR", 2, {"REMOTE_ADDR": "10.1.1.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4, 10.2.2.2"},
     "1.2.3.4"),
    ("x-real-ip", 1, {"REMOTE_ADDR": "10.1.1.1", "HTTP_X_REAL_IP": "2001:db8::1"}, "2001:db8::1"),
    ("X-Forwarded-For", 1, {"REMOTE_ADDR": "10.1.1.1"}, "10.1.1.1"),  # missing: the proxy's own address
    ("X-Forwarded-For", 1, {"REMOTE_ADDR": "10.1.1.1", "HTTP_X_FORWARDED_FOR": "nonsense\x00"}, "10.1.1.1"),
    ("X-Forwarded-For", 2, {"REMOTE_ADDR": "10.1.1.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.1.1.1"),
])
def test_client_ip(header, count, meta, expected):
    request = RequestFactory().get("/")
    request.META.clear()
    request.META.update(meta)
    with override_settings(DXPOOL_CLIENT_IP_HEADER=header, DXPOOL_PROXY_COUNT=count):
        assert client_ip(request) == expected


def test_success_failure_and_lockout_are_audited(client, nagasaki_user):
    post_login(client, nagasaki_user.username, PASSWORD, REMOTE_ADDR="10.0.0.5")
    (ok,) = AuditEvent.objects.filter(action=AuditAction.LOGIN_SUCCESS)
    assert ok.actor == nagasaki_user and ok.ip_address == "10.0.0.5"
    assert ok.detail == {"username": nagasaki_user.username, "ip": "10.0.0.5"}
    assert ok.prefecture.code == "42" and ok.target_id == str(nagasaki_user.pk)
    client.post("/logout/")

    for _ in range(6):
        post_login(client, nagasaki_user.username, WRONG, REMOTE_ADDR="10.0.0.6")
    post_login(client, "nobody-by-that-name", WRONG, REMOTE_ADDR="10.0.0.6")
    events = list(AuditEvent.objects.filter(action__startswith="login.", id__gt=ok.id).order_by("id"))
    assert [e.action for e in events] == ["login.failed"] * 5 + ["login.locked", "login.failed", "login.failed"]
    failed, locked, refused, unknown = events[0], events[5], events[6], events[7]
    assert failed.actor is None and failed.ip_address == "10.0.0.6" and failed.prefecture.code == "42"
    assert failed.detail == {"username": nagasaki_user.username, "ip": "10.0.0.6", "locked_out": False}
    assert locked.detail["failures"] == 5 and locked.detail["retry_at"] and locked.prefecture.code == "42"
    assert refused.detail["locked_out"] is True
    assert unknown.detail["username"] == "nobody-by-that-name" and unknown.prefecture is None
    assert unknown.target_id == ""
    # The password tried is nowhere: not in the audit trail, not in axes' own records.
    stored = json.dumps([e.detail for e in AuditEvent.objects.all()], ensure_ascii=False)
    stored += "".join(a.post_data + a.get_data for a in AccessAttempt.objects.all())
    assert WRONG not in stored and PASSWORD not in stored


def test_bearer_tokens_are_not_affected_by_a_lockout(client, nagasaki_user):
    _, raw = api_token_create(user=nagasaki_user, name="t")
    for _ in range(5):
        post_login(client, nagasaki_user.username, WRONG)
    r = client.get("/api/v1/municipalities?limit=1", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 200


def test_a_pbkdf2_hash_becomes_argon2_at_log_in(client):
    """Production's hasher list: argon2 first, PBKDF2 still verified and upgraded on a successful log-in."""
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        user = prefecture_user("42")
        user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        user.save(update_fields=["password"])
        assert post_login(client, user.username, PASSWORD).status_code == 302
        user.refresh_from_db()
        assert user.password.startswith("argon2$")
        assert user.check_password(PASSWORD)
        assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
        assert any(h.endswith("PBKDF2PasswordHasher") for h in base.PASSWORD_HASHERS)

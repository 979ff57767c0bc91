"""Bounds on what a request may carry (issue 12, items 2 and 6): the suggestion endpoint, body and field limits,
NUL bytes and numbers beyond any column — a 4xx with a Japanese message, never a 500 or a stalled worker."""

import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError
from django.test import override_settings

from dxpool.suggest.text import MAX_TEXT_CHARS
from tests.core.test_cli import run_cli

pytestmark = pytest.mark.django_db

SUGGEST = "/api/v1/suggestions"


@pytest.fixture(autouse=True)
def fresh_counters():
    # The rate limiter counts in Django's cache, which outlives a test's database rollback.
    cache.clear()
    yield
    cache.clear()


def _suggest(client, text, **extra):
    return client.post(SUGGEST, {"text": text}, content_type="application/json", **extra)


# --- the suggestion endpoint -----------------------------------------------------------------------------------

def test_suggestions_are_for_the_roles_that_write_hearings(client, goto_user, nagasaki_user, applicant, kuni_user):
    assert _suggest(client, "RPAを導入したい").status_code == 401
    for user in (applicant, kuni_user):  # sign-up is open: a talent account must not be a lever on the server
        client.force_login(user)
        r = _suggest(client, "RPAを導入したい")
        assert r.status_code == 403 and "権限" in r.json()["error"]["message"]
    for user in (goto_user, nagasaki_user):
        client.force_login(user)
        assert _suggest(client, "RPAを導入したい").json()["personas"][0]["code"] == "engineer"


def test_suggestion_text_is_limited_like_the_issue_field(client, goto_user):
    client.force_login(goto_user)
    assert MAX_TEXT_CHARS == 4000
    assert _suggest(client, "あ" * MAX_TEXT_CHARS).status_code == 200
    r = _suggest(client, "あ" * 100_000)
    assert r.status_code in (400, 422)
    error = r.json()["error"]
    assert "4000文字以内" in error["message"] and "100000文字" in error["message"] and error["field"] == "text"


@override_settings(DXPOOL_SUGGESTIONS_PER_MINUTE=3)
def test_suggestions_are_rate_limited_per_user(client, goto_user, iki_user):
    client.force_login(goto_user)
    for _ in range(3):
        assert _suggest(client, "RPAを導入したい").status_code == 200
    r = _suggest(client, "RPAを導入したい")
    assert r.status_code == 429
    assert 1 <= int(r["Retry-After"]) <= 60
    assert "秒後" in r.json()["error"]["message"]
    client.force_login(iki_user)  # per user: a colleague is not slowed down
    assert _suggest(client, "RPAを導入したい").status_code == 200


def test_suggest_command_refuses_a_text_beyond_the_limit():
    r = run_cli("suggest", "-", stdin="あ" * 1_000_000)
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "4000" in r.stderr
    r = run_cli("suggest", "-", stdin="RPAを導入したい。" + "あ" * (MAX_TEXT_CHARS - 10) + "\n")  # exactly 4000
    assert r.returncode == 0 and "engineer" in r.stdout


# --- request body, fields and uploads --------------------------------------------------------------------------

@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_beyond_the_limit_is_413_with_a_japanese_page(client):
    r = client.post("/login/", {"username": "x" * 5000, "password": "y"})
    assert r.status_code == 413
    body = r.content.decode()
    assert "大きすぎます" in body and '<html lang="ja">' in body


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_api_body_beyond_the_limit_is_413_json(client, goto_user):
    client.force_login(goto_user)
    r = _suggest(client, "あ" * 2000)
    assert r.status_code == 413 and r["Content-Type"].startswith("application/json")
    assert "大きすぎます" in r.json()["error"]["message"]


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=5)
def test_too_many_fields_is_400_with_a_message(client, goto_user):
    r = client.post("/login/", {f"f{i}": "1" for i in range(20)})
    assert r.status_code == 400 and "項目が多すぎます" in r.content.decode()
    client.force_login(goto_user)
    r = client.get("/api/v1/jds", {f"f{i}": "1" for i in range(20)})
    assert r.status_code == 400 and "項目が多すぎます" in r.json()["error"]["message"]


@override_settings(DXPOOL_MAX_REQUEST_BYTES=2000)
def test_an_upload_beyond_the_request_cap_is_413(client, nagasaki_user):
    # DATA_UPLOAD_MAX_MEMORY_SIZE does not count files: the request cap does, before anything is read.
    client.force_login(nagasaki_user)
    upload = SimpleUploadedFile("big.xlsx", b"x" * 5000)
    r = client.post("/needs/hearings/upload/", {"file": upload})
    assert r.status_code == 413 and "大きすぎます" in r.content.decode()


# --- NUL bytes -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("params", [{"q": "a\x00b"}, {"q\x00": "1"}])
def test_a_nul_byte_in_a_query_is_400_on_pages(client, nagasaki_user, params):
    # PostgreSQL refuses NUL in text, so these reached the driver and came back as 500s (9 routes).
    client.force_login(nagasaki_user)
    r = client.get("/talent/pool/", params)
    assert r.status_code == 400 and "使用できない文字" in r.content.decode()


def test_a_nul_byte_in_a_form_is_400(client):
    r = client.post("/login/", {"username": "nagasaki\x00", "password": "x"})
    assert r.status_code == 400 and "使用できない文字" in r.content.decode()


def test_a_nul_byte_in_the_api_is_400_json(client, goto_user):
    client.force_login(goto_user)
    r = client.get("/api/v1/pool", {"q": "\x00"})
    assert r.status_code == 400 and "使用できない文字" in r.json()["error"]["message"]
    r = _suggest(client, "RPA\x00を導入したい")  # JSON escapes it as \u0000
    assert r.status_code == 400 and "使用できない文字" in r.json()["error"]["message"]
    # An escaped backslash followed by "u0000" is text, not a NUL.
    assert client.post(SUGGEST, '{"text": "RPA\\\\u0000"}', content_type="application/json").status_code == 200


# --- numbers and lengths ---------------------------------------------------------------------------------------

def test_a_huge_skill_number_in_the_pool_is_a_4xx(client, nagasaki_user):
    # On PostgreSQL the key became `skill_ratings -> 99999999999999999999999::numeric`: no such operator, a 500.
    # The root cause (any text became a JSON path) is fixed in dxpool.talent.selectors.pool_search.
    client.force_login(nagasaki_user)
    r = client.get("/api/v1/pool", {"skill": "99999999999999999999999"})
    assert r.status_code in (400, 422) and r.json()["error"]["field"] == "skill"


class _Truncation(Exception):
    sqlstate = "22001"  # string_data_right_truncation, as psycopg reports a value too long for its column


def test_a_value_too_long_for_its_column_is_named_as_such(client, goto_user, monkeypatch):
    def too_long(**kwargs):
        raise DataError("value too long for type character varying(200)") from _Truncation()

    monkeypatch.setattr("dxpool.needs.selectors.hearing_list", too_long)
    client.force_login(goto_user)
    r = client.get("/api/v1/hearings")
    assert r.status_code == 422
    message = r.json()["error"]["message"]
    assert "文字数" in message and "数値" not in message


def test_api_validation_messages_are_japanese(client, goto_user):
    client.force_login(goto_user)
    r = client.get("/api/v1/hearings", {"fiscal_year": "abc"})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["field"] == "fiscal_year" and "整数" in error["message"]
    r = client.post(SUGGEST, json.dumps({}), content_type="application/json")
    assert r.status_code == 422 and "必須" in r.json()["error"]["message"]


def test_an_overlong_need_title_is_refused_by_name(client, goto_user):
    # Found by the length sweep: SQLite stored 1,000 characters in a 120-character column; PostgreSQL refuses
    # them with a DataError, which the API could only call "too long", not name the field.
    from dxpool.places.models import Municipality

    client.force_login(goto_user)
    goto = Municipality.objects.get(name="五島市", prefecture__code="42").code
    r = client.post("/api/v1/needs", {"title": "あ" * 1000, "persona": "engineer", "municipalities": [goto],
                                      "hours_per_week": 8}, content_type="application/json")
    assert r.status_code in (400, 422) and "120文字以内" in r.json()["error"]["message"]

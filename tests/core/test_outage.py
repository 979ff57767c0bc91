"""With the database down (issue 12, item 6): the health check tells nobody where the database is, the API
still answers JSON, and a signed-in user gets dxpool's own 503 page rather than the server's bare one."""

import logging
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

pytestmark = pytest.mark.django_db

# What psycopg says when the server is unreachable: host, address and port, which nobody outside should learn.
REFUSED = ('connection to server at "db.internal.pref.example" (10.1.2.3), port 5432 failed: Connection refused\n'
           '\tIs the server running on that host and accepting TCP/IP connections?')


@contextmanager
def database_down():
    """Every query fails the way an unreachable server fails (the test's own connection stays for teardown)."""
    def refuse(*args, **kwargs):
        raise OperationalError(REFUSED)

    with mock.patch.object(CursorWrapper, "execute", refuse), mock.patch.object(CursorWrapper, "executemany", refuse):
        yield


def test_healthz_names_no_host_to_anyone(client, caplog):
    with database_down(), caplog.at_level(logging.ERROR):
        r = client.get("/healthz")
    assert r.status_code == 503
    text = r.content.decode()
    assert r.json()["database"]["error"] == "database unavailable"
    assert "db.internal" not in text and "5432" not in text and "10.1.2.3" not in text
    assert "db.internal" in caplog.text  # the details go to the log, for the operator


def test_the_api_answers_json_when_the_database_is_down(client, goto_user, caplog):
    client.force_login(goto_user)
    with database_down(), caplog.at_level(logging.ERROR):
        r = client.get("/api/v1/hearings")
    assert r.status_code == 503 and r["Content-Type"].startswith("application/json")
    assert r.json()["error"]["code"] == "ServiceUnavailable"
    assert "db.internal" not in r.content.decode() and "db.internal" in caplog.text


def test_any_unexpected_api_error_is_json_and_logged(client, goto_user, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("dxpool.needs.selectors.hearing_list", broken)
    client.force_login(goto_user)
    with caplog.at_level(logging.ERROR):
        r = client.get("/api/v1/hearings")
    assert r.status_code == 500 and r.json()["error"]["code"] == "ServerError"
    assert "a bug" not in r.content.decode() and "a bug" in caplog.text


def test_a_signed_in_user_gets_the_503_page_without_the_database(goto_user):
    client = Client(raise_request_exception=False)
    client.force_login(goto_user)
    with database_down():
        r = client.get("/needs/hearings/")
    assert r.status_code == 503
    body = r.content.decode()
    assert '<html lang="ja">' in body and "一時的に" in body and "db.internal" not in body
    assert r["Retry-After"]


def test_the_500_page_renders_without_the_database(goto_user, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("dxpool.core.views.home_summary", broken)
    client = Client(raise_request_exception=False)
    client.force_login(goto_user)
    r = client.get("/")
    assert r.status_code == 500 and "システムエラー" in r.content.decode()
    # … and renders when the error *is* the database, found while the page itself would ask it again.
    with database_down():
        r = client.get("/")
    assert r.status_code == 503 and "一時的に" in r.content.decode()

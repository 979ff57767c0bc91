"""Suggestions shown live as the hearing's issue text is typed (issue 13): the endpoint needs:suggestion_preview
(who may ask, the length limit, the rate, the fragment) and the hearing form that calls it with htmx and still
works without JavaScript."""

import pytest
from django.core.cache import cache

from dxpool.suggest.text import MAX_TEXT_CHARS
from tests.needs.builders import make_hearing

pytestmark = pytest.mark.django_db
URL = "/needs/suggestions/"
ISSUE = "基幹系システムの標準化のスケジュール管理が追いつかない。"


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    cache.clear()  # the rate limiter counts in the cache
    yield
    cache.clear()


# --- who may ask -------------------------------------------------------------------------------------------------

def test_those_who_write_hearings_get_the_fragment(client, goto_user, nagasaki_user):
    for user in (goto_user, nagasaki_user):
        client.force_login(user)
        r = client.post(URL, {"issues": ISSUE})
        assert r.status_code == 200, user.role
        assert r["Content-Type"].startswith("text/html")


def test_others_are_refused(client, kuni_user, applicant):
    r = client.post(URL, {"issues": ISSUE})
    assert r.status_code == 302 and "/login/" in r["Location"]
    for user in (kuni_user, applicant):  # national reads aggregates only; talent writes no hearing
        client.force_login(user)
        assert client.post(URL, {"issues": ISSUE}).status_code == 403, user.role


def test_post_only_so_the_text_stays_out_of_urls(client, goto_user):
    client.force_login(goto_user)
    assert client.get(URL, {"issues": ISSUE}).status_code == 405


def test_csrf_is_enforced(goto_user):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(goto_user)
    assert strict.post(URL, {"issues": ISSUE}).status_code == 403


# --- limits ----------------------------------------------------------------------------------------------------------

def test_text_past_the_limit_is_refused_with_the_limit_named(client, goto_user):
    client.force_login(goto_user)
    r = client.post(URL, {"issues": "あ" * (MAX_TEXT_CHARS + 1)})
    assert r.status_code == 400
    body = r.content.decode()
    assert f"{MAX_TEXT_CHARS}文字以内" in body and f"現在{MAX_TEXT_CHARS + 1}文字" in body
    assert "<html" not in body  # still a fragment, swapped in place (static/js/live-suggestions.js)


def test_text_at_the_limit_is_answered(client, goto_user):
    client.force_login(goto_user)
    assert client.post(URL, {"issues": (ISSUE * MAX_TEXT_CHARS)[:MAX_TEXT_CHARS]}).status_code == 200


def test_the_rate_is_bounded_per_user(client, goto_user, settings):
    settings.DXPOOL_SUGGESTIONS_PER_MINUTE = 2
    client.force_login(goto_user)
    assert [client.post(URL, {"issues": ISSUE}).status_code for _ in range(2)] == [200, 200]
    r = client.post(URL, {"issues": ISSUE})
    assert r.status_code == 429 and "秒後にもう一度" in r.content.decode()
    # An empty field analyses nothing and is not counted.
    assert client.post(URL, {"issues": "  "}).status_code == 200


# --- the fragment ----------------------------------------------------------------------------------------------------

def test_the_fragment_lists_the_roles_with_skills_and_reasons(client, goto_user):
    client.force_login(goto_user)
    body = client.post(URL, {"issues": ISSUE}).content.decode()
    assert "<html" not in body and "<ol" in body
    assert "プロジェクトマネージャー" in body and "スケジュール管理" in body
    assert "「スケジュール」" in body  # the reason quotes the municipality's words
    assert "0.82" not in body  # no raw score: the order says which fits best


def test_the_fragment_says_when_nothing_fits_or_nothing_is_typed(client, goto_user):
    client.force_login(goto_user)
    assert "特定できませんでした" in client.post(URL, {"issues": "特になし"}).content.decode()
    assert "課題を入力すると" in client.post(URL, {}).content.decode()


def test_markup_in_the_text_is_inert(client, goto_user):
    client.force_login(goto_user)
    body = client.post(URL, {"issues": "<script>alert(1)</script> RPAを導入したい"}).content.decode()
    assert "<script>" not in body


# --- the hearing form ------------------------------------------------------------------------------------------------

def test_the_issue_field_asks_as_it_is_typed(client, goto_user):
    client.force_login(goto_user)
    page = client.get("/needs/hearings/new/?year=2030").content.decode()
    assert f'hx-post="{URL}"' in page and 'hx-trigger="input changed delay:500ms"' in page
    assert 'hx-params="issues"' in page and 'hx-target="#live-suggestions"' in page
    assert '<div id="live-suggestions" aria-live="polite">' in page
    assert "js/live-suggestions.js" in page and "hx-on" not in page


def test_without_javascript_the_stored_text_shows_its_suggestions_and_saving_still_shows_them(client, goto_user):
    record = make_hearing(goto_user)  # issues: ISSUE
    client.force_login(goto_user)
    page = client.get(f"/needs/hearings/{record.pk}/edit/").content.decode()
    live = page[page.index('id="live-suggestions"'):]
    assert "プロジェクトマネージャー" in live[:live.index("</ol>")]
    # Saving is as before: the record's page shows the suggestions, with the hearing's facts added.
    detail = client.get(f"/needs/hearings/{record.pk}/").content.decode()
    assert "必要な人材像の提案" in detail and "プロジェクトマネージャー" in detail

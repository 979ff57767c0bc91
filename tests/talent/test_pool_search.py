"""The pool's free text by role (issue 13, item 9): the prefecture secretariat finds people by name and reading,
typed with or without the space and in either kana; a municipality searches only what the card shows."""

import pytest

from dxpool.talent import selectors

pytestmark = pytest.mark.django_db


def search(user, q):
    return [p.pk for p in selectors.pool_search(user=user, filters=selectors.PoolFilters(q=q))]


@pytest.fixture
def member(make_pool_member):
    return make_pool_member(full_name="長崎 花子", full_name_kana="ナガサキ ハナコ").profile


@pytest.mark.parametrize("q", ["長崎 花子", "長崎花子", "花子", "ナガサキハナコ", "ながさき はなこ", "ながさきはなこ",
                               "ﾅｶﾞｻｷ", "長崎　花子"])
def test_secretariat_finds_by_name_and_reading(member, nagasaki_user, make_pool_member, q):
    make_pool_member(full_name="佐世保 一郎", full_name_kana="サセボ イチロウ")
    assert search(nagasaki_user, q) == [member.pk]


def test_secretariat_still_finds_by_pseudonym_and_cv(member, nagasaki_user):
    assert search(nagasaki_user, member.pseudonym.lower()) == [member.pk]
    assert search(nagasaki_user, "kintone") == [member.pk]


@pytest.mark.parametrize("q", ["長崎 花子", "長崎花子", "ナガサキ", "はなこ", "kintone"])
def test_municipality_cannot_search_what_the_card_hides(member, goto_user, q):
    assert search(goto_user, q) == []


def test_municipality_finds_what_the_card_shows(member, goto_user):
    assert search(goto_user, member.pseudonym) == [member.pk]
    assert search(goto_user, "エンジニア") == [member.pk]


def test_application_list_finds_by_name_without_the_space(member, nagasaki_user):
    found = selectors.application_list(user=nagasaki_user, q="長崎花子")
    assert [a.profile_id for a in found] == [member.pk]
    assert [a.profile_id for a in selectors.application_list(user=nagasaki_user, q="ながさき")] == [member.pk]

"""Issue 12 item 5: a municipality's pool search matches only what its pseudonymised card shows.

The finding: `q` searched a hidden column holding the home municipality and the experience description, so
`q=五島市` picked out the one person whose card says only 長崎県, and CV words did the same. The prefecture,
which holds the personal data, keeps full-text search (names included).
"""

import pytest

from dxpool.talent import selectors
from tests.talent.test_pool import pool_member

pytestmark = pytest.mark.django_db

CV = "ＲＰＡとkintoneで業務を自動化した。"


def page_pseudonyms(client, **query) -> str:
    return client.get("/talent/pool/", query).content.decode()


def api_pseudonyms(client, **query) -> list[str]:
    return [row["pseudonym"] for row in client.get("/api/v1/pool", query).json()["items"]]


@pytest.fixture
def member(make_application, nagasaki_user):
    """One pooled engineer living in 五島市 (the card says 長崎県) with a CV naming kintone."""
    return pool_member(make_application, nagasaki_user, experience_description=CV).profile


@pytest.mark.parametrize("q", ["五島市", "五島", "kintone", "業務を自動化", "A社", "試験 太郎", "taro@example.jp"])
def test_municipality_cannot_search_hidden_fields(client, goto_user, member, q):
    client.force_login(goto_user)
    assert member.pseudonym in page_pseudonyms(client)  # the person is in the pool the officer sees
    assert member.pseudonym not in page_pseudonyms(client, q=q)
    assert api_pseudonyms(client, q=q) == []
    assert selectors.pool_search(user=goto_user, filters=selectors.PoolFilters(q=q)) == []


@pytest.mark.parametrize("q", ["長崎県", "長崎", "エンジニア", "engineer", "ITサービスマネージャ", "デジタルツール実装",
                               "リモート可"])
def test_municipality_searches_what_the_card_shows(client, goto_user, member, q):
    client.force_login(goto_user)
    card = selectors.profile_get_pseudonymous(user=goto_user, pseudonym=member.pseudonym)
    assert card.home_prefecture == "長崎県" and "engineer" in card.personas_met
    assert "デジタルツール実装" in dict(card.skills)  # rated 4: shown on the card, so searchable
    assert member.pseudonym in page_pseudonyms(client, q=q)
    assert api_pseudonyms(client, q=q) == [member.pseudonym]


def test_card_shows_the_skills_it_can_be_found_by(client, goto_user, member):
    client.force_login(goto_user)
    body = client.get(f"/talent/pool/{member.pseudonym}/").content.decode()
    body = body[body.index("<main"):body.index("</main>")]  # the header names the officer's own town
    assert "デジタルツール実装" in body and "五島市" not in body and "kintone" not in body
    # 要求分析 is rated 3 (独力で実施できる): on the card; a skill rated below 3 is neither shown nor searched.
    assert "要求分析" in body


def test_prefecture_keeps_full_text_search_with_names(client, nagasaki_user, member):
    client.force_login(nagasaki_user)
    for q in ("五島市", "kintone", "試験 太郎", "試験", member.pseudonym):
        assert [p.pk for p in selectors.pool_search(user=nagasaki_user, filters=selectors.PoolFilters(q=q))] == [
            member.pk], q
        assert member.full_name in page_pseudonyms(client, q=q)


def test_municipality_distance_is_from_its_own_town_only(client, goto_user, iki_user, member):
    """Sorting or filtering by distance from any town of the officer's choosing would locate a person's home
    (the nearest town at 0 km): an officer asks only about their own municipality."""
    from dxpool.core.errors import ValidationError

    with pytest.raises(ValidationError):
        selectors.pool_search(user=iki_user, filters=selectors.PoolFilters(near_municipality="422118"))
    own = selectors.pool_search(user=goto_user, filters=selectors.PoolFilters(near_municipality="422118",
                                                                              reachable=True))
    assert [p.pk for p in own] == [member.pk]

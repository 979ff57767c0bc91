"""The prefecture overview (a table and an inline SVG map coloured by status, with filters), the national
roll-up, and a municipality's year-on-year history."""

import re

import pytest

from tests.needs.builders import municipality

pytestmark = pytest.mark.django_db


def dots(body: str) -> int:
    return len(re.findall(r"<circle [^>]*r=\"7.0\"", body))


def test_prefecture_overview_map_and_table(client, needs_demo, nagasaki_user):
    client.force_login(nagasaki_user)
    body = client.get("/needs/overview/?year=2026").content.decode()
    # A group, not an image: the map holds links, and an image may not contain focusable elements (WCAG 4.1.2).
    assert '<svg viewBox="0 0 640' in body and 'role="group"' in body and "<title>" in body
    assert 'aria-label="五島市: ' in body  # each dot's link is named
    assert dots(body) == 21  # one dot per municipality, each linking to its history
    assert "<title>五島市: ステップ2（取組中）、標準化" in body
    assert "凡例" in body and "ヒアリング未実施" in body
    assert "<caption>" in body and body.count('<th scope="row">') == 21
    assert "21/21" in body
    assert "https://" not in body.split("<main")[1]  # nothing from outside (LGWAN)


def test_overview_filters_and_colourings(client, needs_demo, nagasaki_user):
    client.force_login(nagasaki_user)
    body = client.get("/needs/overview/?year=2026&hitori=on&colour=hitori").content.decode()
    names = re.findall(r'<th scope="row"><a href="/needs/municipalities/\d+/">(.+?)</a>', body)
    assert "小値賀町" in names and "長崎市" not in names and len(names) == dots(body)
    assert "絞り込みの対象外" in body  # the others stay on the map, dimmed
    body = client.get("/needs/overview/?year=2026&no_cio_adviser=on&colour=cio").content.decode()
    assert "長崎市" not in re.findall(r'<th scope="row"><a [^>]+>(.+?)</a>', body)
    body = client.get("/needs/overview/?year=2027&missing=on").content.decode()
    assert body.count('<th scope="row">') == 21 and "ヒアリング未実施" in body
    for colour in ("step", "standardisation", "cio", "hitori", "needs"):
        assert client.get(f"/needs/overview/?colour={colour}").status_code == 200


def test_national_rollup_and_drill_down(client, needs_demo, kuni_user, goto_user):
    client.force_login(kuni_user)
    body = client.get("/needs/overview/?year=2026").content.decode()
    # One row per prefecture (the table of personas needed below it has rows of its own).
    assert body.count('<th scope="row"><a href="/needs/overview/?prefecture=') == 47 and "21/21（100%）" in body
    assert client.get("/needs/overview/?year=2026&prefecture=42").status_code == 200
    data = client.get("/api/v1/hearing-overview?fiscal_year=2026").json()
    nagasaki = next(p for p in data["prefectures"] if p["code"] == "42")
    assert nagasaki["recorded"] == 21 and nagasaki["needs_open"] == 21
    client.force_login(goto_user)
    assert client.get("/needs/overview/").status_code == 403
    assert client.get("/api/v1/hearing-overview?fiscal_year=2026").status_code == 404


def test_municipality_history_year_on_year(client, needs_demo, goto_user):
    client.force_login(goto_user)
    body = client.get(f"/needs/municipalities/{municipality('五島市').code}/").content.decode()
    assert "令和7年度" in body and "令和8年度" in body and "標準化（移行済み業務）" in body
    assert "全体方針とDX推進体制づくりの支援" in body  # its JDs and needs


def test_api_overview_for_the_prefecture(client, needs_demo, nagasaki_user):
    client.force_login(nagasaki_user)
    data = client.get("/api/v1/hearing-overview?fiscal_year=2026").json()
    assert len(data["municipalities"]) == 21 and data["counts"]["needs_open"] == 21
    goto = next(m for m in data["municipalities"] if m["name"] == "五島市")
    assert goto["needs_open"] == 3  # two of its own and the joint one

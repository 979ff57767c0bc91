"""The hearing page and its API show the role suggestion (dxpool.suggest.roles, tested in tests/suggest)."""

import pytest

from tests.needs.builders import make_hearing

pytestmark = pytest.mark.django_db


def test_hearing_page_and_api_show_the_reasons(client, goto_user):
    h = make_hearing(goto_user, issues="窓口で住民が何枚も申請書を書いている。書かない窓口を実現したい。")
    client.force_login(goto_user)
    body = client.get(f"/needs/hearings/{h.pk}/").content.decode()
    assert "必要な人材像の提案" in body and "サービスデザイナー" in body and "「窓口」" in body
    assert "ジョブディスクリプションを作成" in body
    data = client.get(f"/api/v1/hearings/{h.pk}/roles").json()
    assert data["personas"][0]["code"] == "service_designer" and data["personas"][0]["reasons"]

"""The public front door: `/` for a visitor who is not signed in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dxpool.talent import services
from dxpool.talent.models import RecruitmentRound, RoundStatus
from dxpool.talent.selectors import rounds_open_public
from tests.factories import prefecture_user

pytestmark = pytest.mark.django_db


def _round(actor, title, *, status=RoundStatus.OPEN, days=30, **over):
    data = {"title": title, "personas": ["producer", "engineer"], "role": "支援", "duties": "市町の支援",
            "appointment_forms": ["contract", "special_part_time"], "deadline": timezone.now() + timedelta(days=days),
            **over}
    rnd = services.round_create(actor=actor, data=data)
    if status != RoundStatus.DRAFT:
        services.round_set_status(actor=actor, rnd=rnd, status=RoundStatus.OPEN)
    if status == RoundStatus.CLOSED:
        services.round_set_status(actor=actor, rnd=rnd, status=RoundStatus.CLOSED)
    return rnd


def _main(response) -> str:
    body = response.content.decode()
    return body[body.index("<main"):body.index("</main>")]


def test_a_visitor_sees_the_open_rounds_how_to_apply_and_the_way_in(client, nagasaki_user, hiroshima_user):
    from datetime import date

    open_one = _round(nagasaki_user, "長崎県 外部デジタル人材募集", period_from=date(2026, 6, 1),
                      period_to=date(2027, 3, 31))
    other = _round(hiroshima_user, "広島県 DX人材募集", days=10)
    _round(nagasaki_user, "下書きの公募", status=RoundStatus.DRAFT)
    _round(nagasaki_user, "締め切った公募", status=RoundStatus.CLOSED)
    r = client.get("/")
    assert r.status_code == 200
    page = _main(r)
    for text in ("長崎県 外部デジタル人材募集", "長崎県", "広島県 DX人材募集", "プロデューサー（CIO補佐官等）",
                 "エンジニア", "業務委託", "特別職非常勤職員", "2026年6月1日", "2027年3月31日"):
        assert text in page, text
    assert "下書きの公募" not in page and "締め切った公募" not in page
    assert page.index("広島県 DX人材募集") < page.index("長崎県 外部デジタル人材募集")  # soonest deadline first
    assert f'href="/talent/rounds/{open_one.pk}/"' in page and f'href="/talent/rounds/{open_one.pk}/apply/"' in page
    assert f'href="/talent/rounds/{other.pk}/apply/"' in page
    assert 'href="/talent/signup/"' in page and 'href="/login/"' in page
    assert "応募の流れ" in page and "<ol" in page
    assert '<th scope="col">' in page and '<th scope="row">' in page


def test_a_visitor_following_apply_is_sent_to_sign_up(client, nagasaki_user):
    rnd = _round(nagasaki_user, "長崎県 外部デジタル人材募集")
    r = client.get(f"/talent/rounds/{rnd.pk}/apply/")
    assert r.status_code == 302 and r.url.startswith("/talent/signup/")


def test_the_front_page_shows_no_personal_data(client, nagasaki_user, applicant):
    from dxpool.talent.models import ConsentText
    from tests.talent.conftest import engineer_data

    consent = ConsentText.objects.create(version="f-1", title="個人情報の取扱い", body="本文",
                                         published_at=timezone.now() - timedelta(days=1))
    rnd = _round(nagasaki_user, "長崎県 外部デジタル人材募集")
    app = services.application_submit(actor=applicant, rnd=rnd, persona="engineer", consent_version=consent.version,
                                      profile_data=engineer_data())
    page = _main(client.get("/"))
    assert app.round.title in page
    for private in (app.profile.full_name, app.profile.email, app.profile.pseudonym):
        assert private not in page


def test_an_empty_front_page_says_so(client):
    assert "現在募集中の公募はありません。" in _main(client.get("/"))


def test_the_number_of_queries_does_not_grow_with_the_rounds(client, django_assert_max_num_queries):
    for code in ("42", "34", "13", "01", "47"):
        actor = prefecture_user(code)
        for n in range(3):
            _round(actor, f"{code}-{n}")
    assert len(rounds_open_public()) == 15
    with django_assert_max_num_queries(4):
        r = client.get("/")
    assert r.status_code == 200 and _main(r).count('<th scope="row">') == 15


def test_a_past_deadline_is_not_listed_even_if_still_open(nagasaki_user):
    rnd = _round(nagasaki_user, "期限切れ")
    RecruitmentRound.objects.filter(pk=rnd.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    assert rounds_open_public() == []


def test_signed_in_users_still_get_their_home(client, nagasaki_user):
    client.force_login(nagasaki_user)
    page = _main(client.get("/"))
    assert "応募の流れ" not in page

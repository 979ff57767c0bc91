"""dxpool.needs.permissions: each predicate for every role (the officer of the municipality and of another,
the secretariat of the prefecture and of another, national, talent, anonymous), and the services enforcing them."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from dxpool.core.errors import Forbidden
from dxpool.needs import permissions as p
from dxpool.needs import services
from tests.needs.builders import hearing_payload, jd_payload, make_jd, municipality

pytestmark = pytest.mark.django_db

ROLES = ("goto", "iki", "nagasaki", "hiroshima", "kuni", "applicant", "anonymous")


@pytest.fixture
def users(goto_user, iki_user, nagasaki_user, hiroshima_user, kuni_user, applicant):
    return {"goto": goto_user, "iki": iki_user, "nagasaki": nagasaki_user, "hiroshima": hiroshima_user,
            "kuni": kuni_user, "applicant": applicant, "anonymous": AnonymousUser()}


def allowed(users, predicate) -> set[str]:
    return {role for role in ROLES if predicate(users[role])}


def test_hearing_writers_are_the_officer_and_its_secretariat(users):
    goto = municipality("五島市")
    assert allowed(users, lambda u: p.can_edit_hearing(user=u, municipality=goto)) == {"goto", "nagasaki"}
    assert allowed(users, lambda u: p.can_import_hearings(user=u)) == {"goto", "iki", "nagasaki", "hiroshima"}
    assert allowed(users, lambda u: p.can_download_hearing_template(user=u)) == {"goto", "iki", "nagasaki",
                                                                                 "hiroshima"}
    # A record export is record-level: national users read the roll-up instead (issue 12).
    assert allowed(users, lambda u: p.can_export_hearings(user=u)) == {"goto", "iki", "nagasaki", "hiroshima"}
    assert allowed(users, lambda u: p.can_view_records(user=u)) == {"goto", "iki", "nagasaki", "hiroshima"}


def test_refusals_speak_to_the_user(users):
    goto = municipality("五島市")
    assert p.hearing_edit_refusal(user=users["anonymous"], municipality=goto) == "ログインが必要です。"
    assert "閲覧のみ" in p.hearing_edit_refusal(user=users["kuni"], municipality=goto)
    assert "五島市" in p.hearing_edit_refusal(user=users["iki"], municipality=goto)
    assert "他の都道府県" in p.need_create_refusal(user=users["hiroshima"])
    assert "自団体" in p.need_create_refusal(user=users["iki"])
    assert "事務局と市町村" in p.need_create_refusal(user=users["kuni"])


def test_overview_and_rollup(users):
    assert allowed(users, lambda u: p.can_view_overview(user=u)) == {"nagasaki", "hiroshima", "kuni"}
    assert allowed(users, lambda u: p.can_view_national_rollup(user=u)) == {"kuni"}


def test_jd_rules_for_a_municipality_and_for_a_grouping(users, islands, nagasaki_user):
    goto = municipality("五島市")
    jd = make_jd(nagasaki_user)
    joint = services.jd_create(actor=nagasaki_user, grouping=islands, data=jd_payload(title="共同"))
    assert allowed(users, lambda u: p.can_create_jd(user=u, municipality=goto)) == {"goto", "nagasaki"}
    assert allowed(users, lambda u: p.can_create_jd(user=u, grouping=islands)) == {"nagasaki"}
    assert allowed(users, lambda u: p.can_create_jd(user=u)) == set()
    assert allowed(users, lambda u: p.can_create_joint_jd(user=u)) == {"nagasaki", "hiroshima"}
    assert allowed(users, lambda u: p.can_edit_jd(user=u, obj=jd)) == {"goto", "nagasaki"}
    # 五島市 is a member of the grouping and sees the joint JD, but only the prefecture writes it.
    assert allowed(users, lambda u: p.can_edit_jd(user=u, obj=joint)) == {"nagasaki"}
    assert "事務局だけ" in p.jd_edit_refusal(user=users["goto"], obj=joint)


def test_need_rules(users, nagasaki_user):
    goto, iki = municipality("五島市"), municipality("壱岐市")
    need = services.need_create(actor=nagasaki_user, title="RPA", persona="engineer", hours_per_week=8,
                                municipality_codes=[goto.code, iki.code])
    assert allowed(users, lambda u: p.can_manage_need(user=u, obj=need)) == {"nagasaki"}
    assert allowed(users, lambda u: p.can_create_need(user=u, prefecture_id=goto.prefecture_id,
                                                      municipality_ids=[goto.pk])) == {"goto", "nagasaki"}
    # A joint need of two municipalities is the prefecture's to open, not one member's.
    assert allowed(users, lambda u: p.can_create_need(user=u, prefecture_id=goto.prefecture_id,
                                                      municipality_ids=[goto.pk, iki.pk])) == {"nagasaki"}


def test_predicates_need_only_the_fields_they_read(nagasaki_user):
    """Predicates take plain objects too (a page can ask before a row exists)."""
    pref = municipality("五島市").prefecture_id
    draft = SimpleNamespace(grouping_id=1, prefecture_id=pref, municipality=None)
    assert p.can_edit_jd(user=nagasaki_user, obj=draft)
    assert p.can_manage_need(user=nagasaki_user, obj=SimpleNamespace(prefecture_id=pref))
    assert not p.can_manage_need(user=nagasaki_user, obj=SimpleNamespace(prefecture_id=None))


def test_services_enforce_the_predicates(users, islands):
    goto = municipality("五島市")
    for role in ("iki", "hiroshima", "kuni", "applicant"):
        with pytest.raises(Forbidden):
            services.hearing_save(actor=users[role], municipality=goto, fiscal_year=2026, data=hearing_payload())
        with pytest.raises(Forbidden):
            services.jd_create(actor=users[role], municipality=goto, data=jd_payload())
        with pytest.raises(Forbidden):
            services.need_create(actor=users[role], title="x", persona="engineer", hours_per_week=8,
                                 municipality_codes=[goto.code])
    with pytest.raises(Forbidden, match="事務局だけ"):
        services.jd_create(actor=users["goto"], grouping=islands, data=jd_payload())
    with pytest.raises(Forbidden, match="取り込める"):
        services.hearing_import(actor=users["kuni"], files=[("x.xlsx", b"")])
    with pytest.raises(Forbidden):
        services.hearing_export(actor=users["applicant"], fiscal_year=2026)


def test_role_suggestions_are_for_the_roles_that_write_hearings(nagasaki_user, goto_user, kuni_user, applicant):
    from dxpool.needs.permissions import can_suggest_roles

    assert can_suggest_roles(user=nagasaki_user) and can_suggest_roles(user=goto_user)
    assert not can_suggest_roles(user=kuni_user) and not can_suggest_roles(user=applicant)

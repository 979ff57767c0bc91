"""dxpool.core.permissions: the role facts every app's predicates are built on."""

import pytest
from django.contrib.auth.models import AnonymousUser

from dxpool.core import permissions as p
from dxpool.core.errors import Forbidden
from dxpool.places.models import Municipality, Prefecture
from tests.factories import prefecture_user

pytestmark = pytest.mark.django_db


def test_require_raises_forbidden_with_the_message():
    p.require(True, "never shown")
    with pytest.raises(Forbidden, match="権限がありません"):
        p.require(False, "権限がありません。")


def test_role_facts_per_role(nagasaki_user, goto_user, kuni_user, applicant):
    nagasaki = Prefecture.objects.get(code="42").pk
    hiroshima = Prefecture.objects.get(code="34").pk
    goto = Municipality.objects.get(name="五島市").pk
    iki = Municipality.objects.get(name="壱岐市").pk
    anon = AnonymousUser()
    assert p.is_secretariat_of(nagasaki_user, nagasaki) and not p.is_secretariat_of(nagasaki_user, hiroshima)
    assert not p.is_secretariat_of(goto_user, nagasaki)  # same prefecture, but an officer is no secretariat
    assert not p.is_secretariat_of(kuni_user, nagasaki) and not p.is_secretariat_of(anon, nagasaki)
    assert p.is_officer_of(goto_user, goto) and not p.is_officer_of(goto_user, iki)
    assert not p.is_officer_of(nagasaki_user, goto)
    assert p.is_national(kuni_user) and not p.is_national(nagasaki_user) and not p.is_national(anon)
    assert p.is_talent(applicant) and not p.is_talent(goto_user)
    assert not any(f(anon) for f in (p.is_authenticated, p.is_secretariat, p.is_officer, p.is_talent))
    assert not p.is_secretariat_of(nagasaki_user, None) and not p.is_officer_of(goto_user, None)


def test_a_secretariat_without_an_organisation_is_no_secretariat():
    user = prefecture_user("42")
    user.organisation = None
    assert not p.is_secretariat(user) and not p.is_secretariat_of(user, Prefecture.objects.get(code="42").pk)

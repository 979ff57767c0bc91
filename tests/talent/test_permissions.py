"""dxpool.talent.permissions: every predicate against every role, including another prefecture's secretariat.

The objects all belong to 長崎県 (42): a round, an applicant's profile and their application. Each row of
EXPECTED says who may do it; every predicate and every role must be in the table.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from dxpool.talent import permissions, services
from tests.factories import talent_user

pytestmark = pytest.mark.django_db

ROLES = ["secretariat", "other_secretariat", "officer", "national", "owner", "other_talent", "anonymous"]

# predicate → (object kind, roles allowed)
EXPECTED = {
    "can_create_round": (None, {"secretariat", "other_secretariat"}),
    "can_manage_round": ("round", {"secretariat"}),
    "can_apply": (None, {"owner", "other_talent"}),
    "can_create_profile": (None, {"owner", "other_talent"}),
    "can_edit_profile": ("profile", {"secretariat", "owner"}),
    "can_upload_evidence": ("profile", {"owner"}),
    "can_view_full_profile": ("profile", {"secretariat", "owner"}),
    "can_screen_application": ("application", {"secretariat"}),
    "can_withdraw_application": ("application", {"owner"}),
    "can_search_pool": (None, {"secretariat", "other_secretariat", "officer"}),
    "can_view_pool_full": (None, {"secretariat", "other_secretariat"}),
    "can_export_pool": (None, {"secretariat", "other_secretariat"}),
    "can_list_full_names": (None, {"secretariat", "other_secretariat"}),
}


@pytest.fixture
def users(nagasaki_user, hiroshima_user, goto_user, kuni_user, make_application):
    app = make_application()
    return app, {
        "secretariat": nagasaki_user, "other_secretariat": hiroshima_user, "officer": goto_user,
        "national": kuni_user, "owner": app.profile.user, "other_talent": talent_user(),
        "anonymous": AnonymousUser(),
    }


def test_every_predicate_is_in_the_table():
    predicates = {name for name in dir(permissions) if name.startswith("can_")}
    assert predicates == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_predicate_for_every_role(name, users):
    app, by_role = users
    objects = {None: None, "round": app.round, "profile": app.profile, "application": app}
    kind, allowed = EXPECTED[name]
    predicate = getattr(permissions, name)
    answers = {role: predicate(user=by_role[role], obj=objects[kind]) for role in ROLES}
    assert answers == {role: role in allowed for role in ROLES}
    if kind is not None:
        # Rules about a record say no when there is no record.
        assert not any(predicate(user=by_role[role], obj=None) for role in ROLES)


def test_municipality_sees_full_profile_only_after_an_accepted_proposal(users, monkeypatch):
    app, by_role = users
    asked = []

    def accepted_between(*, municipality_id, profile_id):
        asked.append((municipality_id, profile_id))
        return True

    monkeypatch.setattr("dxpool.matching.selectors.accepted_between", accepted_between)
    assert permissions.can_view_full_profile(user=by_role["officer"], obj=app.profile)
    assert asked == [(by_role["officer"].municipality_id_scope, app.profile.pk)]
    # Editing and uploading stay with the applicant and the holding prefecture.
    assert not permissions.can_edit_profile(user=by_role["officer"], obj=app.profile)
    assert not permissions.can_upload_evidence(user=by_role["officer"], obj=app.profile)


def test_round_of_another_prefecture(users, hiroshima_user):
    app, by_role = users
    theirs = services.round_create(actor=hiroshima_user, data={
        "title": "広島の公募", "personas": ["engineer"], "duties": "支援", "appointment_forms": ["contract"],
        "deadline": timezone.now() + timedelta(days=10)})
    assert permissions.can_manage_round(user=hiroshima_user, obj=theirs)
    assert not permissions.can_manage_round(user=by_role["secretariat"], obj=theirs)

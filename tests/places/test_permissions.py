"""dxpool.places.permissions, and the grouping services enforcing them."""

import pytest

from dxpool.core.errors import Forbidden
from dxpool.places import permissions, selectors, services
from dxpool.places.models import Municipality, Prefecture

pytestmark = pytest.mark.django_db


@pytest.fixture
def grouping(nagasaki_user):
    return services.grouping_create(actor=nagasaki_user, name="五島・新上五島連携", kind="prefecture",
                                    member_codes=["422118", "424111"])


def test_only_the_prefectures_own_secretariat_edits_its_groupings(grouping, nagasaki_user, hiroshima_user,
                                                                  goto_user, kuni_user, applicant):
    assert permissions.can_edit_grouping(user=nagasaki_user, obj=grouping)
    for user in (hiroshima_user, goto_user, kuni_user, applicant):
        assert not permissions.can_edit_grouping(user=user, obj=grouping)
        with pytest.raises(Forbidden, match="その都道府県の事務局だけ"):
            services.grouping_delete(actor=user, grouping=grouping)
    assert selectors.grouping_get(user=nagasaki_user, pk=grouping.pk)


def test_creating_needs_a_secretariat(nagasaki_user, goto_user, kuni_user):
    nagasaki = Prefecture.objects.get(code="42")
    assert permissions.can_create_grouping(user=nagasaki_user)
    assert permissions.can_create_grouping(user=nagasaki_user, obj=nagasaki)
    assert not permissions.can_create_grouping(user=nagasaki_user, obj=Prefecture.objects.get(code="34"))
    for user in (goto_user, kuni_user):
        assert not permissions.can_create_grouping(user=user)
        with pytest.raises(Forbidden):
            services.grouping_create(actor=user, name="x", kind="prefecture", member_codes=["422118", "424111"])


def test_staff_view_places_and_talent_does_not(nagasaki_user, goto_user, kuni_user, applicant):
    assert all(permissions.can_view_places(user=u) for u in (nagasaki_user, goto_user, kuni_user))
    assert not permissions.can_view_places(user=applicant)


def test_a_municipalitys_groupings_are_those_in_scope(grouping, goto_user, iki_user, nagasaki_user):
    goto = Municipality.objects.get(name="五島市")
    assert list(selectors.groupings_of(user=goto_user, municipality=goto)) == [grouping]
    assert list(selectors.groupings_of(user=nagasaki_user, municipality=goto)) == [grouping]
    assert list(selectors.groupings_of(user=iki_user, municipality=goto)) == []


def test_a_grouping_with_a_joint_jd_is_refused_in_words_not_a_500(grouping, nagasaki_user, client):
    from dxpool.core.errors import Conflict
    from dxpool.needs import services as needs_services
    from tests.needs.builders import jd_payload

    needs_services.jd_create(actor=nagasaki_user, data=jd_payload(), grouping=grouping)
    with pytest.raises(Conflict, match="共同のジョブディスクリプションが1件"):
        services.grouping_delete(actor=nagasaki_user, grouping=grouping)
    client.force_login(nagasaki_user)
    response = client.post(f"/groupings/{grouping.pk}/delete/", follow=True)
    assert response.status_code == 200 and "削除できません" in response.content.decode()
    assert selectors.grouping_get(user=nagasaki_user, pk=grouping.pk)

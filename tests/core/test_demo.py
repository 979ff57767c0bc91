"""The demo data set loads, twice, without duplicating anything, and its log-ins work."""

import pytest
from django.contrib.auth import authenticate

from dxpool.accounts.models import User
from dxpool.core.demo import DEMO_LOGINS, demo_load
from dxpool.places.models import Grouping

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent():
    demo_load()
    users, groupings = User.objects.count(), Grouping.objects.count()
    demo_load()
    assert User.objects.count() == users
    assert Grouping.objects.count() == groupings >= 2


def test_demo_logins_authenticate():
    demo_load()
    roles = set()
    for login in DEMO_LOGINS:
        user = authenticate(username=login.username, password=login.password)
        assert user is not None, login.username
        assert user.role == login.role
        roles.add(user.role)
    assert roles == {"national", "prefecture", "municipality", "talent"}


def test_demo_deadlines_are_at_five_in_the_afternoon_japan_time():
    # They were "now + 60 days" to the second, so the round page said 応募締切 2027年1月31日 03:13.
    from django.utils import timezone

    from dxpool.talent.models import RecruitmentRound

    demo_load()
    for rnd in RecruitmentRound.objects.all():
        local = timezone.localtime(rnd.deadline)
        assert (local.hour, local.minute, local.second) == (17, 0, 0), rnd.title

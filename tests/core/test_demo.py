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

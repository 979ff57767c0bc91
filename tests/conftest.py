"""Shared fixtures: the reference data is loaded once per test database, users per role via factories."""

import pytest

from tests.factories import municipality_officer, national_user, prefecture_user, talent_user


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from dxpool.places.services import reference_load

    with django_db_blocker.unblock():
        reference_load()


@pytest.fixture
def nagasaki_user(db):
    return prefecture_user("42")


@pytest.fixture
def hiroshima_user(db):
    return prefecture_user("34")


@pytest.fixture
def goto_user(db):
    return municipality_officer("五島市")


@pytest.fixture
def iki_user(db):
    return municipality_officer("壱岐市")


@pytest.fixture
def kuni_user(db):
    return national_user()


@pytest.fixture
def applicant(db):
    return talent_user()

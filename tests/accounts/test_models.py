"""Invariants held by the database itself."""

import pytest
from django.db import IntegrityError, transaction

from dxpool.accounts.models import Organisation, OrganisationKind, Role, User
from dxpool.places.models import Prefecture

pytestmark = pytest.mark.django_db


def test_staff_user_needs_organisation():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x", role=Role.PREFECTURE, organisation=None)


def test_talent_has_no_organisation():
    org = Organisation.objects.create(kind=OrganisationKind.NATIONAL, name="国")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="y", role=Role.TALENT, organisation=org)


def test_prefecture_org_needs_prefecture_and_is_unique():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(kind=OrganisationKind.PREFECTURE, name="x")
    pref = Prefecture.objects.get(code="42")
    Organisation.objects.create(kind=OrganisationKind.PREFECTURE, name="a", prefecture=pref)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(kind=OrganisationKind.PREFECTURE, name="b", prefecture=pref)

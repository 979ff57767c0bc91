"""Factories for tests (factory_boy) and helpers that make one user per role."""

import factory

from dxpool.accounts.models import Organisation, OrganisationKind, Role, User
from dxpool.places.models import Municipality, Prefecture


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name", locale="ja_JP")
    role = Role.TALENT
    password = factory.PostGenerationMethodCall("set_password", "test-password-123")

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


def _org(kind, *, prefecture=None, municipality=None, name=None) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        kind=kind, prefecture=prefecture, municipality=municipality,
        defaults={"name": name or (municipality.name if municipality else prefecture.name if prefecture else "国")},
    )
    return org


def national_user(**kw) -> User:
    return UserFactory(role=Role.NATIONAL, organisation=_org(OrganisationKind.NATIONAL, name="総務省"), **kw)


def prefecture_user(code: str, **kw) -> User:
    pref = Prefecture.objects.get(code=code)
    return UserFactory(role=Role.PREFECTURE, organisation=_org(OrganisationKind.PREFECTURE, prefecture=pref), **kw)


def municipality_officer(name: str, prefecture_code: str = "42", **kw) -> User:
    m = Municipality.objects.get(name=name, prefecture__code=prefecture_code)
    org = _org(OrganisationKind.MUNICIPALITY, prefecture=m.prefecture, municipality=m)
    return UserFactory(role=Role.MUNICIPALITY, organisation=org, **kw)


def talent_user(**kw) -> User:
    return UserFactory(role=Role.TALENT, organisation=None, **kw)

"""by_role: the one tenancy rule behind the scope selectors of shared records."""

from django.contrib.auth.models import AnonymousUser

from dxpool.accounts.models import Role, User
from dxpool.core.scope import by_role
from dxpool.places.models import Municipality


def _codes(qs):
    return set(qs.values_list("code", flat=True))


def test_each_role_sees_its_own_rows(kuni_user, nagasaki_user, goto_user, applicant):
    qs = Municipality.objects.all()
    rules = {"prefecture": "prefecture_id", "municipality": "pk"}
    assert by_role(qs, kuni_user, **rules).count() == 1741
    mine = by_role(qs, nagasaki_user, **rules)
    assert mine.count() == 21 and {m.prefecture_id for m in mine} == {nagasaki_user.prefecture_id_scope}
    assert _codes(by_role(qs, goto_user, **rules)) == {"422118"}  # 五島市
    assert not by_role(qs, applicant, **rules).exists()
    assert not by_role(qs, AnonymousUser(), **rules).exists()


def test_a_function_rule_and_a_missing_municipality_rule(nagasaki_user, goto_user):
    qs = Municipality.objects.all()
    seen = []

    def narrow(q, pid):
        seen.append(pid)
        return q.filter(prefecture_id=pid, name__endswith="町")

    towns = by_role(qs, nagasaki_user, prefecture=narrow)
    assert seen == [nagasaki_user.prefecture_id_scope]
    assert towns.exists() and all(m.name.endswith("町") for m in towns)
    # No rule for municipal officers: they see nothing rather than everything.
    assert not by_role(qs, goto_user, prefecture="prefecture_id").exists()


def test_an_officer_without_an_organisation_sees_nothing(db):
    # The database refuses to store such a user (a check constraint); scoping must not rely on that alone.
    orphan = User(username="orphan", role=Role.PREFECTURE)
    assert orphan.prefecture_id_scope is None
    assert not by_role(Municipality.objects.all(), orphan, prefecture="prefecture_id").exists()

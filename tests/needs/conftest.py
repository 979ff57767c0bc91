"""Fixtures for the needs tests: the needs demo alone (without the talent and matching demos, which are slow)."""

from types import SimpleNamespace

import pytest

from dxpool.places.models import Grouping, GroupingKind, Prefecture
from tests.needs.builders import municipality


@pytest.fixture
def needs_demo(db, nagasaki_user, goto_user, kuni_user):
    """dxpool.needs.demo loaded for 長崎県 with the test users as the demo's log-ins."""
    from dxpool.needs.demo import demo_load

    prefecture = Prefecture.objects.get(code="42")
    ctx = SimpleNamespace(prefecture=prefecture, secretariat=nagasaki_user.organisation,
                          prefecture_user=nagasaki_user, municipality_user=goto_user, national_user=kuni_user)
    ctx.counts = demo_load(ctx)
    return ctx


@pytest.fixture
def islands(db):
    g = Grouping.objects.create(prefecture=Prefecture.objects.get(code="42"), name="離島テスト連携",
                                kind=GroupingKind.PREFECTURE_DEFINED)
    g.members.set([municipality(n) for n in ("五島市", "新上五島町", "小値賀町")])
    return g


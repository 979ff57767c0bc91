"""dxpool.core.selectors: the home page's figures."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dxpool.core.selectors import home_summary
from dxpool.places import services as places_services

pytestmark = pytest.mark.django_db


def test_national_home_counts_municipalities_not_municipalities_times_groupings(kuni_user, nagasaki_user):
    # Three groupings in 長崎県 made the national home say 63 municipalities for its 21 (a join counted
    # every municipality once per grouping).
    for i, members in enumerate((["422118", "424111"], ["422011", "422029"], ["422037", "422045"])):
        places_services.grouping_create(actor=nagasaki_user, name=f"連携{i}", kind="prefecture", member_codes=members)
    summary = home_summary(user=kuni_user)
    (nagasaki,) = [p for p in summary["active_prefectures"] if p.code == "42"]
    assert (nagasaki.municipality_count, nagasaki.grouping_count) == (21, 3)


def test_national_home_reads_the_active_prefectures_in_a_fixed_number_of_queries(kuni_user, nagasaki_user,
                                                                                 hiroshima_user):
    with CaptureQueriesContext(connection) as queries:
        summary = home_summary(user=kuni_user)
        active = [p.code for p in summary["active_prefectures"]]
    assert sorted(active) == ["34", "42"]
    assert len(queries) <= 3, [q["sql"] for q in queries]

"""dxpool.matching.adapters: the fit formula and the database → engine conversion, on hand-computed cases."""

from datetime import date

import pytest

from dxpool.engine import Need as EngineNeed
from dxpool.engine import Talent as EngineTalent
from dxpool.matching.adapters import RATING_MAX, need_to_engine, profile_to_engine, talent_fit
from dxpool.places.models import Municipality
from dxpool.talent.models import TalentProfile
from tests.matching.conftest import make_need


def profile(**kw) -> TalentProfile:
    return TalentProfile(**{"pk": 7, "personas_met": "", "assessment": {}, **kw})


@pytest.mark.parametrize("met, personas, expected", [
    # 0.5 for meeting the standard, plus half the skill coverage, rounded to 4 places.
    (" producer ", [{"code": "producer", "skill_score": 0.6}], {"producer": 0.8}),
    (" producer engineer ", [{"code": "producer", "skill_score": 1.0}, {"code": "engineer", "skill_score": 0.25}],
     {"producer": 1.0, "engineer": 0.625}),
    (" producer ", [{"code": "producer", "skill_score": 1 / 3}], {"producer": 0.6667}),
    (" producer ", [{"code": "producer"}], {"producer": 0.5}),  # no coverage given: the standard alone
    (" producer ", [{"code": "producer", "skill_score": 0.0}], {"producer": 0.5}),
    # A persona assessed but not met is absent (the engine reads it as ineligible), however high its coverage.
    (" producer ", [{"code": "producer", "skill_score": 0.2}, {"code": "designer", "skill_score": 0.9}],
     {"producer": 0.6}),
    ("", [{"code": "producer", "skill_score": 1.0}], {}),
    (" producer ", [], {}),  # met but never assessed: nothing to score
])
def test_talent_fit(met, personas, expected):
    assert talent_fit(profile(personas_met=met, assessment={"personas": personas})) == expected


def test_talent_fit_without_an_assessment_is_empty():
    assert talent_fit(profile(personas_met=" producer ")) == {}


@pytest.mark.django_db
def test_profile_to_engine():
    home = Municipality.objects.get(name="五島市", prefecture__code="42")
    p = profile(home_municipality=home, hours_per_week=12, travel_km=80, remote_ok=False,
                personas_met=" producer ", assessment={"personas": [{"code": "producer", "skill_score": 0.5}]},
                employer="長崎システム株式会社", side_employers=["", "島のIT合同会社"],
                skill_ratings={"全体方針立案": 4, "データ活用": 1}, appointment_forms=["part_time", "contract"],
                experiences=[{"code": "local_government"}, {"years": 3}, "not a dict", {"code": "pm"}],
                available_from=date(2026, 4, 1), available_to=date(2027, 3, 31))
    assert profile_to_engine(p, trained=True, max_assignments=2) == EngineTalent(
        id="T7", home=home.code, capacity_hours_per_week=12.0, max_assignments=2, travel_km=80.0, remote_ok=False,
        trained=True, fit={"producer": 0.75}, employers=("長崎システム株式会社", "島のIT合同会社"),
        skill_ratings={"全体方針立案": 1.0, "データ活用": 0.25}, experiences=("local_government", "", "pm"),
        appointment_forms=("part_time", "contract"), available_from=date(2026, 4, 1), available_to=date(2027, 3, 31))
    assert RATING_MAX == 4


def test_a_profile_without_a_home_has_no_home_code():
    t = profile_to_engine(profile(hours_per_week=0, travel_km=50), trained=False, max_assignments=1)
    assert (t.id, t.home, t.capacity_hours_per_week, t.trained, t.fit, t.employers) == ("T7", "", 0.0, False, {}, ())


@pytest.mark.django_db
def test_need_to_engine():
    goto = Municipality.objects.get(name="五島市", prefecture__code="42")
    iki = Municipality.objects.get(name="壱岐市", prefecture__code="42")
    need = make_need("離島の共同CIO補佐官", iki, goto)
    need.hours_per_week, need.onsite_days_per_month, need.weight = 7.5, 2, 1.5
    need.excluded_employers, need.skills, need.appointment_forms = ["A社"], ["全体方針立案"], ["part_time"]
    need.period_from, need.period_to = date(2026, 4, 1), None
    assert need_to_engine(need) == EngineNeed(
        id=f"N{need.pk}", municipalities=tuple(sorted([goto.code, iki.code])), persona="producer",
        hours_per_week=7.5, onsite_days_per_month=2.0, weight=1.5, excluded_employers=("A社",),
        skills=("全体方針立案",), appointment_forms=("part_time",), available_from=date(2026, 4, 1),
        available_to=None)


@pytest.mark.django_db
def test_need_to_engine_defaults():
    goto = Municipality.objects.get(name="五島市", prefecture__code="42")
    need = make_need("五島市のDX推進", goto)
    need.refresh_from_db()
    e = need_to_engine(need)
    assert (e.municipalities, e.hours_per_week, e.onsite_days_per_month, e.weight) == ((goto.code,), 8.0, 0.0, 1.0)
    assert (e.excluded_employers, e.skills, e.appointment_forms) == ((), (), ())
    assert isinstance(e.hours_per_week, float)

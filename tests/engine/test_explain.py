"""Explanations: breakdowns, reasons for unfilled needs, next-best alternatives."""

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from dxpool.engine import MatchParams, Need, Talent, explain_pair, match, result_to_dict

from .support import COORDS, instances

ENG = {"engineer": 0.9}


def test_no_eligible_talent_counts_each_rule():
    needs = [
        Need(
            "N1", ("422011",), "engineer", 8, 2, excluded_employers=("A社",), appointment_forms=("業務委託",)
        )
    ]
    talents = [
        Talent("T1", "422011", 16, 2, 50, False, True, {"project_manager": 1.0}),  # persona
        Talent("T2", "422011", 16, 2, 50, False, False, ENG),  # training
        Talent("T3", "131016", 16, 2, 50, False, True, ENG),  # distance
        Talent("T4", "422011", 16, 2, 50, False, True, ENG, employers=("Ａ社",)),  # conflict of interest
        Talent("T5", "422011", 16, 2, 50, False, True, ENG, appointment_forms=("会計年度任用職員",)),  # form
        Talent("T6", "422011", 4, 2, 50, False, True, ENG),  # capacity
    ]
    result = match(needs, talents, COORDS)
    (u,) = result.unfilled
    assert u.reason == "no_eligible_talent"
    assert u.detail["talents"] == 6
    assert u.detail["failed"] == {
        "persona": 1,
        "training": 1,
        "appointment_form": 1,
        "distance": 1,
        "conflict_of_interest": 1,
        "dates": 0,
        "capacity": 1,
    }


def test_talents_taken_names_by_whom():
    needs = [Need("N1", ("131016",), "engineer", 8, 2, weight=2.0), Need("N2", ("131016",), "engineer", 8, 2)]
    talents = [Talent("T1", "131016", 8, 1, 10, False, True, ENG)]
    result = match(needs, talents, COORDS)
    (u,) = result.unfilled
    assert u.need == "N2" and u.reason == "talents_taken"
    assert u.detail["eligible"] == 1
    assert u.detail["candidates"][0]["talent"] == "T1"
    assert u.detail["candidates"][0]["held_by"] == ["N1"]
    assert u.detail["candidates"][0]["slots_left"] == 0


def test_explain_pair_gives_breakdown_and_reasons():
    needs = [Need("N1", ("131016",), "engineer", 8, 2, weight=2.0), Need("N2", ("131016",), "engineer", 8, 2)]
    talents = [
        Talent("T1", "131016", 8, 1, 10, False, True, {"engineer": 1.0}),
        Talent("T2", "131016", 8, 1, 10, False, True, {"engineer": 0.5}),
        Talent("T3", "131016", 16, 2, 10, False, True, {"engineer": 0.3}),
    ]
    result = match(needs, talents, COORDS)
    pairs = {(a.need, a.talent) for a in result.assignments}
    assert pairs == {("N1", "T1"), ("N2", "T2")}
    ex = explain_pair(result, "N2", k=3)
    assert ex["talent"] == "T2"
    b = ex["breakdown"]
    assert math.isclose(sum(b["points"].values()), ex["score"], abs_tol=1e-5)
    why = {a["talent"]: a["why_not"] for a in ex["alternatives"]}
    assert why == {"T1": "talent_full", "T3": "lower_score"}
    assert ex["alternatives"][0]["detail"]["held_by"] == ["N1"]


@settings(max_examples=60, deadline=None)
@given(instances(), st.sampled_from(["optimal", "stable"]))
def test_every_unfilled_need_is_explained_and_output_is_json(inst, mode):
    needs, talents = inst
    result = match(needs, talents, COORDS, MatchParams(mode=mode))
    assigned = {a.need for a in result.assignments}
    assert {u.need for u in result.unfilled} == {n.id for n in needs} - assigned
    for u in result.unfilled:
        assert u.reason in {
            "no_eligible_talent",
            "no_acceptable_talent",
            "talents_taken",
            "not_worth_filling",
        }
        if u.reason == "talents_taken":
            for cnd in u.detail["candidates"]:
                # Nobody is left out while a candidate still has room for them (optimal mode).
                if mode == "optimal":
                    need = next(n for n in needs if n.id == u.need)
                    assert cnd["slots_left"] < 1 or cnd["hours_left"] < need.hours_per_week - 1e-9
    d = result_to_dict(result)
    assert json.loads(json.dumps(d, ensure_ascii=False))["mode"] == mode
    for n in needs:
        explain_pair(result, n.id)

"""validate_instance: one-line InstanceError for each malformed input."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxpool.engine import InstanceError, MatchParams, Need, Talent, match, validate_instance

from .support import COORDS, instances

N = Need("N1", ("131016",), "engineer", 8, 2)
T = Talent("T1", "131016", 16, 2, 50, True, True, {"engineer": 0.8})


@pytest.mark.parametrize(
    ("needs", "talents", "params", "scores", "message"),
    [
        ([replace(N, municipalities=("999999",))], [T], None, None, "unknown municipality code '999999'"),
        ([N], [replace(T, home="000000")], None, None, "unknown municipality code '000000'"),
        ([replace(N, hours_per_week=-1)], [T], None, None, "hours_per_week must not be negative"),
        (
            [N],
            [replace(T, capacity_hours_per_week=-8)],
            None,
            None,
            "capacity_hours_per_week must not be negative",
        ),
        ([N], [replace(T, travel_km=-1)], None, None, "travel_km must not be negative"),
        ([N, N], [T], None, None, "duplicate need id N1"),
        ([N], [T, T], None, None, "duplicate talent id T1"),
        ([replace(N, preferences=("T9",))], [T], None, None, "preference names unknown talent 'T9'"),
        ([N], [replace(T, preferences=("N9",))], None, None, "preference names unknown need 'N9'"),
        ([N], [replace(T, max_assignments=0)], None, None, "max_assignments must be at least 1"),
        ([N], [T], None, [("N9", "T1", 0.5)], "score names unknown need 'N9'"),
        ([N], [T], None, [("N1", "T9", 0.5)], "score names unknown talent 'T9'"),
        ([N], [T], None, [("N1", "T1", float("nan"))], "must be a finite number"),
        ([N], [T], None, [("N1", "T1", float("inf"))], "must be a finite number"),
        ([N], [T], None, [("N1", "T1", "high")], "must be a number"),
        ([replace(N, hours_per_week=float("nan"))], [T], None, None, "must be a finite number"),
        ([N], [replace(T, fit={"engineer": -0.1})], None, None, "fit[engineer] must not be negative"),
        ([N], [T], MatchParams(locked=(("N1", "T9"),)), None, "locked pair names unknown talent"),
        (
            [N],
            [T],
            MatchParams(locked=(("N1", "T1"),), excluded=(("N1", "T1"),)),
            None,
            "both locked and excluded",
        ),
        ([N], [T], MatchParams(mode="fast"), None, "mode must be one of"),
        (
            [
                replace(
                    N,
                    available_from=__import__("datetime").date(2025, 5, 1),
                    available_to=__import__("datetime").date(2025, 4, 1),
                )
            ],
            [T],
            None,
            None,
            "is after available_to",
        ),
    ],
)
def test_instance_errors_are_one_line(needs, talents, params, scores, message):
    with pytest.raises(InstanceError) as exc:
        validate_instance(needs, talents, COORDS, params, scores)
    assert message in str(exc.value)
    assert "\n" not in str(exc.value)
    with pytest.raises(InstanceError):  # match() validates first
        match(needs, talents, COORDS, params, scores)


def test_sound_instance_passes():
    assert validate_instance([N], [T], COORDS, MatchParams(), [("N1", "T1", 0.3)]) is None


# --- the whole-column fast path accepts exactly what the record-by-record check accepts -----------------

ODD_VALUES = (
    -1,
    -0.5,
    0,
    3,
    2.5,
    float("nan"),
    float("inf"),
    10**400,
    True,
    None,
    "x",
    "",
    " ",
    (),
    ("",),
    ("131016",),
    ("999999",),
    ["131016"],
    ("N0", "N0"),
    ("T0",),
    ("T9",),
    (1,),
    {"engineer": -1},
    {"engineer": 0.5},
    {"engineer": True},
    {},
    __import__("datetime").date(2025, 1, 1),
    __import__("datetime").date(2026, 1, 1),
    (35.0, 139.0),
    (95.0, 139.0),
    (35.0,),
)
NEED_FIELDS = tuple(f.name for f in __import__("dataclasses").fields(Need))
TALENT_FIELDS = tuple(f.name for f in __import__("dataclasses").fields(Talent))


def _outcome(check):
    try:
        check()
    except InstanceError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - reported so the property names what crashed
        return f"CRASH {type(exc).__name__}: {exc}"
    return None


@settings(max_examples=400, deadline=None)
@given(
    instances(max_needs=4, max_talents=4),
    st.lists(
        st.tuples(
            st.sampled_from(["need", "talent", "coords"]),
            st.integers(0, 3),
            st.integers(0, max(len(NEED_FIELDS), len(TALENT_FIELDS)) - 1),
            st.sampled_from(ODD_VALUES),
        ),
        max_size=2,
    ),
)
def test_fast_and_record_by_record_validation_agree(instance, edits):
    needs, talents = instance
    needs, talents, coords = list(needs), list(talents), dict(COORDS)
    for side, k, f, value in edits:
        if side == "need":
            i = k % len(needs)
            needs[i] = replace(needs[i], **{NEED_FIELDS[f % len(NEED_FIELDS)]: value})
        elif side == "talent":
            j = k % len(talents)
            talents[j] = replace(talents[j], **{TALENT_FIELDS[f % len(TALENT_FIELDS)]: value})
        else:
            coords[sorted(coords)[k]] = value

    expected, got = _both_paths(needs, talents, coords)
    assert expected is None or not expected.startswith("CRASH"), expected
    assert got == expected


def test_a_number_too_big_for_a_float_is_reported_not_crashed():
    with pytest.raises(InstanceError, match="hours_per_week must be a finite number"):
        validate_instance([replace(N, hours_per_week=10**400)], [T], COORDS)


def _both_paths(needs, talents, coords):
    from dxpool.engine import validate

    def slow():
        validate._validate_params(MatchParams())
        validate._validate_records(needs, talents, coords)
        validate._validate_pairs(needs, talents, MatchParams(), None)

    return _outcome(slow), _outcome(lambda: validate_instance(needs, talents, coords))


def test_every_single_odd_field_value_is_judged_the_same_by_both_paths():
    """Exhaustive over one edit: each field of a need, of a talent and of a coordinate × each odd value."""
    n2 = replace(N, id="N2", preferences=("T1",))
    t2 = replace(T, id="T2", preferences=("N1", "N2"), skill_ratings={"要求分析": 0.5})
    cases = []
    for value in ODD_VALUES:
        for name in NEED_FIELDS:
            cases.append(([N, replace(n2, **{name: value})], [T, t2], COORDS))
        for name in TALENT_FIELDS:
            cases.append(([N, n2], [T, replace(t2, **{name: value})], COORDS))
        cases.append(([N, n2], [T, t2], {**COORDS, "131016": value}))
    rejected = 0
    for needs, talents, coords in cases:
        expected, got = _both_paths(needs, talents, coords)
        assert expected is None or not expected.startswith("CRASH"), expected
        assert got == expected
        rejected += expected is not None
    assert rejected > len(cases) // 2  # the odd values really are odd, mostly

"""validate_instance: one-line InstanceError for each malformed input."""

from dataclasses import replace

import pytest

from dxpool.engine import InstanceError, MatchParams, Need, Talent, match, validate_instance

from .support import COORDS

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

"""`dxpool match FILE`: JSON in, JSON out; malformed input is one line on stderr and exit code 2."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

GOOD = {
    "needs": [
        {
            "id": "N1",
            "municipality": "012025",
            "persona": "engineer",
            "hours_per_week": 8,
            "onsite_days_per_month": 2,
            "weight": 1.0,
            "excluded_employers": ["A社"],
            "preferences": ["T3", "T1"],
        },
        {
            "id": "N2",
            "municipalities": ["422011", "422029"],
            "persona": "engineer",
            "hours_per_week": 8,
            "onsite_days_per_month": 0,
        },
    ],
    "talents": [
        {
            "id": "T1",
            "home": "131016",
            "capacity_hours_per_week": 16,
            "max_assignments": 3,
            "travel_km": 100,
            "remote_ok": True,
            "trained": True,
            "fit": {"engineer": 0.8},
            "employers": ["A社"],
            "preferences": ["N1"],
        },
        {
            "id": "T3",
            "home": "012025",
            "capacity_hours_per_week": 8,
            "max_assignments": 1,
            "travel_km": 50,
            "remote_ok": True,
            "trained": True,
            "fit": {"engineer": 0.6},
        },
    ],
}


def run(args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "dxpool.cli", "match", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_prints_the_result_as_json(tmp_path):
    f = tmp_path / "in.json"
    f.write_text(
        json.dumps({**GOOD, "scores": [["N1", "T1", 0.9], ["N1", "T3", 0.7], ["N2", "T1", 0.5]]}),
        encoding="utf-8",
    )
    proc = run([str(f)])
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) >= {
        "mode",
        "assignments",
        "objective",
        "bound",
        "gap",
        "unfilled",
        "explanations",
        "stats",
    }
    # N1–T1 is scored but barred by the conflict of interest (A社), so N1 takes T3 and N2 takes T1.
    assert {(a["need"], a["talent"], a["score"]) for a in out["assignments"]} == {
        ("N1", "T3", 0.7),
        ("N2", "T1", 0.5),
    }
    assert out["objective"] == pytest.approx(1.2) and out["gap"] == 0


def test_stable_mode_from_stdin():
    proc = run(["-", "--mode", "stable", "--optimal", "talent"], stdin=json.dumps(GOOD))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["mode"] == "stable" and out["optimal"] == "talent" and out["bound"] is None


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ('{"needs": [', "invalid JSON at line"),
        (json.dumps({"needs": []}), "missing field 'talents'"),
        (
            json.dumps({**GOOD, "needs": [{**GOOD["needs"][0], "hours_per_week": "eight"}]}),
            "needs[0] (N1).hours_per_week: expected a number",
        ),
        (
            json.dumps({**GOOD, "needs": [{**GOOD["needs"][0], "municipality": "999999"}]}),
            "unknown municipality code '999999'",
        ),
        (
            json.dumps(
                {**GOOD, "talents": [{**GOOD["talents"][0], "max_assignments": 0}, GOOD["talents"][1]]}
            ),
            "max_assignments must be at least 1",
        ),
        (json.dumps({**GOOD, "scores": [["N1", "T1", "x"]]}), "score must be a number"),
        (json.dumps({**GOOD, "scores": [["N1", "T9", 0.5]]}), "score names unknown talent 'T9'"),
    ],
)
def test_malformed_input_is_one_line_and_exit_2(payload, message):
    proc = run(["-"], stdin=payload)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("dxpool match: error: ")
    assert message in lines[0]
    assert proc.stdout == ""


def test_missing_file_is_exit_2():
    proc = run(["/nonexistent/input.json"])
    assert proc.returncode == 2 and "cannot read" in proc.stderr

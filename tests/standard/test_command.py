"""`dxpool assess`: JSON out for good input; exit 2 and one line for bad input."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = {"qualifications": ["ITストラテジスト", "PMP"],
           "skill_levels": [{"framework": "ITSS", "field": "コンサルタント", "level": 4},
                            {"framework": "UISS", "field": "プログラムマネージャ", "level": 3}],
           "experiences": [{"code": "digital_dept_manager", "years": 6}, {"code": "local_government"}],
           "skill_ratings": {"全体方針立案": 3}}


def run(*args, stdin=None):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run([sys.executable, "-m", "dxpool.cli", "assess", *args], cwd=ROOT, input=stdin, env=env,
                          capture_output=True, text=True, timeout=60)


def test_example_from_the_issue(tmp_path):
    f = tmp_path / "p.json"
    f.write_text(json.dumps(EXAMPLE, ensure_ascii=False), encoding="utf-8")
    r = run(str(f))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["standard"] == "mic-2022-06"
    met = {p["code"]: p["meets_standard"] for p in out["personas"]}
    assert met == {"producer": True, "project_manager": True, "service_designer": True, "engineer": False}
    producer = out["personas"][0]
    assert producer["skill_score"] == round(3 / 28, 4)


def test_stdin_and_bad_values():
    r = run("-", stdin=json.dumps({"qualifications": ["宇宙飛行士"]}))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "宇宙飛行士" in r.stderr
    r = run("-", stdin="{not json")
    assert r.returncode == 2 and "not valid JSON" in r.stderr
    r = run("/no/such/file.json")
    assert r.returncode == 2 and "cannot read" in r.stderr
    r = run("-", stdin=json.dumps({"skill_levels": [{"framework": "ITSS", "field": "コンサルタント", "level": 9}]}))
    assert r.returncode == 2 and "1–7" in r.stderr and "Traceback" not in r.stderr

"""`dxpool assess`: JSON out for good input; exit code 2 and one line for bad input.

Run as the user runs it (`python -m dxpool.cli assess`, a subprocess: slow, so only a few cases), through the
same front door in-process (`dxpool.cli.main`), and through call_command. None needs a database: the command
sets needs_database = False.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dxpool.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = {"qualifications": ["ITストラテジスト", "PMP"],
           "skill_levels": [{"framework": "ITSS", "field": "コンサルタント", "level": 4},
                            {"framework": "UISS", "field": "プログラムマネージャ", "level": 3}],
           "experiences": [{"code": "digital_dept_manager", "years": 6}, {"code": "local_government"}],
           "skill_ratings": {"全体方針立案": 3}}


def run(*args, stdin=None):
    # The CLI chooses its own settings module, as it does for a user; pytest's must not leak into it.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run([sys.executable, "-m", "dxpool.cli", "assess", *args], cwd=ROOT, input=stdin, env=env,
                          capture_output=True, text=True, timeout=120)


class Ran:
    """What a run of the CLI left: exit code and output, from a subprocess or from main() in-process."""

    def __init__(self, returncode: int, stdout: str, stderr: str):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def cli(monkeypatch, capsys):
    """`dxpool assess ARGS` in this process (same front door as the console script, without the start-up)."""

    def invoke(*args, stdin: str = "") -> Ran:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["assess", *args])
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return invoke


def one_line_error(r) -> str:
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert r.stdout == "" and "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dxpool assess: error: "), r.stderr
    return lines[0]


def test_example_from_the_issue(tmp_path):
    f = tmp_path / "p.json"
    f.write_text(json.dumps(EXAMPLE, ensure_ascii=False), encoding="utf-8")
    r = run(str(f))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["standard"] == "mic-2022-06"
    assert [p["code"] for p in out["personas"]] == ["producer", "project_manager", "service_designer", "engineer"]
    met = {p["code"]: p["meets_standard"] for p in out["personas"]}
    assert met == {"producer": True, "project_manager": True, "service_designer": True, "engineer": False}
    producer = out["personas"][0]
    assert producer["name"] == "プロデューサー（CIO補佐官等）"
    assert producer["level_or_qualification"] == {"met": True, "required": True,
                                                  "by": ["ITSS コンサルタント レベル4（基準: レベル4以上）", "資格: ITストラテジスト"]}
    assert producer["skill_score"] == round(3 / 28, 4)
    assert "プロデューサー" in r.stdout and '\n  "personas"' in r.stdout  # ensure_ascii=False, indent=2


def test_stdin(cli):
    r = cli("-", stdin=json.dumps({"qualifications": ["ＰＭＰ"], "experiences": ["digital_project_lead"]}))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["personas"][1]["meets_standard"] is True


@pytest.mark.parametrize("stdin,needle", [
    (json.dumps({"qualifications": ["宇宙飛行士"]}, ensure_ascii=False), "宇宙飛行士"),
    (json.dumps({"skill_levels": [{"framework": "ITSS", "field": "コンサルタント", "level": 9}]}), "9"),
    (json.dumps({"experiences": [{"code": "astronaut"}]}), "astronaut"),
    (json.dumps({"skill_levels": [{"framework": "CCSF", "field": "x", "level": 3}]}), "CCSF"),
    ("{not json", "not valid JSON"),
    ('{"skill_levels": [{"framework": "ITSS", "field": "コンサルタント", "level": NaN}]}', "NaN"),
    ("", "not valid JSON"),
    ("[" * 100_000, "standard input"),
])
def test_bad_input_is_one_line_and_exit_2(cli, stdin, needle):
    assert needle in one_line_error(cli("-", stdin=stdin))


def test_bad_input_from_the_real_console_script():
    line = one_line_error(run("-", stdin=json.dumps({"qualifications": ["宇宙飛行士"]}, ensure_ascii=False)))
    assert "宇宙飛行士" in line and "ITストラテジスト" in line


def test_unreadable_files(cli, tmp_path):
    assert "cannot read" in one_line_error(cli(str(tmp_path / "no-such-file.json")))
    assert "cannot read" in one_line_error(cli(str(tmp_path)))  # a directory
    cp932 = tmp_path / "cp932.json"
    cp932.write_bytes(json.dumps({"qualifications": ["宇宙飛行士"]}, ensure_ascii=False).encode("cp932"))
    assert "not UTF-8" in one_line_error(cli(str(cp932)))


def test_unknown_standard_version(cli, tmp_path):
    f = tmp_path / "p.json"
    f.write_text("{}", encoding="utf-8")
    assert "unknown standard version" in one_line_error(cli(str(f), "--standard", "mic-1999-01"))


def test_good_input_in_process(cli, tmp_path):
    r = cli("-", stdin=json.dumps(EXAMPLE, ensure_ascii=False))
    assert r.returncode == 0 and json.loads(r.stdout)["personas"][0]["meets_standard"] is True


def test_call_command(tmp_path):
    f = tmp_path / "p.json"
    f.write_text(json.dumps(EXAMPLE, ensure_ascii=False), encoding="utf-8-sig")  # a BOM, as Windows tools write
    out = io.StringIO()
    call_command("assess", str(f), stdout=out)
    assert json.loads(out.getvalue())["standard"] == "mic-2022-06"
    f.write_text(json.dumps({"skill_levels": [{"framework": "ITSS", "field": "コンサルタント", "level": 8}]}),
                 encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("assess", str(f))
    assert exc.value.returncode == 2 and "1, 2, 3, 4, 5, 6, 7" in str(exc.value)

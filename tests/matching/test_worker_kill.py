"""A real `dxpool worker` killed with SIGKILL in the middle of a match run (issue 12 item 9).

Before: the run stayed "running 5%" for good — django-tasks leaves the killed task's row "running" and never
requeues it, and the restarted worker neither picked the run up nor failed it. Now the restarted worker's
reaper fails the run at once (its holder's pid is gone) with a reason, and a rerun with the new worker ends
done.

Everything runs in subprocesses against a throw-away SQLite file (like tests/e2e/conftest.py's server), with a
settings module of this test's own: a short lease and, for the first worker only, a pause after each progress
step (MATCHRUN_PHASE_DELAY_FOR_TESTS) so the run can be caught mid-way. About 20–25 s.
"""

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dxpool.matching.services import WORKER_LOST

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = """\
import os

from config.settings.local import *  # noqa: F403

MATCHRUN_LEASE_SECONDS = 3
MATCHRUN_PHASE_DELAY_FOR_TESTS = float(os.environ.get("PHASE_DELAY", "0"))
"""

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


@pytest.fixture
def sandbox(tmp_path):
    (tmp_path / "kill_settings.py").write_text(SETTINGS)
    db = tmp_path / "kill.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update(DATABASE_URL=f"sqlite:///{db}", DJANGO_SETTINGS_MODULE="kill_settings",
               PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]), PHASE_DELAY="0")
    demo = subprocess.run([sys.executable, "-m", "dxpool.cli", "demo"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert demo.returncode == 0, demo.stderr[-2000:]
    procs: list[subprocess.Popen] = []

    def worker(*, phase_delay: float) -> subprocess.Popen:
        log = open(tmp_path / f"worker-{len(procs)}.log", "w")  # noqa: SIM115 - closed with the process
        p = subprocess.Popen([sys.executable, "-m", "dxpool.cli", "worker", "--interval", "0.2"], cwd=ROOT,
                             env={**env, "PHASE_DELAY": str(phase_delay)}, stdout=log, stderr=subprocess.STDOUT)
        procs.append(p)
        return p

    def dxpool(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "dxpool.cli", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=timeout)

    def row(sql: str, *params):
        with sqlite3.connect(db, timeout=10) as con:
            return con.execute(sql, params).fetchone()

    yield worker, dxpool, row
    for p in procs:
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


def wait_until(check, timeout: float = 20, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def test_a_run_whose_worker_is_killed_fails_and_reruns_to_done(sandbox):
    worker, dxpool, row = sandbox
    run_sql = "select status, progress, worker, task_id, error, heartbeat_at from matching_matchrun where id = ?"
    task_sql = "select status from django_tasks_database_dbtaskresult where replace(id, '-', '') = replace(?, '-', '')"

    first = worker(phase_delay=6)
    started = dxpool("match-run", "--as", "nagasaki")
    assert started.returncode == 0, started.stderr
    run_id = int(re.search(r"match run #(\d+) queued", started.stdout).group(1))
    # Mid-run: past the first progress step, inside the pause that follows it.
    status, progress, holder, task_id, _, beat = wait_until(
        lambda: (r := row(run_sql, run_id)) and r[0] == "running" and r[1] >= 25 and r, what="the run to be running")
    assert f":{first.pid}:" in holder
    # Longer than the lease inside one phase: the background heartbeat keeps the run alive (else the worker's
    # own reaper would fail it).
    time.sleep(4)
    status, progress, *_, later_beat = row(run_sql, run_id)
    assert (status, progress) == ("running", 25) and later_beat > beat

    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    time.sleep(0.5)
    # What a killed worker leaves: the run and django-tasks' row both "running", nobody to finish them.
    assert row(run_sql, run_id)[0] == "running"
    assert row(task_sql, task_id)[0] == "RUNNING"

    second = worker(phase_delay=0)
    status, *_, error, _ = wait_until(lambda: (r := row(run_sql, run_id)) and r[0] == "failed" and r,
                                   what="the restarted worker to fail the run")
    assert error == WORKER_LOST
    assert row(task_sql, task_id)[0] == "FAILED"

    rerun = dxpool("match-run", "--as", "nagasaki", "--rerun", str(run_id), "--wait", "--timeout", "60")
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout.strip().splitlines()[-1])
    new_status, new_parent = row("select status, parent_id from matching_matchrun where id = ?", summary["run"])
    assert (new_status, new_parent) == ("done", run_id) and summary["proposals"] > 0
    assert second.poll() is None  # the new worker lives on

"""Runs recover (issue 12 item 9): a run whose worker died is failed with a reason and can be rerun; any
unexpected exception fails the run and is logged; the page stops polling once a run is finished or failed;
`match-run --wait` tells "no worker is running" from "the run failed".

The end-to-end case (a real `dxpool worker` killed with SIGKILL mid-run) is tests/matching/test_worker_kill.py.
"""

import logging
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from dxpool.core.machine import history_of
from dxpool.core.models import AuditEvent
from dxpool.engine import InstanceError
from dxpool.matching import services
from dxpool.matching.machines import RUN_MACHINE
from dxpool.matching.management.commands import match_run
from dxpool.matching.models import MatchRun, RunStatus

pytestmark = pytest.mark.django_db

Q, R, D, F = RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.DONE, RunStatus.FAILED
LEASE = timedelta(seconds=120)


def moves(run):
    return [(h.from_status, h.to_status) for h in history_of(RUN_MACHINE, run)]


def a_run(world, status=Q, *, beat_ago: float | None = None, worker: str = "", age: float = 0, task_id: str = ""):
    now = timezone.now()
    run = MatchRun.objects.create(prefecture=world.run.prefecture, created_by=world.nagasaki, status=status,
                                  worker=worker, task_id=task_id,
                                  started_at=now if status == R else None,
                                  heartbeat_at=None if beat_ago is None else now - timedelta(seconds=beat_ago))
    if age:
        MatchRun.objects.filter(pk=run.pk).update(created_at=now - timedelta(seconds=age))
    return run


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# --- unexpected exceptions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["match", "open_needs"])
def test_an_unexpected_exception_fails_the_run_and_logs_the_traceback(world, monkeypatch, caplog, where):
    """Regression: any exception but InstanceError/ValueError escaped and left the run "running 5%" for good."""
    run = a_run(world)

    def boom(*args, **kwargs):
        raise KeyError("persona")

    monkeypatch.setattr(services if where == "match" else services.selectors, where, boom)
    with caplog.at_level(logging.ERROR, logger="dxpool.matching"):
        run = services.matchrun_execute(run_id=run.pk)
    assert run.status == F and run.finished_at is not None
    assert "予期しないエラー" in run.error and "KeyError" in run.error
    assert moves(run) == [(Q, R), (R, F)]
    logged = [r for r in caplog.records if r.name.startswith("dxpool.matching") and r.exc_info]
    assert logged and logged[0].exc_info[0] is KeyError and f"#{run.pk}" in logged[0].getMessage()


def test_the_engine_s_refusal_still_fails_with_its_own_words(world, monkeypatch):
    run = a_run(world)

    def refuse(*args, **kwargs):
        raise InstanceError("ニーズ N1 の時間が不正です")

    monkeypatch.setattr(services, "match", refuse)
    assert services.matchrun_execute(run_id=run.pk).error == "ニーズ N1 の時間が不正です"


# --- the lease and the reaper ------------------------------------------------------------------------------


def test_a_run_whose_worker_went_silent_is_failed_with_a_reason(world):
    stale = a_run(world, R, beat_ago=600, worker="elsewhere:1:x")
    fresh = a_run(world, R, beat_ago=5, worker="elsewhere:2:y")
    never_beat = a_run(world, R, worker="elsewhere:3:z")  # started by an old worker that never renewed
    MatchRun.objects.filter(pk=never_beat.pk).update(started_at=timezone.now() - timedelta(hours=1))
    queued = a_run(world, Q)
    done = a_run(world, D, beat_ago=600)

    assert sorted(services.matchrun_reap_stale(older_than=LEASE)) == sorted([stale.pk, never_beat.pk])
    for run in (stale, never_beat):
        run.refresh_from_db()
        assert run.status == F and run.error == services.WORKER_LOST and run.finished_at is not None
        assert run.progress_label == "失敗"
        assert moves(run) == [(R, F)] and history_of(RUN_MACHINE, run).get().note == services.WORKER_LOST
        assert AuditEvent.objects.filter(action="matchrun.status", target_id=str(run.pk)).exists()
    for run, status in ((fresh, R), (queued, Q), (done, D)):
        run.refresh_from_db()
        assert run.status == status
    # Reaping again finds nothing.
    assert services.matchrun_reap_stale(older_than=LEASE) == []


def test_the_lease_comes_from_the_settings(world, settings):
    settings.MATCHRUN_LEASE_SECONDS = 10
    run = a_run(world, R, beat_ago=30, worker="elsewhere:1:x")
    assert services.matchrun_reap_stale() == [run.pk]


def test_a_run_held_by_a_dead_process_of_this_host_is_failed_at_once(world):
    """The restarted worker recovers at once: the run's holder on this host no longer exists."""
    dead = a_run(world, R, beat_ago=1, worker=services.worker_identity(pid=dead_pid(), token="old"))
    ours = a_run(world, R, beat_ago=1, worker=services.worker_identity())
    elsewhere = a_run(world, R, beat_ago=1, worker="another-host:1:x")
    assert services.matchrun_reap_stale(older_than=LEASE) == [dead.pk]
    for run in (ours, elsewhere):
        run.refresh_from_db()
        assert run.status == R


def test_a_previous_process_with_our_pid_is_dead(world):
    # In a container the restarted worker often gets the pid its predecessor had.
    import os

    run = a_run(world, R, beat_ago=1, worker=services.worker_identity(pid=os.getpid(), token="previous"))
    assert services.matchrun_reap_stale(older_than=LEASE) == [run.pk]


def test_a_failed_run_can_be_rerun(world):
    stale = a_run(world, R, beat_ago=600, worker="elsewhere:1:x")
    services.matchrun_reap_stale(older_than=LEASE)
    stale.refresh_from_db()
    new = services.matchrun_rerun(actor=world.nagasaki, parent=stale)
    assert new.parent_id == stale.pk and new.status == Q
    new = services.matchrun_execute(run_id=new.pk)
    assert new.status in (D, F) and new.error != services.WORKER_LOST
    stale.refresh_from_db()
    assert stale.status == F  # the failed run stays the record of what happened


def test_the_worker_renews_the_lease_and_names_itself(world, monkeypatch):
    seen = {}
    real_match = services.match

    def spy(*args, **kwargs):
        row = MatchRun.objects.get(pk=run.pk)
        seen.update(worker=row.worker, heartbeat_at=row.heartbeat_at)
        return real_match(*args, **kwargs)

    run = a_run(world)
    monkeypatch.setattr(services, "match", spy)
    services.matchrun_execute(run_id=run.pk)
    assert seen["worker"] == services.worker_identity() and seen["heartbeat_at"] is not None


def test_a_late_worker_of_a_reaped_run_keeps_its_hands_off(world, monkeypatch, caplog):
    """A worker thought dead (its heartbeat was late) must not overwrite the failed run with results."""
    real_match = services.match

    def slow_then_reaped(*args, **kwargs):
        MatchRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1),
                                                  worker="elsewhere:1:x")
        assert services.matchrun_reap_stale(older_than=LEASE) == [run.pk]
        return real_match(*args, **kwargs)

    run = a_run(world)
    monkeypatch.setattr(services, "match", slow_then_reaped)
    with caplog.at_level(logging.WARNING, logger="dxpool.matching"):
        run = services.matchrun_execute(run_id=run.pk)
    assert run.status == F and run.error == services.WORKER_LOST and not run.proposals.exists()
    assert moves(run) == [(Q, R), (R, F)]
    assert any("lease" in r.getMessage() for r in caplog.records)


def _task_row(status: str, *, started_ago: float | None = None):
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    return DBTaskResult.objects.create(
        status=status, args_kwargs={"args": [0], "kwargs": {}}, task_path="dxpool.matching.tasks.run_match",
        backend_name="default", run_after=now, exception_class_path="", traceback="",
        started_at=None if started_ago is None else now - timedelta(seconds=started_ago))


def test_the_task_row_of_a_reaped_run_is_closed(world):
    """django-tasks never requeues nor fails a task whose worker was killed: it stays RUNNING for good."""
    row = _task_row("RUNNING", started_ago=600)
    run = a_run(world, R, beat_ago=600, worker="elsewhere:1:x", task_id=str(row.pk))
    services.matchrun_reap_stale(older_than=LEASE)
    row.refresh_from_db()
    assert row.status == "FAILED" and row.finished_at is not None
    assert "ワーカー" in row.traceback and row.exception_class_path.endswith("WorkerLost")
    run.refresh_from_db()
    assert run.status == F


@pytest.mark.parametrize(("task_status", "started_ago", "reaped"), [
    ("READY", None, False),  # waiting behind other tasks: a busy worker is not a dead one
    ("RUNNING", 5, False),  # just claimed: the worker is about to move the run
    ("RUNNING", 600, True),  # claimed, then the worker died before moving the run
    ("FAILED", 600, True),  # the task ended without running the run
    ("SUCCESSFUL", 600, True),
    (None, None, True),  # no task at all (never enqueued, or pruned)
])
def test_a_queued_run_whose_task_cannot_run_it_any_more_is_failed(world, task_status, started_ago, reaped):
    task_id = str(_task_row(task_status, started_ago=started_ago).pk) if task_status else str(uuid.uuid4())
    run = a_run(world, Q, age=600, task_id=task_id)
    young = a_run(world, Q, age=5, task_id=str(uuid.uuid4()))  # its task may still be on its way
    assert services.matchrun_reap_stale(older_than=LEASE) == ([run.pk] if reaped else [])
    run.refresh_from_db()
    young.refresh_from_db()
    assert young.status == Q
    if reaped:
        assert run.status == F and run.error == services.NEVER_STARTED and moves(run) == [(Q, F)]
    else:
        assert run.status == Q


# --- pages -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [D, F])
def test_the_page_stops_polling_once_the_run_is_finished_or_failed(client, world, status):
    run = a_run(world, status)
    client.force_login(world.nagasaki)
    fragment = client.get(f"/matching/runs/{run.pk}/progress/")
    assert "hx-trigger" not in fragment.content.decode() and fragment["HX-Refresh"] == "true"
    assert "hx-trigger" not in client.get(f"/matching/runs/{run.pk}/").content.decode()


def test_a_running_run_page_polls(client, world):
    run = a_run(world, R, beat_ago=1, worker="elsewhere:1:x")
    client.force_login(world.nagasaki)
    fragment = client.get(f"/matching/runs/{run.pk}/progress/")
    assert 'hx-trigger="every 1s"' in fragment.content.decode() and not fragment.has_header("HX-Refresh")


def test_a_failed_run_page_gives_the_reason_and_offers_a_rerun(client, world):
    run = a_run(world, R, beat_ago=600, worker="elsewhere:1:x")
    services.matchrun_reap_stale(older_than=LEASE)
    client.force_login(world.nagasaki)
    body = client.get(f"/matching/runs/{run.pk}/").content.decode()
    assert services.WORKER_LOST in body
    assert f'action="/matching/runs/{run.pk}/rerun/"' in body and "同じ条件で再実行する" in body
    r = client.post(f"/matching/runs/{run.pk}/rerun/")
    new = MatchRun.objects.get(parent=run)
    assert r.status_code == 302 and r["Location"] == f"/matching/runs/{new.pk}/"


def test_a_silent_worker_and_a_missing_worker_are_said_on_the_page(client, world):
    silent = a_run(world, R, beat_ago=300, worker="elsewhere:1:x")
    waiting = a_run(world, Q, age=300)
    client.force_login(world.nagasaki)
    assert "ワーカーからの応答が" in client.get(f"/matching/runs/{silent.pk}/progress/").content.decode()
    assert "dxpool worker" in client.get(f"/matching/runs/{waiting.pk}/progress/").content.decode()


# --- match-run --wait --------------------------------------------------------------------------------------


def _wait(world, *extra):
    return call_command("match_run", "--as", world.nagasaki.username, "--wait", "--poll", "0.05", *extra)


def _run_on_commit_now(monkeypatch):
    # The test's transaction never commits: run the enqueue callback at once, as a commit would.
    monkeypatch.setattr(services.transaction, "on_commit", lambda func, *args, **kwargs: func())


def test_wait_says_no_worker_is_running_when_nobody_picks_the_run_up(world):
    with pytest.raises(CommandError) as exc:
        _wait(world, "--pickup-timeout", "0.3")  # the enqueue never happens: no worker will come
    assert exc.value.returncode == match_run.EXIT_NO_WORKER == 4
    assert "no worker" in str(exc.value) and "dxpool worker" in str(exc.value)


def test_wait_prints_the_failure_of_a_failed_run(world, monkeypatch):
    _run_on_commit_now(monkeypatch)

    def refuse(*args, **kwargs):
        raise InstanceError("ニーズ N1 の時間が不正です")

    monkeypatch.setattr(services, "match", refuse)
    with pytest.raises(CommandError) as exc:
        _wait(world)
    assert exc.value.returncode == match_run.EXIT_RUN_FAILED == 3
    assert "failed" in str(exc.value) and "ニーズ N1 の時間が不正です" in str(exc.value)


def test_wait_fails_a_run_whose_worker_died_and_says_so(world, monkeypatch):
    _run_on_commit_now(monkeypatch)

    def worker_picks_up_and_dies(run_id):
        run = MatchRun.objects.get(pk=run_id)
        RUN_MACHINE.transition(obj=run, to=R, update={"heartbeat_at": timezone.now() - timedelta(hours=1),
                                                      "worker": "elsewhere:1:x", "progress": 5})

    monkeypatch.setattr(services, "_enqueue", worker_picks_up_and_dies)
    with pytest.raises(CommandError) as exc:
        _wait(world)
    assert exc.value.returncode == 3 and services.WORKER_LOST in str(exc.value)


def test_wait_reports_a_done_run(world, monkeypatch, capsys):
    _run_on_commit_now(monkeypatch)
    _wait(world)
    out = capsys.readouterr().out
    assert '"run":' in out and "queued" in out


def test_rerun_from_the_command_line(world, monkeypatch, capsys):
    stale = a_run(world, R, beat_ago=600, worker="elsewhere:1:x")
    services.matchrun_reap_stale(older_than=LEASE)
    call_command("match_run", "--as", world.nagasaki.username, "--rerun", str(stale.pk))
    new = MatchRun.objects.get(parent=stale)
    assert f"match run #{new.pk} queued" in capsys.readouterr().out
    with pytest.raises(CommandError) as exc:
        call_command("match_run", "--as", world.hiroshima.username, "--rerun", str(stale.pk))
    assert exc.value.returncode == 2

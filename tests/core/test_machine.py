"""dxpool.core.machine: the one helper behind every status change.

Tested on a real model (places.Grouping has no status field, so the tests use the generic history against
core.StatusHistory with a table over matching.MatchRun's statuses, which stamps started_at/finished_at)."""

import itertools

import pytest
from django.db import models

from dxpool.core.audit import AuditAction
from dxpool.core.errors import Conflict, ValidationError
from dxpool.core.machine import Machine, history_of, table
from dxpool.core.models import AuditEvent, StatusHistory
from dxpool.matching.models import MatchRun, RunStatus
from dxpool.places.models import Prefecture

pytestmark = pytest.mark.django_db

TABLE = table({
    RunStatus.QUEUED: [RunStatus.RUNNING, RunStatus.FAILED],
    RunStatus.RUNNING: [RunStatus.DONE, RunStatus.FAILED],
    RunStatus.DONE: [],
    RunStatus.FAILED: [RunStatus.QUEUED],
})
RUN = Machine(name="test_run", label="テスト実行", model=MatchRun, choices=RunStatus, table=TABLE,
              audit_action=AuditAction.MATCHRUN_STATUS, prefecture=lambda r: r.prefecture,
              stamps={RunStatus.RUNNING: "started_at", RunStatus.DONE: "finished_at",
                      RunStatus.FAILED: "finished_at"})


def _run(status=RunStatus.QUEUED) -> MatchRun:
    return MatchRun.objects.create(prefecture=Prefecture.objects.get(code="42"), status=status)


@pytest.mark.parametrize(("source", "target"), list(itertools.product(RunStatus.values, repeat=2)))
def test_every_pair_follows_the_table(source, target, nagasaki_user):
    run = _run(source)
    events = AuditEvent.objects.count()
    if target in TABLE[source]:
        moved = RUN.transition(obj=run, to=target, actor=nagasaki_user, note="理由")
        assert moved.status == target and run.status == target  # the caller's instance follows
        assert MatchRun.objects.get(pk=run.pk).status == target
        (row,) = history_of(RUN, run)
        assert (row.from_status, row.to_status, row.actor, row.note) == (source, target, nagasaki_user, "理由")
        event = AuditEvent.objects.latest("id")
        assert event.action == "matchrun.status" and event.detail["from"] == source and event.detail["to"] == target
        assert event.prefecture.code == "42"
        stamp = RUN.stamp_field(target)
        if stamp:
            assert getattr(MatchRun.objects.get(pk=run.pk), stamp) == row.at
    else:
        with pytest.raises(Conflict) as info:
            RUN.transition(obj=run, to=target, actor=nagasaki_user)
        assert RUN.state_label(source) in info.value.message and RUN.state_label(target) in info.value.message
        assert MatchRun.objects.get(pk=run.pk).status == source
        assert not history_of(RUN, run).exists() and AuditEvent.objects.count() == events


def test_the_refusal_names_the_moves_that_are_allowed():
    with pytest.raises(Conflict, match="変更できる状態: 実行中、失敗"):
        RUN.check(RunStatus.QUEUED, RunStatus.DONE)
    with pytest.raises(Conflict, match="なし（終了状態）"):
        RUN.check(RunStatus.DONE, RunStatus.QUEUED)


def test_an_unknown_state_is_a_validation_error():
    with pytest.raises(ValidationError, match="「flying」はありません"):
        RUN.check(RunStatus.QUEUED, "flying")


def test_the_table_is_read_under_the_lock_not_from_the_callers_stale_copy(nagasaki_user):
    run = _run()
    stale = MatchRun.objects.get(pk=run.pk)
    RUN.transition(obj=run, to=RunStatus.RUNNING)
    RUN.transition(obj=run, to=RunStatus.DONE)
    # The stale copy still says "queued", but the row is done: the move is checked against the row.
    with pytest.raises(Conflict):
        RUN.transition(obj=stale, to=RunStatus.RUNNING)


def test_a_guard_refuses_under_the_lock_and_nothing_is_written():
    run = _run()

    def guard(locked):
        raise Conflict("まだ実行できません。")

    with pytest.raises(Conflict, match="まだ実行できません"):
        RUN.transition(obj=run, to=RunStatus.RUNNING, guard=guard)
    assert MatchRun.objects.get(pk=run.pk).status == RunStatus.QUEUED
    assert not StatusHistory.objects.exists()


def test_update_sets_more_fields_in_the_same_save_and_a_system_actor_is_recorded_as_none():
    run = _run(RunStatus.RUNNING)
    RUN.transition(obj=run, to=RunStatus.FAILED, update={"error": "worker died"})
    row = MatchRun.objects.get(pk=run.pk)
    assert row.error == "worker died" and row.finished_at is not None
    assert history_of(RUN, run).get().actor is None
    assert AuditEvent.objects.latest("id").actor is None


def test_a_custom_history_writer_replaces_the_generic_one():
    seen = []
    machine = Machine(name="x", label="x", model=MatchRun, choices=RunStatus, table=TABLE,
                      audit_action=AuditAction.MATCHRUN_STATUS, history=lambda *args: seen.append(args[1:3]))
    machine.transition(obj=_run(), to=RunStatus.RUNNING, audit=False)
    assert seen == [(RunStatus.QUEUED, RunStatus.RUNNING)]
    assert not StatusHistory.objects.exists() and not AuditEvent.objects.exists()


def test_tables_must_cover_exactly_the_models_states():
    class Light(models.TextChoices):
        RED = "red", "赤"
        GREEN = "green", "青"

    with pytest.raises(ValueError, match="table rows"):
        Machine(name="l", label="l", model=MatchRun, choices=Light, table=table({"red": ["green"]}),
                audit_action=AuditAction.MATCHRUN_STATUS)
    with pytest.raises(ValueError, match="unknown states"):
        Machine(name="l", label="l", model=MatchRun, choices=Light, table=table({"red": ["blue"], "green": []}),
                audit_action=AuditAction.MATCHRUN_STATUS)
    with pytest.raises(ValueError, match="itself"):
        Machine(name="l", label="l", model=MatchRun, choices=Light, table=table({"red": ["red"], "green": []}),
                audit_action=AuditAction.MATCHRUN_STATUS)


def test_the_table_reads_in_the_order_of_the_choices():
    assert RUN.allowed(RunStatus.QUEUED) == ["running", "failed"]
    assert RUN.as_dict() == {"queued": ["running", "failed"], "running": ["done", "failed"], "done": [],
                             "failed": ["queued"]}
    assert RUN.is_final(RunStatus.DONE) and not RUN.is_final(RunStatus.FAILED)

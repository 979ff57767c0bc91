"""The match-run and proposal machines: every (from, to) pair against the table, stamps and history rows, and
the services' moves through them (the worker's included)."""

import itertools

import pytest

from dxpool.core.errors import Conflict
from dxpool.core.machine import history_of
from dxpool.core.models import AuditEvent
from dxpool.engine import InstanceError
from dxpool.matching import services
from dxpool.matching.machines import PROPOSAL_MACHINE, RUN_MACHINE
from dxpool.matching.models import MatchRun, Proposal, ProposalStatus, RunStatus
from tests.matching.conftest import every_proposal

pytestmark = pytest.mark.django_db

Q, R, D, F = RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.DONE, RunStatus.FAILED
RUN_EXPECTED = {(Q, R), (Q, F), (R, D), (R, F), (F, R)}  # queued → failed: the reaper (issue 12)
RUN_STAMPS = {R: "started_at", D: "finished_at", F: "finished_at"}

P, S, A, X = ProposalStatus.PROPOSED, ProposalStatus.SENT, ProposalStatus.ACCEPTED, ProposalStatus.DECLINED
W = ProposalStatus.WITHDRAWN
PROPOSAL_EXPECTED = {(P, S), (S, A), (S, X), (S, W)}  # sent → withdrawn: the secretariat (issue 13)
PROPOSAL_STAMPS = {S: "sent_at", A: "decided_at", X: "decided_at", W: "withdrawn_at"}

RUN_PAIRS = list(itertools.product(RunStatus.values, repeat=2))
PROPOSAL_PAIRS = list(itertools.product(ProposalStatus.values, repeat=2))


def test_the_tables_are_the_documented_ones():
    assert {(s, t) for s, ts in RUN_MACHINE.as_dict().items() for t in ts} == RUN_EXPECTED
    assert {(s, t) for s, ts in PROPOSAL_MACHINE.as_dict().items() for t in ts} == PROPOSAL_EXPECTED
    assert RUN_MACHINE.is_final(D) and not RUN_MACHINE.is_final(F)
    assert PROPOSAL_MACHINE.is_final(A) and PROPOSAL_MACHINE.is_final(X) and PROPOSAL_MACHINE.is_final(W)


@pytest.mark.parametrize("source, target", RUN_PAIRS)
def test_every_run_move(world, source, target):
    run = MatchRun.objects.create(prefecture=world.run.prefecture, status=source)
    if (source, target) in RUN_EXPECTED:
        moved = RUN_MACHINE.transition(obj=run, to=target)  # the worker: no actor
        assert moved.status == target and getattr(moved, RUN_STAMPS[target]) is not None
        row = history_of(RUN_MACHINE, run).get()
        assert (row.from_status, row.to_status, row.actor) == (source, target, None)
        assert AuditEvent.objects.filter(action="matchrun.status", target_id=str(run.pk)).count() == 1
    else:
        with pytest.raises(Conflict):
            RUN_MACHINE.transition(obj=run, to=target)
        run.refresh_from_db()
        assert run.status == source and run.started_at is None and run.finished_at is None
        assert not history_of(RUN_MACHINE, run).exists()


@pytest.mark.parametrize("source, target", PROPOSAL_PAIRS)
def test_every_proposal_move(world, source, target):
    p = world.proposal
    Proposal.objects.filter(pk=p.pk).update(status=source)
    if (source, target) in PROPOSAL_EXPECTED:
        moved = PROPOSAL_MACHINE.transition(obj=p, to=target, actor=world.nagasaki)
        assert moved.status == target and getattr(moved, PROPOSAL_STAMPS[target]) is not None
        row = history_of(PROPOSAL_MACHINE, p).get()
        assert (row.from_status, row.to_status, row.actor) == (source, target, world.nagasaki)
    else:
        with pytest.raises(Conflict):
            PROPOSAL_MACHINE.transition(obj=p, to=target, actor=world.nagasaki)
        p.refresh_from_db()
        assert p.status == source and p.sent_at is None and p.decided_at is None and p.withdrawn_at is None
        assert not history_of(PROPOSAL_MACHINE, p).exists()


# --- the services' moves --------------------------------------------------------------------------------------


def moves(machine, obj):
    return [(h.from_status, h.to_status) for h in history_of(machine, obj)]


def test_the_worker_moves_a_run_through_the_machine(world):
    run = MatchRun.objects.create(prefecture=world.run.prefecture, created_by=world.nagasaki)
    run = services.matchrun_execute(run_id=run.pk)
    assert run.status == D and run.progress == 100 and run.started_at and run.finished_at
    assert run.started_at <= run.finished_at
    assert moves(RUN_MACHINE, run) == [(Q, R), (R, D)]
    assert all(h.actor is None for h in history_of(RUN_MACHINE, run))
    # A finished run is not executed again (a task delivered twice does nothing).
    assert services.matchrun_execute(run_id=run.pk).finished_at == run.finished_at
    assert moves(RUN_MACHINE, run) == [(Q, R), (R, D)]


def test_a_failed_run_records_why_and_can_run_again(world, monkeypatch):
    run = MatchRun.objects.create(prefecture=world.run.prefecture, created_by=world.nagasaki)

    def refuse(*args, **kwargs):
        raise InstanceError("ニーズ N1 の時間が不正です")

    monkeypatch.setattr(services, "match", refuse)
    run = services.matchrun_execute(run_id=run.pk)
    assert run.status == F and run.error == "ニーズ N1 の時間が不正です" and run.finished_at
    assert history_of(RUN_MACHINE, run).last().note == run.error
    monkeypatch.undo()
    run = services.matchrun_execute(run_id=run.pk)
    assert run.status == D and run.error == ""
    assert moves(RUN_MACHINE, run) == [(Q, R), (R, F), (F, R), (R, D)]


def test_a_running_run_is_left_to_its_worker(world):
    run = MatchRun.objects.create(prefecture=world.run.prefecture, status=R)
    assert services.matchrun_execute(run_id=run.pk).status == R
    assert not history_of(RUN_MACHINE, run).exists()


def test_sending_moves_each_proposal_with_a_history_row(world):
    assert services.proposals_send(actor=world.nagasaki, run=world.run, proposal_ids=every_proposal(world.run)) == 2
    for p in (world.proposal, world.joint_proposal):
        p.refresh_from_db()
        assert p.status == S and p.sent_at is not None
        assert moves(PROPOSAL_MACHINE, p) == [(P, S)]
        assert history_of(PROPOSAL_MACHINE, p).get().actor == world.nagasaki
    # Sending again is refused (issue 12: the chosen proposals must still be proposed) and writes nothing.
    with pytest.raises(Conflict):
        services.proposals_send(actor=world.nagasaki, run=world.run, proposal_ids=every_proposal(world.run))
    assert moves(PROPOSAL_MACHINE, world.proposal) == [(P, S)]


def test_proposals_of_an_unfinished_run_cannot_be_sent(world):
    MatchRun.objects.filter(pk=world.run.pk).update(status=R)
    world.run.refresh_from_db()
    with pytest.raises(Conflict):
        services.proposals_send(actor=world.nagasaki, run=world.run, proposal_ids=every_proposal(world.run))


def test_answers_move_the_proposal_through_the_machine(world):
    services.proposals_send(actor=world.nagasaki, run=world.run, proposal_ids=every_proposal(world.run))
    services.proposal_answer(actor=world.goto, proposal=world.proposal, accept=True)
    assert moves(PROPOSAL_MACHINE, world.proposal) == [(P, S)]  # one side only: still sent
    services.proposal_answer(actor=world.talent, proposal=world.proposal, accept=True)
    world.proposal.refresh_from_db()
    assert world.proposal.status == A and world.proposal.decided_at is not None
    assert moves(PROPOSAL_MACHINE, world.proposal) == [(P, S), (S, A)]
    services.proposal_answer(actor=world.talent, proposal=world.joint_proposal, accept=False, reason="日程が合わない")
    world.joint_proposal.refresh_from_db()
    assert world.joint_proposal.status == X and world.joint_proposal.decline_reason == "日程が合わない"
    assert moves(PROPOSAL_MACHINE, world.joint_proposal) == [(P, S), (S, X)]
    assert history_of(PROPOSAL_MACHINE, world.joint_proposal).last().note == "日程が合わない"
    # A final proposal cannot be answered again.
    with pytest.raises(Conflict):
        services.proposal_answer(actor=world.goto, proposal=world.proposal, accept=False, reason="やはり不要")

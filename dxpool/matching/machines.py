"""The matching app's status machines: match runs and proposals.

Both go through `dxpool.core.machine.Machine`: a status only changes by a move its table allows, under a row
lock, with a timestamp, a history row (the generic `core.StatusHistory`) and an audit event. The worker's moves
of a run have no acting person (actor None) and take the same path as a person's.

The tables were derived from what the code did before they existed, and keep it:

Match runs (`RunStatus`)::

    queued  → running | failed  the worker picks the run up (stamps started_at), or the reaper finds that
                                its task ended, vanished or died before starting it (stamps finished_at)
    running → done | failed     results stored (stamps finished_at); or the engine refused the instance, an
                                unexpected error stopped it, or its worker died (the reaper, issue 12)
    failed  → running           a failed run's task delivered again executes it (matchrun_execute accepts
                                queued or failed)
    done    → (final)

Rerunning a failed run from the page or `match-run --rerun` is a new run (parent = the failed one, see
`matchrun_rerun`), not a move: the failed run stays the record of what happened and why.

Proposals (`ProposalStatus`)::

    proposed → sent                 the secretariat sends the run's proposals (stamps sent_at)
    sent     → accepted | declined  both sides accepted (the need is filled), or one side declined
                                    (stamps decided_at)
    sent     → withdrawn            the secretariat takes the proposal back, with a reason both sides then
                                    read (stamps withdrawn_at; issue 13)
    accepted → (final)
    declined → (final)
    withdrawn → (final)

A proposal is never declined before it is sent: only a sent proposal can be answered, and a secretariat that
does not want a pair excludes it and re-runs instead. Withdrawal is the secretariat's way back from a sent
proposal (sent to the wrong person, the need changed): it ends the proposal without a side's decision, and
unlike a decline it does not exclude the pair from later runs. An accepted proposal is not withdrawn: the
need is filled and the municipality has seen the profile.
"""

from __future__ import annotations

from dxpool.core.audit import AuditAction
from dxpool.core.machine import Machine, table
from dxpool.matching.models import MatchRun, Proposal, ProposalStatus, RunStatus

RUN_TABLE = table({
    RunStatus.QUEUED: [RunStatus.RUNNING, RunStatus.FAILED],
    RunStatus.RUNNING: [RunStatus.DONE, RunStatus.FAILED],
    RunStatus.FAILED: [RunStatus.RUNNING],
    RunStatus.DONE: [],
})

RUN_MACHINE = Machine(
    name="matchrun", label="マッチング実行", model=MatchRun, choices=RunStatus, table=RUN_TABLE,
    audit_action=AuditAction.MATCHRUN_STATUS, prefecture=lambda run: run.prefecture,
    stamps={RunStatus.RUNNING: "started_at", RunStatus.DONE: "finished_at", RunStatus.FAILED: "finished_at"},
)

PROPOSAL_TABLE = table({
    ProposalStatus.PROPOSED: [ProposalStatus.SENT],
    ProposalStatus.SENT: [ProposalStatus.ACCEPTED, ProposalStatus.DECLINED, ProposalStatus.WITHDRAWN],
    ProposalStatus.ACCEPTED: [],
    ProposalStatus.DECLINED: [],
    ProposalStatus.WITHDRAWN: [],
})

PROPOSAL_MACHINE = Machine(
    name="proposal", label="マッチング提案", model=Proposal, choices=ProposalStatus, table=PROPOSAL_TABLE,
    audit_action=AuditAction.PROPOSAL_STATUS, prefecture=lambda p: p.run.prefecture,
    stamps={ProposalStatus.ACCEPTED: "decided_at", ProposalStatus.DECLINED: "decided_at"},
)

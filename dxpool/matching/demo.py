"""A finished demo match run for 長崎県, so the coordinator's review page has proposals to show; its proposals
for 五島市's own needs are sent, so the `goto` and `talent` logins each have a proposal to answer."""

from dxpool.matching.models import MatchRun, ProposalStatus
from dxpool.matching.services import matchrun_execute, matchrun_start, proposals_send


def demo_load(ctx) -> dict:
    if not MatchRun.objects.filter(prefecture=ctx.prefecture).exists():
        run = matchrun_start(actor=ctx.prefecture_user)
        run = matchrun_execute(run_id=run.pk)  # run now: the demo has no worker yet while it loads
        goto = ctx.municipality_user.municipality_id_scope
        # Needs of 五島市 alone (not the joint ones): what the secretariat has sent so far in the demo story.
        chosen = [p.pk for p in run.proposals.filter(status=ProposalStatus.PROPOSED).prefetch_related(
            "need__municipalities") if p.need.municipality_ids() == {goto}]
        if chosen:
            proposals_send(actor=ctx.prefecture_user, run=run, proposal_ids=chosen)
    run = MatchRun.objects.filter(prefecture=ctx.prefecture).first()
    return {"match_proposals": run.proposals.count(),
            "match_proposals_sent": run.proposals.exclude(status=ProposalStatus.PROPOSED).count()}

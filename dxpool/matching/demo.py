"""A finished demo match run for 長崎県, so the coordinator's review page has proposals to show."""

from dxpool.matching.models import MatchRun
from dxpool.matching.services import matchrun_execute, matchrun_start


def demo_load(ctx) -> dict:
    if not MatchRun.objects.filter(prefecture=ctx.prefecture).exists():
        run = matchrun_start(actor=ctx.prefecture_user)
        matchrun_execute(run_id=run.pk)  # run now: the demo has no worker yet while it loads
    run = MatchRun.objects.filter(prefecture=ctx.prefecture).first()
    return {"match_proposals": run.proposals.count()}

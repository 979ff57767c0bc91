"""Background work of the matching app (django-tasks; `dxpool worker` runs it)."""

from django_tasks import task


@task()
def run_match(run_id: int) -> None:
    """Execute a queued match run; progress and results are written to the MatchRun row."""
    from dxpool.matching.services import matchrun_execute

    matchrun_execute(run_id=run_id)

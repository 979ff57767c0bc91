"""`dxpool worker`: run background tasks from the database queue (django-tasks database backend).

It runs django-tasks' `db_worker` in this process, and beside it a reaper: at start and then every
`--reap-every` seconds (default half the lease, MATCHRUN_LEASE_SECONDS) it fails the match runs whose worker
died (`dxpool.matching.services.matchrun_reap_stale`). django-tasks itself never requeues nor fails a task
whose worker was killed — its row stays "running" for good — so without the reaper a killed worker's run
stayed "running 5%" forever. A restarted worker on the same host fails its predecessor's run at once (the
holder's pid is gone); a run held on another host fails once its lease runs out.
"""

import logging
import threading

from django.core.management import call_command
from django.db import connections

from dxpool.core.commands import DxpoolCommand

logger = logging.getLogger("dxpool.worker")


def _reap_once() -> None:
    from dxpool.matching.services import matchrun_reap_stale

    try:
        reaped = matchrun_reap_stale()
    except Exception:  # a locked SQLite file, a dropped connection: the next round tries again
        logger.warning("reaping stale match runs failed; retrying later", exc_info=True)
        return
    finally:
        connections.close_all()  # the calling thread's connections only
    if reaped:
        logger.warning("failed %d match run(s) whose worker had stopped: %s", len(reaped),
                       ", ".join(f"#{pk}" for pk in reaped))


def _reap_periodically(every: float, stop: threading.Event) -> None:
    while not stop.wait(every):
        _reap_once()


class Command(DxpoolCommand):
    help = "バックグラウンドタスクを実行します (Run background tasks)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")
        parser.add_argument("--reap-every", type=float, default=None,
                            help="seconds between checks for match runs whose worker died (default: lease / 2)")

    def handle(self, *args, interval: float, batch: bool, reap_every: float | None, **options):
        from dxpool.matching.lease import lease_seconds, worker_identity

        _reap_once()
        stop = threading.Event()
        every = reap_every if reap_every and reap_every > 0 else min(max(lease_seconds() / 2, 1.0), 60.0)
        reaper = threading.Thread(target=_reap_periodically, args=(every, stop), name="matchrun-reaper",
                                  daemon=True)
        reaper.start()
        # The task rows name this process like the runs do (host:pid:token), so an operator can match them.
        argv = ["--interval", str(interval), "--worker-id", worker_identity()[:64]]
        if batch:
            argv.append("--batch")
        try:
            call_command("db_worker", *argv)
        finally:
            stop.set()

"""`dxpool match-run --as USERNAME [--mode optimal|stable] [--no-training-gate] [--rerun RUN] [--wait]`: start a
matching run for the user's prefecture from the database (or rerun run RUN with its parameters) and follow its
progress (a bar on the terminal).

With `--wait` the exit code says how it ended (docs/matching.md):

    0  the run is done (a JSON summary on stdout)
    2  bad input (unknown user, not a secretariat, bad parameters, unknown run)
    3  the run failed: the error is printed (the engine's refusal, an unexpected error, or its worker died)
    4  no worker picked the run up within --pickup-timeout: `dxpool worker` is not running (or is busy)
    5  the run was still running (its worker alive) at --timeout; it goes on in the background

While it waits it fails runs whose worker died (`matchrun_reap_stale`), so a killed worker ends in 3 with
「処理を実行していたワーカーが停止しました。再実行してください。」 rather than a wait until the timeout.
"""

import argparse
import json
import sys
import time

from django.core.management import CommandError

from dxpool.accounts.models import User
from dxpool.core.commands import DxpoolCommand, InputError
from dxpool.core.errors import DomainError
from dxpool.matching.models import RunStatus
from dxpool.matching.selectors import run_get
from dxpool.matching.services import matchrun_reap_stale, matchrun_rerun, matchrun_start

EXIT_RUN_FAILED = 3
EXIT_NO_WORKER = 4
EXIT_STILL_RUNNING = 5


class Command(DxpoolCommand):
    help = "マッチングを実行し進捗を表示します (Start a matching run and follow its progress)."

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="username", required=True, help="a prefecture secretariat user")
        parser.add_argument("--mode", choices=["optimal", "stable"], default="optimal")
        parser.add_argument("--optimal", choices=["need", "talent"], default="need")
        parser.add_argument("--no-training-gate", action="store_true")
        parser.add_argument("--max-assignments", type=int, default=3)
        parser.add_argument("--rerun", type=int, metavar="RUN",
                            help="rerun run RUN (e.g. a failed one) with its parameters; the other options are ignored")
        parser.add_argument("--wait", action="store_true", help="wait for the worker and show a progress bar")
        parser.add_argument("--timeout", type=float, default=600, help="seconds to wait in all (exit 5 after)")
        parser.add_argument("--pickup-timeout", type=float, default=60,
                            help="seconds a run may stay queued before `no worker is running` (exit 4)")
        parser.add_argument("--poll", type=float, default=0.5, help=argparse.SUPPRESS)  # tests poll faster

    def handle(self, *args, username, mode, optimal, no_training_gate, max_assignments, rerun, wait, timeout,
               pickup_timeout, poll, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise InputError(f"利用者「{username}」は存在しません (unknown user: {username})")
        try:
            if rerun is not None:
                run = matchrun_rerun(actor=user, parent=run_get(user=user, pk=rerun))
            else:
                run = matchrun_start(actor=user, mode=mode, optimal_side=optimal,
                                     require_training=not no_training_gate, max_assignments=max_assignments)
        except DomainError as exc:
            raise InputError(exc.message) from None
        self.stdout.write(f"match run #{run.pk} queued" + (f" (rerun of #{rerun})" if rerun is not None else ""))
        if not wait:
            return
        run = self._follow(user, run.pk, timeout=timeout, pickup_timeout=pickup_timeout, poll=poll)
        self.stdout.write(json.dumps({"run": run.pk, "proposals": run.proposals.count(), "objective": run.objective,
                                      "bound": run.bound, "gap": run.gap, "unfilled": len(run.unfilled)},
                                     ensure_ascii=False))

    def _follow(self, user, pk: int, *, timeout: float, pickup_timeout: float, poll: float):
        started = time.monotonic()
        while True:
            # A worker that died leaves its run "running" for good; failing it here ends the wait with its
            # reason instead of a timeout.
            matchrun_reap_stale()
            run = run_get(user=user, pk=pk)
            bar = "#" * (run.progress // 4) + "-" * (25 - run.progress // 4)
            sys.stderr.write(f"\r[{bar}] {run.progress:3d}% {run.progress_label:<20}")
            sys.stderr.flush()
            if run.is_finished:
                sys.stderr.write("\n")
                break
            waited = time.monotonic() - started
            if run.status == RunStatus.QUEUED and waited > pickup_timeout:
                sys.stderr.write("\n")
                raise CommandError(f"run #{pk} is still queued after {pickup_timeout:g} s: no worker is running "
                                   "(start `dxpool worker`), or the worker is busy with other tasks; the run "
                                   "stays queued and starts when a worker is free", returncode=EXIT_NO_WORKER)
            if waited > timeout:
                sys.stderr.write("\n")
                raise CommandError(f"run #{pk} is still running after {timeout:g} s (its worker is alive); it goes "
                                   "on in the background", returncode=EXIT_STILL_RUNNING)
            time.sleep(poll)
        if run.status == RunStatus.FAILED:
            raise CommandError(f"run #{pk} failed: {run.error}", returncode=EXIT_RUN_FAILED)
        return run


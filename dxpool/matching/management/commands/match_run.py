"""`dxpool match-run --as USERNAME [--mode optimal|stable] [--no-training-gate] [--wait]`: start a matching run
for the user's prefecture from the database and follow its progress (a bar on the terminal)."""

import json
import sys
import time

from dxpool.accounts.models import User
from dxpool.core.commands import DxpoolCommand, InputError
from dxpool.core.errors import DomainError
from dxpool.matching.models import RunStatus
from dxpool.matching.selectors import run_get
from dxpool.matching.services import matchrun_start


class Command(DxpoolCommand):
    help = "マッチングを実行し進捗を表示します (Start a matching run and follow its progress)."

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="username", required=True, help="a prefecture secretariat user")
        parser.add_argument("--mode", choices=["optimal", "stable"], default="optimal")
        parser.add_argument("--optimal", choices=["need", "talent"], default="need")
        parser.add_argument("--no-training-gate", action="store_true")
        parser.add_argument("--max-assignments", type=int, default=3)
        parser.add_argument("--wait", action="store_true", help="wait for the worker and show a progress bar")
        parser.add_argument("--timeout", type=float, default=600)

    def handle(self, *args, username, mode, optimal, no_training_gate, max_assignments, wait, timeout, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise InputError(f"利用者「{username}」は存在しません (unknown user: {username})")
        try:
            run = matchrun_start(actor=user, mode=mode, optimal_side=optimal, require_training=not no_training_gate,
                                 max_assignments=max_assignments)
        except DomainError as exc:
            raise InputError(exc.message) from None
        self.stdout.write(f"match run #{run.pk} queued")
        if not wait:
            return
        deadline = time.monotonic() + timeout
        while True:
            run = run_get(user=user, pk=run.pk)
            bar = "#" * (run.progress // 4) + "-" * (25 - run.progress // 4)
            sys.stderr.write(f"\r[{bar}] {run.progress:3d}% {run.progress_label:<20}")
            sys.stderr.flush()
            if run.is_finished:
                sys.stderr.write("\n")
                break
            if time.monotonic() > deadline:
                raise InputError(f"run #{run.pk} did not finish within {timeout:g} s; is `dxpool worker` running?")
            time.sleep(0.5)
        if run.status == RunStatus.FAILED:
            raise InputError(f"run #{run.pk} failed: {run.error}")
        self.stdout.write(json.dumps({"run": run.pk, "proposals": run.proposals.count(), "objective": run.objective,
                                      "bound": run.bound, "gap": run.gap, "unfilled": len(run.unfilled)},
                                     ensure_ascii=False))

"""`dxpool demo`: migrate, load reference and demo data, print the log-ins, and optionally serve."""

import os
import subprocess
import sys

from django.core.management import call_command

from dxpool.core.commands import DxpoolCommand
from dxpool.core.demo import DEMO_LOGINS, demo_load
from dxpool.places.services import reference_load


class Command(DxpoolCommand):
    help = "デモ環境を準備します (Set up the demo: migrate, reference data, demo data, log-ins)."
    needs_database = False  # it migrates the database itself

    def add_arguments(self, parser):
        parser.add_argument("--serve", action="store_true", help="serve the web app (and a task worker) after setup")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, serve: bool, host: str, port: int, **options):
        call_command("migrate", interactive=False, verbosity=0)
        ref = reference_load()
        counts = demo_load()
        url = f"http://{host}:{port}/"
        lines = [
            "",
            "地域DX人材プール (dxpool) demo is ready.",
            f"  reference data: {ref['municipalities_created']} municipalities created, "
            f"{ref['municipalities_updated']} updated",
            f"  demo data: {', '.join(f'{k} {v}' for k, v in counts.items())}",
            f"  URL: {url}",
            "  log-ins (username / password):",
        ]
        lines += [f"    {d.role:<13} {d.username:<10} {d.password}   {d.description}" for d in DEMO_LOGINS]
        self.stdout.write("\n".join(lines) + "\n")
        if serve:
            self._serve(host, port)

    def _serve(self, host: str, port: int) -> None:
        # The worker runs background tasks (matching runs, imports) beside the dev server.
        env = dict(os.environ)
        worker = subprocess.Popen([sys.executable, "-m", "dxpool.cli", "worker"], env=env)
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)

"""`dxpool worker`: run background tasks from the database queue (django-tasks database backend)."""

from django.core.management import call_command

from dxpool.core.commands import DxpoolCommand


class Command(DxpoolCommand):
    help = "バックグラウンドタスクを実行します (Run background tasks)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")

    def handle(self, *args, interval: float, batch: bool, **options):
        argv = ["--interval", str(interval)]
        if batch:
            argv.append("--batch")
        call_command("db_worker", *argv)

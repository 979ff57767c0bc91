"""`dxpool backup [--output DIR]`: a consistent snapshot of the database and the evidence, with a manifest.

See dxpool/core/backup.py for what a backup holds, docs/operations.md for scheduling and restore rehearsals.
"""

from pathlib import Path

from dxpool.core.backup import ENGINE_NAMES, BackupError, backup_create, default_backup_dir, size_text
from dxpool.core.commands import DxpoolCommand, InputError


class Command(DxpoolCommand):
    help = "データベースと証明書類をバックアップします (Back up the database and the uploaded evidence)."
    # The backup that matters most is the one taken just before `dxpool migrate` on an upgrade, when
    # migrations are pending: the database need only be reachable, not up to date.
    needs_database = False

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="DIR",
            help=f"directory that receives the new backup directory (default {default_backup_dir()})",
        )

    def handle(self, *args, output=None, **options):
        try:
            backup = backup_create(output_dir=Path(output) if output else None)
        except BackupError as exc:
            raise InputError(str(exc)) from None
        m = backup.manifest
        tables = m["tables"]
        self.stdout.write(f"backup written to {backup.path}")
        self.stdout.write(
            f"  database: {ENGINE_NAMES[m['database']['engine']]}, {len(tables)} tables, "
            f"{sum(tables.values()):,} rows"
        )
        self.stdout.write(f"  evidence files: {m['media']['files']:,} ({size_text(m['media']['bytes'])})")
        self.stdout.write(f"  files verified by SHA-256 in {backup.path / 'manifest.json'}")

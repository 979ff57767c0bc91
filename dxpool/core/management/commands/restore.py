"""`dxpool restore DIR [--yes]`: restore a backup into an empty database and an empty MEDIA_ROOT.

Every file is checked against the manifest first; nothing is ever overwritten (a target holding data is
refused); without --yes the plan is shown and confirmed on a terminal. Afterwards every table is counted again
and compared with the manifest: a difference is exit code 1. `--verify DIR` only checks the files.
"""

import sys
from pathlib import Path

from django.core.management.base import CommandError

from dxpool.core.backup import (
    ENGINE_NAMES,
    BackupError,
    RestorePlan,
    backup_restore,
    backup_verify,
    restore_check,
    size_text,
)
from dxpool.core.commands import DxpoolCommand, InputError


def _target(plan: RestorePlan) -> str:
    db = plan.database
    if plan.engine == "sqlite":
        return f"SQLite file {db.get('NAME')}"
    host = db.get("HOST") or "the local socket"
    return f"PostgreSQL database {db.get('NAME')!r} on {host}" + (f":{db['PORT']}" if db.get("PORT") else "")


class Command(DxpoolCommand):
    help = "バックアップを空のデータベースに復元します (Restore a backup into an empty database)."
    # The target is a new, possibly never migrated, database: the dump brings its own schema.
    needs_database = False

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="a backup directory written by `dxpool backup`")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="only check the backup's files against its manifest (no database needed), e.g. "
            "after copying it to another machine",
        )

    def handle(self, *args, directory: str, yes: bool, verify: bool = False, **options):
        if verify:
            try:
                manifest = backup_verify(directory=Path(directory))
            except BackupError as exc:
                raise InputError(str(exc)) from None
            self.stdout.write(
                f"{directory}: all {len(manifest['files'])} files match the manifest "
                f"({sum(manifest['tables'].values()):,} rows in {len(manifest['tables'])} tables, "
                f"made {manifest.get('created_at')})"
            )
            return
        try:
            plan = restore_check(directory=Path(directory))
        except BackupError as exc:
            raise InputError(str(exc)) from None
        self._show(plan)
        if not yes:
            if not sys.stdin.isatty():
                raise InputError("not restoring without confirmation: run it on a terminal or pass --yes")
            self.stdout.write("復元しますか (restore now)? [y/N] ", ending="")
            self.stdout.flush()
            if sys.stdin.readline().strip().lower() not in ("y", "yes"):
                raise CommandError("cancelled; nothing was restored", returncode=1)
        try:
            result = backup_restore(plan=plan)
        except BackupError as exc:
            raise InputError(str(exc)) from None
        for table, (expected, found) in sorted(result.mismatches.items()):
            self.stdout.write(
                f"  MISMATCH {table}: {expected:,} rows in the manifest, "
                f"{'no such table' if found is None else f'{found:,} rows'} now"
            )
        total = sum(plan.manifest["tables"].values())
        if result.ok:
            self.stdout.write(
                f"restored: {len(result.counts)} tables, {total:,} rows, {result.files:,} evidence "
                "files; every row count matches the manifest"
            )
        if plan.pending_migrations:
            self.stdout.write(
                f"the backup predates {len(plan.pending_migrations)} migrations of this dxpool "
                f"(e.g. {plan.pending_migrations[0]}): run `dxpool migrate` next"
            )
        if not result.ok:
            raise CommandError(
                f"{len(result.mismatches)} tables differ from the manifest after the restore", returncode=1
            )

    def _show(self, plan: RestorePlan) -> None:
        m = plan.manifest
        tables = m["tables"]
        self.stdout.write(
            f"backup {plan.directory}: made {m.get('created_at')} by dxpool "
            f"{m.get('dxpool_version')} from {ENGINE_NAMES[m['database']['engine']]}; "
            f"all {len(m['files'])} files match their SHA-256"
        )
        self.stdout.write(f"restore into: {_target(plan)} (empty)")
        self.stdout.write(
            f"evidence files: {m['media']['files']:,} ({size_text(m['media']['bytes'])}) into "
            f"{plan.media_root}"
        )
        self.stdout.write(f"rows per table ({len(tables)} tables, {sum(tables.values()):,} rows):")
        width = max((len(t) for t in tables), default=0)
        for table, rows in sorted(tables.items()):
            if rows:
                self.stdout.write(f"  {table:<{width}}  {rows:>9,}")
        empty = sum(1 for n in tables.values() if not n)
        if empty:
            self.stdout.write(f"  ({empty} more tables with no rows)")

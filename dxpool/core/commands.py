"""A base for dxpool's management commands: uniform one-line errors and exit code 2 for bad input."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, OperationalError, ProgrammingError, connections
from django.db.migrations.executor import MigrationExecutor


class InputError(CommandError):
    """Bad input from the user: reported as one line, exit code 2."""

    def __init__(self, message: str):
        super().__init__(message, returncode=2)


def pending_migrations() -> list[str]:
    """Names of migrations not yet applied to the default database."""
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _ in plan]


class DxpoolCommand(BaseCommand):
    """Commands that read or write the database check it is reachable and migrated first."""

    requires_migrations_checks = False
    needs_database = True

    def execute(self, *args, **options):
        if self.needs_database:
            try:
                pending = pending_migrations()
            except OperationalError as exc:
                raise CommandError(f"cannot reach the database: {str(exc).strip().splitlines()[0]}", returncode=2) from None
            if pending:
                raise CommandError(
                    f"the database is not migrated ({len(pending)} migrations pending, e.g. {pending[0]}); "
                    "run `dxpool migrate` first",
                    returncode=2,
                )
        try:
            return super().execute(*args, **options)
        except (OperationalError, ProgrammingError) as exc:
            raise CommandError(f"database error: {str(exc).strip().splitlines()[0]}", returncode=2) from None

    def run_from_argv(self, argv):
        # Django prints "CommandError: …"; we want "dxpool <command>: error: …" on one line.
        self._called_from_command_line = True
        parser = self.create_parser(argv[0], argv[1])
        options = parser.parse_args(argv[2:])
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        try:
            self.execute(*args, **cmd_options)
        except CommandError as exc:
            message = " ".join(str(exc).split("\n"))
            self.stderr.write(f"dxpool {argv[1]}: error: {message}")
            sys.exit(exc.returncode)

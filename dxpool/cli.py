"""The `dxpool` console script: a thin front door to Django's management commands.

`dxpool demo`, `dxpool load-reference`, `dxpool check`, `dxpool assess FILE`, `dxpool bench …` and every
other Django command. Configuration problems end in one line on stderr and exit code 2, never a traceback.
"""

import os
import sys

# Commands whose name reads better with a hyphen on the command line; Django's names use underscores.
ALIASES = {"load-reference": "load_reference", "import-hearing": "import_hearing", "create-token": "create_token", "match-run": "match_run"}


def main(argv: list[str] | None = None, prog: str = "dxpool") -> int:
    """Run a dxpool command and return its exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if argv and argv[0] in ALIASES:
        argv[0] = ALIASES[argv[0]]
    if argv and argv[0] == "check":
        # Django's own `check` (system checks) stays reachable as `dxpool check --system`.
        argv[0] = "check" if "--system" in argv else "dxpool_check"
        if "--system" in argv:
            argv.remove("--system")
    from dxpool.core.envcheck import ConfigError

    try:
        import django
        from django.core.management import execute_from_command_line

        django.setup()
        execute_from_command_line([prog, *argv])
    except ConfigError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())

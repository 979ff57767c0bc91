"""`dxpool bench <name>`: benchmarks (never timed tests). Each benchmark lives beside the code it measures.

A benchmark module exposes `add_arguments(parser)` and `run(**options) -> dict`; this command prints the dict
as JSON so figures can be pasted into docs/benchmarks.md with the date and commit.
"""

import importlib
import json

from dxpool.core.commands import DxpoolCommand, InputError

BENCHMARKS = {
    "assess": "dxpool.standard.bench",
    "matching": "dxpool.engine.bench",
    "import-hearing": "dxpool.needs.bench",
    "certificates": "dxpool.certificates.bench",
}


class Command(DxpoolCommand):
    help = "Run a benchmark and print its figures as JSON."
    needs_database = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="benchmark", required=True, metavar="{" + ",".join(BENCHMARKS) + "}")
        for name, module_name in BENCHMARKS.items():
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue  # that benchmark's app is not installed in this build
            sp = sub.add_parser(name)
            sp.add_argument("--json", action="store_true", help="print JSON only (the default output is JSON too)")
            module.add_arguments(sp)

    def handle(self, *args, benchmark: str, **options):
        module = importlib.import_module(BENCHMARKS[benchmark])
        try:
            result = module.run(**options)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

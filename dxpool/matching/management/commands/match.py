"""`dxpool match FILE [--mode optimal|stable] [--optimal need|talent]`: run the matching engine on a JSON file.

FILE is a path or `-` for stdin; the format is described in dxpool/engine/io.py and docs/matching.md.
Prints the result as JSON (assignments with score breakdowns, objective, bound, gap, unfilled needs with
reasons, explanations, stats). Malformed input ends in one line on stderr and exit code 2.
"""

import json
import sys

from dxpool.core.commands import DxpoolCommand, InputError


class Command(DxpoolCommand):
    help = "Match needs to talents from a JSON file and print the result as JSON."
    needs_database = False
    # Pure computation on a file: URL and model checks add start-up time and could fail for unrelated reasons.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON input file, or - for stdin")
        parser.add_argument("--mode", choices=("optimal", "stable"), default="optimal")
        parser.add_argument(
            "--optimal",
            choices=("need", "talent"),
            default="need",
            help="stable mode: which side proposes (and gets its best stable partner)",
        )
        parser.add_argument(
            "--no-training-gate",
            action="store_true",
            help="do not require completed training (the result records the gate used)",
        )

    def handle(self, *args, file: str, mode: str, optimal: str, no_training_gate: bool = False, **options):
        # Imported here so `dxpool help` stays fast and the engine is only loaded when matching.
        from dxpool.engine import InstanceError, MatchParams, instance_from_dict, match, result_to_dict

        data = self._read(file)
        try:
            inst = instance_from_dict(data)
            params = MatchParams(
                mode=mode,
                optimal=optimal,
                require_training=not no_training_gate,
                locked=inst["locked"],
                excluded=inst["excluded"],
            )
            result = match(inst["needs"], inst["talents"], self._coords(), params, scores=inst["scores"])
        except InstanceError as exc:
            raise InputError(str(exc)) from None
        self.stdout.write(json.dumps(result_to_dict(result), ensure_ascii=False, indent=2))

    def _read(self, file: str):
        try:
            if file == "-":
                text = sys.stdin.read()
            else:
                with open(file, encoding="utf-8-sig") as f:
                    text = f.read()
        except OSError as exc:
            raise InputError(f"cannot read {file}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise InputError(f"{file}: not UTF-8 text") from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{'stdin' if file == '-' else file}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
            ) from None

    def _coords(self):
        from dxpool.places.reference import municipality_coordinates

        return municipality_coordinates()

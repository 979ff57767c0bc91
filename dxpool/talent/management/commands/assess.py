"""`dxpool assess FILE|-`: assess a profile (JSON) against the skill standard and print the result as JSON.

Thin: read, parse with dxpool.standard, print. Every input problem (unreadable file, bad JSON, unknown value)
ends as one line on stderr with exit code 2 (InputError), never a traceback.
"""

import json
import sys
from pathlib import Path

from dxpool.core.commands import DxpoolCommand, InputError
from dxpool.standard.assess import assess, assessment_to_dict, parse_profile
from dxpool.standard.errors import ProfileError, StandardError
from dxpool.standard.loader import load_standard


def _reject_constant(name: str):
    # Python's json accepts NaN and Infinity, which are not JSON and cannot be a level or a number of years.
    raise ValueError(f"{name} is not valid JSON")


class Command(DxpoolCommand):
    help = "スキル標準に照らしてプロフィールを判定します (Assess a profile against the skill standard)."
    needs_database = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON file, or - for standard input")
        parser.add_argument("--standard", default=None, help="standard version (default: the newest)")

    def handle(self, *args, file: str, standard: str | None, **options):
        name = "standard input" if file == "-" else file
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise InputError(f"cannot read {name}: not UTF-8 text") from None
        try:
            data = json.loads(text, parse_constant=_reject_constant)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
        except ValueError as exc:
            raise InputError(f"{name}: {exc}") from None
        except RecursionError:
            raise InputError(f"{name} is nested too deeply to be a profile") from None
        try:
            std = load_standard(standard)
            result = assess(parse_profile(data, std), std)
        except (ProfileError, StandardError) as exc:
            raise InputError(str(exc)) from None
        self.stdout.write(json.dumps(assessment_to_dict(result), ensure_ascii=False, indent=2))

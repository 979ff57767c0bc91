"""`dxpool assess FILE|-`: assess a profile (JSON) against the skill standard and print the result as JSON."""

import json
import sys

from dxpool.core.commands import DxpoolCommand, InputError
from dxpool.standard.assess import assess, assessment_to_dict, parse_profile
from dxpool.standard.errors import ProfileError, StandardError
from dxpool.standard.loader import load_standard


class Command(DxpoolCommand):
    help = "スキル標準に照らしてプロフィールを判定します (Assess a profile against the skill standard)."
    needs_database = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON file, or - for standard input")
        parser.add_argument("--standard", default=None, help="standard version (default: the newest)")

    def handle(self, *args, file: str, standard: str | None, **options):
        try:
            text = sys.stdin.read() if file == "-" else open(file, encoding="utf-8").read()
        except OSError as exc:
            raise InputError(f"cannot read {file}: {exc.strerror}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{file} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
        try:
            std = load_standard(standard)
            result = assess(parse_profile(data, std), std)
        except (ProfileError, StandardError) as exc:
            raise InputError(str(exc)) from None
        self.stdout.write(json.dumps(assessment_to_dict(result), ensure_ascii=False, indent=2))

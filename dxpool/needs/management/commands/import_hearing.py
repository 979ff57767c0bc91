"""`dxpool import-hearing --as USERNAME FILE...`: import hearing workbooks (all or nothing)."""

import json
from pathlib import Path

from dxpool.accounts.models import User
from dxpool.core.commands import DxpoolCommand, InputError
from dxpool.core.errors import DomainError
from dxpool.needs.services import HearingImportError, hearing_import


class Command(DxpoolCommand):
    help = "ヒアリングシート（.xlsx）を取り込みます。エラーが1件でもあれば何も書き込みません。"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--as", dest="username", required=True, help="the user the import is recorded for")

    def handle(self, *args, files, username, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise InputError(f"利用者「{username}」は存在しません (unknown user: {username})")
        contents = []
        for f in files:
            try:
                contents.append((Path(f).name, Path(f).read_bytes()))
            except OSError as exc:
                raise InputError(f"cannot read {f}: {exc.strerror}") from None
        try:
            result = hearing_import(actor=user, files=contents)
        except HearingImportError as exc:
            for e in exc.errors:
                self.stderr.write(str(e))
            raise InputError(exc.message) from None
        except DomainError as exc:
            raise InputError(exc.message) from None
        self.stdout.write(json.dumps(result, ensure_ascii=False))

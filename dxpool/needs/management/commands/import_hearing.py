"""`dxpool import-hearing --as USERNAME FILE...`: preview an import of hearing workbooks (.xlsx or .ods; the
default: prints what would change and writes nothing), `--apply` to write it as an undoable batch, `--undo
BATCH_ID` to undo one.

It prints a summary in Japanese: the counts (新規・更新・変更なし・空欄・エラー), then the first changes or the
first errors, each error naming its municipality and cell. `--json` prints the plan, the result or the errors as
JSON instead. Any error ends with one line on stderr and exit code 2 (the house rule of every command)."""

import json
from pathlib import Path

from dxpool.accounts.models import User
from dxpool.core.commands import DxpoolCommand, InputError
from dxpool.core.errors import DomainError
from dxpool.exchange.uploads import size_text
from dxpool.needs import selectors, services
from dxpool.needs.services.hearing_batches import label_of, shown

SHOWN_ERRORS = 20  # a terminal's worth; the rest are counted (all of them with --json)
SHOWN_RECORDS = 50  # records whose changes are listed; a national file has 1,741
ACTIONS = {"create": "新規", "update": "更新", "unchanged": "変更なし"}


class Command(DxpoolCommand):
    help = ("ヒアリングシート（.xlsx・.ods）の取り込み。既定では変更内容を表示するだけで何も書き込みません。"
            "--apply で書き込み（取り消し可能）、--undo で取り消します。")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*")
        parser.add_argument("--as", dest="username", required=True, help="the user the import is recorded for")
        parser.add_argument("--apply", action="store_true", help="write the import (default: dry run, writes nothing)")
        parser.add_argument("--dry-run", action="store_true", help="print the changes and write nothing (the default)")
        parser.add_argument("--undo", type=int, metavar="BATCH_ID", help="undo an applied import as a whole")
        parser.add_argument("--json", action="store_true", help="print the plan, result or errors as JSON")

    def handle(self, *args, files, username, apply, dry_run, undo, **options):
        as_json = options["json"]
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise InputError(f"利用者「{username}」は存在しません (unknown user: {username})")
        if apply and dry_run:
            raise InputError("--apply と --dry-run は同時に指定できません")
        try:
            if undo is not None:
                if files or apply:
                    raise InputError("--undo にはファイルも --apply も指定しません")
                batch = selectors.hearing_import_batch_get(user=user, pk=undo)
                batch = services.hearing_import_undo(actor=user, batch=batch)
                return self._report(batch, as_json, "取り消しました")
            if not files:
                raise InputError("取り込むファイルを指定してください (no FILE given)")
            contents = [self._read(f) for f in files]
            batch = services.hearing_import_preview(actor=user, files=contents, store=apply)
            if apply and batch.counts["changes"]:
                batch = services.hearing_import_confirm(actor=user, batch=batch)
            note = ("取り込みました" if apply and batch.counts["changes"] else
                    "変更する項目がないため、何も書き込んでいません" if apply else
                    "確認のみ: 何も書き込んでいません")
            self._report(batch, as_json, note)
            if not apply and batch.counts["changes"] and not as_json:
                self.stdout.write("書き込むには --apply を付けて実行してください")
        except services.HearingImportError as exc:
            self._report_errors(exc, [name for name, _ in contents], as_json)
            raise InputError(exc.message) from None
        except DomainError as exc:
            raise InputError(" ".join(exc.message.split())) from None

    def _read(self, f: str) -> tuple[str, bytes]:
        path = Path(f)
        limit = services.hearing_import_max_bytes()
        try:
            size = path.stat().st_size
            if size > limit:
                raise InputError(f"{path.name}（{size_text(size)}）は上限の{size_text(limit)}を超えています")
            return path.name, path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read {f}: {exc.strerror}") from None

    @staticmethod
    def _counts(c: dict, errors: int) -> str:
        return (f"新規 {c.get('created', 0):,}件 ／ 更新 {c.get('updated', 0):,}件 ／ 変更なし {c.get('unchanged', 0):,}件"
                f" ／ 空欄のため読み飛ばし {c.get('skipped_blank', 0):,}件 ／ エラー {errors:,}件")

    def _report(self, batch, as_json: bool, note: str) -> None:
        if as_json:
            self.stdout.write(json.dumps({"batch": batch.pk, "status": batch.status, "counts": batch.counts,
                                          "files": batch.files, "plan": batch.plan, "skipped": batch.skipped},
                                         ensure_ascii=False))
            return
        c = batch.counts
        self.stdout.write(f"ヒアリングシートの取り込み{f' #{batch.pk}' if batch.pk else ''}: {note}")
        for f in batch.files:
            self.stdout.write(f"  ファイル: {f['name']}（{size_text(f['bytes'])}、SHA-256 {f['sha256'][:16]}…）")
        self.stdout.write(f"  {self._counts(c, 0)}（変更する項目 {c.get('changes', 0):,}件）")
        changed = [e for e in batch.plan if e["changes"]]
        for entry in changed[:SHOWN_RECORDS]:
            self.stdout.write(f"{entry['name']}（{entry['code']}）{entry['year']}年度: {ACTIONS[entry['action']]}")
            for path, old, new in entry["changes"]:
                self.stdout.write(f"  {label_of(path)}: {shown(path, old)} → {shown(path, new)}")
        if len(changed) > SHOWN_RECORDS:
            self.stdout.write(f"…ほか{len(changed) - SHOWN_RECORDS:,}件の記録に変更があります（すべては --json で）")
        if batch.status == "applied":
            self.stdout.write(f"取り消すには: dxpool import-hearing --as USER --undo {batch.pk}")

    def _report_errors(self, exc, names: list[str], as_json: bool) -> None:
        """The errors on stdout (the one-line failure goes to stderr): a summary and the first ones, or JSON."""
        if as_json:
            self.stdout.write(json.dumps({
                "batch": exc.batch.pk if exc.batch is not None else None, "status": "rejected", "counts": exc.counts,
                "files": names, "error_count": exc.total,
                "errors": [{"file": e.file, "sheet": e.sheet, "row": e.row, "column": e.column, "cell": e.cell,
                            "code": e.code, "municipality": e.municipality, "message": e.message}
                           for e in exc.errors]}, ensure_ascii=False))
            return
        self.stdout.write("ヒアリングシートの取り込み: エラーがあるため、どのファイルからも何も取り込んでいません")
        self.stdout.write(f"  ファイル: {'、'.join(names)}")
        self.stdout.write(f"  {self._counts(exc.counts, exc.total)}")
        shown_now = exc.errors[:SHOWN_ERRORS]
        self.stdout.write(f"最初のエラー（{exc.total:,}件中{len(shown_now):,}件）:" if exc.total > len(shown_now)
                          else "エラー:")
        for e in shown_now:
            self.stdout.write(f"  {e}")
        if exc.total > len(shown_now):
            self.stdout.write(f"…ほか{exc.total - len(shown_now):,}件（すべては --json で出力できます）")

"""`dxpool suggest TEXT|-`: which personas and skill items a municipality's issue text calls for, with reasons."""

import json
import sys

from dxpool.core.commands import DxpoolCommand, InputError
from dxpool.suggest.text import MAX_TEXT_CHARS, VocabularyError, load_vocabulary, suggest, suggestion_to_dict


class Command(DxpoolCommand):
    help = "課題の文章から必要な人材像を提案します (Suggest personas from an issue text)."
    needs_database = False

    def add_arguments(self, parser):
        parser.add_argument("text", help="the issue text, or - to read it from standard input")
        parser.add_argument("--vocabulary", action="append", default=[], help="an extra vocabulary JSON file")

    def handle(self, *args, text: str, vocabulary: list[str], **options):
        if text == "-":
            # Read just past the limit, not the whole stream: a huge input is refused without being held (the
            # two spare characters let a text of exactly the limit end with a line break).
            text = sys.stdin.read(MAX_TEXT_CHARS + 2).rstrip("\r\n")
        if not text.strip():
            raise InputError("課題の文章が空です (the text is empty)")
        if len(text) > MAX_TEXT_CHARS:
            # The length is the suggestion's time budget (dxpool.suggest.text.MAX_TEXT_CHARS).
            raise InputError(f"課題の文章は{MAX_TEXT_CHARS}文字以内にしてください "
                             f"(the text is longer than {MAX_TEXT_CHARS} characters)")
        try:
            vocab = load_vocabulary(vocabulary)
        except VocabularyError as exc:
            raise InputError(str(exc)) from None
        self.stdout.write(json.dumps(suggestion_to_dict(suggest(text, vocab)), ensure_ascii=False, indent=2))

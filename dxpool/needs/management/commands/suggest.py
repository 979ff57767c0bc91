"""`dxpool suggest TEXT|-`: which personas and skill items a municipality's issue text calls for, with reasons."""

import json
import sys

from dxpool.core.commands import DxpoolCommand, InputError
from dxpool.suggest.text import VocabularyError, load_vocabulary, suggest, suggestion_to_dict


class Command(DxpoolCommand):
    help = "課題の文章から必要な人材像を提案します (Suggest personas from an issue text)."
    needs_database = False

    def add_arguments(self, parser):
        parser.add_argument("text", help="the issue text, or - to read it from standard input")
        parser.add_argument("--vocabulary", action="append", default=[], help="an extra vocabulary JSON file")

    def handle(self, *args, text: str, vocabulary: list[str], **options):
        if text == "-":
            text = sys.stdin.read()
        if not text.strip():
            raise InputError("課題の文章が空です (the text is empty)")
        try:
            vocab = load_vocabulary(vocabulary)
        except VocabularyError as exc:
            raise InputError(str(exc)) from None
        self.stdout.write(json.dumps(suggestion_to_dict(suggest(text, vocab)), ensure_ascii=False, indent=2))

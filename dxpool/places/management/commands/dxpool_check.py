"""`dxpool check`: the reference-data counts as one line of JSON (Django's system check: --system)."""

import json

from dxpool.core.commands import DxpoolCommand
from dxpool.places.selectors import reference_counts


class Command(DxpoolCommand):
    help = "参照データの件数をJSONで表示します (Print reference-data counts as JSON)."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(reference_counts(), ensure_ascii=False, separators=(",", ":")))

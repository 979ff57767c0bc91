"""`dxpool load-reference`: load or refresh the prefectures and municipalities (idempotent)."""

import json

from dxpool.core.commands import DxpoolCommand
from dxpool.places.services import reference_load


class Command(DxpoolCommand):
    help = "都道府県・市区町村の参照データを読み込みます (Load the 47 prefectures and 1,741 municipalities)."

    def handle(self, *args, **options):
        result = reference_load()
        self.stdout.write(json.dumps(result, ensure_ascii=False))

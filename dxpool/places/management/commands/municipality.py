"""`dxpool municipality CODE|NAME`: look up a municipality in the reference data and print it as JSON."""

import json

from django.db.models import Q

from dxpool.core.commands import DxpoolCommand, InputError
from dxpool.core.text import nfkc
from dxpool.places.models import Municipality


class Command(DxpoolCommand):
    help = "市区町村を団体コードまたは名称で表示します (Show a municipality by code or name)."

    def add_arguments(self, parser):
        parser.add_argument("key", help="6-digit code (e.g. 422011) or name (e.g. 長崎市)")

    def handle(self, *args, key: str, **options):
        key = nfkc(key)
        if key.isdigit() and len(key) != 6:
            raise InputError(f"団体コード「{key}」は6桁ではありません (a municipality code has 6 digits, e.g. 422011)")
        rows = list(Municipality.objects.select_related("prefecture").filter(Q(code=key) | Q(name=key))[:10])
        if not rows:
            raise InputError(f"市区町村「{key}」は見つかりません (unknown municipality code or name: {key})")
        out = [{"code": m.code, "name": m.name, "kana": m.kana, "type": m.type, "prefecture": m.prefecture.name,
                "lat": m.lat, "lng": m.lng} for m in rows]
        self.stdout.write(json.dumps(out if len(out) > 1 else out[0], ensure_ascii=False))

"""Reading uploaded files within a size limit: the size Django already knows (request.FILES streams a large
upload to a temporary file and records its size) is checked before a byte is read into memory."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dxpool.core.errors import ValidationError


def size_text(n: int) -> str:
    """A byte count as people read it: 「10 MB」「850 KB」."""
    if n >= 2**20:
        return f"{n / 2**20:,.0f} MB" if n % 2**20 == 0 or n >= 10 * 2**20 else f"{n / 2**20:,.1f} MB"
    return f"{max(n // 1000, 1):,} KB" if n % 1024 else f"{n // 1024:,} KB"


def read_uploads(files: Iterable[Any], *, max_bytes: int, field: str = "files",
                 max_files: int = 100) -> list[tuple[str, bytes]]:
    """[(name, content)] of uploaded files whose sizes together stay within max_bytes, else ValidationError
    naming the file and the limit. Nothing is read when a limit is exceeded."""
    files = list(files)
    if len(files) > max_files:
        raise ValidationError(f"一度に取り込めるファイルは{max_files}個までです（{len(files)}個選ばれています）。",
                              field=field)
    total = 0
    for f in files:
        size = int(getattr(f, "size", 0) or 0)
        total += size
        if size > max_bytes:
            raise ValidationError(f"ファイル「{f.name}」（{size_text(size)}）は大きすぎます。取り込めるのは合計"
                                  f"{size_text(max_bytes)}までです。ファイルを分けてください。", field=field)
        if total > max_bytes:
            raise ValidationError(f"選んだファイルの合計（{size_text(total)}以上）が上限の{size_text(max_bytes)}を"
                                  f"超えています（「{f.name}」まで）。何回かに分けて取り込んでください。", field=field)
    out = []
    for f in files:
        # read(max + 1): a file object whose size lied still stops at the limit.
        content = f.read(max_bytes + 1)
        if len(content) > max_bytes:
            raise ValidationError(f"ファイル「{f.name}」は大きすぎます（上限{size_text(max_bytes)}）。", field=field)
        out.append((f.name, content))
    return out

"""The two numbers of a certificate.

- The id is public and unguessable: it is the path of the verification page (`/verify/<id>`) and the QR code.
  144 random bits from `secrets` (24 URL-safe characters, no padding), so ids can be neither enumerated nor
  guessed, and say nothing about how many certificates exist or in what order they were issued.
- The serial number is for people: 「長崎-2026-000123」, counted per prefecture and year by the app, printed as
  「第 長崎-2026-000123 号」 and quoted on the phone. It is never used to look a certificate up publicly.
"""

from __future__ import annotations

import re
import secrets

ID_BYTES = 18  # 144 bits ≥ the 128 the issue asks for; a multiple of 3, so base64 needs no padding
ID_LENGTH = 24
_ID = re.compile(r"[A-Za-z0-9_-]{24}")
# 都道府県 names whose last character is dropped in a serial's prefix (「長崎県」→「長崎」); 北海道 stays whole.
_SUFFIXES = ("都", "府", "県")
MAX_SERIAL = 999_999


def new_certificate_id() -> str:
    """A new random certificate id (144 bits, URL-safe)."""
    return secrets.token_urlsafe(ID_BYTES)


def is_certificate_id(value: str) -> bool:
    """Whether a string has the shape of a certificate id (a view checks this before any lookup)."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def verification_url(base_url: str, certificate_id: str) -> str:
    """`https://<host>/verify/<id>` from the site's base URL (with or without a trailing slash)."""
    if not is_certificate_id(certificate_id):
        raise ValueError("証明書IDの形式が正しくありません。")
    return f"{base_url.rstrip('/')}/verify/{certificate_id}"


def serial_prefix(prefecture_name: str) -> str:
    """「長崎県」→「長崎」, 「東京都」→「東京」, 「大阪府」→「大阪」, 「北海道」→「北海道」."""
    name = prefecture_name.strip()
    return name[:-1] if len(name) > 2 and name.endswith(_SUFFIXES) else name


def serial_number(prefix: str, year: int, n: int) -> str:
    """「長崎-2026-000123」: the prefix, the (Western) year of issue and the running number of that year."""
    prefix = prefix.strip() if isinstance(prefix, str) else ""
    if not prefix or "-" in prefix or len(prefix) > 10:
        raise ValueError("証明書番号の接頭辞は「-」を含まない10文字以内で指定してください。")
    if not isinstance(year, int) or not 2000 <= year <= 2999:
        raise ValueError("証明書番号の年は西暦4桁で指定してください。")
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= MAX_SERIAL:
        raise ValueError(f"証明書番号の連番は1以上{MAX_SERIAL:,}以下で指定してください。")
    return f"{prefix}-{year}-{n:06d}"

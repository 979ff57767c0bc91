"""Certificate ids are random, at least 128 bits, URL-safe and never sequential; serials are for people."""

import base64
import re

import pytest

from dxpool.certificates.ids import (
    is_certificate_id,
    new_certificate_id,
    serial_number,
    serial_prefix,
    verification_url,
)


def test_an_id_carries_at_least_128_random_bits_in_url_safe_characters():
    cid = new_certificate_id()
    assert re.fullmatch(r"[A-Za-z0-9_-]+", cid)
    raw = base64.urlsafe_b64decode(cid + "=" * (-len(cid) % 4))
    assert len(raw) * 8 >= 128
    assert is_certificate_id(cid)


def test_ten_thousand_ids_are_distinct_and_not_sequential():
    ids = [new_certificate_id() for _ in range(10_000)]
    assert len(set(ids)) == len(ids)
    # No shared prefix or counter: consecutive ids agree on about 1/64 of their characters, as random ones do.
    same = sum(a == b for x, y in zip(ids, ids[1:], strict=False) for a, b in zip(x, y, strict=True))
    assert same / (len(ids) - 1) / len(ids[0]) < 0.05
    assert sorted(ids) != ids


@pytest.mark.parametrize("value", ["", "short", "x" * 23, "x" * 25, "a/b" + "x" * 21, None, 123, "ｘ" * 24])
def test_anything_else_is_not_an_id(value):
    assert not is_certificate_id(value)


def test_verification_url():
    cid = new_certificate_id()
    assert verification_url("https://example.jp/", cid) == f"https://example.jp/verify/{cid}"
    assert verification_url("https://example.jp", cid) == f"https://example.jp/verify/{cid}"
    with pytest.raises(ValueError):
        verification_url("https://example.jp", "../admin")


def test_serial_numbers():
    assert serial_number("長崎", 2026, 123) == "長崎-2026-000123"
    assert serial_number("北海道", 2027, 999_999) == "北海道-2027-999999"
    assert [serial_prefix(p) for p in ("長崎県", "東京都", "大阪府", "京都府", "北海道")] == \
        ["長崎", "東京", "大阪", "京都", "北海道"]


@pytest.mark.parametrize("args", [("", 2026, 1), ("長-崎", 2026, 1), ("長崎", 26, 1), ("長崎", 2026, 0),
                                  ("長崎", 2026, 1_000_000), ("長崎", 2026, True), ("長崎", "2026", 1)])
def test_bad_serial_parts_are_refused_in_japanese(args):
    with pytest.raises(ValueError, match="証明書番号"):
        serial_number(*args)

"""Turning form, API and spreadsheet values into typed values, with messages that name the field.

Every app's services coerce through these functions, so one rule holds everywhere: text is NFKC-normalised
(full-width digits and signs typed in a Japanese IME read as numbers), a blank is "no value" (None) rather
than zero, a boolean is never a number, and every refusal is a `ValidationError` whose message names the
field in the user's words and whose `field` is the form or API field.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from typing import Any

from dxpool.core.errors import ValidationError
from dxpool.core.forms import normalise_number, range_message
from dxpool.core.text import nfkc


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not nfkc(value))


def number(value: Any, *, field: str, label: str, lo: float, hi: float, unit: str = "") -> float:
    """A number within [lo, hi]; text such as 「１２．５」 is read after NFKC; limits said in words (「20億円以下」)."""
    if isinstance(value, bool):
        raise ValidationError(f"{label}は数値で入力してください。", field=field)
    if isinstance(value, str):
        value = normalise_number(value)
    try:
        result = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(f"{label}は数値で入力してください。", field=field) from None
    if math.isnan(result):
        raise ValidationError(f"{label}は数値で入力してください。", field=field)
    if not lo <= result <= hi:
        raise ValidationError(f"{label}は{range_message(lo, hi, unit, value=result)}。", field=field)
    return result


def number_or_none(value: Any, *, field: str, label: str, lo: float, hi: float, unit: str = "") -> float | None:
    if is_blank(value):
        return None
    return number(value, field=field, label=label, lo=lo, hi=hi, unit=unit)


def integer(value: Any, *, field: str, label: str, lo: int, hi: int, unit: str = "") -> int:
    """A whole number within [lo, hi]; 「3.0」 is 3, 「3.5」 is refused."""
    result = number(value, field=field, label=label, lo=lo, hi=hi, unit=unit)
    if result != int(result):
        raise ValidationError(f"{label}は整数で入力してください。", field=field)
    return int(result)


def integer_or_none(value: Any, *, field: str, label: str, lo: int, hi: int, unit: str = "") -> int | None:
    if is_blank(value):
        return None
    return integer(value, field=field, label=label, lo=lo, hi=hi, unit=unit)


def integer_or_default(value: Any, *, field: str, label: str, lo: int, hi: int, default: int) -> int:
    if is_blank(value):
        return default
    return integer(value, field=field, label=label, lo=lo, hi=hi)


def date_or_none(value: Any, *, field: str, label: str) -> date | None:
    """An ISO date (YYYY-MM-DD); a date object passes through."""
    if is_blank(value):
        return None
    if isinstance(value, date):
        return value
    text = nfkc(str(value))
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{label}は YYYY-MM-DD の形式で入力してください（「{text[:20]}」）。",
                              field=field) from None


def month_or_none(value: Any, *, field: str, label: str, lo_year: int = 2020, hi_year: int = 2100) -> str | None:
    """A month as "YYYY-MM"."""
    if is_blank(value):
        return None
    text = nfkc(str(value))
    try:
        y, m = text.split("-")
        if len(y) != 4 or not lo_year <= int(y) <= hi_year or not 1 <= int(m) <= 12:
            raise ValueError
    except ValueError:
        raise ValidationError(f"{label}「{text[:20]}」は YYYY-MM の形式で入力してください。", field=field) from None
    return f"{int(y):04d}-{int(m):02d}"


def text(value: Any, *, field: str, label: str, max_length: int, required: bool = False) -> str:
    """NFKC-normalised, trimmed text of at most max_length characters."""
    result = nfkc(str(value)) if value is not None else ""
    if required and not result:
        raise ValidationError(f"{label}を入力してください。", field=field)
    if len(result) > max_length:
        raise ValidationError(f"{label}は{max_length}文字以内で入力してください（現在{len(result)}文字）。",
                              field=field)
    return result


def boolean(value: Any, *, field: str, label: str) -> bool:
    """A real boolean; a blank is False. Numbers and words are refused rather than guessed."""
    if value is None or value == "":
        return False
    if not isinstance(value, bool):
        raise ValidationError(f"{label}は true か false で指定してください。", field=field)
    return value


def choice_list(value: Any, *, field: str, label: str, allowed: Iterable[str]) -> list[str]:
    """A list of codes, each one of `allowed`; duplicates dropped, order kept."""
    allowed = list(allowed)
    if value is None or value == "":
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError(f"{label}は一覧で指定してください。", field=field)
    items = [str(v) for v in value]
    bad = [v for v in items if v not in allowed]
    if bad:
        raise ValidationError(f"{label}「{bad[0]}」はありません（{'・'.join(allowed)}）。", field=field)
    return list(dict.fromkeys(items))

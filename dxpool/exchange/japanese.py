"""Reading dates, months, fiscal years and numbers the way Japanese clerks type them into a spreadsheet.

Pure Python (no Django): the hearing-sheet reader (dxpool.needs.excel) and any other importer call these on a
cell's text. Every function normalises with NFKC first, so full-width digits (「２０２６」), the full-width
comma and period, full-width spaces and the one-character era signs (㋿ ㍻ ㍼) read as their plain forms.
Every refusal is a `JapaneseValueError` whose message says what was expected, in Japanese, without the
field's name (the caller knows where the value came from and says so).

What is read (docs/formats.md has the table):

- dates: 「2026-04-01」「2026/4/1」「2026.4.1」「2026年4月1日」, with an optional weekday 「（水）」 that must be the
  right one, and 和暦 「令和7年4月1日」「令和元年5月1日」「R7.4.1」「H31.4.30」「S64.1.7」 (eras 昭和・平成・令和;
  abbreviations S・H・R, either case);
- months: 「2027-09」「2027/9」「2027年9月」「令和9年9月」「R9.9」, and a whole date (its month is taken);
- fiscal years: 「2026」「2026年度」「令和8年度」「R8」;
- numbers: 「3,600,000」 (groups of three only), 「１２．５」, and per column the units the caller allows
  (yen: 「360万円」「3,600千円」「1億2,000万円」「3,600,000円」; people: 「480人」; months: 「12か月」; days: 「2日」).

An era year past the era's end is refused rather than carried over: 「平成32年」 was printed on forms made before
the new era was announced and means 令和2年, but it may as well be a typo, and a hearing record is not the place
to guess. The message names the date it would have been so a person can fix the cell in one step.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation


class JapaneseValueError(ValueError):
    """A value that cannot be read; `message` is a Japanese sentence (without a final 「。」) for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Era:
    name: str
    letter: str
    start: date  # the first day of the era
    end: date | None  # the last day (None: the current era)

    @property
    def last_year(self) -> int | None:
        """The era's last year number (平成: 31), None for the current era."""
        return None if self.end is None else self.end.year - self.start.year + 1


ERAS: tuple[Era, ...] = (
    Era("昭和", "S", date(1926, 12, 25), date(1989, 1, 7)),
    Era("平成", "H", date(1989, 1, 8), date(2019, 4, 30)),
    Era("令和", "R", date(2019, 5, 1), None),
)
_BY_NAME = {e.name: e for e in ERAS} | {e.letter: e for e in ERAS}
_ERA_NAMES = "・".join(e.name for e in ERAS)
# Eras a person might type that this reader does not take (a hearing is never dated before 1926).
_OLD_ERAS = ("明治", "大正", "M", "T")
WEEKDAYS = "月火水木金土日"

_ERA = r"(?P<era>令和|平成|昭和|[RHSrhs])"
_EYEAR = r"(?P<eyear>元|\d{1,2})"
_SEP = r"[-/.]"
_WEEKDAY = r"(?:\((?P<wd>[月火水木金土日])(?:曜日?)?\))?"

_DATE_PATTERNS = [
    re.compile(rf"(?P<year>\d{{4}})(?P<s>{_SEP})(?P<month>\d{{1,2}})(?P=s)(?P<day>\d{{1,2}}){_WEEKDAY}"),
    re.compile(rf"(?P<year>\d{{4}})年(?P<month>\d{{1,2}})月(?P<day>\d{{1,2}})日{_WEEKDAY}"),
    re.compile(rf"{_ERA}{_EYEAR}年(?P<month>\d{{1,2}})月(?P<day>\d{{1,2}})日{_WEEKDAY}"),
    re.compile(rf"{_ERA}{_EYEAR}(?P<s>{_SEP})(?P<month>\d{{1,2}})(?P=s)(?P<day>\d{{1,2}}){_WEEKDAY}"),
]
_MONTH_PATTERNS = [
    re.compile(rf"(?P<year>\d{{4}})(?P<s>{_SEP})(?P<month>\d{{1,2}})"),
    re.compile(r"(?P<year>\d{4})年(?P<month>\d{1,2})月"),
    re.compile(rf"{_ERA}{_EYEAR}年(?P<month>\d{{1,2}})月"),
    re.compile(rf"{_ERA}{_EYEAR}{_SEP}(?P<month>\d{{1,2}})"),
]
_FISCAL_PATTERNS = [
    re.compile(r"(?P<year>\d{4})(?:年度?)?"),
    re.compile(rf"{_ERA}{_EYEAR}(?:年度?)?"),
]


def normalise(text: str) -> str:
    """NFKC, the dash forms read as a hyphen, spaces removed: the text the patterns match. Digits that only a
    space separates (「2026 4 1」「3 600」) are refused rather than run together."""
    s = unicodedata.normalize("NFKC", str(text)).strip()
    s = s.translate(_DASHES)
    if re.search(r"\d\s+[\d,.]", s):
        raise JapaneseValueError(f"『{_shown(text)}』: 数字の間に空白があります")
    return "".join(s.split())


_DASHES = str.maketrans({"\u30fc": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"})
# A time after the date, as a date cell turned into text carries (「2026/4/1 0:00:00」「2026-04-01T00:00:00」) or
# a clerk adds (「2026/4/1 10:00」): dropped, since the columns hold days. Removed before the spaces are, so
# 「2026/4/1 00:00」 cannot read as the 10th.
_TIME = re.compile(r"(?:\s+|T)(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?$")


def _shown(text: str) -> str:
    # The value as the person typed it, trimmed so a long cell does not swamp the message.
    s = str(text).strip()
    return s if len(s) <= 30 else s[:29] + "…"


def _era_year(era: Era, eyear: str, *, typed: str) -> int:
    """The Western year of an era year, refusing 0 and years past the era's end."""
    n = 1 if eyear == "元" else int(eyear)
    if n < 1:
        raise JapaneseValueError(f"『{_shown(typed)}』: {era.name}0年はありません（最初の年は{era.name}元年です）")
    last = era.last_year
    if last is not None and n > last:
        year = era.start.year + n - 1
        later = era_of(date(year, 12, 31))
        raise JapaneseValueError(f"『{_shown(typed)}』: {era.name}は{format_wareki(era.end)}までです"
                                 f"（{era.name}{n}年にあたるのは{later.name}{_year_word(wareki_year(later, year))}年"
                                 f"＝{year}年です）")
    return era.start.year + n - 1


def _era(match: re.Match) -> Era:
    name = match.group("era")
    return _BY_NAME[name.upper() if len(name) == 1 else name]


def _year_word(n: int) -> str:
    return "元" if n == 1 else str(n)


def _refuse_old_era(s: str, typed: str) -> None:
    for name in _OLD_ERAS:
        if s.startswith(name) and (len(name) > 1 or (len(s) > 1 and s[1].isdigit())):
            raise JapaneseValueError(f"『{_shown(typed)}』: 元号は{_ERA_NAMES}に対応しています")


def parse_date(text: str) -> date:
    """A date typed as text, Western or 和暦 (see the module docstring); JapaneseValueError otherwise."""
    s = normalise(_TIME.sub("", unicodedata.normalize("NFKC", str(text)).strip()))
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(s)
        if m is None:
            continue
        era = _era(m) if "era" in m.groupdict() else None
        year = _era_year(era, m.group("eyear"), typed=text) if era else int(m.group("year"))
        month, day = int(m.group("month")), int(m.group("day"))
        if not 1 <= month <= 12:
            raise JapaneseValueError(f"『{_shown(text)}』: {month}月はありません")
        try:
            result = date(year, month, day)
        except ValueError:
            raise JapaneseValueError(f"『{_shown(text)}』: {year}年{month}月{day}日はありません") from None
        if era is not None:
            _check_in_era(era, result, text)
        wd = m.groupdict().get("wd")
        if wd and WEEKDAYS[result.weekday()] != wd:
            raise JapaneseValueError(f"『{_shown(text)}』: {_western(result)}は{WEEKDAYS[result.weekday()]}曜日です"
                                     "（曜日が合いません）")
        return result
    _refuse_old_era(s, text)
    if re.fullmatch(r"\d{1,3}[-/.]\d{1,2}[-/.]\d{1,2}", s):
        raise JapaneseValueError(f"『{_shown(text)}』: 年は西暦4桁（例: 2026/4/1）か元号付き（例: 令和8年4月1日）で"
                                 "入力してください")
    raise JapaneseValueError(f"『{_shown(text)}』は日付として読めません（例: 2026-04-01、2026/4/1、令和8年4月1日）")


def _western(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _check_in_era(era: Era, day: date, typed: str) -> None:
    """Refuse a day outside the era it was written in, naming the era it does fall in."""
    if day < era.start:
        actual = era_of(day)
        raise JapaneseValueError(f"『{_shown(typed)}』: {era.name}は{format_wareki(era.start)}からです（{_western(day)}"
                                 f"{'は' + format_wareki(day) if actual else 'より前です'}）")
    if era.end is not None and day > era.end:
        raise JapaneseValueError(f"『{_shown(typed)}』: {era.name}は{format_wareki(era.end)}までです"
                                 f"（{_western(day)}は{format_wareki(day)}）")


def parse_month(text: str) -> tuple[int, int]:
    """(year, month) of a month typed as text, Western or 和暦; a whole date gives its month."""
    s = normalise(str(text))
    for pattern in _MONTH_PATTERNS:
        m = pattern.fullmatch(s)
        if m is None:
            continue
        era = _era(m) if "era" in m.groupdict() else None
        year = _era_year(era, m.group("eyear"), typed=text) if era else int(m.group("year"))
        month = int(m.group("month"))
        if not 1 <= month <= 12:
            raise JapaneseValueError(f"『{_shown(text)}』: {month}月はありません")
        if era is not None:
            first = date(year, month, 1)
            last = (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)
            # A month belongs to an era if any of its days does (平成31年4月 and 令和元年5月, not 令和元年4月).
            if last < era.start or (era.end is not None and first > era.end):
                actual = era_of(last)
                hint = f"（{actual.name}{_year_word(wareki_year(actual, year))}年{month}月です）" if actual else ""
                raise JapaneseValueError(f"『{_shown(text)}』: {year}年{month}月は{era.name}ではありません{hint}")
        return year, month
    try:
        d = parse_date(text)
    except JapaneseValueError:
        _refuse_old_era(s, text)
        raise JapaneseValueError(f"『{_shown(text)}』は年月として読めません（例: 2027-09、2027/9、2027年9月、"
                                 "令和9年9月）") from None
    return d.year, d.month


def parse_fiscal_year(text: str) -> int:
    """A fiscal year (年度) as its Western starting year: 「令和8年度」「R8」「2026年度」 are 2026.

    An era's fiscal years run to its last year: 平成31年度 (the documents of early 2019 say so) is 2019 like
    令和元年度; 平成32年度 is refused."""
    s = normalise(str(text))
    for pattern in _FISCAL_PATTERNS:
        m = pattern.fullmatch(s)
        if m is None:
            continue
        if "era" in m.groupdict():
            return _era_year(_era(m), m.group("eyear"), typed=text)
        return int(m.group("year"))
    _refuse_old_era(s, text)
    raise JapaneseValueError(f"『{_shown(text)}』は年度として読めません（例: 2026、2026年度、令和8年度）")


def era_of(day: date) -> Era | None:
    """The era a day falls in (None before 昭和)."""
    for era in reversed(ERAS):
        if day >= era.start:
            return era
    return None


def wareki_year(era: Era, year: int) -> int:
    return year - era.start.year + 1


def era_year_text(day: date) -> str | None:
    """「令和元」「令和8」: the era and its year on that day, the first year as 元 (None before 昭和). The one
    place the display side (fiscal years, 和暦 months, certificates) names an era year."""
    era = era_of(day)
    return None if era is None else f"{era.name}{_year_word(wareki_year(era, day.year))}"


def format_wareki(day: date, *, gannen: bool = True) -> str:
    """「令和7年4月1日」; the first year as 「元年」 unless `gannen` is False (「令和1年」). Before 昭和: ISO."""
    era = era_of(day)
    if era is None:
        return day.isoformat()
    n = wareki_year(era, day.year)
    return f"{era.name}{_year_word(n) if gannen else n}年{day.month}月{day.day}日"


# --- numbers ------------------------------------------------------------------------------------------------------

YEN_UNITS: Mapping[str, int] = {"円": 1, "千円": 1_000, "万円": 10_000, "万": 10_000, "億円": 100_000_000,
                                "億": 100_000_000}
PEOPLE_UNITS: Mapping[str, int] = {"人": 1, "名": 1}
MONTH_UNITS: Mapping[str, int] = {"か月": 1, "ヶ月": 1, "カ月": 1, "ケ月": 1, "箇月": 1, "ヵ月": 1, "月": 1}
DAY_UNITS: Mapping[str, int] = {"日": 1}

_PLAIN = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
# 「1億2,000万円」: an amount in 億 and 万 with an optional rest, for the yen columns only.
_COMPOUND = re.compile(r"(?:(?P<oku>[\d,.]+)億)?(?:(?P<man>[\d,.]+)万)?(?P<rest>[\d,.]+)?円?")
_HEDGES = ("約", "程度", "くらい", "ぐらい", "前後", "以上", "以下", "未満", "以内", "~", "〜", "から", "まで")


def _plain(s: str, typed: str) -> Decimal:
    if not _PLAIN.fullmatch(s):
        if re.fullmatch(r"[+-]?[\d,]+(?:\.\d+)?", s) and "," in s:
            raise JapaneseValueError(f"『{_shown(typed)}』: 桁区切りのカンマは3桁ごとに入れてください（例: 3,600,000）")
        raise JapaneseValueError(f"『{_shown(typed)}』は数値として読めません")
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise JapaneseValueError(f"『{_shown(typed)}』は数値として読めません") from None


def parse_number(text: str, *, units: Mapping[str, int] | None = None) -> Decimal:
    """A number typed as text: NFKC, thousands separators in groups of three, and a unit suffix from `units`
    (multiplied out: 「360万円」 is 3,600,000 with YEN_UNITS). A unit not in `units` and a hedge (「約」「程度」
    「〜」) are refused: an estimate is not a figure to store."""
    s = normalise(text)
    units = units or {}
    if not s:
        raise JapaneseValueError("値がありません")
    if any(h in s for h in _HEDGES):
        raise JapaneseValueError(f"『{_shown(text)}』: 「約」「程度」「〜」などを付けず、数値だけを入力してください")
    if {"万", "億"} <= set(units):
        m = _COMPOUND.fullmatch(s)
        if m and (m.group("oku") or m.group("man")):
            total = Decimal(0)
            for part, scale in (("oku", 100_000_000), ("man", 10_000), ("rest", 1)):
                if m.group(part):
                    total += _plain(m.group(part), text) * scale
            return total
    for unit in sorted(units, key=len, reverse=True):
        if s.endswith(unit) and len(s) > len(unit):
            return _plain(s[: -len(unit)], text) * units[unit]
    tail = re.search(r"[^\d,.+-]+$", s)
    if tail and re.match(r"[+-]?[\d,.]+$", s[: tail.start()]):
        allowed = "・".join(f"「{u}」" for u in units) if units else "なし"
        raise JapaneseValueError(f"『{_shown(text)}』: 単位「{tail.group()}」はこの列では使えません"
                                 f"（使える単位: {allowed}）")
    return _plain(s, text)


def format_grouped(n: int) -> str:
    """「3,600,000」: the thousands-separated form parse_number reads back."""
    return f"{n:,}"

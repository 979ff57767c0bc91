"""dxpool.exchange.japanese: dates, months, fiscal years and numbers as Japanese clerks type them (issue 13 item 5).

Every accepted form reads to one value; every refusal says why in words a clerk can act on (the era's end, the
day that does not exist, the grouping of the commas)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxpool.exchange.japanese import (
    DAY_UNITS,
    ERAS,
    MONTH_UNITS,
    PEOPLE_UNITS,
    YEN_UNITS,
    JapaneseValueError,
    era_of,
    format_grouped,
    format_wareki,
    parse_date,
    parse_fiscal_year,
    parse_month,
    parse_number,
)

# --- dates ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("令和7年4月1日", date(2025, 4, 1)),
    ("令和７年４月１日", date(2025, 4, 1)),  # full-width digits
    ("令和 7 年 4 月 1 日", date(2025, 4, 1)),
    ("令和\u30007年4月1日", date(2025, 4, 1)),  # an ideographic space
    ("㋿7年4月1日", date(2025, 4, 1)),  # the one-character era sign
    ("令和元年5月1日", date(2019, 5, 1)),
    ("令和1年5月1日", date(2019, 5, 1)),
    ("平成31年4月30日", date(2019, 4, 30)),
    ("平成元年1月8日", date(1989, 1, 8)),
    ("㍻元年1月8日", date(1989, 1, 8)),
    ("昭和64年1月7日", date(1989, 1, 7)),
    ("昭和元年12月25日", date(1926, 12, 25)),
    ("R7.4.1", date(2025, 4, 1)),
    ("R07.04.01", date(2025, 4, 1)),
    ("r7/4/1", date(2025, 4, 1)),
    ("Ｒ７．４．１", date(2025, 4, 1)),
    ("R7-4-1", date(2025, 4, 1)),
    ("H31.4.30", date(2019, 4, 30)),
    ("S64.1.7", date(1989, 1, 7)),
    ("2022/3/31", date(2022, 3, 31)),
    ("2026/4/1", date(2026, 4, 1)),
    ("２０２６／４／１", date(2026, 4, 1)),
    ("2026/04/01", date(2026, 4, 1)),
    ("2026.4.1", date(2026, 4, 1)),
    ("2026-04-01", date(2026, 4, 1)),
    ("2026-4-1", date(2026, 4, 1)),
    ("2026－04－01", date(2026, 4, 1)),  # full-width hyphen-minus
    ("2026ー04ー01", date(2026, 4, 1)),  # the long-vowel mark an IME gives for a dash
    ("2026年4月1日", date(2026, 4, 1)),
    ("2026年04月01日", date(2026, 4, 1)),
    ("2026年4月1日（水）", date(2026, 4, 1)),
    ("2026年4月1日(水曜日)", date(2026, 4, 1)),
    ("令和8年4月1日(水)", date(2026, 4, 1)),
    ("2026/4/1 0:00:00", date(2026, 4, 1)),  # a date cell turned into text
    ("2026/4/10 00:00", date(2026, 4, 10)),  # not the 1st at 00:00
    ("2026-04-01T00:00:00", date(2026, 4, 1)),
    ("2026/4/1 14:30", date(2026, 4, 1)),  # the time of the hearing: the column holds the day
    ("  2026/4/1  ", date(2026, 4, 1)),
    ("2024/2/29", date(2024, 2, 29)),
])
def test_dates_in_every_form_clerks_type(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text, words", [
    ("令和元年4月30日", ["令和は令和元年5月1日から", "平成31年4月30日"]),
    ("平成31年5月1日", ["平成は平成31年4月30日まで", "令和元年5月1日"]),
    ("平成32年1月1日", ["平成は平成31年4月30日まで", "令和2年", "2020年"]),
    ("H32.4.1", ["平成は平成31年4月30日まで", "令和2年"]),
    ("昭和64年1月8日", ["昭和は昭和64年1月7日まで", "平成元年1月8日"]),
    ("昭和65年1月1日", ["昭和は昭和64年1月7日まで"]),
    ("平成元年1月7日", ["平成は平成元年1月8日から", "昭和64年1月7日"]),
    ("昭和元年12月24日", ["昭和は昭和元年12月25日から", "より前"]),
    ("令和0年1月1日", ["令和0年はありません", "元年"]),
    ("令和7年13月1日", ["『令和7年13月1日』", "13月はありません"]),
    ("令和7年2月29日", ["2025年2月29日はありません"]),
    ("2026/2/30", ["2026年2月30日はありません"]),
    ("2026/0/1", ["0月はありません"]),
    ("2026年4月1日（月）", ["水曜日", "曜日が合いません"]),
    ("26/4/1", ["西暦4桁"]),
    ("大正5年1月1日", ["昭和・平成・令和"]),
    ("明治45年7月30日", ["昭和・平成・令和"]),
    ("M45.7.30", ["昭和・平成・令和"]),
    ("2026 4 1", ["数字の間に空白"]),
    ("2026/4-1", ["日付として読めません"]),  # two different separators
    ("2026/4/1 25:00", ["空白"]),
    ("4月1日", ["日付として読めません"]),
    ("来年の4月", ["日付として読めません", "例"]),
    ("20260401", ["日付として読めません"]),  # eight digits could be a number: not guessed
    ("令和七年四月一日", ["日付として読めません"]),  # kanji numerals are not read
])
def test_dates_that_cannot_be_are_refused_with_a_reason(text, words):
    with pytest.raises(JapaneseValueError) as exc:
        parse_date(text)
    for w in words:
        assert w in exc.value.message, (text, exc.value.message)
    assert not exc.value.message.endswith("。")


def test_a_long_value_is_trimmed_in_the_message():
    with pytest.raises(JapaneseValueError) as exc:
        parse_date("あ" * 200)
    assert len(exc.value.message) < 120 and "…" in exc.value.message


# --- the property: any day written in 和暦 reads back as itself ---------------------------------------------------

DAYS = st.dates(min_value=date(1926, 12, 25), max_value=date(2100, 12, 31))


@given(DAYS, st.booleans(), st.booleans(), st.booleans())
def test_wareki_round_trip(day, gannen, full_width, with_weekday):
    text = format_wareki(day, gannen=gannen)
    if with_weekday:
        text += f"（{'月火水木金土日'[day.weekday()]}）"
    if full_width:
        text = text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    assert parse_date(text) == day


@given(DAYS, st.sampled_from([".", "/", "-"]), st.booleans())
def test_abbreviated_wareki_round_trip(day, sep, pad):
    era = era_of(day)
    n = day.year - era.start.year + 1
    fmt = "{:02d}" if pad else "{}"
    text = sep.join([f"{era.letter}{fmt.format(n)}", fmt.format(day.month), fmt.format(day.day)])
    assert parse_date(text) == day


@given(DAYS, st.sampled_from(["{y}/{m}/{d}", "{y}-{m:02d}-{d:02d}", "{y}年{m}月{d}日", "{y}.{m}.{d}"]))
def test_western_round_trip(day, pattern):
    assert parse_date(pattern.format(y=day.year, m=day.month, d=day.day)) == day


@given(st.dates(min_value=date(1926, 12, 25), max_value=date(2100, 12, 31)))
def test_a_day_written_in_the_wrong_era_is_refused(day):
    # The same year number in every other era is a different day, either outside that era or a real day of it.
    era = era_of(day)
    n = day.year - era.start.year + 1
    for other in ERAS:
        if other is era:
            continue
        text = f"{other.name}{n}年{day.month}月{day.day}日"
        try:
            read = parse_date(text)
        except JapaneseValueError:
            continue
        assert era_of(read) is other and read != day


def test_era_boundaries_exactly():
    assert parse_date("平成31年4月30日") == date(2019, 4, 30)
    assert parse_date("令和元年5月1日") == date(2019, 5, 1)
    assert format_wareki(date(2019, 4, 30)) == "平成31年4月30日"
    assert format_wareki(date(2019, 5, 1)) == "令和元年5月1日"
    assert format_wareki(date(2019, 5, 1), gannen=False) == "令和1年5月1日"
    assert format_wareki(date(1989, 1, 7)) == "昭和64年1月7日"
    assert format_wareki(date(1989, 1, 8)) == "平成元年1月8日"
    assert format_wareki(date(1900, 1, 1)) == "1900-01-01"
    assert era_of(date(1926, 12, 24)) is None


# --- months ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2027年9月", (2027, 9)), ("２０２７年９月", (2027, 9)), ("2027/9", (2027, 9)), ("2027/09", (2027, 9)),
    ("2027-09", (2027, 9)), ("2027.9", (2027, 9)), ("令和9年9月", (2027, 9)), ("R9.9", (2027, 9)),
    ("R9/9", (2027, 9)), ("令和元年5月", (2019, 5)), ("平成31年4月", (2019, 4)), ("昭和64年1月", (1989, 1)),
    ("平成元年1月", (1989, 1)), ("2027/9/15", (2027, 9)), ("令和9年9月15日", (2027, 9)),
])
def test_months(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize("text, words", [
    ("令和元年4月", ["令和ではありません", "平成31年4月"]),
    ("平成31年5月", ["平成ではありません", "令和元年5月"]),
    ("平成32年1月", ["平成は平成31年4月30日まで", "令和2年"]),
    ("2027年13月", ["13月はありません"]),
    ("2027/0", ["0月はありません"]),
    ("9月", ["年月として読めません"]),
    ("大正9年9月", ["昭和・平成・令和"]),
])
def test_months_refused(text, words):
    with pytest.raises(JapaneseValueError) as exc:
        parse_month(text)
    for w in words:
        assert w in exc.value.message, (text, exc.value.message)


# --- fiscal years ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2026", 2026), ("２０２６", 2026), ("2026年度", 2026), ("2026年", 2026), ("令和8年度", 2026), ("令和8", 2026),
    ("R8", 2026), ("R08年度", 2026), ("令和元年度", 2019), ("平成31年度", 2019), ("H31", 2019),
])
def test_fiscal_years(text, expected):
    assert parse_fiscal_year(text) == expected


@pytest.mark.parametrize("text", ["平成32年度", "令和0年度", "26", "来年度", "大正5年度"])
def test_fiscal_years_refused(text):
    with pytest.raises(JapaneseValueError):
        parse_fiscal_year(text)


# --- numbers --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, units, expected", [
    ("3,600,000", None, 3_600_000),
    ("３，６００，０００", None, 3_600_000),
    ("3600000", None, 3_600_000),
    ("１２．５", None, Decimal("12.5")),
    ("0.5", None, Decimal("0.5")),
    ("1,234.5", None, Decimal("1234.5")),
    ("3,600,000円", YEN_UNITS, 3_600_000),
    ("360万円", YEN_UNITS, 3_600_000),
    ("360万", YEN_UNITS, 3_600_000),
    ("３６０万円", YEN_UNITS, 3_600_000),
    ("1.5万円", YEN_UNITS, 15_000),
    ("3,600千円", YEN_UNITS, 3_600_000),
    ("1億円", YEN_UNITS, 100_000_000),
    ("1億2,000万円", YEN_UNITS, 120_000_000),
    ("1億2000万5000円", YEN_UNITS, 120_005_000),
    ("360 万円", YEN_UNITS, 3_600_000),
    ("480人", PEOPLE_UNITS, 480),
    ("1,200名", PEOPLE_UNITS, 1200),
    ("12か月", MONTH_UNITS, 12),
    ("12ヶ月", MONTH_UNITS, 12),
    ("12カ月", MONTH_UNITS, 12),
    ("12ヵ月", MONTH_UNITS, 12),
    ("2日", DAY_UNITS, 2),
    ("2.5日", DAY_UNITS, Decimal("2.5")),
])
def test_numbers(text, units, expected):
    assert parse_number(text, units=units) == expected


@pytest.mark.parametrize("text, units, words", [
    ("3,60,000", None, ["3桁ごと"]),
    ("36,00,000", YEN_UNITS, ["3桁ごと"]),
    ("3,600,00", None, ["3桁ごと"]),
    ("3 600 000", None, ["数字の間に空白"]),
    ("360万円", None, ["単位「万円」はこの列では使えません", "なし"]),
    ("480人", YEN_UNITS, ["単位「人」はこの列では使えません", "「円」"]),
    ("3,600,000円", PEOPLE_UNITS, ["単位「円」"]),
    ("約300万円", YEN_UNITS, ["約"]),
    ("300万円程度", YEN_UNITS, ["数値だけ"]),
    ("100〜200", None, ["数値だけ"]),
    ("100~200", None, ["数値だけ"]),
    ("たくさん", None, ["数値として読めません"]),
    ("1e5", None, ["数値として読めません"]),
    ("", None, ["値がありません"]),
    ("万円", YEN_UNITS, ["数値として読めません"]),
])
def test_numbers_refused(text, units, words):
    with pytest.raises(JapaneseValueError) as exc:
        parse_number(text, units=units)
    for w in words:
        assert w in exc.value.message, (text, exc.value.message)


@given(st.integers(min_value=0, max_value=10**12))
def test_grouped_numbers_round_trip(n):
    assert parse_number(format_grouped(n)) == n
    assert parse_number(format_grouped(n) + "円", units=YEN_UNITS) == n
    full = format_grouped(n).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789,"})
    assert parse_number(full) == n


@given(st.integers(min_value=0, max_value=99_999), st.integers(min_value=0, max_value=9_999))
def test_man_yen_round_trip(man, rest):
    text = f"{man}万{rest}円" if rest else f"{man}万円"
    assert parse_number(text, units=YEN_UNITS) == man * 10_000 + rest

"""dxpool.core.coerce: one reading of form, API and spreadsheet values for every app."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxpool.core import coerce
from dxpool.core.errors import ValidationError


def test_numbers_accept_full_width_digits_and_thousands_separators():
    assert coerce.number("１２．５", field="f", label="時間", lo=0, hi=40) == 12.5
    assert coerce.integer("1,200", field="f", label="予算", lo=0, hi=10**9) == 1200
    assert coerce.integer("3.0", field="f", label="月数", lo=1, hi=60) == 3


@pytest.mark.parametrize("value", [True, False, "abc", "", None, "nan", [], {}, "1e999"])
def test_non_numbers_are_refused_naming_the_field(value):
    with pytest.raises(ValidationError) as info:
        coerce.number(value, field="hours", label="週あたり時間", lo=0, hi=40)
    assert info.value.field == "hours" and "週あたり時間" in info.value.message


def test_out_of_range_says_the_range_and_fractions_are_not_integers():
    with pytest.raises(ValidationError, match="時間は40以下で入力してください"):
        coerce.number(41, field="f", label="時間", lo=0, hi=40)
    with pytest.raises(ValidationError, match="月数は1以上60以下で入力してください"):
        coerce.integer(0, field="f", label="月数", lo=1, hi=60)
    # The budget limit in words, never 「0〜2e+09の範囲」.
    with pytest.raises(ValidationError, match="予算は20億円以下で入力してください"):
        coerce.integer(3_000_000_000, field="f", label="予算", lo=0, hi=2_000_000_000, unit="円")
    assert coerce.integer("－１，２００", field="f", label="差", lo=-10_000, hi=0) == -1200
    with pytest.raises(ValidationError, match="整数で"):
        coerce.integer("3.5", field="f", label="月数", lo=1, hi=60)


def test_blank_means_no_value_not_zero():
    assert coerce.integer_or_none("  ", field="f", label="x", lo=0, hi=9) is None
    assert coerce.number_or_none(None, field="f", label="x", lo=0, hi=9) is None
    assert coerce.integer_or_default("", field="f", label="x", lo=0, hi=99, default=50) == 50
    assert coerce.date_or_none("", field="f", label="日") is None
    assert coerce.month_or_none(None, field="f", label="月") is None


def test_dates_and_months():
    assert coerce.date_or_none("２０２６-０４-０１", field="f", label="開始日") == date(2026, 4, 1)
    assert coerce.date_or_none(date(2026, 1, 2), field="f", label="開始日") == date(2026, 1, 2)
    with pytest.raises(ValidationError, match="開始日は YYYY-MM-DD"):
        coerce.date_or_none("2026/04/01", field="f", label="開始日")
    assert coerce.month_or_none("2026-4", field="f", label="移行予定月") == "2026-04"
    for bad in ("2026-13", "26-04", "2019-01", "april"):
        with pytest.raises(ValidationError, match="YYYY-MM"):
            coerce.month_or_none(bad, field="f", label="移行予定月")


def test_text_is_normalised_limited_and_optionally_required():
    assert coerce.text("  ＲＰＡ導入 ", field="f", label="課題", max_length=10) == "RPA導入"
    with pytest.raises(ValidationError, match="10文字以内.*11文字"):
        coerce.text("あ" * 11, field="f", label="課題", max_length=10)
    with pytest.raises(ValidationError, match="件名を入力"):
        coerce.text(" ", field="f", label="件名", max_length=10, required=True)


def test_booleans_are_never_guessed_from_numbers_or_words():
    assert coerce.boolean(True, field="f", label="x") is True
    assert coerce.boolean("", field="f", label="x") is False
    for bad in (1, "yes", "true"):
        with pytest.raises(ValidationError, match="true か false"):
            coerce.boolean(bad, field="f", label="x")


def test_choice_lists_keep_order_drop_repeats_and_name_the_bad_code():
    assert coerce.choice_list(["b", "a", "b"], field="f", label="形態", allowed=["a", "b"]) == ["b", "a"]
    assert coerce.choice_list(None, field="f", label="形態", allowed=["a"]) == []
    with pytest.raises(ValidationError, match="形態「c」はありません"):
        coerce.choice_list(["a", "c"], field="f", label="形態", allowed=["a", "b"])
    with pytest.raises(ValidationError, match="一覧で"):
        coerce.choice_list("a", field="f", label="形態", allowed=["a"])


@given(st.one_of(st.none(), st.text(max_size=30), st.integers(), st.floats(allow_nan=True), st.booleans(),
                 st.lists(st.integers(), max_size=3)))
def test_any_value_is_either_a_number_in_range_or_a_validation_error(value):
    try:
        result = coerce.number_or_none(value, field="f", label="x", lo=-5, hi=5)
    except ValidationError as exc:
        assert exc.field == "f"
    else:
        assert result is None or -5 <= result <= 5

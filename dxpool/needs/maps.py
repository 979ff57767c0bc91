"""An inline SVG map from latitude/longitude only: no tiles and no internet (LGWAN), drawn by the template.

Pure Python. The projection is equirectangular with the longitude scaled by cos(mean latitude), which keeps a
prefecture's shape faithful enough for dots; colours are ColorBrewer "Blues" (sequential, colour-blind safe)
plus one orange for what needs attention, and every dot also carries its values in a <title>. The table beside
the map is the accessible alternative.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from dxpool.standard.i18n import gettext_noop

BLUES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
ATTENTION = "#d94801"
GOOD = "#31a354"
NEUTRAL = "#d9d9d9"
NO_DATA = "#ffffff"


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    fill: str
    title: str
    href: str = ""
    ring: bool = False  # a second outline: ひとり情シス, whatever the colouring
    dashed: bool = False  # no hearing record
    dim: bool = False  # filtered out: drawn small and grey, for geographic context


@dataclass(frozen=True)
class LegendItem:
    fill: str
    label: str
    dashed: bool = False


@dataclass(frozen=True)
class SvgMap:
    width: int
    height: int
    dots: tuple[Dot, ...]
    legend: tuple[LegendItem, ...]
    radius: float = 7.0


def project(points: Sequence[tuple[float, float]], *, width: int = 640, margin: int = 24,
            min_height: int = 240, max_height: int = 720) -> tuple[int, list[tuple[float, float]]]:
    """(height, [(x, y)]) for (lat, lng) points fitted into a `width`-wide box, north up."""
    if not points:
        return min_height, []
    lat0 = math.radians(sum(p[0] for p in points) / len(points))
    xs = [p[1] * math.cos(lat0) for p in points]
    ys = [-p[0] for p in points]
    span_x = max(max(xs) - min(xs), 1e-6)
    span_y = max(max(ys) - min(ys), 1e-6)
    inner_w = width - 2 * margin
    height = int(min(max(inner_w * span_y / span_x + 2 * margin, min_height), max_height))
    inner_h = height - 2 * margin
    scale = min(inner_w / span_x, inner_h / span_y)
    if len(points) == 1:
        return height, [(width / 2, height / 2)]
    off_x = margin + (inner_w - span_x * scale) / 2
    off_y = margin + (inner_h - span_y * scale) / 2
    return height, [(round(off_x + (x - min(xs)) * scale, 1), round(off_y + (y - min(ys)) * scale, 1))
                    for x, y in zip(xs, ys, strict=True)]


def _bin(percent: float) -> int:
    return min(4, int(percent // 25)) if percent < 100 else 4


# Legend labels stay Japanese here; the template shows them through `data_label` (English screens).
# Colourings: name → (function of a row's values → (fill, legend index), legend). The row is a dict with
# keys: recorded, step (−1…3), progress (0–100), cio (None/False/True), cio_external, hitori, open, filled.
LEGENDS: dict[str, tuple[LegendItem, ...]] = {
    "step": (LegendItem(BLUES[0], gettext_noop("未着手")), LegendItem(BLUES[1], gettext_noop("ステップ0")), LegendItem(BLUES[2], gettext_noop("ステップ1")),
             LegendItem(BLUES[3], gettext_noop("ステップ2")), LegendItem(BLUES[4], gettext_noop("ステップ3"))),
    "standardisation": (LegendItem(BLUES[0], gettext_noop("0〜24%")), LegendItem(BLUES[1], gettext_noop("25〜49%")),
                        LegendItem(BLUES[2], gettext_noop("50〜74%")), LegendItem(BLUES[3], gettext_noop("75〜99%")),
                        LegendItem(BLUES[4], gettext_noop("100%（20業務すべて移行済み）"))),
    "cio": (LegendItem(ATTENTION, gettext_noop("CIO補佐官等なし")), LegendItem(BLUES[2], gettext_noop("CIO補佐官等あり（内部）")),
            LegendItem(BLUES[4], gettext_noop("CIO補佐官等あり（外部人材）"))),
    "hitori": (LegendItem(ATTENTION, gettext_noop("ひとり情シス")), LegendItem(BLUES[2], gettext_noop("情報担当2人以上"))),
    "needs": (LegendItem(ATTENTION, gettext_noop("募集中のニーズあり")), LegendItem(GOOD, gettext_noop("ニーズはすべて充足")),
              LegendItem(NEUTRAL, gettext_noop("ニーズなし"))),
}
NO_RECORD = LegendItem(NO_DATA, gettext_noop("ヒアリング未実施"), dashed=True)


def fill_for(colour: str, row: dict) -> str:
    """The fill of one dot under a colouring."""
    if not row.get("recorded") and colour != "needs":
        return NO_DATA
    if colour == "step":
        return BLUES[row["step"] + 1]
    if colour == "standardisation":
        return BLUES[_bin(row["progress"])]
    if colour == "cio":
        return BLUES[4] if row["cio"] and row.get("cio_external") else (BLUES[2] if row["cio"] else ATTENTION)
    if colour == "hitori":
        return ATTENTION if row["hitori"] else (BLUES[2] if row["hitori"] is False else NO_DATA)
    if colour == "needs":
        return ATTENTION if row["open"] else (GOOD if row["filled"] else NEUTRAL)
    raise ValueError(f"unknown colouring {colour!r}")


def build_map(rows: Sequence[dict], *, colour: str, width: int = 640) -> SvgMap:
    """A map of rows with lat, lng, title, href, dim and the values fill_for reads."""
    if colour not in LEGENDS:
        raise ValueError(f"unknown colouring {colour!r}")
    height, xy = project([(r["lat"], r["lng"]) for r in rows], width=width)
    dots = tuple(Dot(x, y, NEUTRAL, r["title"], "", False, False, True) if r.get("dim") else
                 Dot(x, y, fill_for(colour, r), r["title"], r.get("href", ""), bool(r.get("hitori")),
                     not r.get("recorded") and colour != "needs")
                 for (x, y), r in zip(xy, rows, strict=True))
    # Dimmed dots first, so the ones that matter are drawn on top.
    dots = tuple(sorted(dots, key=lambda d: not d.dim))
    legend = LEGENDS[colour] + ((NO_RECORD,) if colour != "needs" else ())
    return SvgMap(width, height, dots, legend)

"""dxpool.needs.maps: the inline SVG map drawn from latitude and longitude only — the projection keeps north up
and fits the box, each colouring maps a row's values to its legend, dimmed dots are drawn first."""

import pytest

from dxpool.needs.maps import (
    ATTENTION,
    BLUES,
    GOOD,
    LEGENDS,
    NEUTRAL,
    NO_DATA,
    NO_RECORD,
    build_map,
    fill_for,
    project,
)


def row(**over):
    data = {"lat": 32.7, "lng": 128.8, "title": "五島市", "href": "/x/", "recorded": True, "step": 2, "progress": 50,
            "cio": True, "cio_external": False, "hitori": False, "open": 0, "filled": 0}
    data.update(over)
    return data


def test_project_fits_the_box_with_north_up():
    height, xy = project([(33.0, 129.0), (32.0, 130.0)], width=640)
    assert 240 <= height <= 720
    (x1, y1), (x2, y2) = xy
    assert y1 < y2  # the northern point is higher on the page
    assert x1 < x2  # the western point is to the left
    assert all(24 <= x <= 640 - 24 and 24 <= y <= height - 24 for x, y in xy)


def test_project_edge_cases():
    assert project([]) == (240, [])
    height, xy = project([(32.7, 128.8)], width=400)
    assert xy == [(200, height / 2)]


@pytest.mark.parametrize(("colour", "over", "fill"), [
    ("step", {"step": -1}, BLUES[0]),
    ("step", {"step": 3}, BLUES[4]),
    ("standardisation", {"progress": 0}, BLUES[0]),
    ("standardisation", {"progress": 74}, BLUES[2]),
    ("standardisation", {"progress": 100}, BLUES[4]),
    ("cio", {"cio": False}, ATTENTION),
    ("cio", {"cio": True}, BLUES[2]),
    ("cio", {"cio": True, "cio_external": True}, BLUES[4]),
    ("hitori", {"hitori": True}, ATTENTION),
    ("hitori", {"hitori": False}, BLUES[2]),
    ("hitori", {"hitori": None}, NO_DATA),
    ("needs", {"open": 1, "filled": 1}, ATTENTION),
    ("needs", {"filled": 2}, GOOD),
    ("needs", {}, NEUTRAL),
    ("step", {"recorded": False}, NO_DATA),
    ("needs", {"recorded": False, "open": 1}, ATTENTION),  # needs do not depend on a hearing record
])
def test_fill_for(colour, over, fill):
    assert fill_for(colour, row(**over)) == fill


def test_every_fill_is_in_its_legend():
    for colour, legend in LEGENDS.items():
        fills = {item.fill for item in legend}
        for over in ({"step": s} for s in range(-1, 4)):
            assert fill_for(colour, row(**over)) in fills | {NO_DATA}


def test_unknown_colouring_is_refused():
    with pytest.raises(ValueError):
        fill_for("rainbow", row())
    with pytest.raises(ValueError):
        build_map([row()], colour="rainbow")


def test_build_map():
    rows = [row(title="a"), row(title="b", lat=33.0, hitori=True), row(title="c", lat=32.5, dim=True),
            row(title="d", lat=32.9, recorded=False)]
    svg = build_map(rows, colour="step")
    assert svg.width == 640 and len(svg.dots) == 4
    assert svg.dots[0].dim and svg.dots[0].title == "c" and svg.dots[0].fill == NEUTRAL and not svg.dots[0].href
    by_title = {d.title: d for d in svg.dots}
    assert by_title["b"].ring and not by_title["a"].ring
    assert by_title["d"].dashed and by_title["d"].fill == NO_DATA
    assert svg.legend == LEGENDS["step"] + (NO_RECORD,)
    assert build_map(rows, colour="needs").legend == LEGENDS["needs"]  # every municipality has needs or none

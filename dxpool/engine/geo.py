"""Great-circle distances between municipalities (haversine on a sphere of mean Earth radius).

Both functions use the same formulation — the half-angle sines expanded with the subtraction formula, so the
matrix version needs no trigonometry per pair — and round to 1 mm, so the vectorised and scalar paths agree.
"""

from __future__ import annotations

import math

import numpy as np

EARTH_RADIUS_KM = 6371.0088

#: Distances are rounded to this many decimals (1 mm) so the vectorised and the scalar paths agree exactly
#: even when the platform's sin/cos differ in the last bit.
DISTANCE_DECIMALS = 6


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lng) points in degrees."""
    la, ga = math.radians(a[0]) / 2, math.radians(a[1]) / 2
    lb, gb = math.radians(b[0]) / 2, math.radians(b[1]) / 2
    s_lat = math.sin(lb) * math.cos(la) - math.cos(lb) * math.sin(la)
    s_lng = math.sin(gb) * math.cos(ga) - math.cos(gb) * math.sin(ga)
    h = s_lat * s_lat + (math.cos(2 * la) * math.cos(2 * lb)) * (s_lng * s_lng)
    d = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
    return float(np.round(np.float64(d), DISTANCE_DECIMALS))


def haversine_matrix(
    lat_a: np.ndarray, lng_a: np.ndarray, lat_b: np.ndarray, lng_b: np.ndarray
) -> np.ndarray:
    """Pairwise great-circle distances in km, shape (len(a), len(b)); inputs in degrees."""
    la = np.radians(np.asarray(lat_a, dtype=np.float64)) / 2
    ga = np.radians(np.asarray(lng_a, dtype=np.float64)) / 2
    lb = np.radians(np.asarray(lat_b, dtype=np.float64)) / 2
    gb = np.radians(np.asarray(lng_b, dtype=np.float64)) / 2
    sin_la, cos_la, sin_ga, cos_ga = np.sin(la), np.cos(la), np.sin(ga), np.cos(ga)
    sin_lb, cos_lb, sin_gb, cos_gb = np.sin(lb), np.cos(lb), np.sin(gb), np.cos(gb)
    cos2_la, cos2_lb = np.cos(2 * la), np.cos(2 * lb)
    out = np.empty((len(la), len(lb)))
    # Row blocks keep the temporaries in cache (and avoid faulting in several full-size scratch arrays).
    step = max(1, (1 << 16) // max(1, len(lb)))
    for lo in range(0, len(la), step):
        hi = min(len(la), lo + step)
        s_lat = sin_lb[None, :] * cos_la[lo:hi, None] - cos_lb[None, :] * sin_la[lo:hi, None]
        s_lng = sin_gb[None, :] * cos_ga[lo:hi, None] - cos_gb[None, :] * sin_ga[lo:hi, None]
        h = s_lat * s_lat
        s_lng *= s_lng
        s_lng *= cos2_la[lo:hi, None] * cos2_lb[None, :]
        h += s_lng
        np.sqrt(h, out=h)
        np.minimum(h, 1.0, out=h)
        np.arcsin(h, out=h)
        h *= 2 * EARTH_RADIUS_KM
        np.round(h, DISTANCE_DECIMALS, out=out[lo:hi])
    return out

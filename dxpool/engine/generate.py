"""Random but plausible instances over real municipality coordinates, for benchmarks and tests.

The generator takes a `coords` mapping (6-digit code → (lat, lng)) and never loads data itself. Codes follow
全国地方公共団体コード: the first two digits are the prefecture, digits 3–5 the body (100–199 designated
cities and their wards, 200–299 other cities, 300+ towns and villages); talents are homed more often in
cities than in towns, as recruitment pools are.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import numpy as np

from .model import Need, Talent

PERSONAS = ("producer", "project_manager", "service_designer", "engineer")
PERSONA_SHARE = (0.2, 0.25, 0.2, 0.35)
SKILLS = {
    "producer": ("全体方針立案", "サービスデザイン思考", "技術・データの活用", "情報セキュリティ"),
    "project_manager": ("プロジェクト企画", "スケジュール管理", "コスト管理", "品質管理", "委託管理"),
    "service_designer": ("要求分析", "UI技術", "UX技術", "業務分析", "データ活用"),
    "engineer": ("要求分析", "デジタルツール実装"),
}
HUMAN_SKILLS = ("リーダーシップ", "コミュニケーション", "コーディネート")
FORMS = (
    "特定任期付職員",
    "特別職非常勤職員",
    "会計年度任用職員",
    "任期付職員",
    "業務委託",
    "地域活性化起業人",
)
OTHER_EXPERIENCE = (
    "digital_strategy_lead",
    "is_department_manager",
    "project_lead",
    "consumer_service",
    "tool_implementation",
)
START = date(2025, 4, 1)


def prefecture_of(code: str) -> str:
    """The 2-digit prefecture part of a municipality code."""
    return code[:2]


def _centroids(coords: Mapping[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    acc: dict[str, list[float]] = {}
    for code, (lat, lng) in coords.items():
        a = acc.setdefault(prefecture_of(code), [0.0, 0.0, 0.0])
        a[0] += lat
        a[1] += lng
        a[2] += 1
    return {p: (a[0] / a[2], a[1] / a[2]) for p, a in acc.items()}


def neighbouring_prefectures(
    coords: Mapping[str, tuple[float, float]], prefecture: str, n: int = 3
) -> list[str]:
    """The n prefectures whose municipality centroids lie nearest to `prefecture`'s."""
    cent = _centroids(coords)
    if prefecture not in cent:
        raise ValueError(f"no municipality of prefecture {prefecture} in coords")
    lat0, lng0 = cent[prefecture]

    def km(p):
        lat, lng = cent[p]
        return math.hypot((lat - lat0) * 111.0, (lng - lng0) * 111.0 * math.cos(math.radians(lat0)))

    return sorted((p for p in cent if p != prefecture), key=lambda p: (km(p), p))[:n]


def _home_weights(codes: Sequence[str]) -> np.ndarray:
    w = np.array([3.0 if 100 <= int(c[2:5]) < 300 else 1.0 for c in codes])
    # Tokyo's special wards hold a large share of digital workers.
    w[np.array([c.startswith("131") for c in codes])] = 6.0
    return w / w.sum()


def _pick(rng: np.random.Generator, items: Sequence, size: int, p: Sequence[float] | None = None) -> list:
    """`size` draws from items (with probabilities p), as a list."""
    idx = rng.choice(len(items), size=size, p=None if p is None else np.asarray(p) / np.sum(p))
    return [items[int(k)] for k in idx]


def _subsets(
    rng: np.random.Generator, items: Sequence[str], size: int, p_any: float, max_k: int
) -> list[tuple[str, ...]]:
    """Per record: with probability p_any, a sorted subset of 1..max_k items; otherwise empty."""
    any_ = rng.random(size) < p_any
    ks = rng.integers(1, max_k + 1, size=size)
    picks = rng.integers(0, len(items), size=(size, max_k))
    return [tuple(sorted({items[int(x)] for x in picks[r, : ks[r]]})) if any_[r] else () for r in range(size)]


def _dates(rng: np.random.Generator, size: int, p: float, lo: int, hi: int) -> list[date | None]:
    on = rng.random(size) < p
    days = rng.integers(lo, hi, size=size)
    return [START + timedelta(days=int(days[r])) if on[r] else None for r in range(size)]


def generate_instance(
    coords: Mapping[str, tuple[float, float]],
    n_needs: int,
    n_talents: int,
    *,
    seed: int = 0,
    need_codes: Sequence[str] | None = None,
    talent_codes: Sequence[str] | None = None,
    id_prefix: str = "",
) -> tuple[list[Need], list[Talent]]:
    """Needs over `need_codes` and talents homed over `talent_codes` (default: every code in coords).

    Draws are column-wise from one seeded generator, so the same arguments give the same instance.
    """
    rng = np.random.default_rng(seed)
    need_codes = sorted(need_codes if need_codes is not None else coords)
    talent_codes = sorted(talent_codes if talent_codes is not None else coords)
    if not need_codes or not talent_codes:
        raise ValueError("no municipality to place needs or talents in")
    T, N = n_talents, n_needs
    talent_ids = [f"{id_prefix}T{j:05d}" for j in range(T)]
    need_ids = [f"{id_prefix}N{i:05d}" for i in range(N)]
    companies = [f"株式会社デジタル{k:03d}" for k in range(300)]

    # Talents.
    homes = _pick(rng, talent_codes, T, _home_weights(talent_codes))
    primary = rng.choice(4, size=T, p=PERSONA_SHARE)
    primary_fit = np.round(rng.uniform(0.4, 1.0, size=T), 3)
    second = rng.choice(4, size=T)
    has_second = (rng.random(T) < 0.4) & (second != primary)
    second_fit = np.round(rng.uniform(0.2, 0.8, size=T), 3)
    levels = rng.integers(0, 5, size=(T, 12))
    human = rng.integers(1, 5, size=(T, len(HUMAN_SKILLS)))
    local = rng.random(T) < 0.4
    other = rng.random(T) < 0.7
    other_kind = _pick(rng, OTHER_EXPERIENCE, T)
    forms = _subsets(rng, FORMS, T, 0.5, 3)
    employers = _subsets(rng, companies, T, 0.6, 2)
    cap = _pick(rng, (8, 12, 16, 20, 24, 32, 40), T, (0.15, 0.1, 0.25, 0.15, 0.15, 0.1, 0.1))
    max_a = rng.choice(4, size=T, p=(0.3, 0.35, 0.25, 0.1)) + 1
    travel = _pick(rng, (20, 50, 100, 150, 300), T, (0.15, 0.3, 0.3, 0.15, 0.1))
    remote = rng.random(T) < 0.55
    trained = rng.random(T) < 0.8
    t_from = _dates(rng, T, 0.2, 0, 180)
    t_to = _dates(rng, T, 0.1, 200, 365)
    t_prefs_on = rng.random(T) < 0.05
    t_prefs = rng.integers(0, max(1, N), size=(T, 3))
    t_prefs_k = rng.integers(1, 4, size=T)
    talents = []
    for j in range(T):
        personas = [PERSONAS[int(primary[j])]] + ([PERSONAS[int(second[j])]] if has_second[j] else [])
        fit = {personas[0]: float(primary_fit[j])}
        if has_second[j]:
            fit[personas[1]] = float(second_fit[j])
        ratings: dict[str, float] = {}
        k = 0
        for persona in personas:
            for s in SKILLS[persona]:
                ratings[s] = int(levels[j, k % 12]) / 4
                k += 1
        for h, s in enumerate(HUMAN_SKILLS):
            ratings[s] = int(human[j, h]) / 4
        experiences = (("local_government",) if local[j] else ()) + ((other_kind[j],) if other[j] else ())
        prefs = ()
        if N and t_prefs_on[j]:
            prefs = tuple(dict.fromkeys(need_ids[int(x)] for x in t_prefs[j, : t_prefs_k[j]]))
        talents.append(
            Talent(
                id=talent_ids[j],
                home=homes[j],
                capacity_hours_per_week=float(cap[j]),
                max_assignments=int(max_a[j]),
                travel_km=float(travel[j]),
                remote_ok=bool(remote[j]),
                trained=bool(trained[j]),
                fit=fit,
                employers=employers[j],
                preferences=prefs,
                skill_ratings=ratings,
                experiences=experiences,
                appointment_forms=forms[j],
                available_from=t_from[j],
                available_to=t_to[j],
            )
        )

    # Needs.
    by_pref: dict[str, list[str]] = {}
    for code in need_codes:
        by_pref.setdefault(prefecture_of(code), []).append(code)
    codes = _pick(rng, need_codes, N)
    persona = rng.choice(4, size=N, p=PERSONA_SHARE)
    joint = rng.random(N) < 0.05
    joint_k = rng.integers(1, 3, size=N)
    n_skills = rng.integers(2, 5, size=N)
    skill_draw = rng.random((N, 8))
    weight = _pick(rng, (1.0, 1.5, 2.0), N, (0.7, 0.1, 0.2))
    excluded = _subsets(rng, companies, N, 0.1, 2)
    n_forms = _subsets(rng, FORMS, N, 0.3, 2)
    n_prefs_on = rng.random(N) < 0.05
    n_prefs = rng.integers(0, max(1, T), size=(N, 3))
    n_prefs_k = rng.integers(1, 4, size=N)
    hours = _pick(rng, (4, 8, 12, 16), N, (0.25, 0.4, 0.2, 0.15))
    onsite = _pick(rng, (0, 1, 2, 4, 8), N, (0.2, 0.2, 0.3, 0.2, 0.1))
    n_from = _dates(rng, N, 0.2, 0, 120)
    needs = []
    for i in range(N):
        p = PERSONAS[int(persona[i])]
        code = codes[i]
        municipalities: tuple[str, ...] = (code,)
        if joint[i]:
            # A joint need (一部事務組合, 連携中枢都市圏 …): the nearest one or two bodies of the same prefecture.
            lat0, lng0 = coords[code]
            same = sorted(
                (c for c in by_pref[prefecture_of(code)] if c != code),
                key=lambda c: ((coords[c][0] - lat0) ** 2 + (coords[c][1] - lng0) ** 2, c),
            )
            municipalities = (code, *same[: int(joint_k[i])])
        items = SKILLS[p] + HUMAN_SKILLS
        chosen = np.argsort(skill_draw[i, : len(items)], kind="stable")[: min(int(n_skills[i]), len(items))]
        prefs = ()
        if T and n_prefs_on[i]:
            prefs = tuple(dict.fromkeys(talent_ids[int(x)] for x in n_prefs[i, : n_prefs_k[i]]))
        needs.append(
            Need(
                id=need_ids[i],
                municipalities=municipalities,
                persona=p,
                hours_per_week=float(hours[i]),
                onsite_days_per_month=float(onsite[i]),
                weight=float(weight[i]),
                excluded_employers=excluded[i],
                preferences=prefs,
                skills=tuple(items[int(x)] for x in sorted(chosen)),
                appointment_forms=n_forms[i],
                available_from=n_from[i],
                available_to=None,
            )
        )
    return needs, talents


def prefecture_instance(
    coords: Mapping[str, tuple[float, float]],
    prefecture: str = "42",
    n_needs: int = 150,
    n_talents: int = 600,
    *,
    seed: int = 0,
    neighbours: int = 3,
) -> tuple[list[Need], list[Talent]]:
    """Needs in one prefecture's municipalities (default 42 長崎県); talents homed there and next door."""
    need_codes = [c for c in coords if prefecture_of(c) == prefecture]
    if not need_codes:
        raise ValueError(f"no municipality of prefecture {prefecture} in coords")
    prefs = {prefecture, *neighbouring_prefectures(coords, prefecture, neighbours)}
    talent_codes = [c for c in coords if prefecture_of(c) in prefs]
    return generate_instance(
        coords, n_needs, n_talents, seed=seed, need_codes=need_codes, talent_codes=talent_codes
    )


def national_instance(
    coords: Mapping[str, tuple[float, float]], n_needs: int = 6000, n_talents: int = 20000, *, seed: int = 0
) -> tuple[list[Need], list[Talent]]:
    """Needs and talents over every municipality in coords."""
    return generate_instance(coords, n_needs, n_talents, seed=seed)

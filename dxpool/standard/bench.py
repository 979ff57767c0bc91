"""`dxpool bench assess`: assess N generated profiles against all four personas and time it.

Target (issue 3): 20,000 profiles × 4 personas in ≤ 2 s on the project's 2-core machine. Only the assessment
is timed: generating profiles is set-up, and the rule tables are warmed first, as a running server has them.
"""

from __future__ import annotations

import platform
import random
import time

from dxpool.standard.assess import Experience, Profile, SkillLevel, assess
from dxpool.standard.errors import StandardError
from dxpool.standard.loader import FRAMEWORKS, LEVEL_RANGE, Standard, load_standard

TARGET_SECONDS = 2.0


def add_arguments(parser) -> None:
    """Options of `dxpool bench assess`."""
    parser.add_argument("--profiles", type=int, default=20_000, help="number of profiles (default 20000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the generated profiles (default 1)")
    parser.add_argument("--standard", default=None, help="standard version (default: the newest)")


def generate_profiles(n: int, seed: int = 1, standard: Standard | None = None) -> list[Profile]:
    """Realistic, deterministic profiles: most people hold 0–2 qualifications, a few ITSS/UISS levels
    (mid levels commonest), 0–3 experiences with management years where counted, and rate some skills."""
    standard = standard or load_standard()
    rng = random.Random(seed)
    quals = [q.name for q in standard.qualifications]
    fields = [(fw, f) for fw in FRAMEWORKS for f in standard.fields(fw)]
    codes = list(standard.experience_codes)
    counted = {e.code for p in standard.personas for e in p.experiences if e.min_years}
    skills = [s.name for s in standard.skill_items()]
    levels = list(range(LEVEL_RANGE[0], LEVEL_RANGE[1] + 1))
    level_weights = [4, 10, 14, 10, 5, 2, 1]  # ITSS levels 2–4 are where working professionals sit
    out = []
    for _ in range(n):
        out.append(Profile(
            qualifications=tuple(rng.sample(quals, k=rng.choice([0, 0, 0, 1, 1, 2]))),
            skill_levels=tuple(SkillLevel(fw, f, rng.choices(levels, level_weights)[0])
                               for fw, f in rng.sample(fields, k=rng.randint(0, 3))),
            experiences=tuple(Experience(c, float(rng.randint(0, 12)) if c in counted else None)
                              for c in rng.sample(codes, k=rng.randint(0, 3))),
            skill_ratings={s: rng.randint(0, 4) for s in rng.sample(skills, k=rng.randint(0, len(skills)))},
        ))
    return out


def run(*, profiles: int = 20_000, seed: int = 1, standard: str | None = None, **_ignored) -> dict:
    """Generate, then time only the assessment of every profile against every persona; return the figures."""
    if profiles < 1:
        raise ValueError("--profiles must be at least 1")
    try:
        std = load_standard(standard)
    except StandardError as exc:
        raise ValueError(str(exc)) from None  # `dxpool bench` reports ValueError as bad input (exit 2)
    batch = generate_profiles(profiles, seed, std)
    assess(batch[0], std)  # warm the per-standard rule tables, as a running server would have them
    start = time.perf_counter()
    results = [assess(p, std) for p in batch]
    seconds = time.perf_counter() - start
    met = {p.code: 0 for p in std.personas}
    for r in results:
        for pa in r.personas:
            met[pa.code] += pa.meets_standard
    return {
        "benchmark": "assess",
        "standard": std.version,
        "profiles": profiles,
        "personas": len(std.personas),
        "seed": seed,
        "seconds": round(seconds, 4),
        "profiles_per_second": round(profiles / seconds) if seconds else None,
        "target_seconds": TARGET_SECONDS,
        "meets_standard": met,
        "python": platform.python_version(),
    }

"""Reading an instance from JSON-shaped data (the `dxpool match` input format).

    {"needs": [{"id", "municipality" | "municipalities", "persona", "hours_per_week",
                "onsite_days_per_month", "weight"?, "excluded_employers"?, "preferences"?, "skills"?,
                "appointment_forms"?, "available_from"?, "available_to"?}],
     "talents": [{"id", "home", "capacity_hours_per_week", "max_assignments", "travel_km", "remote_ok",
                  "trained", "fit", "employers"?, "preferences"?, "skill_ratings"?, "experiences"?,
                  "appointment_forms"?, "available_from"?, "available_to"?}],
     "scores"?: [[need, talent, score]], "locked"?: [[need, talent]], "excluded"?: [[need, talent]]}

Every problem is an InstanceError whose one-line message names the record and field.
"""

from __future__ import annotations

from datetime import date
from numbers import Real
from typing import Any

from .errors import InstanceError
from .model import Need, Talent

NEED_FIELDS = {
    "id",
    "municipality",
    "municipalities",
    "persona",
    "hours_per_week",
    "onsite_days_per_month",
    "weight",
    "excluded_employers",
    "preferences",
    "skills",
    "appointment_forms",
    "available_from",
    "available_to",
}
TALENT_FIELDS = {
    "id",
    "home",
    "capacity_hours_per_week",
    "max_assignments",
    "travel_km",
    "remote_ok",
    "trained",
    "fit",
    "employers",
    "preferences",
    "skill_ratings",
    "experiences",
    "appointment_forms",
    "available_from",
    "available_to",
}
TOP_FIELDS = {"needs", "talents", "scores", "locked", "excluded"}


def _str(rec: dict, key: str, where: str, *, required: bool = True) -> str | None:
    if key not in rec:
        if required:
            raise InstanceError(f"{where}: missing field {key!r}")
        return None
    v = rec[key]
    if not isinstance(v, str) or not v.strip():
        raise InstanceError(f"{where}.{key}: expected a non-empty string, got {v!r}")
    return v


def _num(rec: dict, key: str, where: str, *, default: Any = ..., integer: bool = False):
    if key not in rec:
        if default is ...:
            raise InstanceError(f"{where}: missing field {key!r}")
        return default
    v = rec[key]
    if isinstance(v, bool) or not isinstance(v, Real):
        raise InstanceError(f"{where}.{key}: expected a number, got {v!r}")
    if integer:
        if float(v) != int(v):
            raise InstanceError(f"{where}.{key}: expected a whole number, got {v!r}")
        return int(v)
    return float(v)


def _bool(rec: dict, key: str, where: str) -> bool:
    if key not in rec:
        raise InstanceError(f"{where}: missing field {key!r}")
    v = rec[key]
    if not isinstance(v, bool):
        raise InstanceError(f"{where}.{key}: expected true or false, got {v!r}")
    return v


def _strs(rec: dict, key: str, where: str) -> tuple[str, ...]:
    v = rec.get(key, [])
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise InstanceError(f"{where}.{key}: expected a list of strings, got {v!r}")
    return tuple(v)


def _numbers(rec: dict, key: str, where: str, *, required: bool) -> dict[str, float]:
    if key not in rec:
        if required:
            raise InstanceError(f"{where}: missing field {key!r}")
        return {}
    v = rec[key]
    if not isinstance(v, dict):
        raise InstanceError(f"{where}.{key}: expected an object of name → number, got {v!r}")
    out = {}
    for k, x in v.items():
        if isinstance(x, bool) or not isinstance(x, Real):
            raise InstanceError(f"{where}.{key}.{k}: expected a number, got {x!r}")
        out[k] = float(x)
    return out


def _date(rec: dict, key: str, where: str) -> date | None:
    v = rec.get(key)
    if v is None:
        return None
    if not isinstance(v, str):
        raise InstanceError(f"{where}.{key}: expected an ISO date string, got {v!r}")
    try:
        return date.fromisoformat(v)
    except ValueError:
        raise InstanceError(f"{where}.{key}: not an ISO date (YYYY-MM-DD): {v!r}") from None


def _record(rec: Any, where: str, allowed: set[str]) -> dict:
    if not isinstance(rec, dict):
        raise InstanceError(f"{where}: expected an object, got {type(rec).__name__}")
    unknown = sorted(set(rec) - allowed)
    if unknown:
        raise InstanceError(f"{where}: unknown field {unknown[0]!r}")
    return rec


def _need(rec: Any, k: int) -> Need:
    where = f"needs[{k}]"
    rec = _record(rec, where, NEED_FIELDS)
    nid = _str(rec, "id", where)
    where = f"needs[{k}] ({nid})"
    if "municipality" in rec and "municipalities" in rec:
        raise InstanceError(f"{where}: give either 'municipality' or 'municipalities', not both")
    if "municipalities" in rec:
        munis = _strs(rec, "municipalities", where)
        if not munis:
            raise InstanceError(f"{where}.municipalities: must not be empty")
    else:
        munis = (_str(rec, "municipality", where),)
    return Need(
        id=nid,
        municipalities=munis,
        persona=_str(rec, "persona", where),
        hours_per_week=_num(rec, "hours_per_week", where),
        onsite_days_per_month=_num(rec, "onsite_days_per_month", where),
        weight=_num(rec, "weight", where, default=1.0),
        excluded_employers=_strs(rec, "excluded_employers", where),
        preferences=_strs(rec, "preferences", where),
        skills=_strs(rec, "skills", where),
        appointment_forms=_strs(rec, "appointment_forms", where),
        available_from=_date(rec, "available_from", where),
        available_to=_date(rec, "available_to", where),
    )


def _talent(rec: Any, k: int) -> Talent:
    where = f"talents[{k}]"
    rec = _record(rec, where, TALENT_FIELDS)
    tid = _str(rec, "id", where)
    where = f"talents[{k}] ({tid})"
    return Talent(
        id=tid,
        home=_str(rec, "home", where),
        capacity_hours_per_week=_num(rec, "capacity_hours_per_week", where),
        max_assignments=_num(rec, "max_assignments", where, integer=True),
        travel_km=_num(rec, "travel_km", where),
        remote_ok=_bool(rec, "remote_ok", where),
        trained=_bool(rec, "trained", where),
        fit=_numbers(rec, "fit", where, required=True),
        employers=_strs(rec, "employers", where),
        preferences=_strs(rec, "preferences", where),
        skill_ratings=_numbers(rec, "skill_ratings", where, required=False),
        experiences=_strs(rec, "experiences", where),
        appointment_forms=_strs(rec, "appointment_forms", where),
        available_from=_date(rec, "available_from", where),
        available_to=_date(rec, "available_to", where),
    )


def _pairs(data: dict, key: str, width: int) -> tuple:
    v = data.get(key)
    if v is None:
        return ()
    if not isinstance(v, list):
        raise InstanceError(
            f"{key}: expected a list of {'[need, talent, score]' if width == 3 else '[need, talent]'}"
        )
    out = []
    for k, item in enumerate(v):
        if not isinstance(item, list) or len(item) != width or not all(isinstance(x, str) for x in item[:2]):
            shape = "[need, talent, score]" if width == 3 else "[need, talent]"
            raise InstanceError(f"{key}[{k}]: expected {shape}, got {item!r}")
        if width == 3 and (isinstance(item[2], bool) or not isinstance(item[2], Real)):
            raise InstanceError(f"{key}[{k}]: score must be a number, got {item[2]!r}")
        out.append(tuple(item))
    return tuple(out)


def instance_from_dict(data: Any) -> dict[str, Any]:
    """Parse JSON-shaped data into {"needs", "talents", "scores" (or None), "locked", "excluded"}."""
    if not isinstance(data, dict):
        raise InstanceError(
            f"input: expected a JSON object with 'needs' and 'talents', got {type(data).__name__}"
        )
    unknown = sorted(set(data) - TOP_FIELDS)
    if unknown:
        raise InstanceError(f"input: unknown field {unknown[0]!r}")
    for key in ("needs", "talents"):
        if key not in data:
            raise InstanceError(f"input: missing field {key!r}")
        if not isinstance(data[key], list):
            raise InstanceError(f"{key}: expected a list")
    return {
        "needs": [_need(r, k) for k, r in enumerate(data["needs"])],
        "talents": [_talent(r, k) for k, r in enumerate(data["talents"])],
        "scores": _pairs(data, "scores", 3) if "scores" in data else None,
        "locked": _pairs(data, "locked", 2),
        "excluded": _pairs(data, "excluded", 2),
    }

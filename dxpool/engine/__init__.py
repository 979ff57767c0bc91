"""dxpool.engine — the pure-Python matching engine (no Django).

Scores (need, talent) pairs, then either maximises the total score (optimal mode) or finds a stable
matching by deferred acceptance (stable mode), and explains every outcome. See docs/matching.md.

    from dxpool.engine import Need, Talent, MatchParams, match, result_to_dict
"""

from .api import explain_pair, match, result_to_dict
from .errors import InstanceError
from .io import instance_from_dict
from .model import Assignment, MatchParams, MatchResult, Need, ScoreWeights, Talent, Unfilled
from .stable import find_blocking_pairs
from .validate import validate_instance

__all__ = [
    "Assignment",
    "InstanceError",
    "MatchParams",
    "MatchResult",
    "Need",
    "ScoreWeights",
    "Talent",
    "Unfilled",
    "explain_pair",
    "find_blocking_pairs",
    "instance_from_dict",
    "match",
    "result_to_dict",
    "validate_instance",
]

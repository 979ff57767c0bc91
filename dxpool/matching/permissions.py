"""Who may do what in matching, stated once.

Runs, pair rules and sending belong to the prefecture secretariat that holds the run's (or the need's)
prefecture; a sent proposal is answered by its two sides — an officer of the need's municipality (any of them
for a joint need) and the talent whose profile was proposed. Services enforce these predicates with
`require(...)`; selectors use them to show only the actions that will succeed. Whether the record's *state*
allows the act (a run not yet done, a proposal not yet sent) is the status machine's business, not these
predicates'.
"""

from __future__ import annotations

from typing import Any

from dxpool.core.permissions import is_officer_of, is_secretariat, is_secretariat_of, is_talent


def can_run_matching(*, user: Any, obj: Any = None) -> bool:
    """Start a run (in the user's own prefecture); with `obj`, a run to re-run as a what-if."""
    if obj is not None:
        return is_secretariat_of(user, obj.prefecture_id)
    return is_secretariat(user)


def can_review_run(*, user: Any, obj: Any) -> bool:
    """See a run's proposals, scores and explanations (the pseudonyms only, never names)."""
    return is_secretariat_of(user, obj.prefecture_id)


def can_set_pair_rule(*, user: Any, obj: Any) -> bool:
    """Lock, exclude or clear a pair for one need (`obj`: the need)."""
    return is_secretariat_of(user, obj.prefecture_id)


def can_send_proposals(*, user: Any, obj: Any) -> bool:
    """Send a run's proposals to both sides (`obj`: the run)."""
    return is_secretariat_of(user, obj.prefecture_id)


def proposal_side(*, user: Any, obj: Any) -> str | None:
    """Which side of the proposal the user answers for: the decision field's name, or None.

    The service writes the answer into that field, so "may answer" and "answers as whom" are one rule.
    """
    if any(is_officer_of(user, m) for m in obj.need.municipality_ids()):
        return "municipality_decision"
    if is_talent(user) and obj.profile.user_id == user.pk:
        return "talent_decision"
    return None


def can_answer_proposal(*, user: Any, obj: Any) -> bool:
    """Accept or decline a proposal (`obj`) as one of its two sides."""
    return proposal_side(user=user, obj=obj) is not None


def can_withdraw_proposal(*, user: Any, obj: Any) -> bool:
    """Take back a sent proposal (`obj`), with a reason: the secretariat of the run's prefecture."""
    return is_secretariat_of(user, obj.run.prefecture_id)

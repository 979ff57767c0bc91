"""Reads for matching, scoped by the acting user."""

from django.db.models import QuerySet

from dxpool.accounts.models import Role, User
from dxpool.core.errors import NotFound
from dxpool.matching.models import MatchRun, Proposal, ProposalStatus


def run_scope(*, user: User) -> QuerySet[MatchRun]:
    if user.is_authenticated and user.role == Role.PREFECTURE:
        return MatchRun.objects.filter(prefecture_id=user.prefecture_id_scope)
    return MatchRun.objects.none()


def run_get(*, user: User, pk: int) -> MatchRun:
    run = run_scope(user=user).filter(pk=pk).first()
    if run is None:
        raise NotFound("指定のマッチング実行は見つからないか、閲覧権限がありません。")
    return run


def proposal_list_for(*, user: User) -> QuerySet[Proposal]:
    """Proposals sent to the user's side: a municipality's needs, or the talent's own profile."""
    qs = Proposal.objects.select_related("need", "profile", "run").exclude(status=ProposalStatus.PROPOSED)
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.MUNICIPALITY:
        from dxpool.needs.models import Need

        needs = Need.objects.for_municipality(user.municipality_id_scope)
        return qs.filter(need__in=needs)
    if user.role == Role.TALENT:
        return qs.filter(profile__user=user)
    if user.role == Role.PREFECTURE:
        return qs.filter(run__prefecture_id=user.prefecture_id_scope)
    return qs.none()


def proposal_get_for(*, user: User, pk: int) -> Proposal:
    p = proposal_list_for(user=user).filter(pk=pk).first()
    if p is None:
        raise NotFound("指定の提案は見つからないか、閲覧権限がありません。")
    return p


def accepted_between(*, municipality_id: int, profile_id: int) -> bool:
    """True once a proposal for one of the municipality's needs was accepted by both sides."""
    from dxpool.needs.models import Need

    return Proposal.objects.filter(status=ProposalStatus.ACCEPTED, profile_id=profile_id,
                                   need__in=Need.objects.for_municipality(municipality_id)).exists()

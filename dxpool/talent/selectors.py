"""Reads for rounds, applications and the pool, scoped by the acting user.

Full profiles are personal data: only the holding prefecture's secretariat and the applicant see them, and
every such view is audited (profile_get_full). Municipality officers get PseudonymousProfile rows.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from dxpool.accounts.models import Role, User
from dxpool.core.audit import AuditAction, audit_record
from dxpool.core.errors import NotFound, ValidationError
from dxpool.core.text import search_key
from dxpool.engine.geo import haversine_km
from dxpool.places.models import Municipality
from dxpool.talent.models import (
    PERSONA_CHOICES,
    Application,
    RecruitmentRound,
    RoundStatus,
    TalentProfile,
)
from dxpool.talent.models import (
    ApplicationStatus as S,
)

POOL_STATUSES = [S.SELECTED, S.IN_TRAINING, S.POOLED, S.DISPATCHED]
PERSONA_NAMES = dict(PERSONA_CHOICES)


def round_scope(*, user: User) -> QuerySet[RecruitmentRound]:
    qs = RecruitmentRound.objects.select_related("prefecture")
    if not user.is_authenticated:
        return qs.filter(status=RoundStatus.OPEN)
    if user.role == Role.NATIONAL:
        return qs
    if user.role in (Role.PREFECTURE, Role.MUNICIPALITY):
        return qs.filter(prefecture_id=user.prefecture_id_scope)
    return qs.exclude(status=RoundStatus.DRAFT)


def round_list(*, user: User, status: str | None = None) -> QuerySet[RecruitmentRound]:
    qs = round_scope(user=user)
    if status:
        qs = qs.filter(status=status)
    return qs


def round_get(*, user: User, pk: int) -> RecruitmentRound:
    rnd = round_scope(user=user).filter(pk=pk).first()
    if rnd is None:
        raise NotFound("指定の公募は見つからないか、閲覧権限がありません。")
    return rnd


def open_rounds() -> QuerySet[RecruitmentRound]:
    """Rounds accepting applications now (public)."""
    return RecruitmentRound.objects.select_related("prefecture").filter(status=RoundStatus.OPEN,
                                                                       deadline__gt=timezone.now())


def application_scope(*, user: User) -> QuerySet[Application]:
    qs = Application.objects.select_related("round", "round__prefecture", "profile", "profile__home_municipality")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.PREFECTURE:
        return qs.filter(round__prefecture_id=user.prefecture_id_scope)
    if user.role == Role.TALENT:
        return qs.filter(profile__user=user)
    return qs.none()  # national sees aggregates only; municipalities see the pseudonymised pool


def application_list(*, user: User, round_id: int | None = None, status: str | None = None,
                     persona: str | None = None, q: str | None = None) -> QuerySet[Application]:
    qs = application_scope(user=user)
    if round_id is not None:
        qs = qs.filter(round_id=round_id)
    if status:
        qs = qs.filter(status=status)
    if persona:
        qs = qs.filter(persona=persona)
    if q:
        for term in search_key(q).split():
            qs = qs.filter(Q(profile__search_text__contains=term) | Q(profile__full_name__contains=term)
                           | Q(profile__pseudonym__contains=term))
    return qs


def application_get(*, user: User, pk: int) -> Application:
    app = application_scope(user=user).filter(pk=pk).first()
    if app is None:
        raise NotFound("指定の応募は見つからないか、閲覧権限がありません。")
    return app


def application_status_counts(*, user: User, round_id: int | None = None) -> dict[str, int]:
    from django.db.models import Count

    qs = application_scope(user=user)
    if round_id is not None:
        qs = qs.filter(round_id=round_id)
    counts = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    return {s: counts.get(s, 0) for s in S.values}


# --- the pool ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PoolFilters:
    persona: str | None = None
    skill: str | None = None
    min_rating: int = 1
    prefecture_code: str | None = None
    near_municipality: str | None = None
    within_km: int | None = None
    min_hours: int | None = None
    available_on: date | None = None
    training: str | None = None  # "completed" | "pending"
    status: str | None = None
    q: str | None = None


def _profile_scope(user: User) -> QuerySet[TalentProfile]:
    qs = TalentProfile.objects.select_related("home_municipality", "home_municipality__prefecture", "prefecture")
    if not user.is_authenticated:
        return qs.none()
    if user.role in (Role.PREFECTURE, Role.MUNICIPALITY):
        # The pool serves the prefecture's municipalities; municipalities only ever get pseudonymised rows.
        return qs.filter(prefecture_id=user.prefecture_id_scope)
    return qs.none()


def pool_search(*, user: User, filters: PoolFilters) -> list[TalentProfile]:
    """Profiles in the user's pool (selected, in training, pooled or dispatched) matching the filters.

    Returns a list, annotated with `pool_status`, `training_completed` and `distance_km` where a municipality
    was given, ordered by distance then pseudonym.
    """
    apps = Application.objects.filter(status__in=POOL_STATUSES)
    if filters.status:
        apps = apps.filter(status=filters.status)
    if filters.training == "completed":
        apps = apps.filter(training_completed_at__isnull=False)
    elif filters.training == "pending":
        apps = apps.filter(training_completed_at__isnull=True)
    elif filters.training:
        raise ValidationError("研修状況は completed または pending を指定してください。", field="training")
    qs = _profile_scope(user).filter(applications__in=apps).distinct()
    if filters.persona:
        if filters.persona not in PERSONA_NAMES:
            raise ValidationError(f"人材像「{filters.persona}」はありません。", field="persona")
        qs = qs.filter(personas_met__contains=f" {filters.persona} ")
    if filters.skill:
        qs = qs.filter(**{f"skill_ratings__{filters.skill}__gte": filters.min_rating})
    if filters.prefecture_code:
        qs = qs.filter(home_municipality__prefecture__code=filters.prefecture_code)
    if filters.min_hours:
        qs = qs.filter(hours_per_week__gte=filters.min_hours)
    if filters.available_on:
        d = filters.available_on
        qs = qs.filter(Q(available_from__isnull=True) | Q(available_from__lte=d)).filter(
            Q(available_to__isnull=True) | Q(available_to__gte=d))
    if filters.q:
        for term in search_key(filters.q).split():
            qs = qs.filter(search_text__contains=term)
    profiles = list(qs.order_by("pseudonym"))
    status_by_profile: dict[int, Application] = {}
    for app in apps.filter(profile__in=profiles).order_by("applied_at"):
        status_by_profile[app.profile_id] = app
    origin = None
    if filters.near_municipality:
        origin = Municipality.objects.filter(code=filters.near_municipality).first()
        if origin is None:
            raise ValidationError(f"団体コード「{filters.near_municipality}」の市区町村はありません。",
                                  field="near_municipality")
    result = []
    for p in profiles:
        app = status_by_profile.get(p.pk)
        p.pool_status = app.status if app else ""
        p.pool_status_label = app.get_status_display() if app else ""
        p.training_completed = bool(app and app.training_completed_at)
        p.distance_km = None
        if origin and p.home_municipality:
            # The matching engine's own great-circle distance, so "within N km" here is the engine's rule.
            home = p.home_municipality
            p.distance_km = round(haversine_km((float(origin.lat), float(origin.lng)), (float(home.lat), float(home.lng))), 1)
        if origin and filters.within_km is not None:
            reachable = p.remote_ok or (p.distance_km is not None and p.distance_km <= filters.within_km)
            if not reachable:
                continue
        result.append(p)
    if origin:
        result.sort(key=lambda p: (p.distance_km is None, p.distance_km or 0, p.pseudonym))
    return result


@dataclass(frozen=True)
class PseudonymousProfile:
    """What a municipality sees before a proposal is accepted: no name, contact, employer or side employers."""

    pseudonym: str
    personas_met: tuple[str, ...]
    persona_scores: tuple[tuple[str, float], ...]
    qualifications: tuple[str, ...]
    experience_codes: tuple[str, ...]
    home_prefecture: str
    hours_per_week: int
    onsite_days_per_month: int
    remote_ok: bool
    available_from: date | None
    available_to: date | None
    pool_status_label: str
    training_completed: bool


def pseudonymise(profile: TalentProfile) -> PseudonymousProfile:
    personas = tuple(profile.personas_met.split())
    scores = tuple((p["code"], float(p.get("skill_score", 0))) for p in profile.assessment.get("personas", []))
    home = profile.home_municipality.prefecture.name if profile.home_municipality else ""
    return PseudonymousProfile(
        pseudonym=profile.pseudonym, personas_met=personas, persona_scores=scores,
        qualifications=tuple(profile.qualifications),
        experience_codes=tuple(e.get("code", "") for e in profile.experiences if isinstance(e, dict)),
        home_prefecture=home, hours_per_week=profile.hours_per_week,
        onsite_days_per_month=profile.onsite_days_per_month, remote_ok=profile.remote_ok,
        available_from=profile.available_from, available_to=profile.available_to,
        pool_status_label=getattr(profile, "pool_status_label", ""),
        training_completed=getattr(profile, "training_completed", False),
    )


def can_see_full_profile(*, user: User, profile: TalentProfile) -> bool:
    if not user.is_authenticated:
        return False
    if user.role == Role.TALENT:
        return profile.user_id == user.pk
    if user.role == Role.MUNICIPALITY:
        # Pseudonymisation lifts for a municipality once both sides accepted a proposal for one of its needs.
        from dxpool.matching.selectors import accepted_between

        return accepted_between(municipality_id=user.municipality_id_scope, profile_id=profile.pk)
    return user.role == Role.PREFECTURE and user.prefecture_id_scope == profile.prefecture_id


def profile_get_full(*, user: User, pk: int, request=None) -> TalentProfile:
    """The full profile (personal data), for the holding prefecture, the applicant, or a municipality after an
    accepted proposal; audited every time."""
    profile = TalentProfile.objects.select_related("home_municipality", "prefecture", "user").filter(pk=pk).first()
    if profile is None or not can_see_full_profile(user=user, profile=profile):
        raise NotFound("指定のプロフィールは見つからないか、閲覧権限がありません。")
    audit_record(actor=user, action=AuditAction.PROFILE_VIEW_FULL, target=profile, prefecture=profile.prefecture,
                 request=request)
    return profile


def profile_get_pseudonymous(*, user: User, pseudonym: str) -> PseudonymousProfile:
    profile = _profile_scope(user).filter(pseudonym=pseudonym,
                                          applications__status__in=POOL_STATUSES).distinct().first()
    if profile is None:
        raise NotFound("指定の人材は見つからないか、閲覧権限がありません。")
    app = profile.applications.filter(status__in=POOL_STATUSES).order_by("-applied_at").first()
    profile.pool_status_label = app.get_status_display() if app else ""
    profile.training_completed = bool(app and app.training_completed_at)
    return pseudonymise(profile)


def own_profiles(*, user: User) -> QuerySet[TalentProfile]:
    if not user.is_authenticated or user.role != Role.TALENT:
        return TalentProfile.objects.none()
    return TalentProfile.objects.filter(user=user).select_related("prefecture", "home_municipality")

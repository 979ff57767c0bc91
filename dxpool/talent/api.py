"""API for recruitment rounds, applications, profiles, assessment and screening, with the UI's permissions."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from dxpool.core.pagination import Pagination
from dxpool.talent import selectors, services

router = Router(tags=["talent"])


class RoundOut(Schema):
    id: int
    prefecture_code: str = Field(..., alias="prefecture.code")
    title: str
    personas: list[str]
    role: str
    duties: str
    appointment_forms: list[str]
    pay_min: int | None
    pay_max: int | None
    pay_unit: str
    days_per_week: float | None
    work_style: str
    period_from: date | None
    period_to: date | None
    deadline: datetime
    status: str


class RoundIn(Schema):
    title: str
    personas: list[str]
    role: str = ""
    duties: str
    appointment_forms: list[str]
    pay_min: int | None = None
    pay_max: int | None = None
    pay_unit: str = "month"
    days_per_week: float | None = None
    work_style: str = "hybrid"
    period_from: date | None = None
    period_to: date | None = None
    deadline: datetime


class StatusIn(Schema):
    status: str


class ProfileData(Schema):
    full_name: str
    full_name_kana: str = ""
    email: str
    phone: str = ""
    employer: str = ""
    side_employers: list[str] = []
    qualifications: list[str] = []
    skill_levels: list[dict[str, Any]] = []
    experiences: list[dict[str, Any]] = []
    skill_ratings: dict[str, int] = {}
    experience_description: str = ""
    hours_per_week: int = 0
    onsite_days_per_month: int = 0
    available_from: date | None = None
    available_to: date | None = None
    home_municipality: str | None = None
    remote_ok: bool = True
    travel_km: int = 50
    appointment_forms: list[str] = []


class ApplicationIn(Schema):
    persona: str
    consent_version: str
    motivation: str = ""
    profile: ProfileData


class ApplicationOut(Schema):
    id: int
    round_id: int
    profile_id: int
    pseudonym: str = Field(..., alias="profile.pseudonym")
    persona: str
    status: str
    applied_at: datetime
    consented_at: datetime
    consent_version: str = Field(..., alias="consent.version")
    training_completed_at: datetime | None


class ProfileOut(Schema):
    id: int
    pseudonym: str
    prefecture_code: str = Field(..., alias="prefecture.code")
    full_name: str
    email: str
    phone: str
    employer: str
    side_employers: list[str]
    qualifications: list[str]
    skill_levels: list[dict[str, Any]]
    experiences: list[dict[str, Any]]
    skill_ratings: dict[str, int]
    hours_per_week: int
    onsite_days_per_month: int
    available_from: date | None
    available_to: date | None
    home_municipality: str | None = Field(None, alias="home_municipality.code")
    remote_ok: bool
    travel_km: int
    appointment_forms: list[str]
    assessment: dict[str, Any]


class SkillOut(Schema):
    name: str
    rating: int


class PseudonymousOut(Schema):
    pseudonym: str
    personas_met: list[str]
    qualifications: list[str]
    home_prefecture: str
    hours_per_week: int
    onsite_days_per_month: int
    remote_ok: bool
    available_from: date | None
    available_to: date | None
    pool_status_label: str
    training_completed: bool
    skills: list[SkillOut] = Field(default_factory=list, description="自己評価3以上のスキル項目（カードに表示する分だけ）")

    @staticmethod
    def resolve_skills(obj):
        return [{"name": name, "rating": rating} for name, rating in obj.skills]


class DecisionIn(Schema):
    criterion: str
    decision: str
    reason: str


class DecisionOut(Schema):
    id: int
    criterion: str
    decision: str
    reason: str
    decided_by: str
    decided_at: datetime

    @staticmethod
    def resolve_decided_by(obj):
        return str(obj.decided_by)


class TransitionIn(Schema):
    to_status: str
    note: str = ""


class AssessIn(Schema):
    qualifications: list[str] = []
    skill_levels: list[dict[str, Any]] = []
    experiences: list[dict[str, Any]] = []
    skill_ratings: dict[str, int] = {}


@router.get("/rounds", response=list[RoundOut])
@paginate(Pagination)
def round_list(request, status: str | None = None):
    return selectors.round_list(user=request.user, status=status)


@router.post("/rounds", response={201: RoundOut})
def round_create(request, payload: RoundIn):
    return Status(201, services.round_create(actor=request.user, data=payload.dict()))


@router.get("/rounds/{round_id}", response=RoundOut)
def round_get(request, round_id: int):
    return selectors.round_get(user=request.user, pk=round_id)


@router.put("/rounds/{round_id}", response=RoundOut)
def round_update(request, round_id: int, payload: RoundIn):
    rnd = selectors.round_get(user=request.user, pk=round_id)
    return services.round_update(actor=request.user, rnd=rnd, data=payload.dict())


@router.post("/rounds/{round_id}/status", response=RoundOut)
def round_status(request, round_id: int, payload: StatusIn):
    rnd = selectors.round_get(user=request.user, pk=round_id)
    return services.round_set_status(actor=request.user, rnd=rnd, status=payload.status)


@router.post("/rounds/{round_id}/applications", response={201: ApplicationOut})
def application_submit(request, round_id: int, payload: ApplicationIn):
    """Apply to a round as the signed-in applicant (consent version must be the current one)."""
    rnd = selectors.round_get(user=request.user, pk=round_id)
    app = services.application_submit(actor=request.user, rnd=rnd, persona=payload.persona,
                                      consent_version=payload.consent_version, motivation=payload.motivation,
                                      profile_data=payload.profile.dict())
    return Status(201, app)


@router.get("/applications", response=list[ApplicationOut])
@paginate(Pagination)
def application_list(request, round_id: int | None = None, status: str | None = None, persona: str | None = None,
                     q: str | None = None):
    return selectors.application_list(user=request.user, round_id=round_id, status=status, persona=persona, q=q)


@router.get("/applications/{application_id}", response=ApplicationOut)
def application_get(request, application_id: int):
    return selectors.application_get(user=request.user, pk=application_id)


@router.post("/applications/{application_id}/transition", response=ApplicationOut)
def application_transition(request, application_id: int, payload: TransitionIn):
    app = selectors.application_get(user=request.user, pk=application_id)
    return services.application_transition(actor=request.user, application=app, to_status=payload.to_status,
                                           note=payload.note)


@router.get("/applications/{application_id}/decisions", response=list[DecisionOut])
def decision_list(request, application_id: int):
    return selectors.decision_list(user=request.user, application_id=application_id)


@router.post("/applications/{application_id}/decisions", response={201: DecisionOut})
def decision_create(request, application_id: int, payload: DecisionIn):
    app = selectors.application_get(user=request.user, pk=application_id)
    return Status(201, services.screening_decide(actor=request.user, application=app, **payload.dict()))


@router.get("/profiles/{profile_id}", response=ProfileOut)
def profile_get(request, profile_id: int):
    """A full profile (holding prefecture or the applicant only); every call is audited."""
    return selectors.profile_get_full(user=request.user, pk=profile_id, request=request)


@router.put("/profiles/{profile_id}", response=ProfileOut)
def profile_update(request, profile_id: int, payload: ProfileData):
    profile = selectors.profile_get_full(user=request.user, pk=profile_id, request=request)
    return services.talent_profile_save(actor=request.user, prefecture=profile.prefecture, data=payload.dict(),
                                        profile=profile)


@router.get("/pool", response=list[PseudonymousOut])
@paginate(Pagination)
def pool(request, persona: str | None = None, skill: str | None = None, min_rating: int = 3,
         near_municipality: str | None = None, reachable: bool = False, include_remote: bool = False,
         min_hours: int | None = None, available_on: date | None = None, training: str | None = None,
         q: str | None = None):
    """The pool, pseudonymised for every caller (full records are under /profiles/{id} for the prefecture).

    `reachable` keeps only people who can work on site in `near_municipality` by the matching engine's rule
    (home within their own travel range); `include_remote` adds those who work remotely."""
    filters = selectors.PoolFilters(persona=persona, skill=skill, min_rating=min_rating,
                                    near_municipality=near_municipality, reachable=reachable,
                                    include_remote=include_remote, min_hours=min_hours,
                                    available_on=available_on, training=training, q=q)
    return selectors.pool_pseudonymous(user=request.user, filters=filters)


@router.post("/assess", response=dict)
def assess(request, payload: AssessIn):
    """Assess inputs against the skill standard in force (no data is stored)."""
    return services.profile_assessment(data=payload.dict())

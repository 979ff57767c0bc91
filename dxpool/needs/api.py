"""API for hearing records, role suggestions and needs (same scoping as the UI)."""

from datetime import date
from typing import Any

from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from dxpool.core.errors import ValidationError
from dxpool.needs import selectors, services
from dxpool.needs.suggestion import suggest, suggestion_to_dict

router = Router(tags=["needs"])


class HearingOut(Schema):
    id: int
    municipality_code: str
    fiscal_year: int
    steps: dict[str, Any]
    measures: dict[str, Any]
    systems: dict[str, Any]
    staff_total: int | None
    it_staff: int | None
    hitori_joshis: bool
    cio_adviser_appointed: bool
    issues: str
    standardisation_progress: float

    @staticmethod
    def resolve_municipality_code(obj):
        return obj.municipality.code


class SuggestIn(Schema):
    text: str


class NeedOut(Schema):
    id: int
    title: str
    persona: str
    municipalities: list[str]
    hours_per_week: float
    onsite_days_per_month: float
    weight: float
    skills: list[str]
    excluded_employers: list[str]
    status: str

    @staticmethod
    def resolve_municipalities(obj):
        return [m.code for m in obj.municipalities.all()]


class NeedIn(Schema):
    title: str
    persona: str
    municipalities: list[str]
    hours_per_week: float
    onsite_days_per_month: float = 0
    weight: float = 1.0
    skills: list[str] = []
    excluded_employers: list[str] = []
    appointment_forms: list[str] = []
    period_from: date | None = None
    period_to: date | None = None


@router.get("/hearings", response=list[HearingOut])
@paginate(LimitOffsetPagination)
def hearing_list(request, fiscal_year: int | None = None, municipality: str | None = None):
    qs = selectors.hearing_scope(user=request.user)
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if municipality:
        qs = qs.filter(municipality__code=municipality)
    return qs


@router.get("/hearings/{hearing_id}", response=HearingOut)
def hearing_get(request, hearing_id: int):
    return selectors.hearing_get(user=request.user, pk=hearing_id)


@router.post("/suggestions", response=dict)
def suggestion(request, payload: SuggestIn):
    """Personas and skill items an issue text calls for, with reasons."""
    if not payload.text.strip():
        raise ValidationError("課題の文章が空です。", field="text")
    return suggestion_to_dict(suggest(payload.text))


@router.get("/needs", response=list[NeedOut])
@paginate(LimitOffsetPagination)
def need_list(request, status: str | None = None):
    qs = selectors.need_scope(user=request.user)
    return qs.filter(status=status) if status else qs


@router.post("/needs", response={201: NeedOut})
def need_create(request, payload: NeedIn):
    data = payload.dict()
    need = services.need_create(actor=request.user, municipality_codes=data.pop("municipalities"), **data)
    return 201, need

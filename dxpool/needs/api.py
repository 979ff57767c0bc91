"""API for hearing records, role suggestions, job descriptions, needs and the overview (same scoping as the UI:
a municipality sees only its own records; out of scope is 404)."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from dxpool.core.errors import NotFound
from dxpool.core.pagination import Pagination
from dxpool.needs import permissions, selectors, services
from dxpool.places.selectors import grouping_get, municipality_get
from dxpool.suggest.roles import roles_to_dict

router = Router(tags=["needs"])


# --- hearing records -------------------------------------------------------------------------------------------

class HearingOut(Schema):
    id: int
    municipality_code: str = Field(..., alias="municipality.code")
    municipality: str = Field(..., alias="municipality.name")
    fiscal_year: int
    data: dict[str, Any]
    step_current: int
    step_reached: int
    standardisation_progress: float
    hitori_joshis: bool
    updated_at: datetime

    @staticmethod
    def resolve_data(obj):
        return selectors.hearing_data(obj)


class HearingIn(Schema):
    """The hearing data; keys left out keep their value on update (steps/measures/systems/targets are replaced
    as a whole when given)."""

    municipality: str
    fiscal_year: int
    data: dict[str, Any]


class SuggestIn(Schema):
    text: str


@router.get("/hearings", response=list[HearingOut])
@paginate(Pagination)
def hearing_list(request, fiscal_year: int | None = None, municipality: str | None = None, hitori: bool = False):
    """Hearing records in the caller's scope, by year, municipality code and ひとり情シス."""
    return selectors.hearing_list(user=request.user, fiscal_year=fiscal_year, municipality=municipality,
                                  hitori=hitori)


@router.get("/hearings/{hearing_id}", response=HearingOut)
def hearing_get(request, hearing_id: int):
    return selectors.hearing_get(user=request.user, pk=hearing_id)


@router.post("/hearings", response={200: HearingOut, 201: HearingOut})
def hearing_save(request, payload: HearingIn):
    """Create (201) or update (200) the municipality's record of the year — one per municipality and year."""
    municipality = municipality_get(user=request.user, code=payload.municipality)
    record, created = services.hearing_save(actor=request.user, municipality=municipality,
                                            fiscal_year=payload.fiscal_year, data=payload.data)
    return Status(201 if created else 200, record)


@router.get("/hearings/{hearing_id}/roles", response=dict)
def hearing_roles(request, hearing_id: int):
    """Personas the record calls for (issue text + measures, steps, facts), each with skill items and reasons."""
    return roles_to_dict(selectors.hearing_roles(selectors.hearing_get(user=request.user, pk=hearing_id)))


@router.post("/suggestions", response=dict)
def suggestion(request, payload: SuggestIn):
    """Personas and skill items an issue text calls for, with reasons (at most 4,000 characters, like a
    hearing's issue field; for municipal officers and prefecture secretariats, rate-limited per user)."""
    return selectors.role_suggestion(user=request.user, text=payload.text)


# --- job descriptions ------------------------------------------------------------------------------------------

class NeedOut(Schema):
    id: int
    title: str
    persona: str
    municipalities: list[str]
    grouping_id: int | None
    job_description_id: int | None
    hours_per_week: float
    onsite_days_per_month: float
    weight: float
    skills: list[str]
    excluded_employers: list[str]
    appointment_forms: list[str]
    period_from: date | None
    period_to: date | None
    status: str

    @staticmethod
    def resolve_municipalities(obj):
        return [m.code for m in obj.municipalities.all()]



class JDVersionOut(Schema):
    number: int
    created_at: datetime
    created_by: str | None
    change_note: str
    standard_version: str
    content: dict[str, Any]
    standard_terms: dict[str, Any]

    @staticmethod
    def resolve_created_by(obj):
        return obj.created_by.get_username() if obj.created_by_id else None

    @staticmethod
    def resolve_content(obj):
        return services.jd_content(version=obj)


class JDOut(Schema):
    id: int
    prefecture_code: str = Field(..., alias="prefecture.code")
    municipality_code: str | None
    grouping_id: int | None
    hearing_id: int | None
    status: str
    current_version: int
    checklist: dict[str, Any]
    checklist_complete: bool
    submitted_at: datetime | None
    need_id: int | None
    latest: JDVersionOut | None

    @staticmethod
    def resolve_municipality_code(obj):
        return obj.municipality.code if obj.municipality_id else None

    @staticmethod
    def resolve_need_id(obj):
        need = getattr(obj, "need", None)
        return need.pk if need else None


class JDContentIn(Schema):
    title: str | None = None
    persona: str | None = None
    duties: str | None = None
    skills: list[str] | None = None
    appointment_forms: list[str] | None = None
    pay_min: int | None = None
    pay_max: int | None = None
    pay_unit: str | None = None
    days_per_week: float | None = None
    hours_per_week: float | None = None
    onsite_days_per_month: float | None = None
    remote_ok: bool | None = None
    period_from: date | None = None
    period_to: date | None = None
    host_department: str | None = None
    receiving_structure: str | None = None
    coi_applies: bool | None = None
    excluded_employers: list[str] | None = None
    weight: float | None = None
    change_note: str = ""


class JDCreateIn(JDContentIn):
    municipality: str | None = None
    grouping: int | None = None
    hearing: int | None = None


class JDDraftIn(Schema):
    persona: str
    skills: list[str] | None = None


class ChecklistIn(Schema):
    checked: list[str]


class WithdrawIn(Schema):
    reason: str = ""


def _content(payload: JDContentIn) -> dict:
    return {k: v for k, v in payload.dict(exclude={"change_note", "municipality", "grouping", "hearing"}).items()
            if v is not None}


@router.get("/jds", response=list[JDOut])
@paginate(Pagination)
def jd_list(request, status: str | None = None, persona: str | None = None, municipality: str | None = None):
    return selectors.jd_list(user=request.user, status=status, persona=persona, municipality=municipality)


@router.post("/jds", response={201: JDOut})
def jd_create(request, payload: JDCreateIn):
    """Draft a JD for a municipality (officer: its own) or, for the prefecture, jointly for a grouping."""
    municipality = municipality_get(user=request.user, code=payload.municipality) if payload.municipality else None
    grouping = grouping_get(user=request.user, pk=payload.grouping) if payload.grouping else None
    hearing = selectors.hearing_get(user=request.user, pk=payload.hearing) if payload.hearing else None
    jd = services.jd_create(actor=request.user, data=_content(payload), municipality=municipality, grouping=grouping,
                            hearing=hearing, change_note=payload.change_note or "作成")
    return Status(201, selectors.jd_get(user=request.user, pk=jd.pk))


@router.post("/hearings/{hearing_id}/jds", response={201: JDOut})
def jd_draft(request, hearing_id: int, payload: JDDraftIn):
    """Draft a JD from a hearing record for one persona, in the standard's terms."""
    hearing = selectors.hearing_get(user=request.user, pk=hearing_id)
    jd = services.jd_draft_from_hearing(actor=request.user, hearing=hearing, persona=payload.persona,
                                        skills=payload.skills)
    return Status(201, selectors.jd_get(user=request.user, pk=jd.pk))


@router.get("/jds/{jd_id}", response=JDOut)
def jd_get(request, jd_id: int):
    return selectors.jd_get(user=request.user, pk=jd_id)


@router.put("/jds/{jd_id}", response=JDOut)
def jd_update(request, jd_id: int, payload: JDContentIn):
    """Save a new version (fields left out keep their value); unchanged content adds no version."""
    jd = selectors.jd_get(user=request.user, pk=jd_id)
    services.jd_update(actor=request.user, jd=jd, data=_content(payload), change_note=payload.change_note)
    return selectors.jd_get(user=request.user, pk=jd_id)


@router.get("/jds/{jd_id}/versions", response=list[JDVersionOut])
def jd_versions(request, jd_id: int):
    return selectors.jd_versions(user=request.user, pk=jd_id)


@router.get("/jds/{jd_id}/versions/{number}", response=JDVersionOut)
def jd_version(request, jd_id: int, number: int):
    return selectors.jd_version_get(user=request.user, pk=jd_id, number=number)


@router.put("/jds/{jd_id}/checklist", response=JDOut)
def jd_checklist(request, jd_id: int, payload: ChecklistIn):
    """The acceptance checklist items confirmed (codes: purpose_shared, ownership, … — items 1–5; the sixth,
    activities_as_planned, is asked during the dispatch and refused here)."""
    jd = selectors.jd_get(user=request.user, pk=jd_id)
    services.jd_checklist_save(actor=request.user, jd=jd, checked=payload.checked)
    return selectors.jd_get(user=request.user, pk=jd_id)


@router.post("/jds/{jd_id}/submit", response={201: NeedOut})
def jd_submit(request, jd_id: int):
    """Submit to the prefecture (400 until the five checklist items of the JD are ticked); returns the opened need."""
    jd = selectors.jd_get(user=request.user, pk=jd_id)
    return Status(201, services.jd_submit(actor=request.user, jd=jd))


@router.post("/jds/{jd_id}/withdraw", response=JDOut)
def jd_withdraw(request, jd_id: int, payload: WithdrawIn):
    jd = selectors.jd_get(user=request.user, pk=jd_id)
    services.jd_withdraw(actor=request.user, jd=jd, reason=payload.reason)
    return selectors.jd_get(user=request.user, pk=jd_id)


# --- needs -------------------------------------------------------------------------------------------------------

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


@router.get("/needs", response=list[NeedOut])
@paginate(Pagination)
def need_list(request, status: str | None = None, persona: str | None = None):
    """Needs in the caller's scope, by status (open, filled, closed) and persona."""
    return selectors.need_list(user=request.user, status=status, persona=persona)


@router.get("/needs/{need_id}", response=NeedOut)
def need_get(request, need_id: int):
    return selectors.need_get(user=request.user, pk=need_id)


@router.post("/needs", response={201: NeedOut})
def need_create(request, payload: NeedIn):
    """Open a need directly (without a JD): the prefecture for its municipalities, an officer for its own."""
    data = payload.dict()
    need = services.need_create(actor=request.user, municipality_codes=data.pop("municipalities"), **data)
    return Status(201, need)


# --- overview ------------------------------------------------------------------------------------------------

class OverviewRowOut(Schema):
    code: str
    name: str
    lat: float
    lng: float
    recorded: bool
    step_current: int | None
    progress_percent: int | None
    cio_adviser: bool | None
    hitori: bool | None
    needs_open: int
    needs_filled: int


@router.get("/hearing-overview", response=dict)
def hearing_overview(request, fiscal_year: int, prefecture: str | None = None):
    """A prefecture's municipalities with their status (national: pass prefecture, or get the per-prefecture
    roll-up and the personas needed nationwide without it)."""
    if permissions.can_view_national_rollup(user=request.user) and not prefecture:
        rollup = selectors.national_rollup(user=request.user, fiscal_year=fiscal_year)
        return {"fiscal_year": fiscal_year, "prefectures": [
            {"code": r.prefecture.code, "name": r.prefecture.name, "municipalities": r.municipalities,
             "recorded": r.recorded, "avg_progress_percent": r.avg_progress_percent, "cio_adviser": r.cio_adviser,
             "hitori": r.hitori, "step3": r.step3, "jds_submitted": r.jds_submitted, "needs_open": r.needs_open,
             "needs_filled": r.needs_filled, "needs_open_by_persona": dict(r.needs_open_by_persona)}
            for r in rollup.prefectures],
            "personas": [{"code": p.code, "name": p.name, "open": p.open, "filled": p.filled,
                          "prefectures": p.prefectures} for p in rollup.personas]}
    if not permissions.can_view_overview(user=request.user):
        raise NotFound("この情報を閲覧する権限がありません。")
    ov = selectors.overview(user=request.user, fiscal_year=fiscal_year, prefecture=prefecture)
    rows = [OverviewRowOut(code=r.municipality.code, name=r.municipality.name, lat=r.municipality.lat,
                           lng=r.municipality.lng, recorded=r.status is not None, step_current=r.step_current,
                           progress_percent=r.progress_percent, cio_adviser=r.cio_adviser, hitori=r.hitori,
                           needs_open=r.needs_open, needs_filled=r.needs_filled).dict() for r in ov.rows]
    return {"fiscal_year": fiscal_year, "prefecture": ov.prefecture.code, "counts": ov.counts, "municipalities": rows}

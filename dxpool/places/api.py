"""API endpoints for prefectures, municipalities and groupings."""

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from dxpool.core.pagination import Pagination
from dxpool.places import selectors, services

router = Router(tags=["places"])


class PrefectureOut(Schema):
    code: str
    lg_code: str
    name: str
    kana: str
    name_en: str
    lat: float
    lng: float


class MunicipalityOut(Schema):
    code: str
    prefecture_code: str = Field(..., alias="prefecture.code")
    prefecture: str = Field(..., alias="prefecture.name")
    name: str
    kana: str
    type: str
    lat: float
    lng: float


class GroupingOut(Schema):
    id: int
    name: str
    kind: str
    prefecture_code: str = Field(..., alias="prefecture.code")
    members: list[str]
    note: str

    @staticmethod
    def resolve_members(obj):
        return [m.code for m in obj.members.all()]


class GroupingIn(Schema):
    name: str
    kind: str
    members: list[str]
    note: str = ""


@router.get("/prefectures", response=list[PrefectureOut])
def prefecture_list(request):
    """Prefectures the caller may see (national: all 47)."""
    return selectors.prefecture_list(user=request.user)


@router.get("/municipalities", response=list[MunicipalityOut])
@paginate(Pagination)
def municipality_list(request, prefecture: str | None = None, type: str | None = None, q: str | None = None):
    """Municipalities in the caller's scope; filter by prefecture (code or name), type and name/kana/code."""
    return selectors.municipality_list(user=request.user, prefecture=prefecture, type=type, q=q)


@router.get("/municipalities/{code}", response=MunicipalityOut)
def municipality_get(request, code: str):
    """One municipality by its 6-digit code; 404 when unknown or outside the caller's scope."""
    return selectors.municipality_get(user=request.user, code=code)


@router.get("/groupings", response=list[GroupingOut])
@paginate(Pagination)
def grouping_list(request, q: str | None = None, kind: str | None = None):
    return selectors.grouping_list(user=request.user, q=q, kind=kind)


@router.get("/groupings/{grouping_id}", response=GroupingOut)
def grouping_get(request, grouping_id: int):
    return selectors.grouping_get(user=request.user, pk=grouping_id)


@router.post("/groupings", response={201: GroupingOut})
def grouping_create(request, payload: GroupingIn):
    """Create a grouping of the caller's prefecture (prefecture secretariat only)."""
    grouping = services.grouping_create(actor=request.user, name=payload.name, kind=payload.kind,
                                        member_codes=payload.members, note=payload.note)
    return Status(201, grouping)


@router.put("/groupings/{grouping_id}", response=GroupingOut)
def grouping_update(request, grouping_id: int, payload: GroupingIn):
    grouping = selectors.grouping_get(user=request.user, pk=grouping_id)
    return services.grouping_update(actor=request.user, grouping=grouping, name=payload.name, kind=payload.kind,
                                    member_codes=payload.members, note=payload.note)


@router.delete("/groupings/{grouping_id}", response={204: None})
def grouping_delete(request, grouping_id: int):
    grouping = selectors.grouping_get(user=request.user, pk=grouping_id)
    services.grouping_delete(actor=request.user, grouping=grouping)
    return Status(204, None)

"""Reads of hearing records, job descriptions, needs and the prefecture overview, scoped by the acting user.

national → everything (read-only); prefecture secretariat → its prefecture; municipality officer → its own
municipality (and the joint JDs/needs of groupings it belongs to); anyone else → nothing. Out of scope is
NotFound, the same as missing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from dxpool.accounts.models import Role, User
from dxpool.core.errors import NotFound, ValidationError
from dxpool.core.scope import by_role
from dxpool.core.text import nfkc
from dxpool.needs.models import (
    HEARING_SCALAR_FIELDS,
    HearingRecord,
    JDStatus,
    JobDescription,
    JobDescriptionVersion,
    Need,
    NeedStatus,
)
from dxpool.needs.reference import MEASURES, STEPS, SYSTEMS, TIERS
from dxpool.places.models import Municipality, Prefecture
from dxpool.places.selectors import municipality_get, municipality_scope

# --- permissions (what the UI offers; services enforce the same rules) ------------------------------------


def can_write_for_municipality(*, user: User, municipality: Municipality) -> bool:
    """The officer of the municipality, or the secretariat of its prefecture (on its behalf)."""
    if not user.is_authenticated:
        return False
    if user.role == Role.MUNICIPALITY:
        return user.municipality_id_scope == municipality.pk
    if user.role == Role.PREFECTURE:
        return user.prefecture_id_scope == municipality.prefecture_id
    return False


def can_write_jd(*, user: User, jd: JobDescription) -> bool:
    if jd.grouping_id:  # joint JDs are the prefecture's to write, for all members
        return user.is_authenticated and user.role == Role.PREFECTURE and user.prefecture_id_scope == jd.prefecture_id
    return can_write_for_municipality(user=user, municipality=jd.municipality)


# --- hearing records ---------------------------------------------------------------------------------------

def hearing_scope(*, user: User) -> QuerySet[HearingRecord]:
    """All hearing records the user may see."""
    qs = HearingRecord.objects.select_related("municipality", "municipality__prefecture", "grouping", "entered_by")
    return by_role(qs, user, prefecture="municipality__prefecture_id", municipality="municipality_id")


def hearing_list(*, user: User, fiscal_year: int | None = None, municipality: str | None = None,
                 hitori: bool = False, q: str | None = None) -> QuerySet[HearingRecord]:
    """Records in scope, filtered by year, municipality code, ひとり情シス and a name search."""
    qs = hearing_scope(user=user)
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if municipality:
        qs = qs.filter(municipality__code=nfkc(municipality))
    if hitori:
        qs = qs.filter(it_staff__lte=1)
    if q:
        qs = qs.filter(municipality__name__contains=nfkc(q))
    return qs.order_by("municipality__code", "-fiscal_year")


def hearing_get(*, user: User, pk: int) -> HearingRecord:
    h = hearing_scope(user=user).filter(pk=pk).first()
    if h is None:
        raise NotFound("指定のヒアリング記録は見つからないか、閲覧権限がありません。")
    return h


def hearing_data(record: HearingRecord) -> dict:
    """A record in the shape services take and the API and the Excel sheet carry (codes, not labels)."""
    data = {f: getattr(record, f) for f in HEARING_SCALAR_FIELDS}
    if data["days_per_week"] is not None:
        data["days_per_week"] = float(data["days_per_week"])
    data["appointment_forms"] = list(record.appointment_forms or [])
    data["steps"] = {c: {"status": record.step_status(c)} for c, _ in STEPS if record.step_status(c)}
    data["measures"] = {}
    for code, _, _ in MEASURES:
        m = record.measures.get(code) or {}
        if m.get("status") or m.get("note"):
            data["measures"][code] = {"status": m.get("status"), "note": m.get("note", "")}
    data["systems"] = {}
    for name in SYSTEMS:
        s = record.systems.get(name) or {}
        if s.get("status") or s.get("planned_month"):
            data["systems"][name] = {"status": s.get("status"), "planned_month": s.get("planned_month")}
    data["targets"] = {c: record.targets[c] for c, _ in TIERS if record.targets.get(c) is not None}
    data["grouping"] = record.grouping_id
    data["grouping_name"] = record.grouping.name if record.grouping_id else None
    return data


def hearing_facts(record: HearingRecord) -> list[str]:
    """Codes of dxpool.needs.roles.FACTS that hold for the record."""
    facts = []
    if not record.cio_adviser_appointed:
        facts.append("no_cio_adviser")
    if record.hitori_joshis:
        facts.append("hitori_joshis")
    if any((record.systems.get(s) or {}).get("status") in ("not_started", "preparing") for s in SYSTEMS):
        facts.append("standardisation_behind")
    return facts


def hearing_roles(record: HearingRecord):
    """Role suggestions for a record: its issue text plus its measures, steps and facts, with reasons."""
    from dxpool.needs.roles import suggest_roles

    return suggest_roles(issues=record.issues, facts=hearing_facts(record),
                         measures={c: record.measure_status(c) for c, _, _ in MEASURES},
                         steps={c: record.step_status(c) for c, _ in STEPS})


@dataclass
class MunicipalityHistory:
    municipality: Municipality
    records: list[HearingRecord]
    jds: list[JobDescription]
    needs: list[Need]


def municipality_history(*, user: User, code: str) -> MunicipalityHistory:
    """A municipality's hearing records year on year, with its job descriptions and needs."""
    municipality = municipality_get(user=user, code=code)  # NotFound when out of scope
    if user.role == Role.TALENT:
        raise NotFound("閲覧権限がありません。")
    records = list(hearing_scope(user=user).filter(municipality=municipality).order_by("fiscal_year"))
    jds = list(jd_scope(user=user).filter(Q(municipality=municipality) | Q(grouping__members=municipality))
               .distinct().order_by("-pk"))
    needs = list(need_scope(user=user).filter(municipalities=municipality).distinct())
    return MunicipalityHistory(municipality, records, jds, needs)


# --- job descriptions ----------------------------------------------------------------------------------------

def jd_scope(*, user: User) -> QuerySet[JobDescription]:
    """Job descriptions the user may see: an officer those of its municipality and of its groupings."""
    qs = JobDescription.objects.select_related("prefecture", "municipality", "grouping", "hearing", "created_by",
                                               "submitted_by")
    return by_role(
        qs,
        user,
        prefecture="prefecture_id",
        municipality=lambda q, mid: q.filter(Q(municipality_id=mid) | Q(grouping__members__pk=mid)).distinct(),
    )


def jd_list(*, user: User, status: str | None = None, persona: str | None = None,
            municipality: str | None = None) -> QuerySet[JobDescription]:
    qs = jd_scope(user=user)
    if status:
        if status not in JDStatus.values:
            raise ValidationError(f"状態「{status}」はありません。", field="status")
        qs = qs.filter(status=status)
    if municipality:
        code = nfkc(municipality)
        qs = qs.filter(Q(municipality__code=code) | Q(grouping__members__code=code)).distinct()
    qs = qs.order_by("-updated_at", "-pk")
    jds = list(qs)
    # One query for the latest versions instead of one per row.
    latest = {(v.jd_id, v.number): v for v in JobDescriptionVersion.objects.filter(
        jd__in=jds).only("jd_id", "number", "title", "persona", "hours_per_week", "onsite_days_per_month")}
    for jd in jds:
        jd._latest = latest.get((jd.pk, jd.current_version))
    if persona:
        jds = [jd for jd in jds if jd.latest and jd.latest.persona == persona]
    return jds


def jd_get(*, user: User, pk: int) -> JobDescription:
    jd = jd_scope(user=user).filter(pk=pk).first()
    if jd is None:
        raise NotFound("指定のジョブディスクリプションは見つからないか、閲覧権限がありません。")
    return jd


def jd_version_get(*, user: User, pk: int, number: int) -> JobDescriptionVersion:
    jd = jd_get(user=user, pk=pk)
    v = jd.versions.select_related("created_by").filter(number=number).first()
    if v is None:
        raise NotFound(f"第{number}版はありません。")
    return v


# --- needs ---------------------------------------------------------------------------------------------------

def need_scope(*, user: User) -> QuerySet[Need]:
    qs = Need.objects.select_related("prefecture", "grouping", "job_description").prefetch_related("municipalities")
    return by_role(qs, user, prefecture="prefecture_id", municipality=lambda q, mid: q.for_municipality(mid))


def need_get(*, user: User, pk: int) -> Need:
    need = need_scope(user=user).filter(pk=pk).first()
    if need is None:
        raise NotFound("指定のニーズは見つからないか、閲覧権限がありません。")
    return need


# --- the prefecture overview and the national roll-up ---------------------------------------------------------

@dataclass(frozen=True)
class OverviewFilters:
    step: int | None = None  # the current step (−1 = none started)
    hitori: bool = False
    no_cio_adviser: bool = False
    std_below: int | None = None  # standardisation progress below this percentage
    needs: str | None = None  # "open", "filled" or "none"
    missing: bool = False  # no hearing record for the year


@dataclass
class OverviewRow:
    municipality: Municipality
    record: HearingRecord | None
    needs_open: int = 0
    needs_filled: int = 0
    jds_draft: int = 0

    @property
    def step_current(self) -> int | None:
        return self.record.step_current if self.record else None

    @property
    def step_current_status(self) -> str | None:
        if not self.record or self.record.step_current < 0:
            return None
        return self.record.step_status(str(self.record.step_current))

    @property
    def progress_percent(self) -> int | None:
        return round(self.record.standardisation_progress * 100) if self.record else None

    @property
    def cio_adviser(self) -> bool | None:
        return self.record.cio_adviser_appointed if self.record else None

    @property
    def hitori(self) -> bool | None:
        return self.record.hitori_joshis if self.record and self.record.it_staff is not None else None


@dataclass
class Overview:
    prefecture: Prefecture
    fiscal_year: int
    rows: list[OverviewRow]  # those the filters keep
    all_rows: list[OverviewRow]  # every municipality of the prefecture (the map shows the others dimmed)
    counts: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.all_rows)


def _keep(row: OverviewRow, f: OverviewFilters) -> bool:
    if f.missing:
        return row.record is None
    if f.step is not None and row.step_current != f.step:
        return False
    if f.hitori and not row.hitori:
        return False
    if f.no_cio_adviser and row.cio_adviser is not False:
        return False
    if f.std_below is not None and (row.progress_percent is None or row.progress_percent >= f.std_below):
        return False
    if f.needs == "open" and not row.needs_open:
        return False
    if f.needs == "filled" and not row.needs_filled:
        return False
    if f.needs == "none" and (row.needs_open or row.needs_filled):
        return False
    return True


def overview(*, user: User, fiscal_year: int, prefecture: str | None = None,
             filters: OverviewFilters | None = None) -> Overview:
    """Every municipality of one prefecture with its status in the year (prefecture staff: their own)."""
    if user.role == Role.PREFECTURE:
        pref = Prefecture.objects.get(pk=user.prefecture_id_scope)
        if prefecture and nfkc(prefecture) not in (pref.code, pref.name):
            raise NotFound("他の都道府県の状況は閲覧できません。")
    elif user.role == Role.NATIONAL:
        p = nfkc(prefecture or "")
        pref = Prefecture.objects.filter(Q(code=p.zfill(2) if p.isdigit() else p) | Q(name=p)).first()
        if pref is None:
            raise NotFound(f"都道府県「{p}」はありません。")
    else:
        raise NotFound("この画面を閲覧する権限がありません。")
    municipalities = list(municipality_scope(user=user).filter(prefecture=pref).order_by("code"))
    records = {h.municipality_id: h for h in hearing_scope(user=user).filter(
        municipality__prefecture=pref, fiscal_year=fiscal_year)}
    need_counts: dict[tuple[int, str], int] = {}
    through = Need.municipalities.through
    for row in (through.objects.filter(municipality__prefecture=pref)
                .values("municipality_id", "need__status").annotate(n=Count("id"))):
        need_counts[(row["municipality_id"], row["need__status"])] = row["n"]
    drafts = Counter(JobDescription.objects.filter(prefecture=pref, status=JDStatus.DRAFT, municipality__isnull=False)
                     .values_list("municipality_id", flat=True))
    rows = [OverviewRow(m, records.get(m.pk), need_counts.get((m.pk, NeedStatus.OPEN), 0),
                        need_counts.get((m.pk, NeedStatus.FILLED), 0), drafts.get(m.pk, 0)) for m in municipalities]
    filters = filters or OverviewFilters()
    kept = [r for r in rows if _keep(r, filters)]
    by_status = dict(Need.objects.filter(prefecture=pref).values_list("status").annotate(n=Count("id")))
    counts = {
        "recorded": sum(1 for r in rows if r.record),
        "hitori": sum(1 for r in rows if r.hitori),
        "cio_adviser": sum(1 for r in rows if r.cio_adviser),
        # Distinct needs: a joint need counts once here, and once per member in the rows.
        "needs_open": by_status.get(NeedStatus.OPEN, 0),
        "needs_filled": by_status.get(NeedStatus.FILLED, 0),
    }
    progress = [r.progress_percent for r in rows if r.progress_percent is not None]
    counts["avg_progress"] = round(sum(progress) / len(progress)) if progress else None
    return Overview(pref, fiscal_year, kept, rows, counts)


@dataclass
class PrefectureRollup:
    prefecture: Prefecture
    municipalities: int
    recorded: int = 0
    progress_sum: float = 0.0
    cio_adviser: int = 0
    hitori: int = 0
    steps: Counter = field(default_factory=Counter)
    needs_open: int = 0
    needs_filled: int = 0
    jds_submitted: int = 0

    @property
    def coverage_percent(self) -> int:
        return round(100 * self.recorded / self.municipalities) if self.municipalities else 0

    @property
    def step3(self) -> int:
        return self.steps.get(3, 0)

    @property
    def avg_progress_percent(self) -> int | None:
        return round(100 * self.progress_sum / self.recorded) if self.recorded else None


def national_rollup(*, user: User, fiscal_year: int) -> list[PrefectureRollup]:
    """Per prefecture: hearing coverage, standardisation, CIO補佐官, ひとり情シス, steps and needs (national only)."""
    if not user.is_authenticated or user.role != Role.NATIONAL:
        raise NotFound("全国の集計は国の利用者だけが閲覧できます。")
    prefectures = list(Prefecture.objects.annotate(n=Count("municipalities")).order_by("code"))
    out = {p.pk: PrefectureRollup(p, p.n) for p in prefectures}
    for h in HearingRecord.objects.filter(fiscal_year=fiscal_year).select_related("municipality"):
        r = out[h.municipality.prefecture_id]
        r.recorded += 1
        r.progress_sum += h.standardisation_progress
        r.cio_adviser += h.cio_adviser_appointed
        r.hitori += h.hitori_joshis
        r.steps[h.step_current] += 1
    by_status: dict[int, Counter] = defaultdict(Counter)
    for row in Need.objects.values("prefecture_id", "status").annotate(n=Count("id")):
        by_status[row["prefecture_id"]][row["status"]] = row["n"]
    for pid, c in by_status.items():
        out[pid].needs_open, out[pid].needs_filled = c[NeedStatus.OPEN], c[NeedStatus.FILLED]
    for row in (JobDescription.objects.filter(status=JDStatus.SUBMITTED).values("prefecture_id")
                .annotate(n=Count("id"))):
        out[row["prefecture_id"]].jds_submitted = row["n"]
    return [out[p.pk] for p in prefectures]

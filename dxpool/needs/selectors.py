"""Reads of hearing records, job descriptions, needs and the prefecture overview, scoped by the acting user.

Records: prefecture secretariat → its prefecture; municipality officer → its own municipality (and the joint
JDs/needs of groupings it belongs to); anyone else → nothing — national users too (least privilege: they read
the aggregates of national_rollup and overview, computed here from the rows but returning figures only, never a
row, a respondent or a checklist signer). Out of scope is NotFound, the same as missing. Who may act on what is
dxpool.needs.permissions; the selectors below that offer actions (need_actions, …) ask it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import Count, Model, Q, QuerySet

from dxpool.accounts.models import User
from dxpool.core.errors import NotFound, ValidationError
from dxpool.core.permissions import is_national
from dxpool.core.scope import by_role
from dxpool.core.text import nfkc
from dxpool.needs.documents import Section, Words, jd_sections
from dxpool.needs.excel import HearingEntry, write_workbook
from dxpool.needs.models import (
    HEARING_SCALAR_FIELDS,
    HearingImportBatch,
    HearingRecord,
    JDStatus,
    JobDescription,
    JobDescriptionVersion,
    Need,
    NeedStatus,
)
from dxpool.needs.permissions import (
    can_download_hearing_template,
    can_edit_hearing,
    can_manage_need,
    can_view_national_rollup,
    can_view_overview,
    can_view_records,
)
from dxpool.needs.reference import MEASURES, STEPS, SYSTEMS, TIERS
from dxpool.places.models import Municipality, Prefecture
from dxpool.places.selectors import municipality_get, municipality_scope
from dxpool.standard.personas import PERSONA_CODES, persona_name

M = TypeVar("M", bound=Model)


def _records(qs: QuerySet[M], user: User, **rules) -> QuerySet[M]:
    """by_role for record-level rows, without the national role (it sees everything in by_role, but reads
    aggregates only here: can_view_records)."""
    if not can_view_records(user=user):
        return qs.none()
    return by_role(qs, user, **rules)


# --- hearing records ---------------------------------------------------------------------------------------

def hearing_scope(*, user: User) -> QuerySet[HearingRecord]:
    """All hearing records the user may see."""
    qs = HearingRecord.objects.select_related("municipality", "municipality__prefecture", "grouping", "entered_by")
    return _records(qs, user, prefecture="municipality__prefecture_id", municipality="municipality_id")


def hearing_list(*, user: User, fiscal_year: int | None = None, municipality: str | None = None,
                 hitori: bool = False, q: str | None = None, prefecture: str | None = None) -> QuerySet[HearingRecord]:
    """Records in scope, filtered by year, municipality code, prefecture code, ひとり情シス and a name search."""
    qs = hearing_scope(user=user)
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if municipality:
        qs = qs.filter(municipality__code=nfkc(municipality))
    if prefecture:
        qs = qs.filter(municipality__prefecture__code=nfkc(prefecture).zfill(2))
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


def hearing_for_year(*, user: User, municipality: Municipality, fiscal_year: int) -> HearingRecord | None:
    """The municipality's record of the year, if there is one (and the user may see it)."""
    return hearing_scope(user=user).filter(municipality=municipality, fiscal_year=fiscal_year).first()


def hearing_previous(*, user: User, municipality: Municipality, fiscal_year: int) -> HearingRecord | None:
    """The municipality's latest record before the year: a new year's form starts from it."""
    return (hearing_scope(user=user).filter(municipality=municipality, fiscal_year__lt=fiscal_year)
            .order_by("-fiscal_year").first())


def hearing_history(*, user: User, municipality: Municipality) -> QuerySet[HearingRecord]:
    """The municipality's records, oldest year first."""
    return hearing_scope(user=user).filter(municipality=municipality).order_by("fiscal_year")


def hearings_missing(*, user: User, fiscal_year: int) -> list[Municipality]:
    """Municipalities in the user's scope without a record of the year, for those who can write one.

    Read-only users (national) get an empty list: the list is a to-do list, not a statistic.
    """
    municipalities = list(municipality_scope(user=user).order_by("code"))
    writable = [m for m in municipalities if can_edit_hearing(user=user, municipality=m)]
    if not writable:
        return []
    recorded = set(hearing_scope(user=user).filter(fiscal_year=fiscal_year).values_list("municipality_id", flat=True))
    return [m for m in writable if m.pk not in recorded]


def hearing_template_workbook(*, user: User, fiscal_year: int, municipality: str | None = None,
                              prefill: bool = False) -> tuple[bytes, str]:
    """A blank, versioned hearing sheet and its file name: one municipality (a code) or all in the user's scope.

    `prefill` writes each municipality's latest earlier answers into the rows, with the new year.
    """
    if not can_download_hearing_template(user=user):
        raise NotFound("様式は都道府県・市町村の画面からダウンロードしてください。")
    if municipality:
        municipalities = [municipality_get(user=user, code=municipality)]
    else:
        municipalities = list(municipality_scope(user=user).order_by("code"))
    previous: dict[int, HearingRecord] = {}
    if prefill:
        for h in (hearing_scope(user=user).filter(municipality__in=municipalities, fiscal_year__lt=fiscal_year)
                  .order_by("fiscal_year")):
            previous[h.municipality_id] = h  # the latest earlier year wins
    entries = []
    for m in municipalities:
        data = hearing_data(previous[m.pk]) if m.pk in previous else None
        if data is not None:
            data["heard_on"] = None
        entries.append(HearingEntry(m.code, m.name, m.prefecture.name, fiscal_year, data))
    name = (f"hearing_{municipalities[0].name}_{fiscal_year}.xlsx" if municipality
            else f"hearing_template_{fiscal_year}.xlsx")
    return write_workbook(entries), name


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
    """Codes of dxpool.suggest.roles.FACTS that hold for the record."""
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
    from dxpool.suggest.roles import suggest_roles

    return suggest_roles(issues=record.issues, facts=hearing_facts(record),
                         measures={c: record.measure_status(c) for c, _, _ in MEASURES},
                         steps={c: record.step_status(c) for c, _ in STEPS}, **_suggestion_language())


def _suggestion_language() -> dict:
    """The suggestion's reasons in the active language: the data files' English, the catalogue's labels."""
    from django.utils.translation import get_language

    from dxpool.core.templatetags.data_labels import data_label

    return {"language": get_language(), "label": data_label}


@dataclass
class MunicipalityHistory:
    municipality: Municipality
    records: list[HearingRecord]
    jds: list[JobDescription]
    needs: list[Need]


def municipality_history(*, user: User, code: str) -> MunicipalityHistory:
    """A municipality's hearing records year on year, with its job descriptions and needs."""
    municipality = municipality_get(user=user, code=code)  # NotFound when out of scope
    if not can_view_records(user=user):  # a page of records: national users read the overview's figures
        raise NotFound("この市町村の記録は見つからないか、閲覧権限がありません。")
    records = list(hearing_history(user=user, municipality=municipality))
    jds = list(jd_scope(user=user).filter(Q(municipality=municipality) | Q(grouping__members=municipality))
               .distinct().order_by("-pk"))
    needs = list(need_scope(user=user).filter(municipalities=municipality).distinct())
    return MunicipalityHistory(municipality, records, jds, needs)


# --- job descriptions ----------------------------------------------------------------------------------------

def jd_scope(*, user: User) -> QuerySet[JobDescription]:
    """Job descriptions the user may see: an officer those of its municipality and of its groupings."""
    qs = JobDescription.objects.select_related("prefecture", "municipality", "grouping", "hearing", "created_by",
                                               "submitted_by")
    return _records(
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


def jds_for_hearing(*, user: User, hearing: HearingRecord) -> QuerySet[JobDescription]:
    """The JDs drafted from a hearing record."""
    return jd_scope(user=user).filter(hearing=hearing)


def jd_versions(*, user: User, pk: int) -> list[JobDescriptionVersion]:
    """Every version of a JD, oldest first."""
    return list(jd_get(user=user, pk=pk).versions.select_related("created_by").order_by("number"))


def version_changes(versions: Iterable[JobDescriptionVersion]) -> dict[int, list[str]]:
    """Per version number, the labels of the fields that differ from the previous version."""
    from dxpool.needs.services import JD_FIELDS, jd_content  # services read selectors: import when called

    names = {f.name: str(f.verbose_name) for f in JobDescriptionVersion._meta.get_fields()
             if hasattr(f, "verbose_name")}
    out: dict[int, list[str]] = {}
    previous = None
    for v in sorted(versions, key=lambda x: x.number):
        content = jd_content(version=v)
        out[v.number] = [names[k] for k in JD_FIELDS if content[k] != previous[k]] if previous else []
        previous = content
    return out


def jd_version_history(*, user: User, pk: int) -> list[tuple[JobDescriptionVersion, list[str]]]:
    """Every version of a JD, newest first, each with the labels of the fields it changed."""
    versions = jd_versions(user=user, pk=pk)
    changes = version_changes(versions)
    return [(v, changes[v.number]) for v in reversed(versions)]


@dataclass(frozen=True)
class JDDocument:
    """One version of a JD as the page, the print view and the PDF show it."""

    jd: JobDescription
    version: JobDescriptionVersion
    sections: list[Section]
    changes: list[str]


def jd_document(*, user: User, pk: int, number: int | None = None) -> JDDocument:
    """A version of a JD (the latest when `number` is None) with its labelled sections and its changes."""
    jd = jd_get(user=user, pk=pk)
    version = jd_version_get(user=user, pk=pk, number=number) if number is not None else jd.latest
    if version is None:
        raise NotFound("このジョブディスクリプションには保存された版がありません。")
    changes = version_changes(jd_versions(user=user, pk=pk)).get(version.number, [])
    return JDDocument(jd, version, jd_sections(jd, version, jd_words()), changes)


def jd_words() -> Words:
    """The JD document worded in the active language: its phrases through the catalogue, the standard's labels
    through their data files' English, dates in the locale's DATE_FORMAT."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext

    from dxpool.core.templatetags.data_labels import data_label

    return Words(tr=gettext, label=data_label, date=lambda d: date_format(d, "DATE_FORMAT"))


# --- needs ---------------------------------------------------------------------------------------------------

def need_scope(*, user: User) -> QuerySet[Need]:
    qs = Need.objects.select_related("prefecture", "grouping", "job_description").prefetch_related("municipalities")
    return _records(qs, user, prefecture="prefecture_id", municipality=lambda q, mid: q.for_municipality(mid))


def need_list(*, user: User, status: str | None = None, persona: str | None = None) -> QuerySet[Need]:
    """Needs in scope, by status and persona: the need-list page and the API list alike."""
    qs = need_scope(user=user)
    if status:
        if status not in NeedStatus.values:
            raise ValidationError(f"状態「{status}」はありません（{'・'.join(NeedStatus.values)}）。", field="status")
        qs = qs.filter(status=status)
    if persona:
        qs = qs.filter(persona=persona)
    return qs


def need_get(*, user: User, pk: int) -> Need:
    need = need_scope(user=user).filter(pk=pk).first()
    if need is None:
        raise NotFound("指定のニーズは見つからないか、閲覧権限がありません。")
    return need


def need_actions(*, user: User, need: Need) -> list[tuple[str, str]]:
    """The status moves the user may make on the need, as (status, label): none for those who may not manage
    it, and never "filled", which only an accepted proposal sets."""
    from dxpool.needs.services.machines import NEED_MACHINE  # services read selectors: import when called

    if not can_manage_need(user=user, obj=need):
        return []
    return [(s, NEED_MACHINE.state_label(s)) for s in NEED_MACHINE.allowed(need.status) if s != NeedStatus.FILLED]


# --- the prefecture overview and the national roll-up ---------------------------------------------------------
# Aggregates over records: national users, who see no record (can_view_records), read these. They are computed
# from the rows of the statistic's source (_statistics_hearings) and return figures and status codes only.

def _statistics_hearings(*, user: User) -> QuerySet[HearingRecord]:
    """The hearing rows a figure may be computed from: every row for national users (who receive only the
    figures), the user's scope for everyone else."""
    if can_view_national_rollup(user=user):
        return HearingRecord.objects.all()
    return hearing_scope(user=user)


@dataclass(frozen=True)
class HearingStatus:
    """What the overview shows of a municipality's record of the year: its status, no text and no names."""

    step_current: int
    step_reached: int
    step_current_status: str | None
    progress_percent: int
    cio_adviser: bool
    cio_adviser_external: bool
    hitori: bool | None  # None when the number of IT staff is not known

    @classmethod
    def of(cls, h: HearingRecord) -> HearingStatus:
        return cls(h.step_current, h.step_reached,
                   h.step_status(str(h.step_current)) if h.step_current >= 0 else None,
                   round(h.standardisation_progress * 100), h.cio_adviser_appointed, h.cio_adviser_external,
                   h.hitori_joshis if h.it_staff is not None else None)


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
    status: HearingStatus | None  # None: no hearing record for the year
    needs_open: int = 0
    needs_filled: int = 0
    jds_draft: int = 0

    @property
    def step_current(self) -> int | None:
        return self.status.step_current if self.status else None

    @property
    def step_current_status(self) -> str | None:
        return self.status.step_current_status if self.status else None

    @property
    def progress_percent(self) -> int | None:
        return self.status.progress_percent if self.status else None

    @property
    def cio_adviser(self) -> bool | None:
        return self.status.cio_adviser if self.status else None

    @property
    def hitori(self) -> bool | None:
        return self.status.hitori if self.status else None


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
        return row.status is None
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
    if not can_view_overview(user=user):
        raise NotFound("この画面を閲覧する権限がありません。")
    if not is_national(user):  # the secretariat: its own prefecture only
        pref = Prefecture.objects.get(pk=user.prefecture_id_scope)
        if prefecture and nfkc(prefecture) not in (pref.code, pref.name):
            raise NotFound("他の都道府県の状況は閲覧できません。")
    else:
        p = nfkc(prefecture or "")
        pref = Prefecture.objects.filter(Q(code=p.zfill(2) if p.isdigit() else p) | Q(name=p)).first()
        if pref is None:
            raise NotFound(f"都道府県「{p}」はありません。")
    municipalities = list(municipality_scope(user=user).filter(prefecture=pref).order_by("code"))
    statuses = {h.municipality_id: HearingStatus.of(h) for h in _statistics_hearings(user=user).filter(
        municipality__prefecture=pref, fiscal_year=fiscal_year)}
    need_counts: dict[tuple[int, str], int] = {}
    through = Need.municipalities.through
    for row in (through.objects.filter(municipality__prefecture=pref)
                .values("municipality_id", "need__status").annotate(n=Count("id"))):
        need_counts[(row["municipality_id"], row["need__status"])] = row["n"]
    drafts = Counter(JobDescription.objects.filter(prefecture=pref, status=JDStatus.DRAFT, municipality__isnull=False)
                     .values_list("municipality_id", flat=True))
    rows = [OverviewRow(m, statuses.get(m.pk), need_counts.get((m.pk, NeedStatus.OPEN), 0),
                        need_counts.get((m.pk, NeedStatus.FILLED), 0), drafts.get(m.pk, 0)) for m in municipalities]
    filters = filters or OverviewFilters()
    kept = [r for r in rows if _keep(r, filters)]
    by_status = dict(Need.objects.filter(prefecture=pref).values_list("status").annotate(n=Count("id")))
    counts = {
        "recorded": sum(1 for r in rows if r.status),
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
    needs_open_by_persona: Counter = field(default_factory=Counter)

    @property
    def coverage_percent(self) -> int:
        return round(100 * self.recorded / self.municipalities) if self.municipalities else 0

    @property
    def step3(self) -> int:
        return self.steps.get(3, 0)

    @property
    def avg_progress_percent(self) -> int | None:
        return round(100 * self.progress_sum / self.recorded) if self.recorded else None


@dataclass(frozen=True)
class PersonaDemand:
    """Needs of one persona nationwide: the personas municipalities ask for."""

    code: str
    name: str
    open: int
    filled: int
    prefectures: int  # prefectures with an open need of the persona


@dataclass
class NationalRollup:
    fiscal_year: int
    prefectures: list[PrefectureRollup]
    personas: list[PersonaDemand]  # in the standard's order


def national_rollup(*, user: User, fiscal_year: int) -> NationalRollup:
    """Per prefecture: hearing coverage, standardisation, CIO補佐官, ひとり情シス, steps and needs; nationwide: the
    personas needed (national only; figures, no record)."""
    if not can_view_national_rollup(user=user):
        raise NotFound("全国の集計は国の利用者だけが閲覧できます。")
    prefectures = list(Prefecture.objects.annotate(n=Count("municipalities")).order_by("code"))
    out = {p.pk: PrefectureRollup(p, p.n) for p in prefectures}
    for h in _statistics_hearings(user=user).filter(fiscal_year=fiscal_year).select_related("municipality"):
        r = out[h.municipality.prefecture_id]
        r.recorded += 1
        r.progress_sum += h.standardisation_progress
        r.cio_adviser += h.cio_adviser_appointed
        r.hitori += h.hitori_joshis
        r.steps[h.step_current] += 1
    by_status: dict[int, Counter] = defaultdict(Counter)
    personas: dict[str, Counter] = defaultdict(Counter)
    for row in Need.objects.values("prefecture_id", "status", "persona").annotate(n=Count("id")):
        by_status[row["prefecture_id"]][row["status"]] += row["n"]
        personas[row["persona"]][row["status"]] += row["n"]
        if row["status"] == NeedStatus.OPEN:
            out[row["prefecture_id"]].needs_open_by_persona[row["persona"]] += row["n"]
            personas[row["persona"]]["prefectures"] += 1
    for pid, c in by_status.items():
        out[pid].needs_open, out[pid].needs_filled = c[NeedStatus.OPEN], c[NeedStatus.FILLED]
    for row in (JobDescription.objects.filter(status=JDStatus.SUBMITTED).values("prefecture_id")
                .annotate(n=Count("id"))):
        out[row["prefecture_id"]].jds_submitted = row["n"]
    demand = [PersonaDemand(code, persona_name(code), personas[code][NeedStatus.OPEN],
                            personas[code][NeedStatus.FILLED], personas[code]["prefectures"])
              for code in PERSONA_CODES if code in personas]
    return NationalRollup(fiscal_year, [out[p.pk] for p in prefectures], demand)


def _suggestion_gate(*, user: User, text: str, field: str, empty_ok: bool = False) -> None:
    """Every suggestion on typed text passes here: the role, a bounded number a minute per user, and at most
    MAX_TEXT_CHARS characters (the length is the time budget, dxpool.suggest.text)."""
    from django.conf import settings

    from dxpool.core.permissions import require
    from dxpool.core.ratelimit import rate_limit
    from dxpool.needs.permissions import can_suggest_roles
    from dxpool.suggest.text import MAX_TEXT_CHARS

    require(can_suggest_roles(user=user), "役割の提案を利用する権限がありません（市町村・都道府県の担当者のみ）。")
    if empty_ok and not text.strip():
        return  # nothing to analyse: no call counted
    rate_limit(scope="suggestions", user_id=user.pk, limit=settings.DXPOOL_SUGGESTIONS_PER_MINUTE)
    if not text.strip():
        raise ValidationError("課題の文章が空です。", field=field)
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(f"課題の文章は{MAX_TEXT_CHARS}文字以内で入力してください（現在{len(text)}文字）。",
                              field=field)


def role_suggestion(*, user: User, text: str) -> dict:
    """Personas and skill items an issue text calls for, with reasons, for the roles that write hearings:
    at most MAX_TEXT_CHARS characters (the length is the time budget) and a bounded number a minute per user."""
    from dxpool.suggest.text import suggest, suggestion_to_dict

    _suggestion_gate(user=user, text=text, field="text")
    return suggestion_to_dict(suggest(text))


def issue_roles(*, user: User, text: str):
    """The roles a hearing's issue text calls for while it is typed (the hearing form's live suggestions): the
    same suggestion the saved record shows, from the text alone — the record's measures, steps and facts are
    added once it is saved. Empty text suggests nothing; the gate is role_suggestion's."""
    from dxpool.suggest.roles import suggest_roles

    _suggestion_gate(user=user, text=text, field="issues", empty_ok=True)
    if not text.strip():
        return []
    return suggest_roles(issues=text, facts=[], measures={}, steps={}, **_suggestion_language())


def hearing_import_batch_list(*, user: User) -> QuerySet[HearingImportBatch]:
    """The batches the user may see: its prefecture's (secretariat) or its municipality's (officer)."""
    if is_national(user):
        # A batch holds record-level answers (old and new values); the national role reads aggregates only.
        return HearingImportBatch.objects.none()
    qs = HearingImportBatch.objects.select_related("created_by", "applied_by", "undone_by", "municipality")
    return by_role(qs, user, prefecture="prefecture_id", municipality="municipality_id").order_by("-created_at", "-pk")


def hearing_import_batch_get(*, user: User, pk: int) -> HearingImportBatch:
    batch = hearing_import_batch_list(user=user).filter(pk=pk).first()
    if batch is None:
        raise NotFound("指定の取り込みは見つからないか、閲覧権限がありません。")
    return batch

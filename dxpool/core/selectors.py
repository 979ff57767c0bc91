"""Cross-app reads for the home page: each role's work list (what waits for that person) and a few figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dxpool.accounts.models import Organisation, Role, User
from dxpool.core.templatetags.dxformat import fiscal_year_of
from dxpool.places.models import Grouping, Municipality, Prefecture


@dataclass(frozen=True)
class WorkItem:
    """One line of a work list: what waits, how many, and the filtered list that shows them."""

    key: str  # stable name, for tests and anchors
    label: str | Promise
    count: int
    url: str
    note: str | Promise = ""  # shown instead of the count (「入力済み」 / 「未入力」)
    unit: str = "items"  # "items" (件) or "bodies" (団体: municipalities, prefectures)


def _url(name: str, *args, **query) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def _prefecture_work(user: User, year: int) -> list[WorkItem]:
    from dxpool.matching.selectors import proposals_waiting
    from dxpool.needs.models import JDStatus, NeedStatus
    from dxpool.needs.selectors import hearing_scope, jd_scope, need_scope
    from dxpool.places.selectors import municipality_scope
    from dxpool.talent.models import ApplicationStatus
    from dxpool.talent.selectors import application_scope

    # One grouped query per source, not one per status.
    apps = dict(application_scope(user=user).filter(
        status__in=[ApplicationStatus.APPLIED, ApplicationStatus.SCREENING]).values_list("status")
        .annotate(n=Count("id")).order_by())
    recorded = hearing_scope(user=user).filter(fiscal_year=year).values("municipality_id").distinct().count()
    without_hearing = max(municipality_scope(user=user).count() - recorded, 0)
    return [
        WorkItem("applications_new", _("選考を始めていない応募"), apps.get(ApplicationStatus.APPLIED, 0),
                 _url("talent:application_list", status=ApplicationStatus.APPLIED)),
        WorkItem("applications_screening", _("選考中の応募"), apps.get(ApplicationStatus.SCREENING, 0),
                 _url("talent:application_list", status=ApplicationStatus.SCREENING)),
        WorkItem("jds_submitted", _("提出されたジョブディスクリプション（確認待ち）"),
                 jd_scope(user=user).filter(status=JDStatus.SUBMITTED).count(),
                 _url("needs:jd_list", status=JDStatus.SUBMITTED)),
        WorkItem("needs_open", _("充足していないニーズ（募集中）"),
                 need_scope(user=user).filter(status=NeedStatus.OPEN).count(),
                 _url("needs:need_list", status=NeedStatus.OPEN)),
        WorkItem("proposals_waiting", _("回答を待っている提案"), proposals_waiting(user=user).count(),
                 _url("matching:proposal_list", waiting="1")),
        WorkItem("hearings_missing", _("今年度のヒアリング記録がない市町村"), without_hearing,
                 _url("needs:hearing_list", year=str(year)) + "#h-missing", unit="bodies"),
    ]


def _municipality_work(user: User, year: int) -> tuple[list[WorkItem], object | None]:
    from dxpool.matching.selectors import proposals_waiting
    from dxpool.needs.models import JDStatus
    from dxpool.needs.selectors import hearing_scope, jd_scope

    muni_id = user.municipality_id_scope
    hearing = hearing_scope(user=user).filter(municipality_id=muni_id, fiscal_year=year).first()
    if hearing is not None:
        hearing_item = WorkItem("hearing", _("今年度のヒアリング記録"), 1,
                                _url("needs:hearing_detail", hearing.pk), _("入力済み"))
    else:
        hearing_item = WorkItem("hearing", _("今年度のヒアリング記録"), 0,
                                _url("needs:hearing_new", year=str(year)), _("未入力"))
    return [
        hearing_item,
        WorkItem("jds_draft", _("作成中のジョブディスクリプション（未提出）"),
                 jd_scope(user=user).filter(status=JDStatus.DRAFT).count(),
                 _url("needs:jd_list", status=JDStatus.DRAFT)),
        WorkItem("proposals_waiting", _("回答が必要な提案"), proposals_waiting(user=user).count(),
                 _url("matching:proposal_list", waiting="1")),
    ], hearing


def _talent_work(user: User) -> tuple[list[WorkItem], list]:
    from dxpool.matching.selectors import proposals_waiting
    from dxpool.talent.models import ApplicationStatus
    from dxpool.talent.selectors import application_list, profiles_without_evidence

    applications = list(application_list(user=user).select_related("round"))
    closed = {ApplicationStatus.ENDED, ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED}
    active = [a for a in applications if a.status not in closed]
    # Own profiles with no proof uploaded: the applicant's next step after applying.
    missing = profiles_without_evidence(user=user)
    items = [
        WorkItem("applications_active", _("進行中の応募"), len(active), _url("talent:me")),
        WorkItem("proposals_waiting", _("回答が必要な提案"), proposals_waiting(user=user).count(),
                 _url("matching:proposal_list", waiting="1")),
        WorkItem("evidence_missing", _("証明書類が未登録のプロフィール"), len(missing),
                 _url("talent:profile_detail", missing[0].pk) + "#evidence" if missing else _url("talent:me")),
    ]
    return items, applications


def _national_work(year: int, total: int) -> tuple[list[WorkItem], set[int]]:
    from dxpool.needs.models import HearingRecord

    # Figures only (national users see no record): which prefectures have a hearing record of the year at all.
    with_hearing = set(HearingRecord.objects.filter(fiscal_year=year)
                       .values_list("municipality__prefecture_id", flat=True).distinct())
    return [WorkItem("prefectures_without_hearing", _("今年度のヒアリング記録がない都道府県"),
                     total - len(with_hearing), _url("needs:overview", year=str(year), hearing="none"),
                     unit="bodies")], with_hearing


def home_summary(*, user: User, today: date | None = None) -> dict:
    """The home page of each role: its work list (`work`, WorkItems with counts and filtered-list links) and
    figures, scoped to what the user may see, in a bounded number of queries."""
    year = fiscal_year_of(today or timezone.localdate())
    if user.role == Role.NATIONAL:
        total = Prefecture.objects.count()
        work, with_hearing = _national_work(year, total)
        # distinct on both counts: joining municipalities and groupings multiplies the rows (21 × 3 = 63).
        # A prefecture "runs a pool" when it has a secretariat organisation: one EXISTS, not a query each.
        secretariat = Organisation.objects.filter(prefecture=OuterRef("pk"), kind="prefecture")
        prefectures = Prefecture.objects.annotate(municipality_count=Count("municipalities", distinct=True),
                                                  grouping_count=Count("groupings", distinct=True),
                                                  active=Exists(secretariat))
        active = list(prefectures.filter(active=True).order_by("code"))
        for p in active:
            p.hearing_this_year = p.pk in with_hearing
        return {
            "kind": "national",
            "fiscal_year": year,
            "work": work,
            "prefecture_count": total,
            "municipality_count": Municipality.objects.count(),
            "active_prefectures": active,
        }
    if user.role == Role.PREFECTURE:
        pref = user.organisation.prefecture
        munis = Municipality.objects.filter(prefecture=pref)
        return {
            "kind": "prefecture",
            "fiscal_year": year,
            "work": _prefecture_work(user, year),
            "prefecture": pref,
            "municipality_count": munis.count(),
            "by_type": list(munis.values("type").annotate(n=Count("id")).order_by("type")),
            "grouping_count": Grouping.objects.filter(prefecture=pref).count(),
        }
    if user.role == Role.MUNICIPALITY:
        muni = user.organisation.municipality
        work, hearing = _municipality_work(user, year)
        return {
            "kind": "municipality",
            "fiscal_year": year,
            "work": work,
            "hearing": hearing,
            "municipality": muni,
            "groupings": list(Grouping.objects.filter(members=muni)),
        }
    work, applications = _talent_work(user)
    return {"kind": "talent", "fiscal_year": year, "work": work, "applications": applications}


def audit_events(*, actions: list[str] | None = None, prefecture_code: str | None = None,
                 since: date | None = None, until: date | None = None, limit: int = 100):
    """Audit events, newest first, for the operator's `dxpool audit` (the command line has database access, so
    it is not scoped by a user). `actions` are AuditAction values or prefixes ending in "." ("need.")."""
    from django.db.models import Q

    from dxpool.core.models import AuditEvent

    qs = AuditEvent.objects.select_related("actor", "prefecture")
    if actions:
        cond = Q()
        for a in actions:
            cond |= Q(action__startswith=a) if a.endswith(".") else Q(action=a)
        qs = qs.filter(cond)
    if prefecture_code:
        qs = qs.filter(prefecture__code=prefecture_code)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at", "-id")[:limit]

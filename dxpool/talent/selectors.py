"""Reads for rounds, applications, profiles, evidence and the pool, scoped by the acting user.

Full profiles are personal data: only the holding prefecture's secretariat and the applicant see them (and a
municipality after an accepted proposal), and every such view is audited (profile_get_full). Municipality
officers get PseudonymousProfile rows. Who may do what is dxpool.talent.permissions; the scopes below decide
what a user can see at all, and a record outside them is "not found".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxpool.accounts.models import User
from dxpool.core.audit import AuditAction, audit_record
from dxpool.core.errors import NotFound, ValidationError
from dxpool.core.permissions import (
    is_authenticated,
    is_national,
    is_officer,
    is_secretariat,
    is_talent,
    require,
)
from dxpool.core.text import search_key, to_katakana
from dxpool.core.web import PAGE_SIZE
from dxpool.engine import MatchParams, Need, Talent
from dxpool.engine.reference import evaluate_pair
from dxpool.places.models import Municipality, Prefecture
from dxpool.standard.personas import PERSONA_CODES, PERSONA_NAMES, PERSONA_NAMES_EN
from dxpool.talent import permissions
from dxpool.talent.machines import APPLICATION_MACHINE, ROUND_MACHINE
from dxpool.talent.models import (
    PERSONA_CHOICES,
    Application,
    AppointmentForm,
    ConsentAcceptance,
    ConsentText,
    EvidenceFile,
    RecruitmentRound,
    RoundStatus,
    ScreeningDecision,
    StatusChange,
    TalentProfile,
)
from dxpool.talent.models import (
    ApplicationStatus as S,
)
from dxpool.talent.standard_options import standard_options

POOL_STATUSES = [S.SELECTED, S.IN_TRAINING, S.POOLED, S.DISPATCHED]


# --- rounds ------------------------------------------------------------------------------------------------

def round_scope(*, user: User) -> QuerySet[RecruitmentRound]:
    """Rounds a user can see at all. A draft is the secretariat's working copy: only the prefecture that
    writes it sees it. Everyone else sees published rounds (open or closed) — municipality officers those of
    their prefecture, the national role every prefecture's (a published posting is public, not record-level
    data), applicants every prefecture's, visitors the open ones."""
    qs = RecruitmentRound.objects.select_related("prefecture")
    if not is_authenticated(user):
        return qs.filter(status=RoundStatus.OPEN)
    if is_secretariat(user):
        return qs.filter(prefecture_id=user.prefecture_id_scope)
    published = qs.exclude(status=RoundStatus.DRAFT)
    if is_officer(user):
        return published.filter(prefecture_id=user.prefecture_id_scope)
    return published


def round_list(*, user: User, status: str | None = None) -> QuerySet[RecruitmentRound]:
    qs = round_scope(user=user)
    if status:
        qs = qs.filter(status=status)
    return qs


def rounds_for_page(*, user: User, status: str | None = None) -> QuerySet[RecruitmentRound]:
    """The round list page: staff see their scope in every state; applicants and visitors see the rounds
    accepting applications now (a closed or past round is of no use to someone looking for one to apply to)."""
    if is_national(user) or is_secretariat(user) or is_officer(user):
        return round_list(user=user, status=status)
    return open_rounds()


def round_get(*, user: User, pk: int) -> RecruitmentRound:
    rnd = round_scope(user=user).filter(pk=pk).first()
    if rnd is None:
        raise NotFound("指定の公募は見つからないか、閲覧権限がありません。")
    return rnd


# What the round page's buttons say for each move of ROUND_MACHINE.
ROUND_MOVE_LABELS = {RoundStatus.OPEN: _("公開して募集を開始する"), RoundStatus.CLOSED: _("募集を締め切る")}


@dataclass(frozen=True)
class RoundDetail:
    round: RecruitmentRound
    can_manage: bool
    counts: dict[str, int] | None
    """Applications per status, for the secretariat that manages the round (None for everyone else)."""
    moves: list[tuple[str, str]]
    """(status, button label) of the moves ROUND_MACHINE allows from the current state, for the secretariat."""


def round_detail(*, user: User, pk: int) -> RoundDetail:
    """A round with what its page offers the acting user: counts and the allowed moves for the secretariat."""
    rnd = round_get(user=user, pk=pk)
    manage = permissions.can_manage_round(user=user, obj=rnd)
    counts = application_status_counts(user=user, round_id=rnd.pk) if manage else None
    moves = [(s, ROUND_MOVE_LABELS.get(s, ROUND_MACHINE.state_label(s))) for s in ROUND_MACHINE.allowed(rnd.status)]
    return RoundDetail(round=rnd, can_manage=manage, counts=counts, moves=moves if manage else [])


def open_rounds() -> QuerySet[RecruitmentRound]:
    """Rounds accepting applications now (public)."""
    return RecruitmentRound.objects.select_related("prefecture").filter(status=RoundStatus.OPEN,
                                                                       deadline__gt=timezone.now())


def rounds_open_public() -> list[RecruitmentRound]:
    """The rounds accepting applications now, every prefecture's, for the public front page: the posting only
    (a published posting is public), soonest deadline first, in one query. Each round carries the names of its
    personas and appointment forms (`persona_labels`, `form_labels`) in the standard's order, translatable."""
    persona_names, form_names = dict(PERSONA_CHOICES), dict(AppointmentForm.choices)
    rounds = list(open_rounds().order_by("deadline", "id"))
    for rnd in rounds:
        rnd.persona_labels = [persona_names.get(p, p) for p in rnd.personas]
        rnd.form_labels = [form_names.get(f, f) for f in rnd.appointment_forms]
    return rounds


def consent_current() -> ConsentText | None:
    """The text on the handling of personal data that applicants agree to now (the latest published)."""
    return ConsentText.objects.order_by("-published_at").first()


def consent_acceptance_current(*, user: User) -> ConsentAcceptance | None:
    """The user's agreement to the consent text in force, or None when they have not agreed to that version
    (never, or only to an older one): then the application form asks again."""
    current = consent_current()
    if current is None or not is_authenticated(user):
        return None
    return ConsentAcceptance.objects.select_related("consent").filter(user=user, consent=current).first()


def consent_agreed_before(*, user: User) -> bool:
    """Whether the user has agreed to some version (so a form asking again can say the text was revised)."""
    return is_authenticated(user) and ConsentAcceptance.objects.filter(user=user).exists()


# --- applications --------------------------------------------------------------------------------------------

def application_scope(*, user: User) -> QuerySet[Application]:
    qs = Application.objects.select_related("round", "round__prefecture", "profile", "profile__home_municipality")
    if is_secretariat(user):
        return qs.filter(round__prefecture_id=user.prefecture_id_scope)
    if is_talent(user):
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
        # Names compared without their spaces and readings in either kana, as in the pool (pool_search).
        qs = qs.annotate(name_key=Replace("profile__full_name", Value(" "), Value("")),
                         kana_key=Replace("profile__full_name_kana", Value(" "), Value("")))
        for term in search_key(q).split():
            qs = qs.filter(Q(profile__search_text__contains=term) | Q(name_key__icontains=term)
                           | Q(kana_key__icontains=term) | Q(kana_key__icontains=to_katakana(term))
                           | Q(profile__pseudonym__icontains=term))
    return qs


def application_list_page(*, user: User, round_id: int | None = None, status: str | None = None,
                          persona: str | None = None, q: str | None = None, page: Any = None,
                          request: HttpRequest | None = None) -> Page:
    """One page of the applications list, as the screening page shows it (full names for the secretariat):
    the people on the page are recorded in the audit trail, one entry per view."""
    qs = application_list(user=user, round_id=round_id, status=status, persona=persona, q=q)
    shown = Paginator(qs, PAGE_SIZE).get_page(page)
    if permissions.can_list_full_names(user=user):
        _audit_names_listed(user=user, profiles=[a.profile for a in shown], listing="applications",
                            page=shown.number, request=request)
    return shown


def _audit_names_listed(*, user: User, profiles: list[TalentProfile], listing: str, page: int,
                        request: HttpRequest | None) -> None:
    """Record who was shown by full name on one page of a list. A list is many full-profile views at once;
    the trail names each person so "who saw my name, when" has an answer. A page that shows nobody shows no
    personal data and leaves no entry."""
    if not profiles:
        return
    people = list({p.pk: {"id": p.pk, "pseudonym": p.pseudonym} for p in profiles}.values())
    audit_record(actor=user, action=AuditAction.PROFILE_LIST_FULL, request=request,
                 prefecture=Prefecture.objects.filter(pk=user.prefecture_id_scope).first(),
                 detail={"list": listing, "page": page, "count": len(people), "profiles": people})


def application_get(*, user: User, pk: int) -> Application:
    app = application_scope(user=user).filter(pk=pk).first()
    if app is None:
        raise NotFound("指定の応募は見つからないか、閲覧権限がありません。")
    return app


@dataclass(frozen=True)
class Withdrawal:
    application: Application
    allowed: bool
    """Whether APPLICATION_MACHINE lets the application be withdrawn from its current state."""


def withdrawal_get(*, user: User, pk: int) -> Withdrawal:
    """The applicant's own application, for the page that asks before withdrawing it."""
    app = application_get(user=user, pk=pk)
    allowed = (permissions.can_withdraw_application(user=user, obj=app)
               and S.WITHDRAWN in APPLICATION_MACHINE.allowed(app.status))
    return Withdrawal(application=app, allowed=allowed)


def application_status_counts(*, user: User, round_id: int | None = None) -> dict[str, int]:
    qs = application_scope(user=user)
    if round_id is not None:
        qs = qs.filter(round_id=round_id)
    counts = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    return {s: counts.get(s, 0) for s in S.values}


def decision_list(*, user: User, application_id: int) -> list[ScreeningDecision]:
    """An application's screening decisions, oldest first: the secretariat's working record, not shown to
    the applicant."""
    app = application_get(user=user, pk=application_id)
    require(permissions.can_screen_application(user=user, obj=app),
            "選考判定を閲覧できるのは都道府県の事務局だけです。")
    return list(app.decisions.select_related("decided_by"))


@dataclass(frozen=True)
class ApplicationDetail:
    application: Application
    profile: TalentProfile
    allowed: list[tuple[str, str]]
    """(status, label) of the moves APPLICATION_MACHINE allows from the current state, in the choices' order."""
    decisions: list[ScreeningDecision]
    changes: list[StatusChange]
    can_record_training: bool


def application_detail(*, user: User, pk: int, request: HttpRequest | None = None) -> ApplicationDetail:
    """The screening page of one application: the full profile (audited), decisions, history and the moves
    the status machine allows now."""
    app = application_get(user=user, pk=pk)
    require(permissions.can_screen_application(user=user, obj=app), "選考できるのは都道府県の事務局だけです。")
    profile = profile_get_full(user=user, pk=app.profile_id, request=request)
    allowed = [(s, APPLICATION_MACHINE.state_label(s)) for s in APPLICATION_MACHINE.allowed(app.status)]
    return ApplicationDetail(
        application=app, profile=profile, allowed=allowed,
        decisions=list(app.decisions.select_related("decided_by")),
        changes=list(app.status_changes.select_related("by")),
        can_record_training=app.status == S.IN_TRAINING and app.training_completed_at is None,
    )


# --- the pool ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PoolFilters:
    persona: str | None = None
    skill: str | None = None
    min_rating: int = 1
    prefecture_code: str | None = None
    near_municipality: str | None = None
    """Sort by distance from this municipality (code); with `reachable`, also filter."""
    reachable: bool = False
    """Only people who can work on site in `near_municipality`: the engine's distance rule (their home
    within their own travel range, see site_reach)."""
    include_remote: bool = False
    """With `reachable`: also people who cannot travel there but work remotely (リモート可) — the engine's rule
    for a need that allows fully remote work."""
    min_hours: int | None = None
    available_on: date | None = None
    training: str | None = None  # "completed" | "pending"
    status: str | None = None
    q: str | None = None


def skill_item_names() -> frozenset[str]:
    """The skill items of the standard in force (the keys of a profile's self-ratings)."""
    return frozenset(name for name, _description in standard_options().skill_items)


def _profile_scope(user: User) -> QuerySet[TalentProfile]:
    qs = TalentProfile.objects.select_related("home_municipality", "home_municipality__prefecture", "prefecture")
    if is_secretariat(user) or is_officer(user):
        # The pool serves the prefecture's municipalities; municipalities only ever get pseudonymised rows.
        return qs.filter(prefecture_id=user.prefecture_id_scope)
    return qs.none()


@dataclass(frozen=True)
class Reach:
    ok: bool
    distance_km: float | None


def site_reach(*, site: Municipality, home: Municipality | None, travel_km: float, remote_ok: bool,
               remote: bool) -> Reach:
    """Can this person work in `site`? Asked of the matching engine itself (dxpool.engine.reference.
    evaluate_pair, its "distance" rule), so the pool's filter and the match can never disagree: the distance
    from home to the site (the engine's great-circle distance) within the person's own travel range, or —
    when the work may be fully remote (`remote`) — a person who works remotely."""
    if home is None:
        # No home, no distance: only the remote branch of the rule can let the person through.
        return Reach(ok=remote and remote_ok, distance_km=None)
    need = Need(id="site", municipalities=(site.code,), persona="", hours_per_week=0.0,
                onsite_days_per_month=0.0 if remote else 1.0)
    talent = Talent(id="talent", home=home.code, capacity_hours_per_week=0.0, max_assignments=1,
                    travel_km=float(travel_km), remote_ok=remote_ok, trained=True, fit={})
    coords = {site.code: (float(site.lat), float(site.lng)), home.code: (float(home.lat), float(home.lng))}
    evaluation = evaluate_pair(need, talent, coords, MatchParams())
    return Reach(ok="distance" not in evaluation.fails, distance_km=float(evaluation.components["distance_km"]))


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
        if filters.persona not in PERSONA_CODES:
            raise ValidationError(f"人材像「{filters.persona}」はありません。", field="persona")
        qs = qs.filter(personas_met__contains=f" {filters.persona} ")
    if filters.skill:
        # Only an item of the standard: any other text would become a JSON path ("-1" an array index).
        if filters.skill not in skill_item_names():
            raise ValidationError(f"スキル項目「{filters.skill}」はスキル標準にありません。", field="skill")
        if not 0 <= filters.min_rating <= 4:
            raise ValidationError("自己評価は0〜4で指定してください。", field="min_rating")
        qs = qs.filter(**{f"skill_ratings__{filters.skill}__gte": filters.min_rating})
    if filters.prefecture_code:
        qs = qs.filter(home_municipality__prefecture__code=filters.prefecture_code)
    if filters.min_hours:
        qs = qs.filter(hours_per_week__gte=filters.min_hours)
    if filters.available_on:
        d = filters.available_on
        qs = qs.filter(Q(available_from__isnull=True) | Q(available_from__lte=d)).filter(
            Q(available_to__isnull=True) | Q(available_to__gte=d))
    # The prefecture holds the personal data and searches all of it, names included. Everyone else searches
    # only what the pseudonymised card shows (card_search_text, below): the stored search column also holds
    # the home municipality and the CV, and matching on them would name a person's town behind a card that
    # says only the prefecture.
    full_text = permissions.can_view_pool_full(user=user)
    terms = search_key(filters.q).split() if filters.q else []
    if full_text:
        # Names are kept as typed (「試験 太郎」), so they are compared without their spaces: 「試験太郎」 finds the
        # person too. A reading typed in hiragana (しけん) finds the katakana it is usually written in.
        qs = qs.annotate(name_key=Replace("full_name", Value(" "), Value("")),
                         kana_key=Replace("full_name_kana", Value(" "), Value("")))
        for term in terms:
            qs = qs.filter(Q(search_text__contains=term) | Q(name_key__icontains=term)
                           | Q(kana_key__icontains=term) | Q(kana_key__icontains=to_katakana(term))
                           | Q(pseudonym__icontains=term))
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
        if not full_text and origin.pk != getattr(user, "municipality_id_scope", None):
            # Distances from towns of the searcher's choosing would triangulate a home (the nearest town at
            # 0 km): a municipality asks only whether people can work in its own town.
            raise ValidationError("現地勤務の可否で絞り込めるのは、自団体の市町村だけです。", field="near_municipality")
    result = []
    for p in profiles:
        app = status_by_profile.get(p.pk)
        p.pool_status = app.status if app else ""
        p.pool_status_label = app.get_status_display() if app else ""
        p.training_completed = bool(app and app.training_completed_at)
        p.distance_km = None
        if origin:
            reach = site_reach(site=origin, home=p.home_municipality, travel_km=p.travel_km,
                               remote_ok=p.remote_ok, remote=filters.include_remote)
            p.distance_km = None if reach.distance_km is None else round(reach.distance_km, 1)
            if filters.reachable and not reach.ok:
                continue
        result.append(p)
    if terms and not full_text:
        result = [p for p in result if all(t in card_search_text(pseudonymise(p)) for t in terms)]
    if origin and full_text:
        # Ordering by distance is the secretariat's; for a pseudonymised list the order itself would tell who
        # lives nearest (the list stays in pseudonym order).
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
    skills: tuple[tuple[str, int], ...] = ()
    """(skill item, self-rating) for the items rated CARD_SKILL_MIN or higher, strongest first."""


# Skill items rated 3 (独力で実施できる) or 4 (指導できる) are what a municipality looks for; they are on the card,
# so the card's search can find them.
CARD_SKILL_MIN = 3


def card_search_text(card: PseudonymousProfile) -> str:
    """Everything a municipality's free-text pool search may match: exactly what the card shows (pseudonym,
    personas met in Japanese and English, qualifications, the skills on the card, the home prefecture,
    remote work, status and training), normalised like every search key. Nothing the card hides."""
    personas = [name for code in card.personas_met
                for name in (code, PERSONA_NAMES.get(code, ""), PERSONA_NAMES_EN.get(code, ""))]
    parts = [card.pseudonym, *personas, *card.qualifications, *(name for name, _ in card.skills),
             card.home_prefecture, card.pool_status_label, "研修修了" if card.training_completed else "研修未修了"]
    if card.remote_ok:
        parts += ["リモート可", "remote"]
    return search_key(" ".join(p for p in parts if p))


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
        skills=tuple(sorted(((name, int(rating)) for name, rating in (profile.skill_ratings or {}).items()
                             if isinstance(rating, int) and rating >= CARD_SKILL_MIN),
                            key=lambda item: -item[1])),
    )


@dataclass(frozen=True)
class PoolList:
    rows: Sequence[Any]
    """One page: TalentProfile rows for the secretariat; PseudonymousProfile rows for everyone else."""
    full: bool


def pool_list(*, user: User, filters: PoolFilters, page: Any = None,
              request: HttpRequest | None = None) -> PoolList:
    """One page of the pool: full rows for the secretariat that holds the personal data (the names shown are
    audited, one entry per view), pseudonymised otherwise."""
    profiles = pool_search(user=user, filters=filters)
    if permissions.can_view_pool_full(user=user):
        shown = Paginator(profiles, PAGE_SIZE).get_page(page)
        _audit_names_listed(user=user, profiles=list(shown), listing="pool", page=shown.number, request=request)
        return PoolList(rows=shown, full=True)
    return PoolList(rows=Paginator([pseudonymise(p) for p in profiles], PAGE_SIZE).get_page(page), full=False)


def pool_pseudonymous(*, user: User, filters: PoolFilters) -> list[PseudonymousProfile]:
    """The pool pseudonymised for every caller (the API: full records are under /profiles/{id})."""
    return [pseudonymise(p) for p in pool_search(user=user, filters=filters)]


# --- profiles and evidence -----------------------------------------------------------------------------------

def can_see_full_profile(*, user: User, profile: TalentProfile) -> bool:
    """Kept for callers outside the app; the rule is permissions.can_view_full_profile."""
    return permissions.can_view_full_profile(user=user, obj=profile)


def profile_get_full(*, user: User, pk: int, request: HttpRequest | None = None) -> TalentProfile:
    """The full profile (personal data), for the holding prefecture, the applicant, or a municipality after an
    accepted proposal; audited every time."""
    profile = TalentProfile.objects.select_related("home_municipality", "prefecture", "user").filter(pk=pk).first()
    if profile is None or not permissions.can_view_full_profile(user=user, obj=profile):
        raise NotFound("指定のプロフィールは見つからないか、閲覧権限がありません。")
    audit_record(actor=user, action=AuditAction.PROFILE_VIEW_FULL, target=profile, prefecture=profile.prefecture,
                 request=request)
    return profile


def profile_get_for_edit(*, user: User, pk: int, request: HttpRequest | None = None) -> TalentProfile:
    """The profile to edit (the edit form shows the personal data, so it is audited like a full view), for those
    who may edit it: the applicant and the holding prefecture. A municipality that may see the profile after an
    accepted proposal is refused (403) before anything is shown or recorded; others get "not found"."""
    from dxpool.core.errors import Forbidden

    profile = TalentProfile.objects.select_related("home_municipality", "prefecture", "user").filter(pk=pk).first()
    if profile is None or not permissions.can_view_full_profile(user=user, obj=profile):
        raise NotFound("指定のプロフィールは見つからないか、閲覧権限がありません。")
    if not permissions.can_edit_profile(user=user, obj=profile):
        raise Forbidden("このプロフィールを編集できるのは、本人と都道府県の事務局だけです。")
    return profile_get_full(user=user, pk=pk, request=request)


@dataclass(frozen=True)
class ProfileDetail:
    profile: TalentProfile
    applications: list[Application]
    can_upload_evidence: bool
    can_edit: bool


def profile_detail(*, user: User, pk: int, request: HttpRequest | None = None) -> ProfileDetail:
    """The profile page: the full profile (audited), its applications and the actions open to the user."""
    profile = profile_get_full(user=user, pk=pk, request=request)
    return ProfileDetail(profile=profile, applications=list(profile.applications.select_related("round")),
                         can_upload_evidence=permissions.can_upload_evidence(user=user, obj=profile),
                         can_edit=permissions.can_edit_profile(user=user, obj=profile))


def profile_get_pseudonymous(*, user: User, pseudonym: str) -> PseudonymousProfile:
    profile = _profile_scope(user).filter(pseudonym=pseudonym,
                                          applications__status__in=POOL_STATUSES).distinct().first()
    if profile is None:
        raise NotFound("指定の人材は見つからないか、閲覧権限がありません。")
    app = profile.applications.filter(status__in=POOL_STATUSES).order_by("-applied_at").first()
    profile.pool_status_label = app.get_status_display() if app else ""
    profile.training_completed = bool(app and app.training_completed_at)
    return pseudonymise(profile)


def pool_member_full_profile(*, user: User, pseudonym: str) -> int | None:
    """The id of the full profile behind a pool card when the user may open it (the holding prefecture, or a
    municipality once both sides accepted a proposal), else None: the card then links to it instead of saying
    that names stay hidden. Nothing personal is read here, so nothing is audited; opening the link is."""
    profile = _profile_scope(user).filter(pseudonym=pseudonym).first()
    if profile is None or not permissions.can_view_full_profile(user=user, obj=profile):
        return None
    return profile.pk


def own_profiles(*, user: User) -> QuerySet[TalentProfile]:
    if not is_talent(user):
        return TalentProfile.objects.none()
    return TalentProfile.objects.filter(user=user).select_related("prefecture", "home_municipality")


def profiles_without_evidence(*, user: User) -> list[TalentProfile]:
    """The applicant's own profiles that have no proof uploaded yet (the next step the applicant is prompted
    for after applying, until a proof exists)."""
    return list(own_profiles(user=user).filter(evidence__isnull=True).order_by("prefecture__code"))


def own_profile_for(*, user: User, prefecture: Prefecture) -> TalentProfile | None:
    """The applicant's profile held by this prefecture, if they have applied there before."""
    return own_profiles(user=user).filter(prefecture=prefecture).first()


def evidence_get(*, user: User, pk: int) -> EvidenceFile:
    """A proof, for whoever may see its profile in full; "not found" for everyone else (no audit here: the
    download service records the access)."""
    evidence = EvidenceFile.objects.select_related("profile", "profile__prefecture").filter(pk=pk).first()
    if evidence is None or not permissions.can_view_full_profile(user=user, obj=evidence.profile):
        raise NotFound("証明書類が見つかりません。")
    return evidence

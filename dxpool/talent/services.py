"""Writes for recruitment, applications, profiles, evidence, screening and the pool's exports.

Status changes go through the machines in dxpool.talent.machines (applications and rounds): the table, the
timestamps, the history rows and the audit events live there. Who may act is dxpool.talent.permissions,
enforced here with require(); value coercion is dxpool.core.coerce.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from dxpool.accounts.models import Role, User
from dxpool.core import coerce
from dxpool.core.audit import AuditAction, audit_record
from dxpool.core.errors import Conflict, ValidationError
from dxpool.core.permissions import require
from dxpool.core.text import nfkc, search_key
from dxpool.places.models import Municipality, Prefecture
from dxpool.standard.assess import assess, assessment_to_dict, parse_profile
from dxpool.standard.errors import ProfileError
from dxpool.standard.loader import load_standard
from dxpool.standard.personas import PERSONA_CODES
from dxpool.talent import evidence, exports, permissions, selectors
from dxpool.talent.machines import (
    APPLICATION_MACHINE,
    ROUND_MACHINE,
    application_guard,
    decision_target,
    round_guard,
)
from dxpool.talent.models import (
    Application,
    AppointmentForm,
    ConsentAcceptance,
    ConsentText,
    Criterion,
    Decision,
    EvidenceFile,
    RecruitmentRound,
    RoundStatus,
    ScreeningDecision,
    StatusChange,
    TalentProfile,
    WorkStyle,
)
from dxpool.talent.models import (
    ApplicationStatus as S,
)

SECRETARIAT_ONLY = "この操作は、その都道府県の事務局だけが行えます。"

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024


# --- helpers ---------------------------------------------------------------------------------------------

def _new_pseudonym() -> str:
    # Random rather than sequential so the pseudonym reveals neither order nor count of applicants.
    while True:
        candidate = "人材-" + secrets.token_hex(3).upper()
        if not TalentProfile.objects.filter(pseudonym=candidate).exists():
            return candidate


# --- recruitment rounds ------------------------------------------------------------------------------------

def _round_clean(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(data)
    cleaned["title"] = nfkc(data.get("title"))
    if not cleaned["title"]:
        raise ValidationError("募集名を入力してください。", field="title")
    personas = list(data.get("personas") or [])
    if not personas or any(p not in PERSONA_CODES for p in personas):
        raise ValidationError("募集する人材像を1つ以上選んでください。", field="personas")
    forms = list(data.get("appointment_forms") or [])
    if any(f not in AppointmentForm.values for f in forms):
        raise ValidationError("任用形態の値が不正です。", field="appointment_forms")
    if not forms:
        raise ValidationError("任用形態を1つ以上選んでください。", field="appointment_forms")
    pmin, pmax = data.get("pay_min"), data.get("pay_max")
    if pmin is not None and pmax is not None and pmin > pmax:
        raise ValidationError("報酬の下限が上限を超えています。", field="pay_min")
    pf, pt = data.get("period_from"), data.get("period_to")
    if pf and pt and pf > pt:
        raise ValidationError("任用期間の開始が終了より後になっています。", field="period_from")
    dpw = data.get("days_per_week")
    if dpw is not None and not (0 <= float(dpw) <= 7):
        raise ValidationError("週あたり勤務日数は0〜7で入力してください。", field="days_per_week")
    if data.get("work_style", WorkStyle.HYBRID) not in WorkStyle.values:
        raise ValidationError("勤務形態の値が不正です。", field="work_style")
    if not data.get("deadline"):
        raise ValidationError("応募締切を入力してください。", field="deadline")
    if not nfkc(data.get("duties")):
        raise ValidationError("業務内容を入力してください。", field="duties")
    cleaned.update(personas=personas, appointment_forms=forms)
    return cleaned


ROUND_FIELDS = ["title", "personas", "role", "duties", "appointment_forms", "pay_min", "pay_max", "pay_unit",
                "days_per_week", "work_style", "period_from", "period_to", "deadline"]


@transaction.atomic
def round_create(*, actor: User, data: dict[str, Any]) -> RecruitmentRound:
    """Create a recruitment round (as a draft) for the actor's prefecture."""
    require(permissions.can_create_round(user=actor), "公募を作成できるのは都道府県の事務局だけです。")
    cleaned = _round_clean(data)
    rnd = RecruitmentRound.objects.create(prefecture_id=actor.prefecture_id_scope, created_by=actor,
                                          **{k: cleaned.get(k) for k in ROUND_FIELDS if k in cleaned})
    audit_record(actor=actor, action=AuditAction.ROUND_CREATE, target=rnd, prefecture=rnd.prefecture)
    return rnd


@transaction.atomic
def round_update(*, actor: User, rnd: RecruitmentRound, data: dict[str, Any]) -> RecruitmentRound:
    """Change a round's posting (any state: a correction to an open round is visible at once)."""
    require(permissions.can_manage_round(user=actor, obj=rnd), SECRETARIAT_ONLY)
    cleaned = _round_clean(data)
    for k in ROUND_FIELDS:
        if k in cleaned:
            setattr(rnd, k, cleaned[k])
    rnd.save()
    audit_record(actor=actor, action=AuditAction.ROUND_UPDATE, target=rnd, prefecture=rnd.prefecture)
    return rnd


@transaction.atomic
def round_set_status(*, actor: User, rnd: RecruitmentRound, status: str) -> RecruitmentRound:
    """Open or close a round along ROUND_MACHINE (draft → open → closed; closed → open again to extend)."""
    require(permissions.can_manage_round(user=actor, obj=rnd), SECRETARIAT_ONLY)
    ROUND_MACHINE.transition(obj=rnd, to=status, actor=actor, guard=round_guard(status))
    return rnd


# --- applicants and profiles ----------------------------------------------------------------------------------

CONSENT_OUTDATED = "最新の「個人情報の取扱い」に同意してください。"


def _consent_current_or_refuse(consent_version: str) -> ConsentText:
    """The consent text in force, if `consent_version` names it: what was shown must be what is agreed to, so
    a form rendered before a newer version was published is refused rather than recorded as the new one."""
    current = selectors.consent_current()
    if current is None:
        raise ValidationError("同意文が登録されていないため、現在受け付けていません。", field="consent")
    if nfkc(consent_version) != current.version:
        raise ValidationError(CONSENT_OUTDATED, field="consent")
    return current


def consent_accept(*, actor: User, consent_version: str, at: datetime | None = None) -> ConsentAcceptance:
    """Record that the actor agreed to the consent text in force (its version and the time); agreeing to the
    same version again keeps the first record, whose time is when the person first agreed."""
    consent = _consent_current_or_refuse(consent_version)
    acceptance, created = ConsentAcceptance.objects.get_or_create(
        user=actor, consent=consent, defaults={"accepted_at": at or timezone.now()})
    if created:
        audit_record(actor=actor, action=AuditAction.CONSENT_ACCEPT, target=acceptance,
                     detail={"consent": consent.version})
    return acceptance


@transaction.atomic
def applicant_register(*, username: str, email: str, password: str, display_name: str,
                       consent_version: str) -> User:
    """Create an applicant's account (role talent) with their agreement to the consent text in force."""
    _consent_current_or_refuse(consent_version)
    username = nfkc(username)
    if not username:
        raise ValidationError("ユーザー名を入力してください。", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError("このユーザー名はすでに使われています。", field="username")
    user = User(username=username, email=nfkc(email), display_name=nfkc(display_name), role=Role.TALENT)
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationError(" ".join(exc.messages), field="password") from None
    user.set_password(password)
    user.save()
    consent_accept(actor=user, consent_version=consent_version)
    return user


def _int(data: dict[str, Any], key: str, *, lo: int, hi: int, label: str, default: int = 0) -> int:
    return coerce.integer_or_default(data.get(key), field=key, label=label, lo=lo, hi=hi, default=default)


def _date(data: dict[str, Any], key: str, *, label: str) -> date | None:
    return coerce.date_or_none(data.get(key), field=key, label=label)


def profile_assessment(*, data: dict[str, Any]) -> dict:
    """Assess assessment inputs against the standard in force; raises ValidationError on unknown values."""
    standard = load_standard()
    try:
        profile = parse_profile({k: data.get(k) or ([] if k != "skill_ratings" else {}) for k in
                                 ("qualifications", "skill_levels", "experiences", "skill_ratings")}, standard)
    except ProfileError as exc:
        raise ValidationError(str(exc), field="assessment") from None
    return assessment_to_dict(assess(profile, standard))


def _profile_values(data: dict[str, Any]) -> dict[str, Any]:
    full_name = nfkc(data.get("full_name"))
    if not full_name:
        raise ValidationError("氏名を入力してください。", field="full_name")
    email = nfkc(data.get("email"))
    if "@" not in email:
        raise ValidationError("メールアドレスを正しく入力してください。", field="email")
    home = data.get("home_municipality")
    municipality = None
    if home:
        code = home.code if isinstance(home, Municipality) else nfkc(str(home))
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise ValidationError(f"団体コード「{code}」の市区町村はありません。", field="home_municipality")
    forms = list(data.get("appointment_forms") or [])
    bad = [f for f in forms if f not in AppointmentForm.values]
    if bad:
        raise ValidationError(f"任用形態「{bad[0]}」は選べません。", field="appointment_forms")
    available_from = _date(data, "available_from", label="稼働可能期間（開始）")
    available_to = _date(data, "available_to", label="稼働可能期間（終了）")
    if available_from and available_to and available_from > available_to:
        raise ValidationError("稼働可能期間の開始が終了より後になっています。", field="available_from")
    side = [nfkc(s) for s in (data.get("side_employers") or []) if nfkc(s)]
    assessment = profile_assessment(data=data)
    met = [p["code"] for p in assessment["personas"] if p["meets_standard"]]
    values = {
        "full_name": full_name,
        "full_name_kana": nfkc(data.get("full_name_kana")),
        "email": email,
        "phone": nfkc(data.get("phone")),
        "employer": nfkc(data.get("employer")),
        "side_employers": side,
        "qualifications": [nfkc(q) for q in data.get("qualifications") or []],
        "skill_levels": list(data.get("skill_levels") or []),
        "experiences": list(data.get("experiences") or []),
        "skill_ratings": dict(data.get("skill_ratings") or {}),
        "experience_description": (data.get("experience_description") or "").strip(),
        "hours_per_week": _int(data, "hours_per_week", lo=0, hi=80, label="週あたり稼働可能時間"),
        "onsite_days_per_month": _int(data, "onsite_days_per_month", lo=0, hi=31, label="月あたり現地勤務可能日数"),
        "available_from": available_from,
        "available_to": available_to,
        "home_municipality": municipality,
        "remote_ok": bool(data.get("remote_ok", True)),
        "travel_km": _int(data, "travel_km", lo=0, hi=3000, label="移動可能距離", default=50),
        "appointment_forms": forms,
        "assessment": assessment,
        "standard_version": assessment["standard"],
        "personas_met": (" " + " ".join(met) + " ") if met else "",
    }
    values["search_text"] = search_key(" ".join([
        values["experience_description"], " ".join(values["qualifications"]),
        " ".join(values["skill_ratings"].keys()), municipality.name if municipality else "",
        " ".join(e.get("code", "") for e in values["experiences"] if isinstance(e, dict)),
    ]))
    return values


@transaction.atomic
def talent_profile_save(*, actor: User, prefecture: Prefecture, data: dict[str, Any],
                        profile: TalentProfile | None = None) -> TalentProfile:
    """Create or update a profile; the applicant edits their own, the holding prefecture may correct it."""
    values = _profile_values(data)
    if profile is None:
        require(permissions.can_create_profile(user=actor), "プロフィールを作成できるのは応募者本人だけです。")
        profile = TalentProfile.objects.filter(user=actor, prefecture=prefecture).first()
    if profile is None:
        profile = TalentProfile.objects.create(user=actor, prefecture=prefecture, pseudonym=_new_pseudonym(), **values)
        audit_record(actor=actor, action=AuditAction.PROFILE_CREATE, target=profile, prefecture=prefecture)
        return profile
    require(permissions.can_edit_profile(user=actor, obj=profile), "このプロフィールを編集する権限がありません。")
    for k, v in values.items():
        setattr(profile, k, v)
    profile.save()
    audit_record(actor=actor, action=AuditAction.PROFILE_UPDATE, target=profile, prefecture=profile.prefecture)
    return profile


@transaction.atomic
def application_submit(*, actor: User, rnd: RecruitmentRound, persona: str, consent_version: str | None,
                       profile_data: dict[str, Any], motivation: str = "") -> Application:
    """Apply to an open round: the application records the consent version agreed to and when; profile and
    application are written together or not at all.

    `consent_version` is the version the applicant agrees to on this form; None when the form did not ask
    because they had already agreed to the version in force (at sign-up, say) — then that agreement is used,
    and if a newer version has been published since, the applicant is asked again (field "consent")."""
    require(permissions.can_apply(user=actor), "応募できるのは外部人材のアカウントだけです。")
    now = timezone.now()
    if rnd.status != RoundStatus.OPEN or rnd.deadline <= now:
        raise Conflict("この公募は現在受け付けていません。")
    if persona not in rnd.personas:
        raise ValidationError("応募する人材像を、この公募で募集している人材像から選んでください。", field="persona")
    if consent_version is None:
        acceptance = selectors.consent_acceptance_current(user=actor)
        if acceptance is None:
            raise ValidationError(CONSENT_OUTDATED, field="consent")
    else:
        acceptance = consent_accept(actor=actor, consent_version=consent_version, at=now)
    consent = acceptance.consent
    profile = talent_profile_save(actor=actor, prefecture=rnd.prefecture, data=profile_data,
                                  profile=TalentProfile.objects.filter(user=actor, prefecture=rnd.prefecture).first())
    if Application.objects.filter(round=rnd, profile=profile).exists():
        raise Conflict("この公募にはすでに応募しています。")
    try:
        with transaction.atomic():
            application = Application.objects.create(
                round=rnd, profile=profile, persona=persona, motivation=(motivation or "").strip(), consent=consent,
                consented_at=acceptance.accepted_at, applied_at=now, status=S.APPLIED,
            )
    except IntegrityError:
        raise Conflict("この公募にはすでに応募しています。") from None
    # The first history row has no "from": an application is born applied, not moved there by the machine.
    StatusChange.objects.create(application=application, from_status="", to_status=S.APPLIED, at=now, by=actor)
    audit_record(actor=actor, action=AuditAction.APPLICATION_SUBMIT, target=application, prefecture=rnd.prefecture,
                 detail={"consent": consent.version, "persona": persona})
    return application


def evidence_upload(*, actor: User, profile: TalentProfile, label: str, uploaded: UploadedFile) -> EvidenceFile:
    """Store a PDF/PNG/JPEG proof after checking its size and its real type from its content (its structure,
    not only its first bytes, and no markup a browser could render)."""
    require(permissions.can_upload_evidence(user=actor, obj=profile), "証明書類を登録できるのは本人だけです。")
    label = nfkc(label)
    if not label:
        raise ValidationError("何を証明する書類か入力してください。", field="label")
    if uploaded.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(f"ファイルが大きすぎます（上限 {EVIDENCE_MAX_BYTES // (1024 * 1024)} MB）。", field="file")
    if uploaded.size == 0:
        raise ValidationError("ファイルが空です。", field="file")
    # Within the size limit above, so reading it whole is bounded.
    data = b"".join(uploaded.chunks())
    uploaded.seek(0)
    content_type = evidence.evidence_type(data)
    if content_type is None:
        raise ValidationError("PDF、PNG、JPEG の正しい形式のファイルだけを登録できます（ファイルが壊れているか、"
                              "別の形式の内容を含んでいます）。", field="file")
    with transaction.atomic():
        record = EvidenceFile(profile=profile, label=label, original_name=uploaded.name[:200],
                              content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest())
        # Random stored name with the extension of the type found: the original name may itself carry personal
        # data, and its extension is the uploader's choice.
        record.file.save(f"{secrets.token_hex(16)}.{evidence.EXTENSIONS[content_type]}", uploaded, save=False)
        record.save()
        audit_record(actor=actor, action=AuditAction.EVIDENCE_UPLOAD, target=record, prefecture=profile.prefecture)
    return record


def evidence_download(*, actor: User, pk: int, request: HttpRequest | None = None) -> EvidenceFile:
    """A stored proof for download by someone who may see the full profile; audited.

    A proof is part of the profile's personal data, so a download is recorded as a view of the full profile
    as well as a download of the file (the trail shows both, as it always has)."""
    record = selectors.evidence_get(user=actor, pk=pk)
    profile = record.profile
    audit_record(actor=actor, action=AuditAction.PROFILE_VIEW_FULL, target=profile, prefecture=profile.prefecture,
                 request=request)
    audit_record(actor=actor, action=AuditAction.EVIDENCE_DOWNLOAD, target=record, prefecture=profile.prefecture,
                 request=request)
    return record


# --- status machine and screening ------------------------------------------------------------------------------

@transaction.atomic
def application_transition(*, actor: User, application: Application, to_status: str, note: str = "",
                           at: datetime | None = None) -> Application:
    """Move an application along APPLICATION_MACHINE; an illegal move is refused with a clear message."""
    if permissions.can_withdraw_application(user=actor, obj=application):
        # The applicant's one move is to withdraw; every other move is the secretariat's.
        require(to_status == S.WITHDRAWN, "応募者本人ができるのは辞退だけです。")
    else:
        require(permissions.can_screen_application(user=actor, obj=application), SECRETARIAT_ONLY)
    return APPLICATION_MACHINE.transition(obj=application, to=to_status, actor=actor, note=note, at=at,
                                          guard=application_guard(to_status))


@transaction.atomic
def training_complete(*, actor: User, application: Application, at: datetime | None = None) -> Application:
    """Record completion of the administrative training (修了), the gate before pooling."""
    require(permissions.can_screen_application(user=actor, obj=application), SECRETARIAT_ONLY)
    application = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    if application.status != S.IN_TRAINING:
        raise Conflict("研修中の応募者だけ研修修了を記録できます。")
    application.training_completed_at = at or timezone.now()
    application.save(update_fields=["training_completed_at", "updated_at"])
    audit_record(actor=actor, action=AuditAction.TRAINING_COMPLETE, target=application,
                 prefecture=application.round.prefecture)
    return application


@transaction.atomic
def screening_decide(*, actor: User, application: Application, criterion: str, decision: str,
                     reason: str) -> ScreeningDecision:
    """Record a decision on one criterion or the final decision, with its reason; the final decision moves
    the application (selected → 選定, rejected → 不採用, hold → stays in screening)."""
    require(permissions.can_screen_application(user=actor, obj=application), SECRETARIAT_ONLY)
    application = Application.objects.select_related("round").get(pk=application.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("判定の理由を記入してください。", field="reason")
    if criterion not in Criterion.values:
        raise ValidationError("観点の値が不正です。", field="criterion")
    valid = ({Decision.SELECTED, Decision.REJECTED, Decision.HOLD} if criterion == Criterion.FINAL
             else {Decision.PASS, Decision.FAIL, Decision.HOLD})
    if decision not in valid:
        raise ValidationError("この観点では選べない判定です。", field="decision")
    if application.status == S.APPLIED:
        application = application_transition(actor=actor, application=application, to_status=S.SCREENING,
                                             note="選考開始")
    if application.status != S.SCREENING:
        raise Conflict(f"「{application.get_status_display()}」の応募には選考判定を記録できません。")
    record = ScreeningDecision.objects.create(application=application, criterion=criterion, decision=decision,
                                              reason=reason, decided_by=actor, decided_at=timezone.now())
    target = decision_target(criterion, decision)
    if target is not None:
        application_transition(actor=actor, application=application, to_status=target, note=reason)
    audit_record(actor=actor, action=AuditAction.SCREENING_DECIDE, target=application,
                 prefecture=application.round.prefecture, detail={"criterion": criterion, "decision": decision})
    return record


# --- the pool ---------------------------------------------------------------------------------------------------

POOL_EXPORT_ACTIONS = {"xlsx": AuditAction.POOL_EXPORT_XLSX, "csv": AuditAction.POOL_EXPORT_CSV}


@dataclass(frozen=True)
class ExportFile:
    """A file to hand to the browser as a download."""

    content: bytes
    content_type: str
    filename: str


def pool_export(*, actor: User, filters: selectors.PoolFilters, fmt: str,
                request: HttpRequest | None = None) -> ExportFile:
    """The pool list as Excel or CSV (personal data) for the secretariat; every export is audited with its
    row count."""
    require(permissions.can_export_pool(user=actor), "人材プールを出力できるのは都道府県の事務局だけです。")
    action = POOL_EXPORT_ACTIONS.get(fmt)
    if action is None:
        raise ValidationError("出力形式は xlsx または csv を指定してください。", field="format")
    profiles = selectors.pool_search(user=actor, filters=filters)
    content, content_type = exports.pool_file(profiles, fmt)
    audit_record(actor=actor, action=action, request=request, prefecture=actor.organisation.prefecture,
                 detail={"rows": len(profiles)})
    return ExportFile(content, content_type, f"pool-{timezone.localdate():%Y%m%d}.{fmt}")

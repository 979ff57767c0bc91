"""Recruitment rounds (公募), applicants' profiles, applications, screening (選定) and the pool.

Personal data of applicants is held by one prefecture: a TalentProfile belongs to (user, prefecture), and only
that prefecture's secretariat sees it in full. Municipalities see pseudonymised profiles.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dxpool.core.models import TimeStamped
from dxpool.standard.appointment import APPOINTMENT_FORMS
from dxpool.standard.personas import PERSONA_CODES, PERSONA_NAMES

# The standard's personas in its order, with its Japanese names (dxpool.standard.personas, defined once) made
# translatable: the names are msgids of dxpool/locale, so the English UI keeps its translations.
PERSONA_CHOICES = [(code, _(PERSONA_NAMES[code])) for code in PERSONA_CODES]


# 任用形態 (seeds 001/002) a posting offers and an applicant accepts. Codes and labels are defined once, in
# dxpool.standard.appointment (pure, quoting the seeds); members are the codes in capitals (CONTRACT = "contract").
AppointmentForm = models.TextChoices(
    "AppointmentForm", [(code.upper(), (code, _(label))) for code, label, _source in APPOINTMENT_FORMS],
    module=__name__)
AppointmentForm.__doc__ = "任用形態 (seeds 001/002) a posting offers and an applicant accepts."


class WorkStyle(models.TextChoices):
    ONSITE = "onsite", _("常駐")
    HYBRID = "hybrid", _("一部リモート")
    REMOTE = "remote", _("リモート")


class ConsentText(models.Model):
    """A version of the text on the handling of personal data that applicants agree to."""

    version = models.CharField(_("版"), max_length=20, unique=True)
    title = models.CharField(_("表題"), max_length=120)
    body = models.TextField(_("本文"))
    published_at = models.DateTimeField(_("公開日時"))

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("個人情報の取扱い同意文")
        verbose_name_plural = _("個人情報の取扱い同意文")

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class ConsentAcceptance(models.Model):
    """A person's agreement to one version of the consent text, and when. Asked at sign-up; asked again on the
    application form only when a newer version has been published since (a version is agreed to once)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    consent = models.ForeignKey(ConsentText, verbose_name=_("同意した文書"), on_delete=models.PROTECT,
                                related_name="acceptances")
    accepted_at = models.DateTimeField(_("同意日時"))

    class Meta:
        ordering = ["-accepted_at", "-id"]
        verbose_name = _("個人情報の取扱いへの同意")
        verbose_name_plural = _("個人情報の取扱いへの同意")
        constraints = [models.UniqueConstraint(fields=["user", "consent"], name="one_acceptance_per_version")]

    def __str__(self) -> str:
        return f"{self.user} — {self.consent.version}"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    OPEN = "open", _("募集中")
    CLOSED = "closed", _("締切")


class RecruitmentRound(TimeStamped):
    """A prefecture's public call (公募) for chosen personas, in the fields of a standard posting."""

    prefecture = models.ForeignKey("places.Prefecture", verbose_name=_("都道府県"), on_delete=models.PROTECT,
                                   related_name="recruitment_rounds")
    title = models.CharField(_("募集名"), max_length=120)
    personas = models.JSONField(_("募集する人材像"), default=list)
    role = models.CharField(_("役割"), max_length=200)
    duties = models.TextField(_("業務内容"))
    appointment_forms = models.JSONField(_("任用形態"), default=list)
    pay_min = models.PositiveIntegerField(_("報酬（下限）円"), null=True, blank=True)
    pay_max = models.PositiveIntegerField(_("報酬（上限）円"), null=True, blank=True)
    pay_unit = models.CharField(_("報酬の単位"), max_length=8, default="month",
                                choices=[("hour", _("時間")), ("day", _("日")), ("month", _("月")), ("year", _("年"))])
    days_per_week = models.DecimalField(_("週あたり勤務日数"), max_digits=3, decimal_places=1, null=True, blank=True)
    work_style = models.CharField(_("勤務形態"), max_length=8, choices=WorkStyle.choices, default=WorkStyle.HYBRID)
    period_from = models.DateField(_("任用期間（開始）"), null=True, blank=True)
    period_to = models.DateField(_("任用期間（終了）"), null=True, blank=True)
    deadline = models.DateTimeField(_("応募締切"))
    status = models.CharField(_("状態"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-deadline", "-id"]
        verbose_name = _("公募")
        verbose_name_plural = _("公募")
        constraints = [
            models.CheckConstraint(name="round_pay_range", condition=Q(pay_min__isnull=True) | Q(pay_max__isnull=True)
                                   | Q(pay_min__lte=models.F("pay_max"))),
            models.CheckConstraint(name="round_period_order", condition=Q(period_from__isnull=True)
                                   | Q(period_to__isnull=True) | Q(period_from__lte=models.F("period_to"))),
            models.CheckConstraint(name="round_days_per_week", condition=Q(days_per_week__isnull=True)
                                   | Q(days_per_week__gte=0, days_per_week__lte=7)),
        ]

    def __str__(self) -> str:
        return self.title


class TalentProfile(TimeStamped):
    """An applicant's profile as held by one prefecture: the assessment inputs plus availability and location."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="talent_profiles")
    prefecture = models.ForeignKey("places.Prefecture", verbose_name=_("保有する都道府県"), on_delete=models.PROTECT,
                                   related_name="talent_profiles")
    pseudonym = models.CharField(_("仮名"), max_length=16, unique=True)
    full_name = models.CharField(_("氏名"), max_length=80)
    full_name_kana = models.CharField(_("氏名（よみ）"), max_length=80, blank=True)
    email = models.EmailField(_("メールアドレス"))
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    employer = models.CharField(_("現在の勤務先"), max_length=120, blank=True)
    side_employers = models.JSONField(_("兼業先"), default=list, blank=True)
    qualifications = models.JSONField(_("保有資格"), default=list, blank=True)
    skill_levels = models.JSONField(_("ITSS/UISS レベル"), default=list, blank=True)
    experiences = models.JSONField(_("経験"), default=list, blank=True)
    skill_ratings = models.JSONField(_("スキル自己評価"), default=dict, blank=True)
    experience_description = models.TextField(_("職務経歴・経験の説明"), blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("週あたり稼働可能時間"), default=0)
    onsite_days_per_month = models.PositiveSmallIntegerField(_("月あたり現地勤務可能日数"), default=0)
    available_from = models.DateField(_("稼働可能（開始）"), null=True, blank=True)
    available_to = models.DateField(_("稼働可能（終了）"), null=True, blank=True)
    home_municipality = models.ForeignKey("places.Municipality", verbose_name=_("居住地"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    remote_ok = models.BooleanField(_("リモート勤務可"), default=True)
    travel_km = models.PositiveIntegerField(_("移動可能距離（km）"), default=50)
    appointment_forms = models.JSONField(_("受けられる任用形態"), default=list, blank=True)
    # Cached outputs, refreshed by talent_profile_update: the assessment (with the standard version used) and
    # an NFKC/casefolded text for free-text search that works the same on SQLite and PostgreSQL.
    assessment = models.JSONField(_("スキル標準による評価"), default=dict, blank=True)
    standard_version = models.CharField(_("スキル標準の版"), max_length=20, blank=True)
    # Space-delimited persona codes with a leading and trailing space (" producer engineer "), so that
    # "meets persona X" is a plain substring filter on every database (JSON containment is not on SQLite).
    personas_met = models.CharField(_("標準を満たす人材像"), max_length=80, blank=True, default="")
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("人材プロフィール")
        verbose_name_plural = _("人材プロフィール")
        constraints = [
            models.UniqueConstraint(fields=["user", "prefecture"], name="one_profile_per_user_and_prefecture"),
            models.CheckConstraint(name="profile_hours_per_week", condition=Q(hours_per_week__lte=80)),
            models.CheckConstraint(name="profile_onsite_days", condition=Q(onsite_days_per_month__lte=31)),
            models.CheckConstraint(name="profile_availability_order", condition=Q(available_from__isnull=True)
                                   | Q(available_to__isnull=True) | Q(available_from__lte=models.F("available_to"))),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class EvidenceFile(TimeStamped):
    """An uploaded proof of a qualification (PDF/PNG/JPEG); personal data, served only through an audited view."""

    profile = models.ForeignKey(TalentProfile, on_delete=models.CASCADE, related_name="evidence")
    label = models.CharField(_("証明する資格・経験"), max_length=120)
    file = models.FileField(_("ファイル"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("元のファイル名"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    verified_at = models.DateTimeField(_("確認日時"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("証明書類")
        verbose_name_plural = _("証明書類")

    def __str__(self) -> str:
        return f"{self.label} ({self.original_name})"

    @property
    def download_name(self) -> str:
        """The name a download is served under: chosen by the server from the type found in the content, never
        the uploader's name or extension ("poly.html" is served as evidence-7.pdf)."""
        from dxpool.talent.evidence import EXTENSIONS

        return f"evidence-{self.pk}.{EXTENSIONS.get(self.content_type, 'bin')}"


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("応募済み")
    SCREENING = "screening", _("選考中")
    SELECTED = "selected", _("選定")
    IN_TRAINING = "in_training", _("研修中")
    POOLED = "pooled", _("プール登録")
    DISPATCHED = "dispatched", _("派遣中")
    ENDED = "ended", _("終了")
    WITHDRAWN = "withdrawn", _("辞退")
    REJECTED = "rejected", _("不採用")


class Application(TimeStamped):
    """One profile's application to one round, with a timestamp for every state it has reached."""

    round = models.ForeignKey(RecruitmentRound, verbose_name=_("公募"), on_delete=models.PROTECT,
                              related_name="applications")
    profile = models.ForeignKey(TalentProfile, verbose_name=_("プロフィール"), on_delete=models.PROTECT,
                                related_name="applications")
    persona = models.CharField(_("応募する人材像"), max_length=20, choices=PERSONA_CHOICES)
    motivation = models.TextField(_("志望動機"), blank=True)
    status = models.CharField(_("状態"), max_length=12, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.APPLIED, db_index=True)
    consent = models.ForeignKey(ConsentText, verbose_name=_("同意した文書"), on_delete=models.PROTECT, related_name="+")
    consented_at = models.DateTimeField(_("同意日時"))
    applied_at = models.DateTimeField(_("応募日時"))
    screening_at = models.DateTimeField(null=True, blank=True)
    selected_at = models.DateTimeField(null=True, blank=True)
    in_training_at = models.DateTimeField(null=True, blank=True)
    pooled_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    training_completed_at = models.DateTimeField(_("研修修了日時"), null=True, blank=True)

    class Meta:
        ordering = ["-applied_at", "-id"]
        verbose_name = _("応募")
        verbose_name_plural = _("応募")
        constraints = [
            models.UniqueConstraint(fields=["round", "profile"], name="one_application_per_round"),
            models.CheckConstraint(name="application_status_valid",
                                   condition=Q(status__in=[s.value for s in ApplicationStatus])),
        ]

    def __str__(self) -> str:
        return f"{self.profile} → {self.round}"


class StatusChange(models.Model):
    """Every transition of an application, with who and when (the status machine's history)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ApplicationStatus.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status} ({self.at:%Y-%m-%d})"


class Criterion(models.TextChoices):
    QUALIFICATION = "qualification", _("資格・レベルの証明確認")
    EXPERIENCE = "experience", _("経験の確認")
    INTERVIEW = "interview", _("面接")
    FINAL = "final", _("最終判定")


class Decision(models.TextChoices):
    PASS = "pass", _("適")
    FAIL = "fail", _("不適")
    HOLD = "hold", _("保留")
    SELECTED = "selected", _("選定")
    REJECTED = "rejected", _("不採用")


class ScreeningDecision(models.Model):
    """A decision on one criterion, or the final one, with its written reason. Never edited: a new decision
    supersedes an older one, and the history stays."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    criterion = models.CharField(_("観点"), max_length=16, choices=Criterion.choices)
    decision = models.CharField(_("判定"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("理由"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("判定日時"))

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("選考判定")
        verbose_name_plural = _("選考判定")
        constraints = [
            models.CheckConstraint(
                name="decision_fits_criterion",
                condition=(Q(criterion="final", decision__in=["selected", "rejected", "hold"])
                           | (~Q(criterion="final") & Q(decision__in=["pass", "fail", "hold"]))),
            ),
            models.CheckConstraint(name="decision_has_reason", condition=~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.get_decision_display()}"

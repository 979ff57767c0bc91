"""Hearing records (課題・ニーズ把握), job descriptions (ジョブディスクリプション) and needs.

The flow: a municipality's hearing record states its DX situation and issues → role suggestions → a job
description per role, in the skill standard's terms, edited in versions → the acceptance checklist → submitted
to the prefecture, it becomes an open Need that matching works on.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dxpool.core.models import TimeStamped
from dxpool.needs.reference import PAY_UNITS, POLICY_STATUSES, SUPPORT_KINDS, SYSTEMS, codes
from dxpool.talent.models import PERSONA_CHOICES


class NeedStatus(models.TextChoices):
    OPEN = "open", _("募集中")
    FILLED = "filled", _("充足")
    CLOSED = "closed", _("終了")


class NeedQuerySet(models.QuerySet):
    def for_municipality(self, municipality_id):
        """Needs the municipality raised, alone or jointly."""
        return self.filter(municipalities__pk=municipality_id).distinct()


class HearingRecord(TimeStamped):
    """One municipality's DX situation, issues and needs in one fiscal year.

    Per-item statuses are JSON keyed by the codes in dxpool.needs.reference — steps {"0": {"status"}},
    measures {"frontyard": {"status", "note"}}, systems {"児童手当": {"status", "planned_month"}}, targets
    {"leader": 20} — so the lists can follow the ministry's documents without migrations; services validate them.
    """

    municipality = models.ForeignKey("places.Municipality", verbose_name=_("市町村"), on_delete=models.PROTECT,
                                     related_name="hearings")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    heard_on = models.DateField(_("ヒアリング実施日"), null=True, blank=True)
    respondent = models.CharField(_("回答者（部署・職名）"), max_length=120, blank=True)
    interviewers = models.CharField(_("聞き取り担当"), max_length=200, blank=True)
    # DX steps and the facts behind them
    steps = models.JSONField(_("DXステップ"), default=dict, blank=True)
    policy_adopted_on = models.DateField(_("全体方針の決定日"), null=True, blank=True)
    dx_department = models.CharField(_("DX推進担当部門"), max_length=120, blank=True)
    dx_department_placement = models.CharField(_("部門の位置付け"), max_length=120, blank=True)
    cio_appointed = models.BooleanField(_("CIOの任命"), default=False)
    cio_adviser_appointed = models.BooleanField(_("CIO補佐官等の任用"), default=False)
    cio_adviser_external = models.BooleanField(_("CIO補佐官等は外部人材"), default=False)
    measures = models.JSONField(_("重点取組事項等"), default=dict, blank=True)
    systems = models.JSONField(_("標準化の移行状況"), default=dict, blank=True)
    # Staff and the talent policy
    staff_total = models.PositiveIntegerField(_("職員数"), null=True, blank=True)
    it_staff = models.PositiveIntegerField(_("情報担当職員数"), null=True, blank=True)
    dx_leaders = models.PositiveIntegerField(_("DX推進リーダー数"), null=True, blank=True)
    targets = models.JSONField(_("数値目標"), default=dict, blank=True)
    talent_policy_status = models.CharField(_("人材育成基本方針"), max_length=24, default="none",
                                            choices=[(c, lbl) for c, lbl in POLICY_STATUSES])
    # Issues and the support wanted
    issues = models.TextField(_("課題"), blank=True)
    support_kind = models.CharField(_("求める支援"), max_length=12, blank=True,
                                    choices=[(c, lbl) for c, lbl in SUPPORT_KINDS])
    support_from = models.DateField(_("支援開始希望日"), null=True, blank=True)
    support_months = models.PositiveSmallIntegerField(_("支援期間（月）"), null=True, blank=True)
    days_per_week = models.DecimalField(_("週あたり日数"), max_digits=3, decimal_places=1, null=True, blank=True)
    onsite_days_per_month = models.PositiveSmallIntegerField(_("月あたり現地日数"), null=True, blank=True)
    budget_yen = models.PositiveIntegerField(_("予算（円）"), null=True, blank=True)
    appointment_forms = models.JSONField(_("受入れ可能な任用形態"), default=list, blank=True)
    shareable = models.BooleanField(_("近隣と共有可"), default=False)
    grouping = models.ForeignKey("places.Grouping", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="hearings", verbose_name=_("共有する広域連携"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["municipality__code", "-fiscal_year"]
        verbose_name = _("ヒアリング記録")
        verbose_name_plural = _("ヒアリング記録")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "fiscal_year"], name="one_hearing_per_municipality_year"),
            models.CheckConstraint(name="hearing_fiscal_year", condition=Q(fiscal_year__gte=2020, fiscal_year__lte=2100)),
            models.CheckConstraint(name="hearing_it_staff_le_total", condition=Q(staff_total__isnull=True)
                                   | Q(it_staff__isnull=True) | Q(it_staff__lte=F("staff_total"))),
            models.CheckConstraint(name="hearing_leaders_le_total", condition=Q(staff_total__isnull=True)
                                   | Q(dx_leaders__isnull=True) | Q(dx_leaders__lte=F("staff_total"))),
            models.CheckConstraint(name="hearing_policy_status", condition=Q(talent_policy_status__in=codes(POLICY_STATUSES))),
            models.CheckConstraint(name="hearing_support_kind", condition=Q(support_kind="")
                                   | Q(support_kind__in=codes(SUPPORT_KINDS))),
            models.CheckConstraint(name="hearing_days_per_week", condition=Q(days_per_week__isnull=True)
                                   | Q(days_per_week__gte=0, days_per_week__lte=7)),
            models.CheckConstraint(name="hearing_onsite_days", condition=Q(onsite_days_per_month__isnull=True)
                                   | Q(onsite_days_per_month__lte=31)),
            models.CheckConstraint(name="hearing_support_months", condition=Q(support_months__isnull=True)
                                   | Q(support_months__gte=1, support_months__lte=60)),
            # Facts that only make sense together.
            models.CheckConstraint(name="hearing_external_adviser_appointed",
                                   condition=Q(cio_adviser_external=False) | Q(cio_adviser_appointed=True)),
            models.CheckConstraint(name="hearing_grouping_when_shareable",
                                   condition=Q(grouping__isnull=True) | Q(shareable=True)),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.fiscal_year}年度"

    def step_status(self, code: str) -> str | None:
        v = self.steps.get(code)
        return v.get("status") if isinstance(v, dict) else None

    def measure_status(self, code: str) -> str | None:
        v = self.measures.get(code)
        return v.get("status") if isinstance(v, dict) else None

    @property
    def hitori_joshis(self) -> bool:
        """ひとり情シス: one person, or nobody, doing all IT."""
        return self.it_staff is not None and self.it_staff <= 1

    @property
    def step_reached(self) -> int:
        """The highest step done (−1 when none)."""
        done = [int(k) for k in self.steps if self.step_status(k) == "done"]
        return max(done, default=-1)

    @property
    def step_current(self) -> int:
        """The highest step started, in progress or done (−1 when none): where the municipality stands."""
        started = [int(k) for k in self.steps if self.step_status(k) in ("in_progress", "done")]
        return max(started, default=-1)

    @property
    def systems_migrated(self) -> int:
        return sum(1 for s in SYSTEMS if (self.systems.get(s) or {}).get("status") == "migrated")

    @property
    def standardisation_progress(self) -> float:
        """Share of the 20 systems migrated (0–1)."""
        return self.systems_migrated / len(SYSTEMS)


class JDStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    SUBMITTED = "submitted", _("提出済み")
    WITHDRAWN = "withdrawn", _("取下げ")


class JobDescription(TimeStamped):
    """A role a municipality (or a grouping, jointly) wants filled, defined in the standard's terms.

    The content lives in JobDescriptionVersion rows: every save adds one, so the history shows who changed
    what. Before submission the municipality answers the acceptance checklist; submission opens a Need.
    """

    prefecture = models.ForeignKey("places.Prefecture", verbose_name=_("都道府県"), on_delete=models.PROTECT,
                                   related_name="job_descriptions")
    municipality = models.ForeignKey("places.Municipality", verbose_name=_("市町村"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="job_descriptions")
    grouping = models.ForeignKey("places.Grouping", verbose_name=_("広域連携（共同）"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="job_descriptions")
    hearing = models.ForeignKey(HearingRecord, verbose_name=_("もとにしたヒアリング記録"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="job_descriptions")
    status = models.CharField(_("状態"), max_length=10, choices=JDStatus.choices, default=JDStatus.DRAFT,
                              db_index=True)
    current_version = models.PositiveIntegerField(_("最新版"), default=0)
    # {item code: {"by": username, "by_role": role, "at": ISO datetime}} for each ticked checklist item.
    checklist = models.JSONField(_("受入れ準備チェックリスト"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    withdrawn_at = models.DateTimeField(_("取下げ日時"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["prefecture__code", "-pk"]
        verbose_name = _("ジョブディスクリプション")
        verbose_name_plural = _("ジョブディスクリプション")
        constraints = [
            models.CheckConstraint(name="jd_one_municipality_or_grouping", condition=(
                Q(municipality__isnull=False, grouping__isnull=True)
                | Q(municipality__isnull=True, grouping__isnull=False))),
            models.CheckConstraint(name="jd_status", condition=Q(status__in=JDStatus.values)),
            models.CheckConstraint(name="jd_submitted_has_time", condition=~Q(status=JDStatus.SUBMITTED)
                                   | Q(submitted_at__isnull=False)),
        ]

    def __str__(self) -> str:
        latest = self.latest
        return latest.title if latest else f"JD {self.pk}"

    @property
    def latest(self) -> "JobDescriptionVersion | None":
        if not hasattr(self, "_latest"):
            self._latest = self.versions.filter(number=self.current_version).first()
        return self._latest

    @property
    def owner_name(self) -> str:
        return self.grouping.name if self.grouping_id else self.municipality.name

    @property
    def checklist_complete(self) -> bool:
        from dxpool.needs.reference import CHECKLIST_CODES

        return all(code in self.checklist for code in CHECKLIST_CODES)

    @property
    def checklist_ticked(self) -> int:
        """How many of the JD's checklist items (1–5) are ticked; a stored tick of the dispatch's item is not one."""
        from dxpool.needs.reference import CHECKLIST_CODES

        return sum(code in self.checklist for code in CHECKLIST_CODES)


class JobDescriptionVersion(models.Model):
    """One saved state of a job description (immutable once written)."""

    jd = models.ForeignKey(JobDescription, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版"))
    created_at = models.DateTimeField(_("保存日時"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    change_note = models.CharField(_("変更内容"), max_length=200, blank=True)
    title = models.CharField(_("件名"), max_length=120)
    persona = models.CharField(_("人材像"), max_length=20, choices=PERSONA_CHOICES)
    duties = models.TextField(_("業務内容"))
    skills = models.JSONField(_("重視するスキル項目"), default=list, blank=True)
    # The standard in force when this version was saved, and what it says for the persona (quoted, so the JD
    # keeps its meaning when a newer standard is published).
    standard_version = models.CharField(_("スキル標準の版"), max_length=20)
    standard_terms = models.JSONField(_("スキル標準の記載"), default=dict)
    appointment_forms = models.JSONField(_("任用形態"), default=list)
    pay_min = models.PositiveIntegerField(_("報酬（下限）円"), null=True, blank=True)
    pay_max = models.PositiveIntegerField(_("報酬（上限）円"), null=True, blank=True)
    pay_unit = models.CharField(_("報酬の単位"), max_length=8, default="month", choices=PAY_UNITS)
    days_per_week = models.DecimalField(_("週あたり勤務日数"), max_digits=3, decimal_places=1)
    hours_per_week = models.DecimalField(_("週あたり時間"), max_digits=4, decimal_places=1)
    onsite_days_per_month = models.DecimalField(_("月あたり現地勤務日数"), max_digits=4, decimal_places=1, default=0)
    remote_ok = models.BooleanField(_("リモート勤務可"), default=True)
    period_from = models.DateField(_("期間（開始）"), null=True, blank=True)
    period_to = models.DateField(_("期間（終了）"), null=True, blank=True)
    host_department = models.CharField(_("受入れ部署"), max_length=120, blank=True)
    receiving_structure = models.TextField(_("受入れ体制"), blank=True)
    coi_applies = models.BooleanField(_("仕様書作成・業者選定に関わる業務を含む"), default=False)
    excluded_employers = models.JSONField(_("入札制限の対象となる事業者"), default=list, blank=True)
    weight = models.FloatField(_("優先度の重み"), default=1.0)

    class Meta:
        ordering = ["jd", "-number"]
        verbose_name = _("ジョブディスクリプションの版")
        verbose_name_plural = _("ジョブディスクリプションの版")
        constraints = [
            models.UniqueConstraint(fields=["jd", "number"], name="jd_version_number_unique"),
            models.CheckConstraint(name="jdv_pay_range", condition=Q(pay_min__isnull=True) | Q(pay_max__isnull=True)
                                   | Q(pay_min__lte=F("pay_max"))),
            models.CheckConstraint(name="jdv_days_per_week", condition=Q(days_per_week__gt=0, days_per_week__lte=7)),
            models.CheckConstraint(name="jdv_hours_per_week", condition=Q(hours_per_week__gt=0, hours_per_week__lte=40)),
            models.CheckConstraint(name="jdv_onsite_days", condition=Q(onsite_days_per_month__gte=0,
                                                                       onsite_days_per_month__lte=31)),
            models.CheckConstraint(name="jdv_period_order", condition=Q(period_from__isnull=True)
                                   | Q(period_to__isnull=True) | Q(period_from__lte=F("period_to"))),
            models.CheckConstraint(name="jdv_weight_positive", condition=Q(weight__gt=0)),
            # Fully remote work (no on-site days) must allow remote work.
            models.CheckConstraint(name="jdv_remote_when_no_onsite", condition=Q(onsite_days_per_month__gt=0)
                                   | Q(remote_ok=True)),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}版）"


class Need(TimeStamped):
    """An open role ready for matching: what a submitted job description becomes.

    For one municipality, or jointly for several (one person serving a grouping of small towns).
    """

    prefecture = models.ForeignKey("places.Prefecture", on_delete=models.PROTECT, related_name="needs")
    municipalities = models.ManyToManyField("places.Municipality", related_name="needs",
                                            verbose_name=_("市町村（共同の場合は複数）"))
    grouping = models.ForeignKey("places.Grouping", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="needs", verbose_name=_("広域連携（共同ニーズ）"))
    job_description = models.OneToOneField(JobDescription, null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="need", verbose_name=_("ジョブディスクリプション"))
    title = models.CharField(_("件名"), max_length=120)
    persona = models.CharField(_("人材像"), max_length=20, choices=PERSONA_CHOICES)
    hours_per_week = models.DecimalField(_("週あたり時間"), max_digits=4, decimal_places=1)
    onsite_days_per_month = models.DecimalField(_("月あたり現地日数"), max_digits=4, decimal_places=1, default=0)
    weight = models.FloatField(_("優先度の重み"), default=1.0)
    excluded_employers = models.JSONField(_("入札制限のある事業者"), default=list, blank=True)
    skills = models.JSONField(_("重視するスキル項目"), default=list, blank=True)
    appointment_forms = models.JSONField(_("任用形態"), default=list, blank=True)
    period_from = models.DateField(_("期間（開始）"), null=True, blank=True)
    period_to = models.DateField(_("期間（終了）"), null=True, blank=True)
    status = models.CharField(_("状態"), max_length=8, choices=NeedStatus.choices, default=NeedStatus.OPEN,
                              db_index=True)
    # Stamped by the need's status machine (dxpool.needs.services.machines) when the need last entered the state.
    filled_at = models.DateTimeField(_("充足日時"), null=True, blank=True)
    closed_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["prefecture__code", "pk"]
        verbose_name = _("ニーズ")
        verbose_name_plural = _("ニーズ")
        constraints = [
            models.CheckConstraint(name="need_status", condition=Q(status__in=NeedStatus.values)),
            models.CheckConstraint(name="need_hours_positive", condition=Q(hours_per_week__gt=0, hours_per_week__lte=40)),
            models.CheckConstraint(name="need_onsite_days", condition=Q(onsite_days_per_month__gte=0,
                                                                        onsite_days_per_month__lte=31)),
            models.CheckConstraint(name="need_weight_positive", condition=Q(weight__gt=0)),
            models.CheckConstraint(name="need_period_order", condition=Q(period_from__isnull=True)
                                   | Q(period_to__isnull=True) | Q(period_from__lte=F("period_to"))),
        ]

    def __str__(self) -> str:
        return self.title

    def municipality_codes(self) -> list[str]:
        return sorted(m.code for m in self.municipalities.all())

    def municipality_ids(self) -> set[int]:
        return {m.pk for m in self.municipalities.all()}


# The scalar fields of a hearing record as services take them and the API and Excel sheet carry them; the JSON
# fields (steps, measures, systems, targets) and the grouping are handled beside them.
HEARING_SCALAR_FIELDS = [
    "heard_on", "respondent", "interviewers", "policy_adopted_on", "dx_department", "dx_department_placement",
    "cio_appointed", "cio_adviser_appointed", "cio_adviser_external", "staff_total", "it_staff", "dx_leaders",
    "talent_policy_status", "issues", "support_kind", "support_from", "support_months", "days_per_week",
    "onsite_days_per_month", "budget_yen", "appointment_forms", "shareable",
]


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("確認待ち")
    APPLIED = "applied", _("取り込み済み")
    UNDONE = "undone", _("取り消し済み")
    EXPIRED = "expired", _("期限切れ")
    REJECTED = "rejected", _("エラーのため中止")


class HearingImportBatch(TimeStamped):
    """One upload of hearing sheets: the validated plan shown as a preview, then applied as previewed, and
    undone as a whole (dxpool.needs.services.hearing_batches).

    The files themselves are not kept (only their names, sizes and SHA-256): the plan holds, per municipality and
    year, each field's old and new value — what confirm writes, what it checks is still stored, and what undo
    restores. A rejected upload keeps its located errors, so the full list can be downloaded.
    """

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("取り込んだ人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # Scope: the prefecture whose records the batch touches (its secretariat sees and undoes it); for an
    # officer's import, also its municipality (the officer sees and undoes its own).
    prefecture = models.ForeignKey("places.Prefecture", verbose_name=_("都道府県"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey("places.Municipality", verbose_name=_("市町村"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状態"), max_length=10, choices=ImportStatus.choices,
                              default=ImportStatus.PREVIEWED, db_index=True)
    files = models.JSONField(_("ファイル"), default=list)  # [{"name", "bytes", "sha256"}]
    counts = models.JSONField(_("件数"), default=dict)  # records, created, updated, unchanged, skipped_blank, changes
    plan = models.JSONField(_("変更内容"), default=list)  # one entry per municipality and year, see the service
    skipped = models.JSONField(_("空欄のため変更なし"), default=list)  # [[code, name, year]]
    errors = models.JSONField(_("エラー"), default=list)  # [[file, sheet, row, column, message]]
    error_count = models.PositiveIntegerField(_("エラー件数"), default=0)
    applied_at = models.DateTimeField(_("取り込み日時"), null=True, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    undone_at = models.DateTimeField(_("取り消し日時"), null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    expired_at = models.DateTimeField(_("期限切れ日時"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ヒアリングシートの取り込み")
        verbose_name_plural = _("ヒアリングシートの取り込み")
        constraints = [
            models.CheckConstraint(name="hearing_import_status", condition=Q(status__in=ImportStatus.values)),
            models.CheckConstraint(name="hearing_import_applied_has_time",
                                   condition=~Q(status__in=["applied", "undone"]) | Q(applied_at__isnull=False)),
            models.CheckConstraint(name="hearing_import_undone_has_time",
                                   condition=~Q(status="undone") | Q(undone_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"取り込み #{self.pk}"

    @property
    def change_count(self) -> int:
        return int((self.counts or {}).get("changes", 0))

"""Open needs of municipalities, ready for matching.

A need is what a submitted job description becomes (issue 4 adds hearing records and JDs in front of it): a
persona with hours, on-site days and the skills it emphasises, for one municipality or jointly for several
(one person serving a grouping of small towns).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dxpool.core.models import TimeStamped
from dxpool.talent.models import PERSONA_CHOICES


class NeedStatus(models.TextChoices):
    OPEN = "open", _("募集中")
    FILLED = "filled", _("充足")
    CLOSED = "closed", _("終了")


class NeedQuerySet(models.QuerySet):
    def for_municipality(self, municipality_id):
        """Needs the municipality raised, alone or jointly."""
        return self.filter(municipalities__pk=municipality_id).distinct()


class Need(TimeStamped):
    prefecture = models.ForeignKey("places.Prefecture", on_delete=models.PROTECT, related_name="needs")
    municipalities = models.ManyToManyField("places.Municipality", related_name="needs",
                                            verbose_name=_("市町村（共同の場合は複数）"))
    grouping = models.ForeignKey("places.Grouping", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="needs", verbose_name=_("広域連携（共同ニーズ）"))
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
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["prefecture__code", "pk"]
        verbose_name = _("ニーズ")
        verbose_name_plural = _("ニーズ")
        constraints = [
            models.CheckConstraint(name="need_hours_positive", condition=Q(hours_per_week__gt=0, hours_per_week__lte=40)),
            models.CheckConstraint(name="need_onsite_days", condition=Q(onsite_days_per_month__gte=0,
                                                                        onsite_days_per_month__lte=31)),
            models.CheckConstraint(name="need_weight_positive", condition=Q(weight__gt=0)),
            models.CheckConstraint(name="need_period_order", condition=Q(period_from__isnull=True)
                                   | Q(period_to__isnull=True) | Q(period_from__lte=models.F("period_to"))),
        ]

    def __str__(self) -> str:
        return self.title

    def municipality_codes(self) -> list[str]:
        return sorted(m.code for m in self.municipalities.all())

    def municipality_ids(self) -> set[int]:
        return {m.pk for m in self.municipalities.all()}

    def mark_filled(self) -> None:
        self.status = NeedStatus.FILLED
        self.save(update_fields=["status", "updated_at"])


class HearingRecord(TimeStamped):
    """One municipality's DX situation, issues and needs in one fiscal year (課題・ニーズ把握).

    The per-item statuses are JSON keyed by the codes in dxpool.needs.reference (steps, measures, the 20
    systems), so the lists can follow the ministry's documents without migrations; services validate them.
    """

    municipality = models.ForeignKey("places.Municipality", on_delete=models.PROTECT, related_name="hearings")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    steps = models.JSONField(_("DXステップ"), default=dict, blank=True)
    policy_adopted_on = models.DateField(_("全体方針の策定日"), null=True, blank=True)
    dx_department = models.CharField(_("DX推進担当部門"), max_length=120, blank=True)
    dx_department_placement = models.CharField(_("部門の位置付け"), max_length=120, blank=True)
    cio_appointed = models.BooleanField(_("CIOの任命"), default=False)
    cio_adviser_appointed = models.BooleanField(_("CIO補佐官の任命"), default=False)
    cio_adviser_external = models.BooleanField(_("CIO補佐官は外部人材"), default=False)
    measures = models.JSONField(_("重点取組事項"), default=dict, blank=True)
    systems = models.JSONField(_("標準化の移行状況"), default=dict, blank=True)
    staff_total = models.PositiveIntegerField(_("職員数"), null=True, blank=True)
    it_staff = models.PositiveIntegerField(_("情報担当職員数"), null=True, blank=True)
    dx_leaders = models.PositiveIntegerField(_("DX推進リーダー数"), null=True, blank=True)
    targets = models.JSONField(_("数値目標"), default=dict, blank=True)
    talent_policy_status = models.CharField(_("人材育成基本方針"), max_length=24, default="none")
    issues = models.TextField(_("課題"), blank=True)
    support_kind = models.CharField(_("求める支援"), max_length=12, blank=True)
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
                                   | Q(it_staff__isnull=True) | Q(it_staff__lte=models.F("staff_total"))),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.fiscal_year}年度"

    @property
    def hitori_joshis(self) -> bool:
        """ひとり情シス: one person, or nobody, doing all IT."""
        return self.it_staff is not None and self.it_staff <= 1

    @property
    def step_reached(self) -> int:
        """The highest step done (−1 when none)."""
        done = [int(k) for k, v in self.steps.items() if isinstance(v, dict) and v.get("status") == "done"]
        return max(done, default=-1)

    @property
    def standardisation_progress(self) -> float:
        """Share of the 20 systems migrated (0–1)."""
        from dxpool.needs.reference import SYSTEMS

        migrated = sum(1 for s in SYSTEMS if self.systems.get(s, {}).get("status") == "migrated")
        return migrated / len(SYSTEMS)

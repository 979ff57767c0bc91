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

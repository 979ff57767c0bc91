"""Prefectures, municipalities (reference data) and groupings of municipalities (広域連携)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dxpool.core.models import TimeStamped


class Prefecture(models.Model):
    """One of the 47 prefectures; `code` is the two-digit prefecture number (01 北海道 … 47 沖縄県)."""

    code = models.CharField(_("都道府県コード"), max_length=2, unique=True)
    lg_code = models.CharField(_("団体コード"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=8, unique=True)
    kana = models.CharField(_("よみ"), max_length=32, blank=True)
    name_en = models.CharField(_("英語名"), max_length=32, blank=True)
    lat = models.FloatField(_("緯度"))
    lng = models.FloatField(_("経度"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("都道府県")
        verbose_name_plural = _("都道府県")

    def __str__(self) -> str:
        return self.name


class MunicipalityType(models.TextChoices):
    DESIGNATED_CITY = "指定都市", _("指定都市")
    SPECIAL_WARD = "特別区", _("特別区")
    CORE_CITY = "中核市", _("中核市")
    CITY = "市", _("市")
    TOWN = "町", _("町")
    VILLAGE = "村", _("村")


class Municipality(models.Model):
    """A municipality (市区町村) with its 6-digit 全国地方公共団体コード (check digit included)."""

    code = models.CharField(_("団体コード"), max_length=6, unique=True)
    prefecture = models.ForeignKey(Prefecture, verbose_name=_("都道府県"), on_delete=models.PROTECT,
                                   related_name="municipalities")
    name = models.CharField(_("名称"), max_length=32)
    kana = models.CharField(_("よみ"), max_length=64, blank=True)
    type = models.CharField(_("区分"), max_length=8, choices=MunicipalityType.choices, db_index=True)
    lat = models.FloatField(_("緯度"))
    lng = models.FloatField(_("経度"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("市区町村")
        verbose_name_plural = _("市区町村")
        constraints = [
            models.UniqueConstraint(fields=["prefecture", "name"], name="municipality_name_unique_in_prefecture"),
            models.CheckConstraint(name="municipality_lat_range", condition=models.Q(lat__gte=20, lat__lte=46)),
            models.CheckConstraint(name="municipality_lng_range", condition=models.Q(lng__gte=122, lng__lte=154)),
        ]

    def __str__(self) -> str:
        return f"{self.prefecture.name}{self.name}" if self.prefecture_id else self.name

    @property
    def full_name(self) -> str:
        return str(self)


class GroupingKind(models.TextChoices):
    RENKEI_CHUSU = "renkei_chusu", _("連携中枢都市圏")
    TEIJU_JIRITSU = "teiju_jiritsu", _("定住自立圏")
    ICHIBU_JIMU = "ichibu_jimu", _("一部事務組合")
    KOIKI_RENGO = "koiki_rengo", _("広域連合")
    PREFECTURE_DEFINED = "prefecture", _("都道府県が定める圏域")


class Grouping(TimeStamped):
    """A named group of municipalities that already cooperate and can share talent or procure jointly."""

    prefecture = models.ForeignKey(Prefecture, verbose_name=_("管理する都道府県"), on_delete=models.PROTECT,
                                   related_name="groupings")
    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("種類"), max_length=16, choices=GroupingKind.choices)
    members = models.ManyToManyField(Municipality, verbose_name=_("構成市町村"), related_name="groupings")
    note = models.TextField(_("備考"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["prefecture__code", "name"]
        verbose_name = _("広域連携")
        verbose_name_plural = _("広域連携")
        constraints = [
            models.UniqueConstraint(fields=["prefecture", "name"], name="grouping_name_unique_in_prefecture"),
        ]

    def __str__(self) -> str:
        return self.name

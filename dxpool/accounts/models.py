"""Organisations, users and their roles.

Every user acts for one organisation (except applicants/talent, who act for themselves); every selector of
tenant data scopes by the acting user's organisation.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dxpool.core.models import TimeStamped


class OrganisationKind(models.TextChoices):
    NATIONAL = "national", _("国（総務省・デジタル庁）")
    PREFECTURE = "prefecture", _("都道府県事務局")
    MUNICIPALITY = "municipality", _("市町村")


class Organisation(TimeStamped):
    """The national office, a prefecture's secretariat or a municipality's DX office."""

    kind = models.CharField(_("種別"), max_length=16, choices=OrganisationKind.choices)
    name = models.CharField(_("名称"), max_length=120)
    prefecture = models.ForeignKey(
        "places.Prefecture", verbose_name=_("都道府県"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="organisations",
    )
    municipality = models.OneToOneField(
        "places.Municipality", verbose_name=_("市町村"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="organisation",
    )

    class Meta:
        verbose_name = _("組織")
        verbose_name_plural = _("組織")
        ordering = ["kind", "name"]
        constraints = [
            # The shape of an organisation follows from its kind; the database refuses anything else.
            models.CheckConstraint(
                name="organisation_shape_by_kind",
                condition=(
                    Q(kind="national", prefecture__isnull=True, municipality__isnull=True)
                    | Q(kind="prefecture", prefecture__isnull=False, municipality__isnull=True)
                    | Q(kind="municipality", prefecture__isnull=False, municipality__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["prefecture"], condition=Q(kind="prefecture"), name="one_secretariat_per_prefecture"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    NATIONAL = "national", _("国")
    PREFECTURE = "prefecture", _("都道府県事務局")
    MUNICIPALITY = "municipality", _("市町村担当")
    TALENT = "talent", _("外部人材")


ROLE_FOR_KIND = {
    OrganisationKind.NATIONAL: Role.NATIONAL,
    OrganisationKind.PREFECTURE: Role.PREFECTURE,
    OrganisationKind.MUNICIPALITY: Role.MUNICIPALITY,
}


class User(AbstractUser):
    """A person who signs in. Staff roles belong to an organisation; talent belong to none."""

    role = models.CharField(_("役割"), max_length=16, choices=Role.choices, default=Role.TALENT)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("所属組織"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="members",
    )
    display_name = models.CharField(_("表示名"), max_length=80, blank=True)
    language = models.CharField(_("表示言語"), max_length=8, choices=[("ja", "日本語"), ("en", "English")], default="ja")

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")
        constraints = [
            models.CheckConstraint(
                name="user_role_matches_organisation",
                condition=Q(role="talent", organisation__isnull=True)
                | Q(role__in=["national", "prefecture", "municipality"], organisation__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.get_username()

    # Role helpers keep templates and selectors readable.
    @property
    def is_national(self) -> bool:
        return self.role == Role.NATIONAL

    @property
    def is_prefecture(self) -> bool:
        return self.role == Role.PREFECTURE

    @property
    def is_municipality(self) -> bool:
        return self.role == Role.MUNICIPALITY

    @property
    def is_talent(self) -> bool:
        return self.role == Role.TALENT

    @property
    def prefecture_id_scope(self):
        """The prefecture this staff user's data is confined to (None for national and talent)."""
        if self.organisation_id and self.role in (Role.PREFECTURE, Role.MUNICIPALITY):
            return self.organisation.prefecture_id
        return None

    @property
    def municipality_id_scope(self):
        if self.organisation_id and self.role == Role.MUNICIPALITY:
            return self.organisation.municipality_id
        return None


class ApiToken(TimeStamped):
    """A bearer token for the REST API; only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名前"), max_length=80)
    digest = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("APIトークン")
        verbose_name_plural = _("APIトークン")

    def __str__(self) -> str:
        return f"{self.user} / {self.name}"

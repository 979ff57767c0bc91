"""Base models shared by every app, and the audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    """Created/updated timestamps (aware, UTC in the database)."""

    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """An append-only record of who did what to which record.

    Full-profile views of applicants are personal-data access and must be traceable, so they are
    recorded here as well as writes that matter (decisions, exports, imports).
    """

    at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("実行者"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    target_type = models.CharField(_("対象種別"), max_length=64, blank=True)
    target_id = models.CharField(_("対象ID"), max_length=64, blank=True)
    # The prefecture whose data was touched: lets each prefecture read its own trail and nobody else's.
    prefecture = models.ForeignKey(
        "places.Prefecture", verbose_name=_("都道府県"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    detail = models.JSONField(_("詳細"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IPアドレス"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("監査ログ")
        verbose_name_plural = _("監査ログ")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"


class StatusHistory(models.Model):
    """One move of a record along its status machine (dxpool.core.machine), for machines that keep no history
    table of their own: who moved what from which state to which, when, and why."""

    machine = models.CharField(_("状態遷移の種類"), max_length=32)
    target_id = models.CharField(_("対象ID"), max_length=64)
    from_status = models.CharField(_("変更前"), max_length=16, blank=True)
    to_status = models.CharField(_("変更後"), max_length=16)
    at = models.DateTimeField(_("日時"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("実行者"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("備考"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("状態遷移の履歴")
        verbose_name_plural = _("状態遷移の履歴")
        indexes = [models.Index(fields=["machine", "target_id"])]

    def __str__(self) -> str:
        return f"{self.machine}:{self.target_id} {self.from_status or '—'} → {self.to_status}"

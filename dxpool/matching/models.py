"""Match runs and the proposals they produce; coordinator rules (locks and exclusions) that later runs obey.

A run's parameters, solver statistics and explanations are stored with it, so every proposal can be traced to
the run, the parameters and the score breakdown that produced it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dxpool.core.models import TimeStamped


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("待機中")
    RUNNING = "running", _("実行中")
    DONE = "done", _("完了")
    FAILED = "failed", _("失敗")


class MatchRun(TimeStamped):
    prefecture = models.ForeignKey("places.Prefecture", on_delete=models.PROTECT, related_name="match_runs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="what_ifs",
                               verbose_name=_("元の実行"))
    mode = models.CharField(_("方式"), max_length=8, choices=[("optimal", _("最適（総合スコア最大）")),
                                                          ("stable", _("安定（受入保留方式）"))], default="optimal")
    optimal_side = models.CharField(_("安定マッチングで有利な側"), max_length=8,
                                    choices=[("need", _("市町村ニーズ")), ("talent", _("人材"))], default="need")
    require_training = models.BooleanField(_("研修修了を条件にする"), default=True)
    max_assignments = models.PositiveSmallIntegerField(_("1人あたり最大担当数"), default=3)
    weights = models.JSONField(_("スコアの重み"), default=dict, blank=True)
    status = models.CharField(_("状態"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("進捗"), default=0)
    progress_label = models.CharField(max_length=80, blank=True)
    objective = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    unfilled = models.JSONField(default=list, blank=True)
    explanations = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The lease: the worker executing the run renews heartbeat_at while it works (a background thread and
    # every progress step); a running run whose heartbeat is older than MATCHRUN_LEASE_SECONDS, or whose
    # holder is a process of this host that no longer exists, lost its worker and is failed by
    # `matchrun_reap_stale`. `worker` names the holder ("host:pid:token", see services.worker_identity).
    heartbeat_at = models.DateTimeField(_("最終応答"), null=True, blank=True)
    worker = models.CharField(_("実行中のワーカー"), max_length=160, blank=True)
    # The background task's id (django-tasks), so the reaper can tell a queued run whose task ended without
    # running it, and close the task row of a run whose worker died.
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("マッチング実行")
        verbose_name_plural = _("マッチング実行")
        constraints = [
            models.CheckConstraint(name="matchrun_progress_range", condition=Q(progress__lte=100)),
            models.CheckConstraint(name="matchrun_max_assignments", condition=Q(max_assignments__gte=1)),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_mode_display()} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        """Done or failed: the worker is no longer writing to the row, so the page stops polling."""
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("未送付（確認中）")  # not yet sent: the secretariat is still reviewing it
    SENT = "sent", _("提案送付済み")
    ACCEPTED = "accepted", _("双方受諾")
    DECLINED = "declined", _("辞退・不同意")
    WITHDRAWN = "withdrawn", _("取り下げ")  # the secretariat took a sent proposal back, with a reason


class Side(models.TextChoices):
    PENDING = "pending", _("未回答")
    ACCEPTED = "accepted", _("受諾")
    DECLINED = "declined", _("辞退")


class Proposal(TimeStamped):
    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    need = models.ForeignKey("needs.Need", on_delete=models.PROTECT, related_name="proposals")
    profile = models.ForeignKey("talent.TalentProfile", on_delete=models.PROTECT, related_name="proposals")
    score = models.FloatField()
    breakdown = models.JSONField(default=dict)
    locked = models.BooleanField(default=False)
    status = models.CharField(_("状態"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    municipality_decision = models.CharField(max_length=10, choices=Side.choices, default=Side.PENDING)
    talent_decision = models.CharField(max_length=10, choices=Side.choices, default=Side.PENDING)
    decline_reason = models.TextField(_("辞退の理由"), blank=True)
    withdraw_reason = models.TextField(_("取り下げの理由"), blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)  # stamped by the proposal machine

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("マッチング提案")
        verbose_name_plural = _("マッチング提案")
        constraints = [models.UniqueConstraint(fields=["run", "need"], name="one_proposal_per_need_per_run")]

    def __str__(self) -> str:
        return f"{self.need} ← {self.profile}"


class PairRule(TimeStamped):
    """A coordinator's lock or exclusion of a (need, talent) pair; declined proposals become exclusions."""

    need = models.ForeignKey("needs.Need", on_delete=models.CASCADE, related_name="pair_rules")
    profile = models.ForeignKey("talent.TalentProfile", on_delete=models.CASCADE, related_name="pair_rules")
    kind = models.CharField(max_length=8, choices=[("lock", _("固定")), ("exclude", _("除外"))])
    reason = models.TextField(blank=True)
    source = models.CharField(max_length=12, choices=[("coordinator", _("調整担当")), ("declined", _("辞退"))],
                              default="coordinator")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["need", "profile"], name="one_rule_per_pair")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.need_id}/{self.profile_id}"

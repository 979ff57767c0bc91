"""Needs: opening one (directly, or from a submitted JD), and moving it along NEED_MACHINE.

A person closes and reopens a need (the prefecture's secretariat); only an accepted proposal fills it
(`need_fill`, called by matching).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from dxpool.accounts.models import User
from dxpool.core import coerce
from dxpool.core.audit import AuditAction, audit_record
from dxpool.core.errors import Conflict, ValidationError
from dxpool.core.permissions import require
from dxpool.core.text import nfkc
from dxpool.needs.models import JobDescription, Need, NeedStatus
from dxpool.needs.permissions import can_create_need, can_manage_need, need_create_refusal
from dxpool.needs.services.machines import NEED_MACHINE
from dxpool.places.models import Grouping, Municipality
from dxpool.standard.personas import PERSONA_CODES
from dxpool.talent.models import AppointmentForm


def persona_clean(persona: Any) -> str:
    """One of the standard's persona codes."""
    if persona not in PERSONA_CODES:
        raise ValidationError(f"人材像「{persona}」はありません。", field="persona")
    return persona


def appointment_forms_clean(value: Any, *, field: str = "appointment_forms") -> list[str]:
    """Codes of forms of appointment (任用形態), each one the standard knows; duplicates dropped."""
    return coerce.choice_list(value, field=field, label="任用形態", allowed=AppointmentForm.values)


@transaction.atomic
def need_create(*, actor: User, title: str, persona: str, municipality_codes: list[str], hours_per_week: Any,
                onsite_days_per_month: Any = 0, weight: Any = 1.0, excluded_employers: list[str] | None = None,
                skills: list[str] | None = None, appointment_forms: list[str] | None = None,
                period_from: date | None = None, period_to: date | None = None,
                grouping: Grouping | None = None, job_description: JobDescription | None = None) -> Need:
    """Open a need for one municipality, or jointly for several of one prefecture."""
    codes_ = [nfkc(c) for c in municipality_codes if nfkc(c)]
    if not codes_:
        raise ValidationError("市町村を1つ以上指定してください。", field="municipalities")
    found = list(Municipality.objects.filter(code__in=codes_))
    missing = sorted(set(codes_) - {m.code for m in found})
    if missing:
        raise ValidationError(f"団体コード「{missing[0]}」の市区町村はありません。", field="municipalities")
    prefectures = {m.prefecture_id for m in found}
    if len(prefectures) != 1:
        raise ValidationError("共同ニーズの市町村は同じ都道府県の中で指定してください。", field="municipalities")
    prefecture_id = prefectures.pop()
    require(can_create_need(user=actor, prefecture_id=prefecture_id, municipality_ids=[m.pk for m in found]),
            need_create_refusal(user=actor))
    persona_clean(persona)
    forms = appointment_forms_clean(appointment_forms)
    if period_from and period_to and period_from > period_to:
        raise ValidationError("期間の開始が終了より後になっています。", field="period_from")
    title = coerce.text(title, field="title", label="件名", max_length=Need._meta.get_field("title").max_length,
                        required=True)
    need = Need.objects.create(
        prefecture_id=prefecture_id, title=title, persona=persona, grouping=grouping, job_description=job_description,
        hours_per_week=coerce.number(hours_per_week, field="hours_per_week", label="週あたり時間", lo=0.5, hi=40),
        onsite_days_per_month=coerce.number(onsite_days_per_month, field="onsite_days_per_month",
                                            label="月あたり現地日数", lo=0, hi=31),
        weight=coerce.number(weight, field="weight", label="優先度の重み", lo=0.1, hi=10),
        excluded_employers=[nfkc(e) for e in excluded_employers or [] if nfkc(e)],
        skills=[nfkc(s) for s in skills or [] if nfkc(s)], appointment_forms=forms,
        period_from=period_from, period_to=period_to, created_by=actor,
    )
    need.municipalities.set(found)
    audit_record(actor=actor, action=AuditAction.NEED_CREATE, target=need, prefecture=need.prefecture,
                 detail={"job_description": job_description.pk if job_description else None})
    return need


@transaction.atomic
def need_set_status(*, actor: User, need: Need, status: str) -> Need:
    """Close or reopen a need (the prefecture's secretariat); only an accepted proposal fills a need."""
    require(can_manage_need(user=actor, obj=need), "ニーズの状態を変更できるのは、その都道府県の事務局だけです。")
    if status == NeedStatus.FILLED:
        raise Conflict("ニーズを「充足」にするのは、提案が双方に受諾されたときだけです（手動では変更できません）。",
                       code="IllegalTransition")
    return NEED_MACHINE.transition(obj=need, to=status, actor=actor)


@transaction.atomic
def need_fill(*, need: Need, actor: User | None) -> Need:
    """Mark an open need filled because both sides accepted a proposal for it (called by matching).

    No permission check here: matching has checked that the actor may accept the proposal. A need that is no
    longer open (closed by the secretariat after the proposals were sent, or already filled) is refused: the
    secretariat reopens it first if the match should stand.
    """
    locked = Need.objects.select_for_update().get(pk=need.pk)
    if locked.status != NeedStatus.OPEN:
        raise Conflict("このニーズは終了しているため、提案を受諾できません。都道府県の事務局に再開を依頼してください。"
                       if locked.status == NeedStatus.CLOSED else
                       "このニーズはすでに充足しているため、提案を受諾できません。", code="NeedNotOpen")
    return NEED_MACHINE.transition(obj=need, to=NeedStatus.FILLED, actor=actor, note="提案が双方に受諾されました")

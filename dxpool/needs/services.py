"""Writes for needs. (Hearing records and job descriptions, which submit needs, come with issue 4.)"""

from datetime import date
from typing import Any

from django.db import transaction

from dxpool.accounts.models import Role, User
from dxpool.core.audit import audit_record
from dxpool.core.errors import Forbidden, ValidationError
from dxpool.core.text import nfkc
from dxpool.needs.models import Need
from dxpool.places.models import Grouping, Municipality
from dxpool.talent.models import PERSONA_CHOICES, AppointmentForm

PERSONAS = {code for code, _ in PERSONA_CHOICES}


def _number(value: Any, *, field: str, label: str, lo: float, hi: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{label}は数値で入力してください。", field=field) from None
    if not lo <= number <= hi:
        raise ValidationError(f"{label}は{lo:g}〜{hi:g}の範囲で入力してください。", field=field)
    return number


@transaction.atomic
def need_create(*, actor: User, title: str, persona: str, municipality_codes: list[str], hours_per_week: Any,
                onsite_days_per_month: Any = 0, weight: Any = 1.0, excluded_employers: list[str] | None = None,
                skills: list[str] | None = None, appointment_forms: list[str] | None = None,
                period_from: date | None = None, period_to: date | None = None,
                grouping: Grouping | None = None) -> Need:
    """Open a need for one municipality, or jointly for several of one prefecture."""
    codes = [nfkc(c) for c in municipality_codes if nfkc(c)]
    if not codes:
        raise ValidationError("市町村を1つ以上指定してください。", field="municipalities")
    found = list(Municipality.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {m.code for m in found})
    if missing:
        raise ValidationError(f"団体コード「{missing[0]}」の市区町村はありません。", field="municipalities")
    prefectures = {m.prefecture_id for m in found}
    if len(prefectures) != 1:
        raise ValidationError("共同ニーズの市町村は同じ都道府県の中で指定してください。", field="municipalities")
    prefecture_id = prefectures.pop()
    if actor.role == Role.PREFECTURE:
        if actor.prefecture_id_scope != prefecture_id:
            raise Forbidden("他の都道府県の市町村のニーズは登録できません。")
    elif actor.role == Role.MUNICIPALITY:
        if {m.pk for m in found} != {actor.municipality_id_scope}:
            raise Forbidden("市町村の担当者が登録できるのは自団体のニーズだけです。")
    else:
        raise Forbidden("ニーズを登録できるのは都道府県の事務局と市町村の担当者だけです。")
    if persona not in PERSONAS:
        raise ValidationError(f"人材像「{persona}」はありません。", field="persona")
    forms = list(appointment_forms or [])
    if any(f not in AppointmentForm.values for f in forms):
        raise ValidationError("任用形態の値が不正です。", field="appointment_forms")
    if period_from and period_to and period_from > period_to:
        raise ValidationError("期間の開始が終了より後になっています。", field="period_from")
    title = nfkc(title)
    if not title:
        raise ValidationError("件名を入力してください。", field="title")
    need = Need.objects.create(
        prefecture_id=prefecture_id, title=title, persona=persona, grouping=grouping,
        hours_per_week=_number(hours_per_week, field="hours_per_week", label="週あたり時間", lo=0.5, hi=40),
        onsite_days_per_month=_number(onsite_days_per_month, field="onsite_days_per_month", label="月あたり現地日数",
                                      lo=0, hi=31),
        weight=_number(weight, field="weight", label="優先度の重み", lo=0.1, hi=10),
        excluded_employers=[nfkc(e) for e in excluded_employers or [] if nfkc(e)],
        skills=[nfkc(s) for s in skills or [] if nfkc(s)], appointment_forms=forms,
        period_from=period_from, period_to=period_to, created_by=actor,
    )
    need.municipalities.set(found)
    audit_record(actor=actor, action="need.create", target=need, prefecture=need.prefecture)
    return need

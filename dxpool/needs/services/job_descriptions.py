"""Job descriptions: drafted (from a hearing record or blank), edited in versions, checked against the
acceptance checklist, submitted (opening a need) or withdrawn (closing it), along JD_MACHINE.

The JD form saves all of it in one submit (`jd_save`): content, checklist ticks and, when asked, the submission,
in one transaction, so a refused submission leaves nothing half-saved. Items 1–5 of the checklist are the JD's;
the sixth (活動内容は当初の想定どおりか) belongs to the dispatch and is refused here.

A municipality's JD is written by its officer or its prefecture's secretariat; a joint JD of a grouping by the
secretariat alone (dxpool.needs.permissions.can_edit_jd).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from dxpool.accounts.models import User
from dxpool.core import coerce
from dxpool.core.audit import AuditAction, audit_record
from dxpool.core.errors import Conflict, ValidationError
from dxpool.core.permissions import require
from dxpool.core.text import nfkc
from dxpool.needs.models import (
    HearingRecord,
    JDStatus,
    JobDescription,
    JobDescriptionVersion,
    Need,
    NeedStatus,
)
from dxpool.needs.permissions import (
    can_create_jd,
    can_edit_hearing,
    can_edit_jd,
    hearing_edit_refusal,
    jd_create_refusal,
    jd_edit_refusal,
)
from dxpool.needs.reference import ACTIVITY_CHECKLIST, CHECKLIST_CODES, JD_CHECKLIST, PAY_UNITS, codes
from dxpool.needs.services.hearings import decimal_1
from dxpool.needs.services.machines import JD_MACHINE, NEED_MACHINE
from dxpool.needs.services.needs import appointment_forms_clean, need_create, persona_clean
from dxpool.needs.standard_terms import persona_skill_names, persona_terms
from dxpool.places.models import Grouping, Municipality
from dxpool.standard.personas import persona_name
from dxpool.talent.models import AppointmentForm

HOURS_PER_DAY = 8  # a draft JD's weekly hours from its days per week; the municipality adjusts them
# Producers and project managers usually advise on procurement: the bid restriction (入札制限) matters most there,
# so a draft for them starts with it ticked.
COI_PERSONAS = frozenset({"producer", "project_manager"})

JD_FIELDS = ["title", "persona", "duties", "skills", "appointment_forms", "pay_min", "pay_max", "pay_unit",
             "days_per_week", "hours_per_week", "onsite_days_per_month", "remote_ok", "period_from", "period_to",
             "host_department", "receiving_structure", "coi_applies", "excluded_employers", "weight"]


def jd_content(*, version: JobDescriptionVersion | None) -> dict[str, Any]:
    """A version's editable content (what jd_update takes), JSON-friendly."""
    if version is None:
        return {}
    data = {f: getattr(version, f) for f in JD_FIELDS}
    for f in ("days_per_week", "hours_per_week", "onsite_days_per_month"):
        data[f] = float(data[f])
    return data


def _jd_clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validated JD content; raises ValidationError naming the field."""
    out: dict[str, Any] = {}
    out["title"] = coerce.text(data.get("title"), field="title", label="件名", max_length=120, required=True)
    persona = out["persona"] = persona_clean(data.get("persona"))
    out["duties"] = str(data.get("duties") or "").strip()
    if not out["duties"]:
        raise ValidationError("業務内容を入力してください。", field="duties")
    allowed = persona_skill_names(persona)
    skills = list(dict.fromkeys(nfkc(s) for s in data.get("skills") or [] if nfkc(s)))
    unknown = [s for s in skills if s not in allowed]
    if unknown:
        raise ValidationError(f"スキル項目「{unknown[0]}」は{persona_name(persona)}のスキル項目にありません"
                              f"（{'・'.join(allowed)}）。", field="skills")
    if not skills:
        raise ValidationError("重視するスキル項目を1つ以上選んでください。", field="skills")
    out["skills"] = skills
    out["appointment_forms"] = appointment_forms_clean(data.get("appointment_forms"))
    if not out["appointment_forms"]:
        raise ValidationError("任用形態を1つ以上選んでください。", field="appointment_forms")
    out["pay_min"] = coerce.integer_or_none(data.get("pay_min"), field="pay_min", label="報酬（下限）", lo=0,
                                            hi=2_000_000_000, unit="円")
    out["pay_max"] = coerce.integer_or_none(data.get("pay_max"), field="pay_max", label="報酬（上限）", lo=0,
                                            hi=2_000_000_000, unit="円")
    if out["pay_min"] is not None and out["pay_max"] is not None and out["pay_min"] > out["pay_max"]:
        raise ValidationError("報酬の下限が上限を超えています。", field="pay_min")
    out["pay_unit"] = data.get("pay_unit") or "month"
    if out["pay_unit"] not in codes(PAY_UNITS):
        raise ValidationError("報酬の単位が不正です。", field="pay_unit")
    out["days_per_week"] = decimal_1(coerce.number(data.get("days_per_week"), field="days_per_week",
                                                   label="週あたり勤務日数", lo=0.5, hi=7))
    out["hours_per_week"] = decimal_1(coerce.number(data.get("hours_per_week"), field="hours_per_week",
                                                    label="週あたり時間", lo=0.5, hi=40))
    out["onsite_days_per_month"] = decimal_1(coerce.number(data.get("onsite_days_per_month") or 0,
                                                           field="onsite_days_per_month", label="月あたり現地勤務日数",
                                                           lo=0, hi=31))
    out["remote_ok"] = bool(data.get("remote_ok", True))
    if out["onsite_days_per_month"] == 0 and not out["remote_ok"]:
        raise ValidationError("現地勤務日数が0日の場合は「リモート勤務可」にしてください。", field="remote_ok")
    out["period_from"] = coerce.date_or_none(data.get("period_from"), field="period_from", label="期間（開始）")
    out["period_to"] = coerce.date_or_none(data.get("period_to"), field="period_to", label="期間（終了）")
    if out["period_from"] and out["period_to"] and out["period_from"] > out["period_to"]:
        raise ValidationError("期間の開始が終了より後になっています。", field="period_from")
    out["host_department"] = coerce.text(data.get("host_department"), field="host_department", label="受入れ部署",
                                         max_length=120)
    out["receiving_structure"] = str(data.get("receiving_structure") or "").strip()
    out["coi_applies"] = bool(data.get("coi_applies", False))
    out["excluded_employers"] = list(dict.fromkeys(nfkc(e) for e in data.get("excluded_employers") or [] if nfkc(e)))
    out["weight"] = coerce.number(data.get("weight", 1.0), field="weight", label="優先度の重み", lo=0.1, hi=10)
    return out


def _version_create(jd: JobDescription, number: int, content: dict[str, Any], actor: User,
                    note: str) -> JobDescriptionVersion:
    # The standard in force now is quoted into the version, with its version id.
    terms = persona_terms(content["persona"])
    return JobDescriptionVersion.objects.create(
        jd=jd, number=number, created_by=actor,
        change_note=coerce.text(note, field="change_note", label="変更内容", max_length=200),
        standard_version=terms["standard_version"], standard_terms=terms, **content)


@transaction.atomic
def jd_create(*, actor: User, data: Mapping[str, Any], municipality: Municipality | None = None,
              grouping: Grouping | None = None, hearing: HearingRecord | None = None,
              change_note: str = "作成") -> JobDescription:
    """Draft a job description for a municipality (or jointly for a grouping); its content is version 1."""
    if (municipality is None) == (grouping is None):
        raise ValidationError("市町村か広域連携のどちらか一方を指定してください。", field="municipality")
    require(can_create_jd(user=actor, municipality=municipality, grouping=grouping),
            jd_create_refusal(user=actor, municipality=municipality, grouping=grouping))
    prefecture_id = grouping.prefecture_id if grouping is not None else municipality.prefecture_id
    if hearing is not None:
        members = {m.pk for m in grouping.members.all()} if grouping else {municipality.pk}
        if hearing.municipality_id not in members:
            raise ValidationError("ヒアリング記録がこの市町村のものではありません。", field="hearing")
    content = _jd_clean(data)
    jd = JobDescription.objects.create(prefecture_id=prefecture_id, municipality=municipality, grouping=grouping,
                                       hearing=hearing, created_by=actor, current_version=1)
    _version_create(jd, 1, content, actor, change_note)
    audit_record(actor=actor, action=AuditAction.JD_CREATE, target=jd, prefecture=jd.prefecture,
                 detail={"persona": content["persona"], "hearing": hearing.pk if hearing else None})
    return jd


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def jd_draft_data(*, hearing: HearingRecord, persona: str, skills: list[str] | None = None) -> dict[str, Any]:
    """A first draft from a hearing record and a suggested persona, in the standard's terms (not saved)."""
    from dxpool.needs.selectors import hearing_roles

    persona_clean(persona)
    terms = persona_terms(persona)
    allowed = persona_skill_names(persona)
    if skills is None:
        suggested = next((r for r in hearing_roles(hearing) if r.code == persona), None)
        skills = [s for s in (suggested.skills if suggested else ()) if s in allowed]
    skills = skills or [s["name"] for s in terms["skills"] if s["category"] == "technical"]
    duties = "\n".join(f"・{r}" for r in terms["roles"])
    if hearing.issues:
        duties += "\n\n【団体の課題（ヒアリングより）】\n" + hearing.issues.strip()
    days = float(hearing.days_per_week or 1)
    period_from = hearing.support_from
    period_to = (_add_months(period_from, hearing.support_months) - timedelta(days=1)
                 if period_from and hearing.support_months else None)
    pay_max = hearing.budget_yen // hearing.support_months if hearing.budget_yen and hearing.support_months else None
    onsite = hearing.onsite_days_per_month or 0
    return {
        "title": f"{hearing.municipality.name} {persona_name(persona)}",
        "persona": persona, "duties": duties, "skills": skills,
        "appointment_forms": list(hearing.appointment_forms or []) or [AppointmentForm.CONTRACT],
        "pay_min": None, "pay_max": pay_max, "pay_unit": "month",
        "days_per_week": max(0.5, min(days, 7)), "hours_per_week": max(0.5, min(days * HOURS_PER_DAY, 40)),
        "onsite_days_per_month": onsite, "remote_ok": True, "period_from": period_from, "period_to": period_to,
        "host_department": hearing.dx_department, "receiving_structure": "",
        "coi_applies": persona in COI_PERSONAS, "excluded_employers": [], "weight": 1.0,
    }


def jd_draft_from_hearing(*, actor: User, hearing: HearingRecord, persona: str,
                          skills: list[str] | None = None) -> JobDescription:
    """Draft a JD for one suggested role of a hearing record."""
    require(can_edit_hearing(user=actor, municipality=hearing.municipality),
            hearing_edit_refusal(user=actor, municipality=hearing.municipality))
    data = jd_draft_data(hearing=hearing, persona=persona, skills=skills)
    return jd_create(actor=actor, data=data, municipality=hearing.municipality, hearing=hearing,
                     change_note="ヒアリング記録の提案から作成")


def _require_editor(actor: User, jd: JobDescription) -> None:
    require(can_edit_jd(user=actor, obj=jd), jd_edit_refusal(user=actor, obj=jd))


@transaction.atomic
def jd_update(*, actor: User, jd: JobDescription, data: Mapping[str, Any],
              change_note: str = "") -> JobDescriptionVersion | None:
    """Save edited content as a new version; fields not given keep their value. None when nothing changed."""
    _require_editor(actor, jd)
    jd = JobDescription.objects.select_for_update(of=("self",)).get(pk=jd.pk)
    if jd.status != JDStatus.DRAFT:
        raise Conflict("提出済み・取下げ済みのジョブディスクリプションは編集できません。")
    latest = jd.versions.get(number=jd.current_version)
    current = _jd_clean(jd_content(version=latest))
    content = _jd_clean({**jd_content(version=latest), **{k: v for k, v in data.items() if k in JD_FIELDS}})
    if content == current:
        return None
    number = jd.current_version + 1
    version = _version_create(jd, number, content, actor, change_note)
    jd.current_version = number
    jd.save(update_fields=["current_version", "updated_at"])
    audit_record(actor=actor, action=AuditAction.JD_UPDATE, target=jd, prefecture=jd.prefecture,
                 detail={"version": number, "changed": sorted(k for k in content if content[k] != current[k])})
    return version


@transaction.atomic
def jd_checklist_save(*, actor: User, jd: JobDescription, checked: list[str]) -> JobDescription:
    """Record which JD items (1–5) of the acceptance checklist the municipality has confirmed (who and when)."""
    _require_editor(actor, jd)
    if jd.status != JDStatus.DRAFT:
        raise Conflict("提出後のチェックリストは変更できません。")
    later = {item.code for item in ACTIVITY_CHECKLIST}
    asked_later = [c for c in checked if c in later]
    if asked_later:
        raise ValidationError(f"チェックリストの項目「{asked_later[0]}」は派遣中に確認する項目のため、"
                              "ジョブディスクリプションでは確認しません。", field="checklist")
    unknown = [c for c in checked if c not in CHECKLIST_CODES]
    if unknown:
        raise ValidationError(f"チェックリストの項目「{unknown[0]}」はありません。", field="checklist")
    now = timezone.now().isoformat()
    ticks = {code: jd.checklist.get(code) or {"by": actor.get_username(), "by_name": str(actor),
                                               "by_role": actor.role, "at": now}
             for code in CHECKLIST_CODES if code in checked}
    # Ticks of items the JD does not ask (stored before item 6 moved to the dispatch) are kept, not erased.
    ticks.update({code: tick for code, tick in jd.checklist.items() if code not in CHECKLIST_CODES})
    # The JD form sends the checklist with every save: an unchanged one is no event.
    if ticks == jd.checklist:
        return jd
    jd.checklist = ticks
    jd.save(update_fields=["checklist", "updated_at"])
    audit_record(actor=actor, action=AuditAction.JD_CHECKLIST, target=jd, prefecture=jd.prefecture,
                 detail={"checked": sorted(c for c in jd.checklist if c in CHECKLIST_CODES)})
    return jd


@transaction.atomic
def jd_submit(*, actor: User, jd: JobDescription) -> Need:
    """Submit to the prefecture: refused until the JD's five checklist items are ticked; opens a Need."""
    _require_editor(actor, jd)
    jd = (JobDescription.objects.select_for_update(of=("self",))
          .select_related("municipality", "grouping", "prefecture").get(pk=jd.pk))
    # The table first, so a JD already submitted is told so rather than what its checklist lacks.
    JD_MACHINE.check(jd.status, JDStatus.SUBMITTED)
    missing = [item.question for item in JD_CHECKLIST if item.code not in jd.checklist]
    if missing:
        raise ValidationError(f"受入れ準備チェックリストの{len(missing)}項目が未確認のため提出できません: "
                              + " ／ ".join(missing), field="checklist")
    v = jd.versions.get(number=jd.current_version)
    if not v.host_department:
        raise ValidationError("提出の前に受入れ部署を入力してください。", field="host_department")
    if not v.receiving_structure:
        raise ValidationError("提出の前に受入れ体制（指揮命令・サポート体制）を入力してください。",
                              field="receiving_structure")
    municipality_codes = ([m.code for m in jd.grouping.members.all()] if jd.grouping_id else [jd.municipality.code])
    need = need_create(actor=actor, title=v.title, persona=v.persona, municipality_codes=municipality_codes,
                       hours_per_week=v.hours_per_week, onsite_days_per_month=v.onsite_days_per_month, weight=v.weight,
                       excluded_employers=v.excluded_employers, skills=v.skills,
                       appointment_forms=v.appointment_forms, period_from=v.period_from, period_to=v.period_to,
                       grouping=jd.grouping, job_description=jd)
    JD_MACHINE.transition(obj=jd, to=JDStatus.SUBMITTED, actor=actor, update={"submitted_by": actor}, audit=False)
    audit_record(actor=actor, action=AuditAction.JD_SUBMIT, target=jd, prefecture=jd.prefecture,
                 detail={"version": v.number, "need": need.pk})
    return need


@dataclass(frozen=True)
class JDSaved:
    """What one submit of the JD form did: the JD, its new version (None: content unchanged), the opened need."""

    jd: JobDescription
    version: JobDescriptionVersion | None
    need: Need | None


@transaction.atomic
def jd_save(*, actor: User, data: Mapping[str, Any], checked: list[str], jd: JobDescription | None = None,
            municipality: Municipality | None = None, grouping: Grouping | None = None, change_note: str = "",
            submit: bool = False) -> JDSaved:
    """The JD form in one submit: create or update the content, save the checklist ticks, and submit if asked.

    All or nothing: a refused submission (an unticked item, no receiving structure) rolls back the content and the
    ticks too, and the form shows the error with what was typed.
    """
    version = None
    if jd is None:
        jd = jd_create(actor=actor, data=data, municipality=municipality, grouping=grouping,
                       change_note=change_note or "作成")
        version = jd.latest
    else:
        version = jd_update(actor=actor, jd=jd, data=data, change_note=change_note)
        jd.refresh_from_db()
    jd = jd_checklist_save(actor=actor, jd=jd, checked=checked)
    need = jd_submit(actor=actor, jd=jd) if submit else None
    if need is not None:
        jd.refresh_from_db()
    return JDSaved(jd=jd, version=version, need=need)


def _not_filled(need: Need) -> None:
    # Under the need's lock: it may have been filled since the JD's withdrawal began.
    if need.status == NeedStatus.FILLED:
        raise Conflict("人材が決まった（充足した）ニーズのジョブディスクリプションは取り下げられません。")


@transaction.atomic
def jd_withdraw(*, actor: User, jd: JobDescription, reason: str = "") -> JobDescription:
    """Withdraw a draft, or a submitted JD whose need is not filled (the need is closed)."""
    _require_editor(actor, jd)
    jd = JobDescription.objects.select_for_update(of=("self",)).get(pk=jd.pk)
    JD_MACHINE.check(jd.status, JDStatus.WITHDRAWN)
    reason = nfkc(reason)[:200]
    need = Need.objects.filter(job_description=jd).first()
    if need is not None:
        _not_filled(need)
        # A need the secretariat closed already stays closed; an open one closes with its JD.
        if need.status == NeedStatus.OPEN:
            NEED_MACHINE.transition(obj=need, to=NeedStatus.CLOSED, actor=actor, guard=_not_filled,
                                    note="ジョブディスクリプションの取下げ", detail={"job_description": jd.pk})
    jd = JD_MACHINE.transition(obj=jd, to=JDStatus.WITHDRAWN, actor=actor, note=reason, audit=False)
    audit_record(actor=actor, action=AuditAction.JD_WITHDRAW, target=jd, prefecture=jd.prefecture,
                 detail={"reason": reason, "need": need.pk if need else None})
    return jd

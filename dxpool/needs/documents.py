"""A job description as a document: the same labelled items for the page, the A4 print view and the PDF.

Django-free: it reads the attributes of the JD and version it is given (model rows or any object with the same
fields) and imports only the reference lists and dxpool.standard.
"""

from __future__ import annotations

from dataclasses import dataclass

from dxpool.needs.reference import (
    ACCEPTANCE_CHECKLIST,
    CHECKLIST_SOURCE,
    COI_RULE,
    COI_SOURCE,
    PAY_UNITS,
    labels,
)
from dxpool.standard.appointment import APPOINTMENT_FORM_LABELS
from dxpool.standard.personas import persona_name


@dataclass(frozen=True)
class Item:
    label: str
    lines: tuple[str, ...]
    bullets: bool = False


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[Item, ...]


def _yen(n: int | None) -> str:
    return f"{n:,}円" if n is not None else ""


def _num(d) -> str:
    return f"{float(d):g}"


def _date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "—"


def pay_text(v) -> str:
    if v.pay_min is None and v.pay_max is None:
        return "—（応相談）"
    unit = labels(PAY_UNITS)[v.pay_unit]
    if v.pay_min is not None and v.pay_max is not None and v.pay_min != v.pay_max:
        return f"{_yen(v.pay_min)}〜{_yen(v.pay_max)}／{unit}"
    if v.pay_min is not None and v.pay_max is None:
        return f"{_yen(v.pay_min)}以上／{unit}"
    return f"{_yen(v.pay_max if v.pay_max is not None else v.pay_min)}{'まで' if v.pay_min is None else ''}／{unit}"


def jd_sections(jd, v) -> list[Section]:
    """The labelled content of one version of a JD, with the standard's text as quoted in that version."""
    t = v.standard_terms or {}
    skill_desc = {s["name"]: s for s in t.get("skills", [])}
    forms = APPOINTMENT_FORM_LABELS
    owner = (f"{jd.grouping.name}（共同: {'・'.join(m.name for m in jd.grouping.members.all())}）" if jd.grouping_id
             else f"{jd.municipality.prefecture.name}{jd.municipality.name}")
    requirement = []
    if t.get("requirement_text"):
        requirement.append(t["requirement_text"])
        requirement += [f"・{x}" for x in t.get("levels", [])]
        requirement += [f"・資格: {x}" for x in t.get("qualifications", [])]
    else:
        requirement.append("スキル標準では、望ましいスキルレベル・資格は定められていません（—）。")
    experience = [t.get("experience_text", "")] + [f"・{x}" for x in t.get("experiences", [])]
    onsite = float(v.onsite_days_per_month)
    work = [f"週{_num(v.days_per_week)}日（週{_num(v.hours_per_week)}時間程度）",
            f"現地勤務: 月{_num(onsite)}日" if onsite else "現地勤務なし（フルリモート）",
            "リモート勤務: 可" if v.remote_ok else "リモート勤務: 不可"]
    coi = [COI_RULE, COI_SOURCE]
    if v.coi_applies:
        coi.insert(0, "この業務には、仕様書の作成や業者の選定に関わる業務が含まれます。")
    coi.append("入札制限の対象となる事業者: " + ("、".join(v.excluded_employers) if v.excluded_employers else "なし"))
    checklist = []
    for code, question, _ in ACCEPTANCE_CHECKLIST:
        tick = jd.checklist.get(code)
        checklist.append(f"{'［済］' if tick else '［未］'} {question}"
                         + (f"（{tick.get('by_name', tick.get('by'))}）" if tick else ""))
    return [
        Section("募集する役割", (
            Item("件名", (v.title,)),
            Item("団体", (owner,)),
            Item("人材像", (f"{t.get('persona', persona_name(v.persona))}（{t.get('scope', '')}）",)),
            Item("業務内容", tuple(v.duties.splitlines())),
        )),
        Section(f"求めるスキル・経験（{t.get('standard_title', 'スキル標準')} {v.standard_version} より）", (
            Item("重視するスキル項目", tuple(
                f"{s}（{skill_desc[s]['category_ja']}）: {skill_desc[s]['description']}" if s in skill_desc else s
                for s in v.skills), bullets=True),
            Item("望ましいスキルレベル・資格（いずれか）", tuple(requirement)),
            Item("望ましい経験（いずれか）", tuple(experience)),
        )),
        Section("勤務条件", (
            Item("任用形態", ("、".join(forms.get(f, f) for f in v.appointment_forms),)),
            Item("報酬", (pay_text(v),)),
            Item("勤務日数・時間", tuple(work)),
            Item("期間", (f"{_date(v.period_from)} 〜 {_date(v.period_to)}",)),
        )),
        Section("受入れ体制", (
            Item("受入れ部署", (v.host_department or "—",)),
            Item("受入れ体制", tuple(v.receiving_structure.splitlines()) or ("—",)),
        )),
        Section("利益相反の防止（入札制限）", (Item("ルール", tuple(coi)),)),
        Section(f"受入れ準備チェックリスト（{CHECKLIST_SOURCE}）", (Item("確認状況", tuple(checklist)),)),
    ]

"""A job description as a document: the same labelled items for the page, the A4 print view and the PDF.

Django-free: it reads the attributes of the JD and version it is given (model rows or any object with the same
fields) and imports only the reference lists and dxpool.standard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dxpool.needs.reference import (
    CHECKLIST_SOURCE,
    COI_RULE,
    COI_SOURCE,
    JD_CHECKLIST,
    PAY_UNITS,
    labels,
)
from dxpool.standard.appointment import APPOINTMENT_FORM_LABELS
from dxpool.standard.i18n import gettext_noop
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
    key: str = ""  # stable name of the section whatever the language ("checklist": the acceptance checklist)


def _same(text):
    return text


@dataclass(frozen=True)
class Words:
    """How the document is worded: `tr` translates the fixed phrases below (msgids of dxpool/locale, marked with
    gettext_noop), `label` a label from data (the standard, the reference lists), `date` formats a date.

    The default is the Japanese of the source; the Django side passes gettext, data_label and date_format so the
    page reads in the reader's language (the module stays Django-free)."""

    tr: Callable[[str], str] = _same
    label: Callable[[str], str] = _same
    date: Callable[[object], str] | None = None

    def __call__(self, message: str, **values) -> str:
        text = self.tr(message)
        return text % values if values else text

    def day(self, d) -> str:
        if not d:
            return "—"
        return self.date(d) if self.date else f"{d.year}年{d.month}月{d.day}日"


JAPANESE = Words()


def _yen(n: int | None, w: Words = JAPANESE) -> str:
    return w(gettext_noop("%(n)s円"), n=f"{n:,}") if n is not None else ""


def _num(d) -> str:
    return f"{float(d):g}"


def _date(d) -> str:
    return JAPANESE.day(d)


def pay_text(v, w: Words = JAPANESE) -> str:
    if v.pay_min is None and v.pay_max is None:
        return w(gettext_noop("—（応相談）"))
    unit = w.label(labels(PAY_UNITS)[v.pay_unit]).lower()  # 「日」, or "day" inside an English sentence
    if v.pay_min is not None and v.pay_max is not None and v.pay_min != v.pay_max:
        return w(gettext_noop("%(min)s〜%(max)s／%(unit)s"), min=_yen(v.pay_min, w), max=_yen(v.pay_max, w), unit=unit)
    if v.pay_min is not None and v.pay_max is None:
        return w(gettext_noop("%(min)s以上／%(unit)s"), min=_yen(v.pay_min, w), unit=unit)
    if v.pay_min is None:
        return w(gettext_noop("%(max)sまで／%(unit)s"), max=_yen(v.pay_max, w), unit=unit)
    return w(gettext_noop("%(amount)s／%(unit)s"), amount=_yen(v.pay_max, w), unit=unit)


def jd_sections(jd, v, words: Words = JAPANESE) -> list[Section]:
    """The labelled content of one version of a JD, with the standard's text as quoted in that version."""
    w, lb = words, words.label
    t = v.standard_terms or {}
    skill_desc = {s["name"]: s for s in t.get("skills", [])}
    forms = APPOINTMENT_FORM_LABELS
    sep = w(gettext_noop("、"))
    owner = (w(gettext_noop("%(grouping)s（共同: %(members)s）"), grouping=jd.grouping.name,
               members=w(gettext_noop("・")).join(m.name for m in jd.grouping.members.all())) if jd.grouping_id
             else f"{jd.municipality.prefecture.name}{jd.municipality.name}")
    requirement = []
    if t.get("requirement_text"):
        requirement.append(lb(t["requirement_text"]))
        requirement += [f"・{lb(x)}" for x in t.get("levels", [])]
        requirement += [w(gettext_noop("・資格: %(q)s"), q=lb(x)) for x in t.get("qualifications", [])]
    else:
        requirement.append(w(gettext_noop("スキル標準では、望ましいスキルレベル・資格は定められていません（—）。")))
    experience = [lb(t.get("experience_text", ""))] + [f"・{lb(x)}" for x in t.get("experiences", [])]
    onsite = float(v.onsite_days_per_month)
    work = [w(gettext_noop("週%(d)s日（週%(h)s時間程度）"), d=_num(v.days_per_week), h=_num(v.hours_per_week)),
            w(gettext_noop("現地勤務: 月%(d)s日"), d=_num(onsite)) if onsite else w(gettext_noop("現地勤務なし（フルリモート）")),
            w(gettext_noop("リモート勤務: 可")) if v.remote_ok else w(gettext_noop("リモート勤務: 不可"))]
    coi = [lb(COI_RULE), lb(COI_SOURCE)]
    if v.coi_applies:
        coi.insert(0, w(gettext_noop("この業務には、仕様書の作成や業者の選定に関わる業務が含まれます。")))
    coi.append(w(gettext_noop("入札制限の対象となる事業者: %(names)s"),
                 names=sep.join(v.excluded_employers) if v.excluded_employers else w(gettext_noop("なし"))))
    checklist = []
    # The items confirmed on the JD; the one asked during the dispatch is not the JD's to show.
    for code, question, *_ in JD_CHECKLIST:
        tick = jd.checklist.get(code)
        mark = w(gettext_noop("［済］")) if tick else w(gettext_noop("［未］"))
        checklist.append(f"{mark} {lb(question)}" + (f"（{tick.get('by_name', tick.get('by'))}）" if tick else ""))
    persona = lb(t.get("persona", persona_name(v.persona)))
    return [
        Section(w(gettext_noop("募集する役割")), (
            Item(w(gettext_noop("件名")), (v.title,)),
            Item(w(gettext_noop("団体")), (owner,)),
            Item(w(gettext_noop("人材像")), (w(gettext_noop("%(persona)s（%(scope)s）"), persona=persona,
                                              scope=lb(t.get("scope", ""))),)),
            Item(w(gettext_noop("業務内容")), tuple(v.duties.splitlines())),
        ), key="role"),
        Section(w(gettext_noop("求めるスキル・経験（%(standard)s %(version)s より）"),
                  standard=lb(t.get("standard_title", "スキル標準")), version=v.standard_version), (
            Item(w(gettext_noop("重視するスキル項目")), tuple(
                w(gettext_noop("%(skill)s（%(category)s）: %(description)s"), skill=lb(s),
                  category=lb(skill_desc[s]["category_ja"]), description=lb(skill_desc[s]["description"]))
                if s in skill_desc else lb(s)
                for s in v.skills), bullets=True),
            Item(w(gettext_noop("望ましいスキルレベル・資格（いずれか）")), tuple(requirement)),
            Item(w(gettext_noop("望ましい経験（いずれか）")), tuple(experience)),
        ), key="skills"),
        Section(w(gettext_noop("勤務条件")), (
            Item(w(gettext_noop("任用形態")), (sep.join(lb(forms.get(f, f)) for f in v.appointment_forms),)),
            Item(w(gettext_noop("報酬")), (pay_text(v, w),)),
            Item(w(gettext_noop("勤務日数・時間")), tuple(work)),
            Item(w(gettext_noop("期間")), (w(gettext_noop("%(start)s 〜 %(end)s"), start=w.day(v.period_from),
                                          end=w.day(v.period_to)),)),
        ), key="terms"),
        Section(w(gettext_noop("受入れ体制")), (
            Item(w(gettext_noop("受入れ部署")), (v.host_department or "—",)),
            Item(w(gettext_noop("受入れ体制")), tuple(v.receiving_structure.splitlines()) or ("—",)),
        ), key="hosting"),
        Section(w(gettext_noop("利益相反の防止（入札制限）")), (Item(w(gettext_noop("ルール")), tuple(coi)),), key="coi"),
        Section(w(gettext_noop("受入れ準備チェックリスト（%(source)s）"), source=lb(CHECKLIST_SOURCE)),
                (Item(w(gettext_noop("確認状況")), tuple(checklist)),), key="checklist"),
    ]

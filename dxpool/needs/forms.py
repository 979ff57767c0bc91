"""Forms for the hearing record, the job description (with its acceptance checklist) and the overview filters.

The hearing form is built from the reference lists (steps, measures, the 20 systems, tiers), so a change of
the ministry's lists changes the form without code. Forms only parse; services validate and write.
"""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from dxpool.core import forms as core_forms
from dxpool.core.templatetags.data_labels import data_label, data_label_lazy
from dxpool.needs.reference import (
    JD_CHECKLIST,
    MEASURE_GROUPS,
    MEASURE_STATUSES,
    MEASURES,
    PAY_UNITS,
    POLICY_STATUSES,
    STEP_STATUSES,
    STEPS,
    SUPPORT_KINDS,
    SYSTEM_STATUSES,
    SYSTEMS,
    TIERS,
)
from dxpool.places.models import Grouping
from dxpool.standard.loader import load_standard
from dxpool.talent.models import PERSONA_CHOICES, AppointmentForm

UNANSWERED = [("", _("— 未回答"))]


def _shown(pairs) -> list[tuple[str, str]]:
    """(code, label) choices from a reference list, the label in the reader's language when rendered."""
    return [(p[0], data_label_lazy(p[1])) for p in pairs]


class DateInput(forms.DateInput):
    input_type = "date"


class MonthInput(forms.TextInput):
    input_type = "month"


# The issue text asks for suggestions as it is typed: htmx posts the text alone (the CSRF token rides in the header
# base.html sets) half a second after typing stops, dropping a request still under way; the fragment replaces the
# list under the field. Without JavaScript nothing is sent and the saved record shows the suggestions.
LIVE_SUGGEST_ATTRS = {
    "hx-post": reverse_lazy("needs:suggestion_preview"), "hx-trigger": "input changed delay:500ms",
    "hx-params": "issues", "hx-target": "#live-suggestions", "hx-swap": "innerHTML", "hx-sync": "this:replace",
}


class HearingForm(forms.Form):
    """Every section of the hearing record; field names are flat (step__1, measure__bpr__note, system__3)."""

    fiscal_year = core_forms.IntegerField(label=_("年度"), min_value=2020, max_value=2100)
    heard_on = core_forms.DateField(label=_("ヒアリング実施日"), required=False, widget=DateInput(), validators=[
        core_forms.NotAfterTodayValidator(_("ヒアリング実施日")),
        core_forms.PlausibleDateValidator(_("ヒアリング実施日"), years_back=10, years_ahead=None)])
    respondent = forms.CharField(label=_("回答者（部署・職名）"), required=False, max_length=120)
    interviewers = forms.CharField(label=_("聞き取り担当"), required=False, max_length=200,
                                   help_text=_("県の職員・デジタル専門人材など"))
    policy_adopted_on = core_forms.DateField(label=_("全体方針の決定日"), required=False, widget=DateInput(),
                                         validators=[core_forms.PlausibleDateValidator(_("全体方針の決定日"),
                                                                                       years_back=20, years_ahead=5)])
    dx_department = forms.CharField(label=_("DX推進担当部門"), required=False, max_length=120)
    dx_department_placement = forms.CharField(label=_("部門の位置付け"), required=False, max_length=120,
                                              help_text=_("例: 首長直轄、企画部門内、総務部門内"))
    cio_appointed = forms.BooleanField(label=_("CIOを任命している"), required=False)
    cio_adviser_appointed = forms.BooleanField(label=_("CIO補佐官等を任用している"), required=False)
    cio_adviser_external = forms.BooleanField(label=_("CIO補佐官等は外部人材である"), required=False)
    staff_total = core_forms.IntegerField(label=_("職員数"), required=False, min_value=0, max_value=1_000_000,
                                      unit=_("人"))
    it_staff = core_forms.IntegerField(label=_("情報担当職員数"), required=False, min_value=0, max_value=100_000,
                                   unit=_("人"),
                                  help_text=_("1人以下は「ひとり情シス」として表示します"))
    dx_leaders = core_forms.IntegerField(label=_("DX推進リーダー数"), required=False, min_value=0,
                                     max_value=1_000_000, unit=_("人"))
    talent_policy_status = forms.ChoiceField(label=_("人材育成基本方針（デジタル人材の確保・育成）"),
                                             choices=_shown(POLICY_STATUSES), initial="none")
    issues = forms.CharField(label=_("課題"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                             help_text=_("困っていること・実現したいことを、ふだんの言葉で書いてください。必要な人材像の提案に使います。"))
    support_kind = forms.ChoiceField(label=_("求める支援"), required=False, choices=UNANSWERED + _shown(SUPPORT_KINDS))
    support_from = core_forms.DateField(label=_("支援開始希望日"), required=False, widget=DateInput(),
                                    validators=[core_forms.PlausibleDateValidator(_("支援開始希望日"),
                                                                                  years_back=5, years_ahead=10)])
    support_months = core_forms.IntegerField(label=_("支援期間（月）"), required=False, min_value=1, max_value=60,
                                             unit=_("か月"))
    days_per_week = core_forms.DecimalField(label=_("週あたり日数"), required=False, min_value=0, max_value=7,
                                       decimal_places=1)
    onsite_days_per_month = core_forms.IntegerField(label=_("月あたり現地日数"), required=False, min_value=0, max_value=31)
    budget_yen = core_forms.IntegerField(label=_("予算（円）"), required=False, min_value=0, max_value=2_000_000_000,
                                     unit=_("円"))
    appointment_forms = forms.MultipleChoiceField(label=_("受入れ可能な任用形態"), required=False,
                                                  choices=AppointmentForm.choices, widget=forms.CheckboxSelectMultiple)
    shareable = forms.BooleanField(label=_("近隣の市町村と人材を共有してよい"), required=False)
    grouping = forms.ModelChoiceField(label=_("共有する広域連携"), required=False, queryset=Grouping.objects.none(),
                                      empty_label=_("— 指定しない"))

    def __init__(self, *args, municipality, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issues"].widget.attrs.update(LIVE_SUGGEST_ATTRS)
        if not creating:
            del self.fields["fiscal_year"]
        self.fields["grouping"].queryset = Grouping.objects.filter(members=municipality)
        self.step_fields = []
        for code, label in STEPS:
            label = data_label(label)
            name = f"step__{code}"
            self.fields[name] = forms.ChoiceField(label=label, required=False, choices=UNANSWERED + _shown(STEP_STATUSES))
            self.step_fields.append(name)
        self.measure_rows = {g: [] for g, _ in MEASURE_GROUPS}
        for code, label, group in MEASURES:
            label = data_label(label)
            self.fields[f"measure__{code}"] = forms.ChoiceField(label=label, required=False,
                                                                choices=UNANSWERED + _shown(MEASURE_STATUSES))
            self.fields[f"measure__{code}__note"] = forms.CharField(label=_("%(m)sの備考") % {"m": label},
                                                                    required=False, max_length=500)
            self.measure_rows[group].append((label, f"measure__{code}", f"measure__{code}__note"))
        self.system_rows = []
        for i, name in enumerate(SYSTEMS):
            name = data_label(name)
            self.fields[f"system__{i}"] = forms.ChoiceField(label=_("%(s)sの状況") % {"s": name}, required=False,
                                                            choices=UNANSWERED + _shown(SYSTEM_STATUSES))
            self.fields[f"system__{i}__month"] = forms.CharField(
                label=_("%(s)sの移行予定月") % {"s": name}, required=False, max_length=7,
                widget=MonthInput(attrs={"placeholder": "YYYY-MM", "pattern": r"\d{4}-\d{2}"}))
            self.system_rows.append((name, f"system__{i}", f"system__{i}__month"))
        self.target_fields = []
        for code, label in TIERS:
            label = data_label(label)
            self.fields[f"target__{code}"] = core_forms.IntegerField(label=_("数値目標（%(t)s）") % {"t": label},
                                                                required=False, min_value=0)
            self.target_fields.append(f"target__{code}")

    # The same names the services and the API use, nested.
    def to_data(self) -> dict:
        d = self.cleaned_data
        data = {f: d.get(f) for f in [
            "heard_on", "respondent", "interviewers", "policy_adopted_on", "dx_department", "dx_department_placement",
            "cio_appointed", "cio_adviser_appointed", "cio_adviser_external", "staff_total", "it_staff", "dx_leaders",
            "talent_policy_status", "issues", "support_kind", "support_from", "support_months", "days_per_week",
            "onsite_days_per_month", "budget_yen", "appointment_forms", "shareable"]}
        data["steps"] = {code: {"status": d.get(f"step__{code}") or None} for code, _ in STEPS}
        data["measures"] = {code: {"status": d.get(f"measure__{code}") or None, "note": d.get(f"measure__{code}__note")}
                            for code, _, _ in MEASURES}
        data["systems"] = {name: {"status": d.get(f"system__{i}") or None,
                                  "planned_month": d.get(f"system__{i}__month") or None}
                           for i, name in enumerate(SYSTEMS)}
        data["targets"] = {code: d.get(f"target__{code}") for code, _ in TIERS}
        data["grouping"] = d["grouping"].pk if d.get("grouping") else None
        return data

    @staticmethod
    def initial_from(data: dict) -> dict:
        initial = {k: v for k, v in data.items() if not isinstance(v, dict)}
        for code, v in data.get("steps", {}).items():
            initial[f"step__{code}"] = v.get("status")
        for code, v in data.get("measures", {}).items():
            initial[f"measure__{code}"] = v.get("status")
            initial[f"measure__{code}__note"] = v.get("note")
        for i, name in enumerate(SYSTEMS):
            v = data.get("systems", {}).get(name) or {}
            initial[f"system__{i}"] = v.get("status")
            initial[f"system__{i}__month"] = v.get("planned_month")
        for code, n in data.get("targets", {}).items():
            initial[f"target__{code}"] = n
        return initial

    def field_for(self, path: str | None) -> str | None:
        """The form field that shows a service error with this field path."""
        if not path:
            return None
        parts = path.split(".")
        if parts[0] == "steps" and len(parts) > 1:
            name = f"step__{parts[1]}"
        elif parts[0] == "measures" and len(parts) > 1:
            name = f"measure__{parts[1]}" + ("__note" if parts[-1] == "note" else "")
        elif parts[0] == "systems" and len(parts) > 1 and parts[1] in SYSTEMS:
            i = SYSTEMS.index(parts[1])
            name = f"system__{i}" + ("__month" if parts[-1] == "planned_month" else "")
        elif parts[0] == "targets" and len(parts) > 1:
            name = f"target__{parts[1]}"
        elif parts[0] == "grouping_name":
            name = "grouping"
        else:
            name = parts[0]
        return name if name in self.fields else None


def _skill_choices():
    return [(s.name, data_label_lazy(s.name)) for s in load_standard().skill_items()]


class JobDescriptionForm(forms.Form):
    title = forms.CharField(label=_("件名"), max_length=120)
    persona = forms.ChoiceField(label=_("人材像（スキル標準）"), choices=PERSONA_CHOICES)
    duties = forms.CharField(label=_("業務内容"), widget=forms.Textarea(attrs={"rows": 8}),
                             help_text=_("担ってもらう業務と、期待する成果を具体的に書いてください。"))
    skills = forms.MultipleChoiceField(label=_("重視するスキル項目"), choices=(), widget=forms.CheckboxSelectMultiple,
                                       help_text=_("選んだ人材像のスキル項目から選んでください。"))
    appointment_forms = forms.MultipleChoiceField(label=_("任用形態"), choices=AppointmentForm.choices,
                                                  widget=forms.CheckboxSelectMultiple)
    pay_min = core_forms.IntegerField(label=_("報酬（下限）円"), required=False, min_value=0,
                                  max_value=2_000_000_000, unit=_("円"))
    pay_max = core_forms.IntegerField(label=_("報酬（上限）円"), required=False, min_value=0,
                                  max_value=2_000_000_000, unit=_("円"))
    pay_unit = forms.ChoiceField(label=_("報酬の単位"), choices=_shown(PAY_UNITS), initial="month")
    days_per_week = core_forms.DecimalField(label=_("週あたり勤務日数"), min_value=0.5, max_value=7, decimal_places=1)
    hours_per_week = core_forms.DecimalField(label=_("週あたり時間"), min_value=0.5, max_value=40, decimal_places=1)
    onsite_days_per_month = core_forms.DecimalField(label=_("月あたり現地勤務日数"), min_value=0, max_value=31,
                                               decimal_places=1, initial=0)
    remote_ok = forms.BooleanField(label=_("リモート勤務可"), required=False, initial=True)
    period_from = core_forms.DateField(label=_("期間（開始）"), required=False, widget=DateInput())
    period_to = core_forms.DateField(label=_("期間（終了）"), required=False, widget=DateInput())
    host_department = forms.CharField(label=_("受入れ部署"), required=False, max_length=120)
    receiving_structure = forms.CharField(
        label=_("受入れ体制"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("指揮命令者、日常の窓口となる職員、人事・研修担当のサポート、執務場所・端末など。提出時に必須です。"))
    coi_applies = forms.BooleanField(label=_("仕様書の作成・業者の選定に関わる業務を含む"), required=False)
    excluded_employers = forms.CharField(
        label=_("入札制限の対象となる事業者"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("1行に1社。この事業者を兼業先・所属先とする人材は、この業務には提案されません。"))
    weight = forms.TypedChoiceField(label=_("優先度"), coerce=float, initial=1.0,
                                    choices=[(0.8, _("低")), (1.0, _("通常")), (1.5, _("高")), (2.0, _("最優先"))])
    change_note = forms.CharField(label=_("変更内容のメモ"), required=False, max_length=200,
                                  help_text=_("版の履歴に表示されます。"))

    def __init__(self, *args, submitting: bool = False, checklist: dict | None = None, **kwargs):
        """`submitting`: the submit button was pressed (the checklist and the receiving side become required);
        `checklist`: the JD's stored ticks, shown ticked."""
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        self.fields["skills"].choices = _skill_choices()
        weight = self.initial.get("weight")
        if weight is not None and float(weight) not in (0.8, 1.0, 1.5, 2.0):
            self.fields["weight"].choices = [(float(weight), f"{float(weight):g}")] + self.fields["weight"].choices
        # The acceptance checklist is part of the JD: its ticks are saved with the content, in the same submit.
        # Only the items asked on the JD (1–5); the sixth is the dispatch's (dxpool.needs.reference).
        checklist = checklist or {}
        self.checklist_fields = []
        for item in JD_CHECKLIST:
            name = f"checklist__{item.code}"
            self.fields[name] = forms.BooleanField(label=data_label_lazy(item.question), required=False,
                                                   help_text=data_label_lazy(item.explanation),
                                                   initial=item.code in checklist)
            self.checklist_fields.append(name)

    def clean(self):
        cleaned = super().clean()
        if self.submitting:
            for n, item in enumerate(JD_CHECKLIST, start=1):
                if not cleaned.get(f"checklist__{item.code}"):
                    # The message quotes the item whole, so the summary names it without a label in front.
                    self.add_error(f"checklist__{item.code}", _(
                        "受入れ準備チェックリストの%(n)d番目「%(q)s」が未確認です。確認してチェックを入れてください"
                        "（提出に必須）。") % {"n": n, "q": self.fields[f"checklist__{item.code}"].label})
            if not (cleaned.get("host_department") or "").strip() and "host_department" not in self.errors:
                self.add_error("host_department", _("提出の前に受入れ部署を入力してください。"))
            if not (cleaned.get("receiving_structure") or "").strip() and "receiving_structure" not in self.errors:
                self.add_error("receiving_structure",
                               _("提出の前に受入れ体制（指揮命令・サポート体制）を入力してください。"))
        return cleaned

    def checked(self) -> list[str]:
        """Codes of the checklist items ticked in this submit."""
        return [item.code for item in JD_CHECKLIST if self.cleaned_data.get(f"checklist__{item.code}")]

    def to_data(self) -> dict:
        d = {k: v for k, v in self.cleaned_data.items() if not k.startswith("checklist__")}
        d.pop("change_note", None)
        d["excluded_employers"] = [s for s in (d.get("excluded_employers") or "").splitlines() if s.strip()]
        return d

    @staticmethod
    def initial_from(content: dict) -> dict:
        initial = dict(content)
        initial["excluded_employers"] = "\n".join(content.get("excluded_employers") or [])
        return initial


class OverviewFilterForm(forms.Form):
    year = core_forms.IntegerField(label=_("年度"), required=False, min_value=2020, max_value=2100)
    colour = forms.ChoiceField(label=_("地図の色分け"), required=False, choices=[
        ("step", _("現在のステップ")), ("standardisation", _("標準化の進捗")), ("cio", _("CIO補佐官等")),
        ("hitori", _("ひとり情シス")), ("needs", _("ニーズ"))])
    step = forms.ChoiceField(label=_("現在のステップ"), required=False, choices=[
        ("", _("すべて")), ("-1", _("未着手")), *[(c, data_label_lazy(label.split("：")[0])) for c, label in STEPS]])
    std_below = core_forms.IntegerField(label=_("標準化の進捗（%未満）"), required=False, min_value=1, max_value=100)
    needs = forms.ChoiceField(label=_("ニーズ"), required=False, choices=[
        ("", _("すべて")), ("open", _("募集中あり")), ("filled", _("充足あり")), ("none", _("なし"))])
    hitori = forms.BooleanField(label=_("ひとり情シスのみ"), required=False)
    no_cio_adviser = forms.BooleanField(label=_("CIO補佐官等なしのみ"), required=False)
    missing = forms.BooleanField(label=_("ヒアリング未実施のみ"), required=False)

"""Forms for recruitment, applications, profiles and screening.

The profile form is built from the skill standard in force, so a new version of the standard changes the
form without code: one checkbox per qualification, one level select per ITSS/UISS field, one rating per
skill item, and the experiences with years where the standard counts them.
"""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dxpool.core import forms as core_forms
from dxpool.core.templatetags.data_labels import data_label, data_label_lazy
from dxpool.places.models import Municipality, Prefecture
from dxpool.talent.models import (
    PERSONA_CHOICES,
    ApplicationStatus,
    AppointmentForm,
    Criterion,
    Decision,
    RecruitmentRound,
)
from dxpool.talent.standard_options import standard_options

# Formatted when rendered, not at import (a lazy string formatted here would freeze the import's language).
_level = lazy(lambda n: gettext("レベル%(n)d") % {"n": n}, str)
LEVEL_CHOICES = [("", "—")] + [(str(i), _level(i)) for i in range(1, 8)]
RATING_CHOICES = [("0", _("0: 経験なし")), ("1", _("1: 知識あり")), ("2", _("2: 支援を受けて実施できる")),
                  ("3", _("3: 独力で実施できる")), ("4", _("4: 指導できる"))]


class DateInput(forms.DateInput):
    input_type = "date"


class RoundForm(forms.ModelForm):
    personas = forms.MultipleChoiceField(label=_("募集する人材像"), choices=PERSONA_CHOICES,
                                         widget=forms.CheckboxSelectMultiple)
    appointment_forms = forms.MultipleChoiceField(label=_("任用形態"), choices=AppointmentForm.choices,
                                                  widget=forms.CheckboxSelectMultiple)
    deadline = forms.DateTimeField(label=_("応募締切"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    class Meta:
        model = RecruitmentRound
        fields = ["title", "personas", "role", "duties", "appointment_forms", "pay_min", "pay_max", "pay_unit",
                  "days_per_week", "work_style", "period_from", "period_to", "deadline"]
        widgets = {"period_from": DateInput(), "period_to": DateInput(), "duties": forms.Textarea(attrs={"rows": 4})}


CONSENT_LABEL = _("「個人情報の取扱いについて」に同意します")


class SignupForm(forms.Form):
    display_name = forms.CharField(label=_("氏名"), max_length=80)
    username = forms.CharField(label=_("ユーザー名"), max_length=40, help_text=_("半角英数字。ログインに使います。"))
    email = forms.EmailField(label=_("メールアドレス"))
    password = forms.CharField(label=_("パスワード"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=_("10文字以上。推測されやすいものは使えません。"))
    # Asked up front, never pre-ticked: the account itself holds a name and an address. The version shown is
    # posted back, so a newer text published meanwhile is refused rather than agreed to unseen.
    consent = forms.BooleanField(label=CONSENT_LABEL, required=True)
    consent_version = forms.CharField(label=_("同意文の版"), widget=forms.HiddenInput)


def prefecture_choices() -> list[tuple[str, str]]:
    return [("", _("選択してください"))] + list(Prefecture.objects.order_by("code").values_list("code", "name"))


def municipality_choices() -> list[tuple[str, object]]:
    """Municipalities grouped by prefecture (one <optgroup> each), never one flat list of 1,741: without
    JavaScript the list is read by prefecture; static/js/residence.js narrows it to the chosen prefecture."""
    groups: dict[str, list[tuple[str, str]]] = {}
    rows = Municipality.objects.order_by("code").values_list("code", "name", "prefecture__name")
    for code, name, prefecture_name in rows:
        groups.setdefault(prefecture_name, []).append((code, name))
    return [("", _("選択してください"))] + list(groups.items())


def _field_key(framework: str, field: str) -> str:
    return f"level__{framework}__{field}"


class ProfileForm(forms.Form):
    """Personal details, availability and the assessment inputs of the standard."""

    full_name = forms.CharField(label=_("氏名"), max_length=80)
    full_name_kana = forms.CharField(label=_("氏名（よみ）"), max_length=80, required=False)
    email = forms.EmailField(label=_("メールアドレス"))
    phone = forms.CharField(label=_("電話番号"), max_length=20, required=False)
    employer = forms.CharField(label=_("現在の勤務先"), max_length=120, required=False)
    side_employers = forms.CharField(label=_("兼業先"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                     help_text=_("1行に1社。利益相反（入札制限）の確認に使います。"))
    home_prefecture = forms.ChoiceField(label=_("居住地（都道府県）"), required=False,
                                        widget=forms.Select(attrs={"data-residence-prefecture": ""}))
    home_municipality = forms.ChoiceField(
        label=_("居住地（市区町村）"), required=False,
        help_text=_("都道府県を選んでから、その都道府県の市区町村を選んでください。"),
        widget=forms.Select(attrs={"data-residence-municipality": "",
                                   # The type-ahead box residence.js adds, in the page's language.
                                   "data-search-label": _("市区町村名で絞り込む"),
                                   "data-search-count": _("{n}件の市区町村が該当します")}))
    remote_ok = forms.BooleanField(label=_("リモート勤務可"), required=False, initial=True)
    travel_km = core_forms.IntegerField(label=_("移動可能距離（km）"), min_value=0, max_value=3000, unit="km", initial=50)
    hours_per_week = core_forms.IntegerField(label=_("週あたり稼働可能時間"), min_value=0, max_value=80, unit=_("時間"), initial=16)
    onsite_days_per_month = core_forms.IntegerField(label=_("月あたり現地勤務可能日数"), min_value=0, max_value=31, unit=_("日"), initial=2)
    available_from = core_forms.DateField(label=_("稼働可能期間（開始）"), required=False, widget=DateInput())
    available_to = core_forms.DateField(label=_("稼働可能期間（終了）"), required=False, widget=DateInput())
    appointment_forms = forms.MultipleChoiceField(label=_("受けられる任用形態"), choices=AppointmentForm.choices,
                                                  widget=forms.CheckboxSelectMultiple, required=False)
    experience_description = forms.CharField(label=_("職務経歴・経験の説明"), required=False,
                                             widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, prefecture_code: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_prefecture"].choices = prefecture_choices()
        self.fields["home_municipality"].choices = municipality_choices()
        opts = standard_options()
        self.fields["qualifications"] = forms.MultipleChoiceField(
            label=_("保有資格"), required=False, widget=forms.CheckboxSelectMultiple,
            choices=[(q, data_label_lazy(q)) for q in opts.qualifications])
        self.level_fields = []
        for framework, field in opts.level_fields:
            key = _field_key(framework, field)
            self.fields[key] = forms.ChoiceField(label=f"{framework} {data_label(field)}", choices=LEVEL_CHOICES, required=False)
            self.level_fields.append(key)
        self.experience_fields = []
        for code, label, counts_years in opts.experiences:
            self.fields[f"exp__{code}"] = forms.BooleanField(label=data_label(label), required=False)
            self.experience_fields.append(f"exp__{code}")
            if counts_years:
                self.fields[f"years__{code}"] = core_forms.IntegerField(label=_("年数"), min_value=0, max_value=60,
                                                                   required=False)
                self.experience_fields.append(f"years__{code}")
        self.rating_fields = []
        for name, description in opts.skill_items:
            key = f"rating__{name}"
            self.fields[key] = forms.ChoiceField(label=data_label(name), choices=RATING_CHOICES, initial="0",
                                                 required=False, help_text=data_label(description))
            self.rating_fields.append(key)

    def clean_home_municipality(self):
        code = self.cleaned_data.get("home_municipality") or ""
        return Municipality.objects.select_related("prefecture").filter(code=code).first() if code else None

    def clean(self):
        data = super().clean()
        municipality, prefecture = data.get("home_municipality"), data.get("home_prefecture")
        if municipality is not None and prefecture and municipality.prefecture.code != prefecture:
            # The select is filtered by script; without it (or with a tampered post) the server decides.
            self.add_error("home_municipality", _("居住地（市区町村）は、選んだ都道府県の市区町村から選んでください。"))
        elif municipality is None and prefecture and "home_municipality" not in self.errors:
            self.add_error("home_municipality", _("居住地（市区町村）を選んでください。"))
        if data.get("available_from") and data.get("available_to") and data["available_from"] > data["available_to"]:
            self.add_error("available_to", _("終了日は開始日以降にしてください。"))
        return data

    def to_profile_data(self) -> dict:
        """The cleaned form as the dict services.talent_profile_save takes."""
        d = self.cleaned_data
        opts = standard_options()
        levels = []
        for framework, field in opts.level_fields:
            value = d.get(_field_key(framework, field))
            if value:
                levels.append({"framework": framework, "field": field, "level": int(value)})
        experiences = []
        for code, _label, counts_years in opts.experiences:
            if d.get(f"exp__{code}"):
                exp = {"code": code}
                if counts_years and d.get(f"years__{code}") is not None:
                    exp["years"] = d[f"years__{code}"]
                experiences.append(exp)
        ratings = {name: int(d.get(f"rating__{name}") or 0) for name, _ in opts.skill_items}
        return {
            "full_name": d.get("full_name"), "full_name_kana": d.get("full_name_kana"), "email": d.get("email"),
            "phone": d.get("phone"), "employer": d.get("employer"),
            "side_employers": [s for s in (d.get("side_employers") or "").splitlines() if s.strip()],
            "home_municipality": d["home_municipality"].code if d.get("home_municipality") else None,
            "remote_ok": d.get("remote_ok", False), "travel_km": d.get("travel_km") or 0,
            "hours_per_week": d.get("hours_per_week") or 0, "onsite_days_per_month": d.get("onsite_days_per_month") or 0,
            "available_from": d.get("available_from"), "available_to": d.get("available_to"),
            "appointment_forms": d.get("appointment_forms") or [],
            "experience_description": d.get("experience_description") or "",
            "qualifications": d.get("qualifications") or [], "skill_levels": levels, "experiences": experiences,
            "skill_ratings": ratings,
        }

    @staticmethod
    def initial_from_profile(profile) -> dict:
        initial = {f: getattr(profile, f) for f in [
            "full_name", "full_name_kana", "email", "phone", "employer", "remote_ok", "travel_km", "hours_per_week",
            "onsite_days_per_month", "available_from", "available_to", "appointment_forms", "experience_description",
            "qualifications"]}
        initial["side_employers"] = "\n".join(profile.side_employers)
        if profile.home_municipality is not None:
            initial["home_municipality"] = profile.home_municipality.code
            initial["home_prefecture"] = profile.home_municipality.prefecture.code
        for lv in profile.skill_levels:
            initial[_field_key(lv["framework"], lv["field"])] = str(lv["level"])
        for exp in profile.experiences:
            initial[f"exp__{exp['code']}"] = True
            if exp.get("years") is not None:
                initial[f"years__{exp['code']}"] = exp["years"]
        for name, value in profile.skill_ratings.items():
            initial[f"rating__{name}"] = str(value)
        return initial


class ApplyForm(forms.Form):
    # A radio group with nothing checked: which persona to apply for is the applicant's decision, so the form
    # never makes it for them (not even when the round offers one persona).
    persona = forms.ChoiceField(label=_("応募する人材像"), choices=PERSONA_CHOICES, widget=forms.RadioSelect)
    motivation = forms.CharField(label=_("志望動機"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    consent = forms.BooleanField(label=CONSENT_LABEL, required=True)
    consent_version = forms.CharField(label=_("同意文の版"), widget=forms.HiddenInput)

    def __init__(self, *args, rnd: RecruitmentRound, ask_consent: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].choices = [(c, n) for c, n in PERSONA_CHOICES if c in rnd.personas]
        if not ask_consent:
            # Already agreed to the version in force (at sign-up or an earlier application): not asked again.
            del self.fields["consent"], self.fields["consent_version"]

    @property
    def agreed_version(self) -> str | None:
        """The version agreed to on this form, or None when the form did not ask."""
        return self.cleaned_data.get("consent_version") if "consent" in self.fields else None


class EvidenceForm(forms.Form):
    label = forms.CharField(label=_("証明する資格・経験"), max_length=120)
    file = forms.FileField(label=_("ファイル（PDF・PNG・JPEG、5MBまで）"))


# No choice is made for the user: a decision or a status (不採用 among them) is picked on purpose, never left
# standing as the first option of a select.
CHOOSE = [("", _("選択してください"))]


class DecisionForm(forms.Form):
    criterion = forms.ChoiceField(label=_("観点"), choices=CHOOSE + Criterion.choices)
    decision = forms.ChoiceField(label=_("判定"), choices=CHOOSE + Decision.choices)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("変更後の状態"), choices=CHOOSE + ApplicationStatus.choices)
    note = forms.CharField(label=_("メモ"), required=False, max_length=500)


class PoolFilterForm(forms.Form):
    q = forms.CharField(label=_("キーワード"), required=False, max_length=100)
    persona = forms.ChoiceField(label=_("標準を満たす人材像"), required=False, choices=[("", _("すべて"))] + PERSONA_CHOICES)
    skill = forms.ChoiceField(label=_("スキル項目"), required=False)
    min_rating = forms.ChoiceField(label=_("自己評価"), required=False, initial="3",
                                   choices=[("1", _("1以上")), ("2", _("2以上")), ("3", _("3以上")), ("4", "4")])
    near_municipality = forms.ModelChoiceField(label=_("派遣先の市町村（距離順）"), queryset=Municipality.objects.none(),
                                               to_field_name="code", required=False)
    # The matching engine's distance rule, not a radius of the searcher's choosing: "can this person work on
    # site there" is their home within their own travel range (selectors.site_reach).
    reachable = forms.BooleanField(label=_("この市町村で現地勤務できる人材だけ（本人の移動可能距離以内）"), required=False)
    include_remote = forms.BooleanField(label=_("リモート可の人材を含める"), required=False)
    min_hours = core_forms.IntegerField(label=_("週あたり時間（以上）"), required=False, min_value=0, max_value=80)
    available_on = core_forms.DateField(label=_("稼働可能日"), required=False, widget=DateInput())
    training = forms.ChoiceField(label=_("研修"), required=False,
                                 choices=[("", _("すべて")), ("completed", _("修了")), ("pending", _("未修了"))])

    def __init__(self, *args, prefecture_id=None, municipality_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["near_municipality"].queryset = Municipality.objects.filter(prefecture_id=prefecture_id)
        if municipality_id is not None:
            # A municipality asks about its own town only, and its list is not ordered by distance: distances
            # from any town would locate a pseudonymised person's home (selectors.pool_search).
            self.fields["near_municipality"].queryset = Municipality.objects.filter(pk=municipality_id)
            self.fields["near_municipality"].label = _("派遣先（自団体）")
        names = sorted({name for name, _ in standard_options().skill_items})
        self.fields["skill"].choices = [("", _("指定なし"))] + [(n, data_label_lazy(n)) for n in names]

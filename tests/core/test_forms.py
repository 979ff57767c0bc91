"""The one form pattern (dxpool.core.forms and templates/includes/): numbers as typed in Japanese, limits and
messages in words that name the field, plausible dates, and the error summary / field markup."""

from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django import forms
from django.template import Context, Template
from django.utils import timezone

from dxpool.core import forms as core_forms

# ---------------------------------------------------------------------------------------------------------------
# Numbers


@pytest.mark.parametrize(("value", "unit", "text"), [
    (2_000_000_000, "円", "20億円"), (3_600_000, "", "360万"), (1_500, "", "1,500"), (123_456_789, "", "123,456,789"),
    (120_000_000, "", "1億2,000万"), (Decimal("7.0"), "", "7"), (0.5, "日", "0.5日"), (2e9, "", "20億"),
])
def test_human_number(value, unit, text):
    assert core_forms.human_number(value, unit) == text


def test_range_messages_are_words_not_engineering_notation():
    assert core_forms.range_message(1, 100) == "1以上100以下で入力してください"
    assert core_forms.range_message(0, 2_000_000_000, "円", value=3_000_000_000) == "20億円以下で入力してください"
    assert core_forms.range_message(0, 80, value=-1) == "0以上で入力してください"
    assert core_forms.human_range(0, None) == "0以上"
    assert "e+" not in core_forms.range_message(0, 2e9)


@pytest.mark.parametrize(("typed", "read"), [
    ("１２，０００", "12000"), ("3,600,000", "3600000"), ("－３", "-3"), ("\u22123", "-3"), ("３．５", "3.5"),
    (" １ ２ ", "12"), ("1,5", "1,5"), ("12,34", "12,34"),
])
def test_normalise_number(typed, read):
    assert core_forms.normalise_number(typed) == read


class Sample(forms.Form):
    full_name = forms.CharField(label="氏名", help_text="戸籍上の氏名")
    persona = forms.ChoiceField(label="人材像", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    systems = forms.MultipleChoiceField(label="対象システム", choices=[("x", "X"), ("y", "Y")],
                                        widget=forms.CheckboxSelectMultiple, help_text="複数選べます", required=False)
    consent = forms.BooleanField(label="同意する")
    budget = core_forms.IntegerField(label="予算", required=False, min_value=0, max_value=2_000_000_000, unit="円")
    days = core_forms.DecimalField(label="週あたり日数", required=False, min_value=0.5, max_value=7, decimal_places=1)
    weight = core_forms.FloatField(label="重み", required=False, min_value=0, max_value=5)
    token = forms.CharField(widget=forms.HiddenInput)


def test_numeric_fields_accept_full_width_and_grouped_digits():
    form = Sample({"full_name": "a", "persona": "a", "consent": "on", "token": "t",
                   "budget": "３，６００，０００", "days": "０．５", "weight": "－０"})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["budget"], form.cleaned_data["days"]) == (3_600_000, Decimal("0.5"))


def test_numeric_fields_say_their_limits_in_words():
    form = Sample({"budget": "3000000000", "days": "8"})
    assert not form.is_valid()
    assert form.errors["budget"] == ["20億円以下で入力してください"]
    assert form.errors["days"] == ["0.5以上7以下で入力してください"]


def test_numeric_inputs_are_text_with_a_numeric_keyboard():
    html = str(Sample()["budget"])
    assert 'type="text"' in html and 'inputmode="numeric"' in html
    assert "min=" not in html and "max=" not in html and 'type="number"' not in html
    assert 'inputmode="decimal"' in str(Sample()["days"])


# ---------------------------------------------------------------------------------------------------------------
# Dates


def test_a_date_in_the_future_is_refused_naming_the_field():
    validator = core_forms.NotAfterTodayValidator("聞き取り日")
    validator(timezone.localdate())
    with pytest.raises(forms.ValidationError) as exc:
        validator(timezone.localdate() + timedelta(days=1))
    assert exc.value.messages == ["聞き取り日は今日以前の日付を入力してください"]


def test_implausible_dates_are_refused():
    validator = core_forms.PlausibleDateValidator("支援開始希望日", years_back=5, years_ahead=10)
    validator(timezone.localdate())
    with pytest.raises(forms.ValidationError) as exc:
        validator(timezone.localdate().replace(year=timezone.localdate().year + 40))
    assert "支援開始希望日は" in exc.value.messages[0] and "までの日付を入力してください" in exc.value.messages[0]


def test_date_field_reads_full_width_digits():
    assert core_forms.DateField().clean("２０２６－０４－０１").isoformat() == "2026-04-01"


@pytest.mark.django_db
def test_hearing_form_refuses_a_future_hearing_date():
    from dxpool.needs.forms import HearingForm
    from dxpool.places.models import Municipality

    municipality = Municipality.objects.first()
    if municipality is None:
        pytest.skip("no reference data loaded")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    form = HearingForm({"fiscal_year": "2026", "heard_on": tomorrow, "talent_policy_status": "none",
                        "budget_yen": "３０億"}, municipality=municipality, creating=True)
    assert not form.is_valid()
    assert form.errors["heard_on"] == ["ヒアリング実施日は今日以前の日付を入力してください"]
    form = HearingForm({"fiscal_year": "２０２６", "budget_yen": "3000000000", "talent_policy_status": "none"},
                       municipality=municipality, creating=True)
    assert not form.is_valid() and form.errors["budget_yen"] == ["20億円以下で入力してください"]


# ---------------------------------------------------------------------------------------------------------------
# Messages and markup


def test_every_message_names_its_field():
    form = Sample({"budget": "abc"})
    form.is_valid()
    messages = {f.name: core_forms.field_messages(f) for f in form}
    assert messages["full_name"] == ["氏名を入力してください"]
    assert messages["persona"] == ["人材像を選んでください"]
    assert messages["consent"] == ["同意するにチェックを入れてください"]
    assert messages["budget"] == ["予算は半角または全角の整数で入力してください（例: 1200）"]
    assert messages["days"] == []


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if attrs.get("id"):
            self.ids.add(attrs["id"])


def _render(form, template='{% include "includes/form.html" %}') -> tuple[str, _Page]:
    html = Template(template).render(Context({"form": form}))
    page = _Page()
    page.feed(html)
    return html, page


def test_include_renders_a_summary_linking_to_each_field_and_describedby_ids_that_exist():
    form = Sample({"budget": "3000000000"})
    assert not form.is_valid()
    html, page = _render(form)
    summary = [a for t, a in page.tags if "data-error-summary" in a]
    assert summary and summary[0]["tabindex"] == "-1" and summary[0]["aria-labelledby"] == "error-summary-title"
    assert "入力内容に問題があります" in html
    links = [a["href"] for t, a in page.tags if t == "a"]
    assert links[:2] == ["#id_full_name", "#id_persona_0"]
    assert all(href[1:] in page.ids for href in links), links
    assert "氏名を入力してください" in html and "予算は20億円以下で入力してください" in html
    assert "このフィールドは必須です" not in html
    described = [a["aria-describedby"] for t, a in page.tags if a.get("aria-describedby")]
    assert described
    for value in described:
        for ref in value.split():
            assert ref in page.ids, (ref, value)
    assert "_helptext" not in html
    inputs = {a["id"]: a for t, a in page.tags if t in ("input", "select", "textarea") and a.get("id")}
    assert inputs["id_full_name"]["aria-describedby"] == "id_full_name_help id_full_name_error"
    assert inputs["id_full_name"]["aria-invalid"] == "true"
    assert "aria-invalid" not in inputs["id_days"]
    fieldsets = [a for t, a in page.tags if t == "fieldset"]
    assert len(fieldsets) == 2 and fieldsets[0]["aria-describedby"] == "id_persona_error"
    assert fieldsets[1]["aria-describedby"] == "id_systems_help"
    assert html.count("<legend>") == 2


def test_a_valid_or_unbound_form_has_no_summary_and_no_error_ids():
    html, page = _render(Sample())
    assert "data-error-summary" not in html and "_error" not in html and "aria-invalid" not in html
    described = [a["aria-describedby"] for t, a in page.tags if a.get("aria-describedby")]
    assert described == ["id_full_name_help", "id_systems_help"]


def test_summary_of_several_forms_and_the_title_prefix():
    first, second = Sample({}), Sample({}, prefix="second")
    template = '{% load dxforms %}<title>{% error_title_prefix %}x</title>{% error_summary form other %}'
    html = Template(template).render(Context({"form": first, "other": second}))
    assert html.startswith("<title>エラー: x</title>")
    assert 'href="#id_full_name"' in html and 'href="#id_second-full_name"' in html
    html = Template(template).render(Context({"form": Sample(), "other": None}))
    assert html.strip() == "<title>x</title>"


@pytest.mark.django_db
def test_signup_page_after_a_failed_submit(client):
    """A real page: the summary is there, the title says エラー, and every aria-describedby id exists."""
    from dxpool.talent.models import ConsentText

    ConsentText.objects.create(version="t-1", title="個人情報の取扱い", body="本文",
                               published_at=timezone.now() - timedelta(days=1))
    response = client.post("/talent/signup/", {"username": ""})
    html = response.content.decode()
    page = _Page()
    page.feed(html)
    assert "data-error-summary" in html and "<title>エラー: " in html
    for _tag, a in page.tags:
        for ref in (a.get("aria-describedby") or "").split():
            assert ref in page.ids, ref
    assert "このフィールドは必須です" not in html
